import json
from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.action_texts import LABELS_EN, LABELS_ZH
from analysis.figures import (
    TEMPLATE,
    drivers_quadrant_figure,
    figure_json,
    monthly_figure_specs,
    monthly_figures,
    portfolio_heatmap_figure,
)
from analysis.monthly import analyse_month

from . import demo


def analysis():
    inputs = demo.inputs_from_rows(demo.answer_rows(), demo.ticket_rows())
    return analyse_month(inputs, now=datetime(2026, 11, 20, tzinfo=UTC))


def test_every_monthly_figure_uses_the_one_template_and_serialises():
    figures = monthly_figures(analysis(), LABELS_ZH)
    assert set(figures) == {"trend", "scores", "nps", "funnel", "drivers", "sla"}
    for figure in figures.values():
        assert figure.layout.template.layout.font.family == TEMPLATE.layout.font.family
        assert figure.to_json()


def test_score_bars_carry_chinese_labels_with_clause_and_target():
    figure = monthly_figures(analysis(), LABELS_ZH)["scores"]
    *bars, target = figure.data
    assert all("咨询响应 一(1)" in b.y for b in bars)
    assert set(target.x) == {4.0}


def test_each_legend_entry_names_one_colour_of_marks():
    """A bar's colour is its trace's (no per-bar colours that the legend cannot explain)."""
    for name, figure in monthly_figures(analysis(), LABELS_ZH).items():
        for t in figure.data:
            if t.type == "bar" and name != "funnel":
                assert isinstance(t.marker.color, str), (name, t.name, t.marker.color)
    scores = monthly_figures(analysis(), LABELS_ZH)["scores"]
    names = [t.name for t in scores.data]
    assert len(names) == len(set(names))


def test_no_figure_lines_counts_up_against_percentages_on_a_second_axis():
    for name, figure in monthly_figures(analysis(), LABELS_ZH).items():
        for axis in ("yaxis2", "yaxis3"):
            assert not getattr(figure.layout, axis, None) or not figure.layout[axis].overlaying, (
                name
            )
    sla = monthly_figures(analysis(), LABELS_ZH)["sla"]
    top, bottom = sla.layout.yaxis.domain, sla.layout.yaxis2.domain
    assert bottom[1] < top[0]  # breaches in a panel of their own, below the percentages


def test_the_palette_keeps_seven_lines_apart_under_red_green_colour_blindness():
    """Seven series colours, each pair apart after a deuteranopia simulation (Machado et al.
    2009, severity 1) by more than a just-noticeable difference in RGB."""
    from analysis.figures.theme import SERIES

    matrix = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
              [-0.011820, 0.042940, 0.968881]]  # fmt: skip

    def seen(color: str) -> list[float]:
        rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        return [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix]

    assert len(set(SERIES)) >= 7
    for i, a in enumerate(SERIES[:7]):
        for b in SERIES[i + 1 : 7]:
            distance = sum((x - y) ** 2 for x, y in zip(seen(a), seen(b), strict=True)) ** 0.5
            assert distance > 0.1, (a, b, distance)


def test_trend_has_a_line_and_a_target_line_per_dimension():
    figure = monthly_figures(analysis(), LABELS_ZH)["trend"]
    assert len(figure.data) == 2 * 7
    assert list(figure.data[0].x) == ["2026-09", "2026-10", "2026-11"]


def test_client_facing_trend_blanks_small_groups():
    result = analysis()
    small = result.trend.assign(n=result.trend["n"].where(result.trend["month"] != "2026-09", 3))
    figures = monthly_figures(type(result)(**{**result.__dict__, "trend": small}), LABELS_ZH)
    assert pd.isna(figures["trend"].data[0].y[0])


def test_funnel_and_nps_show_the_months_figures():
    figures = monthly_figures(analysis(), LABELS_ZH)
    assert list(figures["funnel"].data[0].x) == [100, 60, 40]
    assert [bar.x[0] for bar in figures["nps"].data] == [20.0, 30.0, 50.0]


def test_heatmap_has_a_cell_per_contract_and_dimension():
    scores = pd.DataFrame(
        {
            "contract_id": [1, 1, 2],
            "dimension": ["courtesy", "overall", "courtesy"],
            "csat": [90.0, 60.0, 40.0],
            "n": [40, 40, 12],
        }
    )
    figure = portfolio_heatmap_figure(scores, LABELS_ZH, {1: "HT-1", 2: "HT-2"})
    assert [list(row) for row in figure.data[0].z] == [[90.0, 60.0], [40.0, None]]
    assert list(figure.data[0].y) == ["HT-1", "HT-2"]


DRIVERS = pd.DataFrame(
    {
        "dimension": ["courtesy", "resolution", "speed", "knowledge"],
        "importance": [0.92, 0.55, 0.40, 0.71],
        "gap": [0.80, 0.10, -0.30, 0.45],
        "quadrant": ["improve_first", "improve_next", "maintain", "improve_first"],
    }
)


def test_the_label_of_the_most_important_and_furthest_below_target_point_is_not_clipped():
    """The point at the top right corner: its label goes above it, so the y axis must reach
    well past it, and must not run past the right edge, so it leans left."""
    figure = drivers_quadrant_figure(DRIVERS, LABELS_EN)
    positions = dict(zip(DRIVERS["dimension"], figure.data[0].textposition, strict=True))
    y_low, y_high = figure.layout.yaxis.range
    x_low, x_high = figure.layout.xaxis.range
    assert y_high - 0.80 >= 0.2 * (0.80 - (-0.30))
    assert positions["courtesy"] == "top left" and x_high > 0.92
    assert positions["speed"] == "top right" and x_low < 0.40 and y_low < -0.30
    assert positions["knowledge"] == "top center"


@pytest.mark.parametrize("rows", [0, 1])
def test_drivers_axes_stay_readable_with_no_point_or_one(rows):
    figure = drivers_quadrant_figure(DRIVERS.head(rows), LABELS_EN)
    if rows:
        y_low, y_high = figure.layout.yaxis.range
        assert y_low < 0 < 0.80 < y_high and figure.data[0].textposition == ("top center",)
    else:
        assert figure.layout.yaxis.range is None


# The demo's contract 1 in October 2026: courtesy and confidentiality sit close together.
DEMO_DRIVERS = pd.DataFrame(
    {
        "dimension": [
            "complaint_handling", "confidentiality", "courtesy",
            "professional_knowledge", "problem_solving", "responsiveness",
        ],
        "importance": [0.549, 0.521, 0.494, 0.401, 0.360, 0.328],
        "gap": [0.011, -0.411, -0.389, -0.200, -0.044, -0.256],
        "quadrant": ["improve_first", "keep_up", "keep_up", "maintain", "maintain", "maintain"],
    }
)  # fmt: skip


@pytest.mark.parametrize("labels", [LABELS_ZH, LABELS_EN])
def test_labels_of_points_close_together_go_to_different_sides_of_their_points(labels):
    figure = drivers_quadrant_figure(DEMO_DRIVERS, labels)
    positions = dict(zip(figure.data[0].text, figure.data[0].textposition, strict=True))
    assert positions[labels["courtesy"]] != positions[labels["confidentiality"]]


def test_labels_of_points_far_apart_keep_their_place_above_the_point():
    figure = drivers_quadrant_figure(DRIVERS, LABELS_EN)
    assert figure.data[0].textposition == ("top left", "top right", "top right", "top center")


@pytest.mark.parametrize(
    ("labels", "merged"),
    [
        (LABELS_ZH, "保密与信任、服务态度与举止"),
        (LABELS_EN, "Confidentiality and trust,<br>Courtesy and conduct"),
    ],
)
def test_dimensions_at_the_same_place_share_one_point_and_one_label(labels, merged):
    """Two labels at one place can only print over each other: one label names both in rank
    order, in the language's list style, broken into lines when long."""
    same = DEMO_DRIVERS.assign(
        importance=DEMO_DRIVERS["importance"].replace(0.494, 0.521),
        gap=DEMO_DRIVERS["gap"].replace(-0.389, -0.411),
    )
    point = drivers_quadrant_figure(same, labels).data[0]
    assert len(point.x) == len(point.text) == len(point.textposition) == 5
    assert merged in point.text
    assert labels["courtesy"] not in point.text


@pytest.mark.parametrize("client_facing", [True, False])
def test_the_dashboards_plain_figure_data_gives_the_json_of_the_validated_figures(client_facing):
    """The dashboard sends :func:`figure_json` of the plain builders (no plotly validation per
    request); it must be exactly what the validated figures (the PDF's) serialise to."""
    result = analysis()
    specs = monthly_figure_specs(result, LABELS_EN, client_facing=client_facing)
    figures = monthly_figures(result, LABELS_EN, client_facing=client_facing)
    scores = result.scores.assign(contract_id=1, month=result.month)
    specs["heatmap"] = portfolio_heatmap_figure.spec(scores, LABELS_EN, {1: "HT-1"})
    figures["heatmap"] = portfolio_heatmap_figure(scores, LABELS_EN, {1: "HT-1"})
    assert set(specs) == set(figures)
    for name, spec in specs.items():
        assert json.loads(figure_json(spec)) == json.loads(figures[name].to_json()), name
