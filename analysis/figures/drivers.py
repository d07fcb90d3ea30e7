"""The importance-performance (key drivers) quadrant chart."""

from __future__ import annotations

import unicodedata
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

MARKER_SIZE = 14
# The plot area of the dashboard's card (half a wide page, 360 px tall) in px, a little on the
# small side, so labels judged apart there are apart on any larger drawing.
PLOT_WIDTH, PLOT_HEIGHT = 440, 240
# Advance of a CJK (full-width) and of a Latin character in em; Latin labels average 0.42 em
# in Liberation Sans and 0.49-0.55 em in DejaVu Sans.
WIDE_EM, NARROW_EM = 1.0, 0.5
LINE_EMS = 16  # a merged label breaks into lines of about half the plot's width
LINE_BREAK, LINE_SPACING = "<br>", 1.3  # plotly.js' line break and line height in em
# plotly.js sets text this far from the marker's centre (``textPointPosition``).
TEXT_OFFSET = MARKER_SIZE / 2 / 0.8 + 1
TOUCHING = 2  # px of overlap a label's estimated box is allowed before it moves
POSITIONS = (
    "top center", "top left", "top right", "bottom center", "bottom left", "bottom right",
    "middle left", "middle right",
)  # fmt: skip


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


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def _ems(text: str) -> float:
    """The estimated width of one line of ``text`` in em."""
    return sum(WIDE_EM if _is_wide(c) else NARROW_EM for c in text)


def _joined(names: pd.Series) -> str:
    """Names as one label: joined by "、" when they are Chinese, else by ", ", broken into
    lines of at most :data:`LINE_EMS` (a line per name when the names are longer)."""
    separator = "、" if any(map(_is_wide, "".join(names))) else ", "
    lines = [names.iloc[0]]
    for name in names.iloc[1:]:
        if _ems(lines[-1] + separator + name) <= LINE_EMS:
            lines[-1] += separator + name
        else:
            lines[-1] += separator.rstrip()
            lines.append(name)
    return LINE_BREAK.join(lines)


def _merge_coincident(points: pd.DataFrame) -> pd.DataFrame:
    """One point per place: dimensions at the same importance and gap share a marker whose
    label names them all, so their labels are not printed on top of each other."""
    place = [points["importance"].round(9), points["gap"].round(9)]
    return (
        points.groupby(place, sort=False)
        .agg(
            importance=("importance", "first"),
            gap=("gap", "first"),
            quadrant=("quadrant", "first"),
            name=("name", _joined),
        )
        .reset_index(drop=True)
    )


def _box(x: float, y: float, position: str, width: float, height: float) -> tuple[float, ...]:
    """The box (left, bottom, right, top; px, y upwards) plotly draws a label of ``width``
    and ``height`` in, at ``position`` around the marker at ``(x, y)``, less
    :data:`TOUCHING` px on every side."""
    vertical, horizontal = position.split()
    left = {"left": x - TEXT_OFFSET - width, "right": x + TEXT_OFFSET}.get(
        horizontal, x - width / 2
    )
    bottom = {"top": y + TEXT_OFFSET, "bottom": y - TEXT_OFFSET - height}.get(
        vertical, y - height / 2
    )
    return (
        left + TOUCHING,
        bottom + TOUCHING,
        left + width - TOUCHING,
        bottom + height - TOUCHING,
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _placed_positions(points: pd.DataFrame, ranges: dict[str, dict], font_size: float) -> list[str]:
    """Each label's text position: its default (above, leaning inwards near the sides) unless
    its box, estimated from the text's length and the plot's size in px, would cover a label
    placed before it (points go in rank order), another marker or the plot's edge; then the
    same position below, then the first of :data:`POSITIONS` that covers nothing, else the
    one that covers least (overlap plus area outside the plot). Boxes are estimates (CJK
    characters 1 em wide, Latin 0.5 em, on a plot of :data:`PLOT_WIDTH` x :data:`PLOT_HEIGHT`),
    so the choice is cheap and the same on every page and in every export, with no script."""
    (x_low, x_high), (y_low, y_high) = ranges["xaxis"]["range"], ranges["yaxis"]["range"]
    xs = ((points["importance"] - x_low) / (x_high - x_low) * PLOT_WIDTH).tolist()
    ys = ((points["gap"] - y_low) / (y_high - y_low) * PLOT_HEIGHT).tolist()
    lines = [name.split(LINE_BREAK) for name in points["name"]]
    widths = [font_size * max(map(_ems, name)) for name in lines]
    heights = [font_size * ((len(name) - 1) * LINE_SPACING + 1) for name in lines]
    radius = MARKER_SIZE / 2
    markers = [
        (x - radius, y - radius, x + radius, y + radius) for x, y in zip(xs, ys, strict=True)
    ]
    plot = (0.0, 0.0, PLOT_WIDTH, PLOT_HEIGHT)
    placed: list[tuple[float, ...]] = []
    positions = []
    for i, default in enumerate(_text_positions(points["importance"])):
        flipped = default.replace("top", "bottom")
        candidates = [default, flipped, *(p for p in POSITIONS if p not in (default, flipped))]
        boxes = [_box(xs[i], ys[i], p, widths[i], heights[i]) for p in candidates]
        costs = [
            sum(_overlap(box, other) for other in placed + markers[:i] + markers[i + 1 :])
            + (box[2] - box[0]) * (box[3] - box[1])
            - _overlap(box, plot)
            for box in boxes
        ]
        best = costs.index(min(costs))
        positions.append(candidates[best])
        placed.append(boxes[best])
    return positions


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
    labels, which lean inwards near the sides, so none is cut off at the plot's edge; labels
    that would cover each other move to another side of their point, and dimensions at the
    same place share one point and one label.
    """
    points = _merge_coincident(
        drivers.assign(name=[labels.get(d, d) for d in drivers["dimension"]]).dropna(
            subset=["importance", "gap"]
        )
    )
    ranges = _axis_ranges(points)
    font_size = template.layout.font.size or TEMPLATE.layout.font.size
    point = trace(
        "scatter",
        x=values(points["importance"]),
        y=values(points["gap"]),
        mode="markers+text",
        text=points["name"].tolist(),
        textposition=_placed_positions(points, ranges, font_size) if len(points) else [],
        marker={
            "size": MARKER_SIZE,
            "color": [QUADRANT_COLORS.get(q, COLORS["neutral"]) for q in points["quadrant"]],
        },
        customdata=[labels.get(q, q) for q in points["quadrant"]],
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
        xaxis={"title": {"text": label(labels, "importance")}, **ranges["xaxis"]},
        yaxis={"title": {"text": label(labels, "gap")}, **ranges["yaxis"]},
    )
