"""The one plotly template and colour scheme of every figure.

Builders take the template as an argument (default :data:`TEMPLATE`) and set it on their own
figure; nothing here touches plotly's global defaults. Fonts list CJK faces first so Chinese
labels render the same in the browser and in the static PDF export.

The title sits at the top left of the figure and the legend at its bottom edge (both placed
relative to the whole figure, which grows its margins to fit them), so the two never overlap
at any width; axes grow their margins to fit their tick labels and titles.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..action_texts import LABELS_ZH

__all__ = [
    "COLORS",
    "FONT_FAMILY",
    "QUADRANT_COLORS",
    "SEQUENTIAL",
    "TEMPLATE",
    "dimension_colors",
    "label",
]

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
# Okabe & Ito's colour-blind safe palette: its seven dark hues stay apart for the seven
# dimensions and under red-green colour blindness (good and bad are bluish green and
# vermillion, which differ in lightness as well as hue).
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "vermillion": "#D55E00",
    "black": "#000000",
    "yellow": "#F0E442",
}
COLORS = {
    "primary": OKABE_ITO["blue"],
    "target": OKABE_ITO["vermillion"],
    "good": OKABE_ITO["bluish_green"],
    "neutral": "#9aa5b1",
    "bad": OKABE_ITO["vermillion"],
    "warning": OKABE_ITO["orange"],
    "text": "#2c3e50",
    "grid": "#e5e8ec",
}
SERIES = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "reddish_purple",
                                       "sky_blue", "vermillion", "black")]  # fmt: skip
# low (vermillion) to high (blue) through white: no red-to-green scale
SEQUENTIAL = [[0.0, OKABE_ITO["vermillion"]], [0.5, "#f7f7f7"], [1.0, OKABE_ITO["blue"]]]
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
        margin={"l": 60, "r": 30, "t": 60, "b": 40},
        title={"x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 12}},
        xaxis={
            "gridcolor": COLORS["grid"],
            "zeroline": False,
            "automargin": True,
            "ticklabelstandoff": 6,
        },
        yaxis={"gridcolor": COLORS["grid"], "zeroline": False, "automargin": True},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "xanchor": "left",
        },
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)


def dimension_colors(dimensions: list[str]) -> dict[str, str]:
    """A stable colour per dimension (sorted order), so every chart colours it alike."""
    return {d: SERIES[i % len(SERIES)] for i, d in enumerate(sorted(dimensions))}


def label(labels: Mapping[str, str], key: str, **fields: object) -> str:
    """The text ``key`` of ``labels`` (Chinese default when the mapping lacks it), with
    ``{placeholders}`` filled from ``fields``."""
    text = labels.get(key, LABELS_ZH.get(key, key))
    return text.format(**fields) if fields else text


def horizontal_line(y: float, color: str) -> dict:
    """A dashed line across the plot at ``y`` (a layout shape: ``add_hline`` computes the same
    shape at many times the cost)."""
    return {
        "type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
        "line": {"dash": "dash", "color": color},
    }  # fmt: skip


def vertical_line(x: float, color: str) -> dict:
    """A dashed line up the plot at ``x`` (see :func:`horizontal_line`)."""
    return {
        "type": "line", "xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1,
        "line": {"dash": "dash", "color": color},
    }  # fmt: skip


def values(column: pd.Series) -> list:
    """A column as a plain list for a trace (plotly validates a list several times faster than
    a Series); missing values (NaN, NA) become None, drawn as gaps."""
    if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
        return column.tolist()
    if pd.api.types.is_numeric_dtype(column.dtype):
        return [None if v != v else v for v in column.astype("float64").tolist()]
    return [None if pd.isna(v) else v for v in column.tolist()]


_TEMPLATES: dict[int, tuple[go.layout.Template, dict]] = {}


def _template_json(template: go.layout.Template) -> dict:
    """The template as plain JSON data, converted once per template object."""
    found = _TEMPLATES.get(id(template))
    if found is None or found[0] is not template:
        found = _TEMPLATES[id(template)] = (template, template.to_plotly_json())
    return found[1]


def trace(kind: str, **properties: Any) -> dict:
    """A trace as plain data (``type`` plus plotly's property names, nested as dicts)."""
    return {"type": kind, **properties}


def spec(data: list[dict], template: go.layout.Template, **layout: Any) -> dict:
    """A figure as plain data: ``{"data": [...], "layout": {...}}`` with the template."""
    return {"data": data, "layout": {"template": _template_json(template), **layout}}


def as_figure(build: Callable[..., dict]) -> Callable[..., go.Figure]:
    """Make a builder of plain figure data return a :class:`plotly.graph_objects.Figure`
    (validated by plotly); the plain builder stays reachable as ``.spec``.

    Building plotly objects validates every property and costs ~1 ms a trace; a dashboard
    that only sends JSON to the browser takes ``.spec`` and :func:`figure_json` instead, and
    the tests check that both give the same JSON.
    """

    @functools.wraps(build)
    def figure(*args: Any, **kwargs: Any) -> go.Figure:
        return go.Figure(build(*args, **kwargs))

    figure.spec = build  # type: ignore[attr-defined]
    return figure


def figure_json(figure_spec: dict) -> str:
    """The JSON plotly.js draws, from plain figure data (what ``Figure.to_json`` gives)."""
    import plotly.io.json

    return plotly.io.json.to_json_plotly(figure_spec)
