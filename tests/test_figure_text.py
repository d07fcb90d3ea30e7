"""The table printed under each chart holds the chart's own figures."""

import json

import plotly.graph_objects as go
import plotly.io.json

from surveyapp.presenting.figure_text import figure_table


def _json(figure) -> str:
    return plotly.io.json.to_json_plotly(figure)


def test_lines_give_one_row_per_month_and_one_column_per_line():
    figure = go.Figure(
        [
            go.Scatter(x=["2026-09", "2026-10"], y=[4.1, 4.25], name="响应速度", mode="lines"),
            go.Scatter(x=["2026-10"], y=[3.9], name="Courtesy", mode="lines"),
        ],
        layout={"xaxis": {"title": {"text": "Month"}}},
    )
    table = figure_table(_json(figure))
    assert table.columns == ["Month", "响应速度", "Courtesy"]
    assert table.rows == [["2026-09", "4.1", "–"], ["2026-10", "4.25", "3.9"]]


def test_horizontal_bars_read_from_typed_arrays():
    import numpy as np

    figure = go.Figure(go.Bar(x=np.array([80.0, 72.5]), y=["A", "B"], orientation="h", name="CSAT"))
    text = _json(figure)
    assert "bdata" in text  # plotly encodes numpy arrays as base64
    table = figure_table(text)
    assert table.rows == [["A", "80"], ["B", "72.5"]]


def test_a_heatmap_gives_its_grid():
    figure = go.Figure(go.Heatmap(x=["d1", "d2"], y=["HX-1"], z=[[81.0, None]]))
    table = figure_table(json.loads(_json(figure)))
    assert table.columns[1:] == ["d1", "d2"]
    assert table.rows == [["HX-1", "81", "–"]]
