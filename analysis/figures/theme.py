"""The one plotly template and colour scheme of every figure.

Builders take the template as an argument (default :data:`TEMPLATE`) and set it on their own
figure; nothing here touches plotly's global defaults. Fonts list CJK faces first so Chinese
labels render the same in the browser and in the static PDF export.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["COLORS", "FONT_FAMILY", "QUADRANT_COLORS", "SEQUENTIAL", "TEMPLATE", "dimension_colors"]

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
COLORS = {
    "primary": "#1f5fa8",
    "target": "#c0392b",
    "good": "#2e8b57",
    "neutral": "#9aa5b1",
    "bad": "#d9534f",
    "warning": "#e6a23c",
    "text": "#2c3e50",
    "grid": "#e5e8ec",
}
SERIES = ["#1f5fa8", "#e6a23c", "#2e8b57", "#8e44ad", "#16a085", "#d35400", "#34495e", "#c0392b"]
SEQUENTIAL = [[0.0, "#d9534f"], [0.5, "#f7e7a6"], [1.0, "#2e8b57"]]
QUADRANT_COLORS = {
    "improve_first": COLORS["bad"],
    "improve_next": COLORS["warning"],
    "keep_up": COLORS["good"],
    "maintain": COLORS["neutral"],
}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 13, "color": COLORS["text"]},
        colorway=SERIES,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        xaxis={"gridcolor": COLORS["grid"], "zeroline": False},
        yaxis={"gridcolor": COLORS["grid"], "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)


def dimension_colors(dimensions: list[str]) -> dict[str, str]:
    """A stable colour per dimension (sorted order), so every chart colours it alike."""
    return {d: SERIES[i % len(SERIES)] for i, d in enumerate(sorted(dimensions))}
