"""The importance-performance (key drivers) quadrant chart."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import (
    COLORS,
    QUADRANT_COLORS,
    TEMPLATE,
    as_figure,
    horizontal_line,
    label,
    spec,
    trace,
    values,
    vertical_line,
)

__all__ = ["drivers_quadrant_figure"]


@as_figure
def drivers_quadrant_figure(
    drivers: pd.DataFrame,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """Importance (correlation with overall satisfaction) against the gap to target.

    ``drivers`` is :func:`analysis.drivers.key_drivers`' frame. The y axis is the gap to the
    target mean (above zero: below target); dashed lines split the quadrants at the median
    importance and at zero gap; points are coloured by quadrant.
    """
    names = [labels.get(d, d) for d in drivers["dimension"]]
    point = trace(
        "scatter",
        x=values(drivers["importance"]),
        y=values(drivers["gap"]),
        mode="markers+text",
        text=names,
        textposition="top center",
        marker={
            "size": 14,
            "color": [QUADRANT_COLORS.get(q, COLORS["neutral"]) for q in drivers["quadrant"]],
        },
        customdata=[labels.get(q, q) for q in drivers["quadrant"]],
        hovertemplate=f"%{{text}}<br>r=%{{x:.2f}}, {label(labels, 'gap_short')} %{{y:.2f}}"
        "<br>%{customdata}<extra></extra>",
    )
    lines = [horizontal_line(0, COLORS["neutral"])]
    if len(drivers):
        lines.append(vertical_line(float(drivers["importance"].median()), COLORS["neutral"]))
    return spec(
        [point],
        template,
        shapes=lines,
        title={"text": label(labels, "title.drivers") if title is None else title},
        showlegend=False,
        xaxis={"title": {"text": label(labels, "importance")}},
        yaxis={"title": {"text": label(labels, "gap")}},
    )
