"""The importance-performance (key drivers) quadrant chart."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import COLORS, QUADRANT_COLORS, TEMPLATE, horizontal_line, label, values, vertical_line

__all__ = ["drivers_quadrant_figure"]


def drivers_quadrant_figure(
    drivers: pd.DataFrame,
    labels: Mapping[str, str],
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """Importance (correlation with overall satisfaction) against the gap to target.

    ``drivers`` is :func:`analysis.drivers.key_drivers`' frame. The y axis is the gap to the
    target mean (above zero: below target); dashed lines split the quadrants at the median
    importance and at zero gap; points are coloured by quadrant.
    """
    names = [labels.get(d, d) for d in drivers["dimension"]]
    figure = go.Figure(
        go.Scatter(
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
    )
    lines = [horizontal_line(0, COLORS["neutral"])]
    if len(drivers):
        lines.append(vertical_line(float(drivers["importance"].median()), COLORS["neutral"]))
    figure.update_layout(
        shapes=lines,
        template=template,
        title=label(labels, "title.drivers") if title is None else title,
        showlegend=False,
        xaxis_title=label(labels, "importance"),
        yaxis_title=label(labels, "gap"),
    )
    return figure
