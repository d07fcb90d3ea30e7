"""A chart's figures as a table: the text alternative printed under every chart.

The page's charts are drawn by plotly.js from a figure's JSON; people who cannot see the chart
(screen readers, no JavaScript, print) read the same numbers from this table, built from that
very JSON, so the two cannot disagree.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from flask import Flask


@dataclass
class FigureTable:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _array(value: Any) -> list:
    """A trace's array: a plain list, or plotly's typed array ``{"dtype", "bdata"}``."""
    if value is None:
        return []
    if isinstance(value, dict) and "bdata" in value:
        import numpy as np

        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            shape = [int(n) for n in str(value["shape"]).split(",")]
            data = data.reshape(shape)
        return data.tolist()
    return list(value) if isinstance(value, list | tuple) else [value]


def _cell(value: Any) -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def _title(axis: Any) -> str:
    if isinstance(axis, dict):
        title = axis.get("title")
        if isinstance(title, dict):
            return str(title.get("text") or "")
        return str(title or "")
    return ""


def figure_table(figure_json: str) -> FigureTable | None:
    """The figure's data, one row per category (or point), one column per trace."""
    try:
        figure = json.loads(figure_json) if isinstance(figure_json, str) else figure_json
    except ValueError:
        return None
    traces = [t for t in figure.get("data") or [] if isinstance(t, dict)]
    layout = figure.get("layout") or {}
    if not traces:
        return None
    kinds = {t.get("type", "scatter") for t in traces}
    if kinds & {"heatmap"}:
        trace = next(t for t in traces if t.get("type") == "heatmap")
        xs, ys, zs = _array(trace.get("x")), _array(trace.get("y")), _array(trace.get("z"))
        table = FigureTable(columns=[_title(layout.get("yaxis")), *map(_cell, xs)])
        for label, row in zip(ys, zs, strict=False):
            table.rows.append([_cell(label), *(_cell(v) for v in _array(row))])
        return table
    if kinds & {"pie"}:
        trace = next(t for t in traces if t.get("type") == "pie")
        table = FigureTable(columns=["", _cell(trace.get("name") or "")])
        for label, value in zip(_array(trace.get("labels")), _array(trace.get("values")),
                                strict=False):
            table.rows.append([_cell(label), _cell(value)])
        return table
    if all(t.get("mode", "").startswith("markers") and t.get("text") is not None for t in traces):
        # a scatter of labelled points (the key-driver chart): one row per point
        table = FigureTable(
            columns=["", _title(layout.get("xaxis")) or "x", _title(layout.get("yaxis")) or "y"]
        )
        for trace in traces:
            for label, x, y in zip(_array(trace.get("text")), _array(trace.get("x")),
                                   _array(trace.get("y")), strict=False):
                table.rows.append([_cell(label), _cell(x), _cell(y)])
        return table
    # categories against values, one column per trace (bars, lines, funnels)
    horizontal = all(
        t.get("orientation") == "h" or (t.get("type") == "funnel" and t.get("orientation") != "v")
        for t in traces
    )
    category_axis, value_key, category_key = (
        ("yaxis", "x", "y") if horizontal else ("xaxis", "y", "x")
    )
    columns: list[str] = []
    values: dict[Any, dict[int, Any]] = {}
    for index, trace in enumerate(traces):
        columns.append(_cell(trace.get("name") or ""))
        for category, value in zip(_array(trace.get(category_key)), _array(trace.get(value_key)),
                                   strict=False):
            key = _cell(category)
            values.setdefault(key, {})[index] = value
    table = FigureTable(columns=[_title(layout.get(category_axis)), *columns])
    for key, by_trace in values.items():
        table.rows.append([key, *(_cell(by_trace.get(i)) for i in range(len(traces)))])
    return table


def init_app(app: Flask) -> None:
    app.jinja_env.globals["figure_table"] = figure_table
