"""SLA compliance trend: share of tickets within the contract's hours, per month and kind."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import COLORS, TEMPLATE, as_figure, horizontal_line, label, spec, trace, values

__all__ = ["sla_trend_figure"]

_KIND_COLORS = {"inquiry": COLORS["primary"], "complaint": COLORS["warning"]}


@as_figure
def sla_trend_figure(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """Compliance per month for inquiries and complaints (%), with the 100 % line the contract
    requires; breaches per month (counts) as bars in a panel of their own below, never on a
    second axis lined up against the percentages (whole-number ticks).

    ``table`` is :class:`analysis.sla.SlaReport`'s ``table``; the title defaults to
    ``labels["title.sla"]``.
    """
    traces = []
    breaches = label(labels, "breaches")
    for kind, rows in table.groupby("kind", sort=False):
        name = label(labels, kind)
        color = _KIND_COLORS.get(kind, COLORS["neutral"])
        traces.append(
            trace(
                "bar",
                x=values(rows["month"]),
                y=values(rows["breaches"]),
                name=f"{name} {breaches}",
                marker={"color": color},
                yaxis="y2",
            )
        )
        traces.append(
            trace(
                "scatter",
                x=values(rows["month"]),
                y=values(rows["compliance"]),
                mode="lines+markers",
                name=name,
                line={"color": color},
                customdata=values(rows["n"]),
                hovertemplate=f"{name} %{{x}}: %{{y:.1f}}% (n=%{{customdata}})<extra></extra>",
            )
        )
    most = table["breaches"].max() if len(table) else 0
    most = 0 if pd.isna(most) else int(most)
    return spec(
        traces,
        template,
        shapes=[horizontal_line(100, COLORS["target"])],
        title={"text": label(labels, "title.sla") if title is None else title},
        xaxis={"type": "category", "anchor": "y2"},
        barmode="group",
        yaxis={
            "range": [0, 105],
            "domain": [0.42, 1],
            "title": {"text": label(labels, "compliance")},
        },
        yaxis2={
            "domain": [0, 0.3],
            "anchor": "x",
            "range": [0, max(most, 1) * 1.15],
            "dtick": max(1, math.ceil(most / 2)),
            "tickformat": "d",
            "automargin": True,
            "title": {"text": breaches},
        },
    )
