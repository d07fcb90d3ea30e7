"""The importance-performance (key drivers) quadrant chart."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
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

# Axis ranges leave room around the points, in shares of the data's span: above them for a
# label (a line of text over the marker at the dashboard's 360 px), elsewhere for the marker.
PAD_ABOVE, PAD_BELOW, PAD_SIDES = 0.22, 0.08, 0.06
MIN_SPAN_IMPORTANCE, MIN_SPAN_GAP = 0.1, 0.5  # one point, or all alike: still a readable axis
EDGE_SHARE = 1 / 3  # labels in the outer thirds of the importance range lean inwards


def _padded(low: float, high: float, floor: float, below: float, above: float) -> list[float]:
    span = max(high - low, floor)
    return [low - below * span, high + above * span]


def _axis_ranges(points: pd.DataFrame) -> dict[str, dict]:
    """Fixed ranges that keep every label inside the plot (plotly's autorange pads for the
    markers only, so the label over the highest point was cut off); the gap axis always shows
    the zero line."""
    if points.empty:
        return {"xaxis": {}, "yaxis": {}}
    importance, gap = points["importance"], points["gap"]
    return {
        "xaxis": {
            "range": _padded(
                float(importance.min()),
                float(importance.max()),
                MIN_SPAN_IMPORTANCE,
                PAD_SIDES,
                PAD_SIDES,
            )
        },
        "yaxis": {
            "range": _padded(
                min(float(gap.min()), 0.0),
                max(float(gap.max()), 0.0),
                MIN_SPAN_GAP,
                PAD_BELOW,
                PAD_ABOVE,
            )
        },
    }


def _text_positions(importance: pd.Series) -> list[str]:
    """Labels sit above their points, leaning left near the right edge and right near the left
    edge, so a long name ends inside the plot instead of running past its side."""
    low, high = importance.min(), importance.max()
    share = (importance - low) / (high - low) if high > low else pd.Series(0.5, importance.index)
    return np.select(
        [share >= 1 - EDGE_SHARE, share <= EDGE_SHARE], ["top left", "top right"], "top center"
    ).tolist()


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
    importance and at zero gap; points are coloured by quadrant. The axes leave room for the
    labels, which lean inwards near the sides, so none is cut off at the plot's edge.
    """
    names = [labels.get(d, d) for d in drivers["dimension"]]
    point = trace(
        "scatter",
        x=values(drivers["importance"]),
        y=values(drivers["gap"]),
        mode="markers+text",
        text=names,
        textposition=_text_positions(drivers["importance"]),
        marker={
            "size": 14,
            "color": [QUADRANT_COLORS.get(q, COLORS["neutral"]) for q in drivers["quadrant"]],
        },
        customdata=[labels.get(q, q) for q in drivers["quadrant"]],
        hovertemplate=f"%{{text}}<br>r=%{{x:.2f}}, {label(labels, 'gap_short')} %{{y:.2f}}"
        "<br>%{customdata}<extra></extra>",
    )
    ranges = _axis_ranges(drivers.dropna(subset=["importance", "gap"]))
    lines = [horizontal_line(0, COLORS["neutral"])]
    if len(drivers):
        lines.append(vertical_line(float(drivers["importance"].median()), COLORS["neutral"]))
    return spec(
        [point],
        template,
        shapes=lines,
        title={"text": label(labels, "title.drivers") if title is None else title},
        showlegend=False,
        xaxis={"title": {"text": label(labels, "importance")}, **ranges["xaxis"]},
        yaxis={"title": {"text": label(labels, "gap")}, **ranges["yaxis"]},
    )
