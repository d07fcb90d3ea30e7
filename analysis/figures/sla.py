"""SLA compliance trend: share of tickets within the contract's hours, per month and kind."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import COLORS, TEMPLATE

__all__ = ["sla_trend_figure"]

_KIND_COLORS = {"inquiry": COLORS["primary"], "complaint": COLORS["warning"]}


def sla_trend_figure(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    title: str = "合同时限达标率（%）",
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """Compliance per month for inquiries and complaints, with the 100 % line the contract
    requires; breaches per month as bars on a second axis.

    ``table`` is :class:`analysis.sla.SlaReport`'s ``table``.
    """
    figure = go.Figure()
    for kind, rows in table.groupby("kind", sort=False):
        name = labels.get(kind, kind)
        figure.add_trace(
            go.Bar(
                x=rows["month"],
                y=rows["breaches"],
                name=f"{name} {labels.get('breaches', '违约单数')}",
                marker_color=_KIND_COLORS.get(kind, COLORS["neutral"]),
                opacity=0.35,
                yaxis="y2",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=rows["month"],
                y=rows["compliance"],
                mode="lines+markers",
                name=name,
                line={"color": _KIND_COLORS.get(kind, COLORS["neutral"])},
                customdata=rows["n"],
                hovertemplate=f"{name} %{{x}}: %{{y:.1f}}% (n=%{{customdata}})<extra></extra>",
            )
        )
    figure.add_hline(y=100, line_dash="dash", line_color=COLORS["target"])
    figure.update_layout(
        template=template,
        title=title,
        xaxis={"type": "category"},
        barmode="group",
        yaxis={"range": [0, 105], "title": "%"},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
            "title": labels.get("breaches", "违约单数"),
        },
    )
    return figure
