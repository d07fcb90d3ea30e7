"""Figure wording and layout: every printed text comes from the labels, and titles and legends
never share the same space."""

import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.action_texts import LABELS_EN, LABELS_ZH
from analysis.figures import monthly_figures, portfolio_heatmap_figure
from analysis.monthly import analyse_month

from . import demo

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def analysis():
    inputs = demo.inputs_from_rows(demo.answer_rows(), demo.ticket_rows())
    return analyse_month(inputs, now=datetime(2026, 11, 20, tzinfo=UTC))


def printed_texts(figure) -> list[str]:
    layout = figure.layout
    texts = [layout.title.text, layout.title.subtitle.text]
    for axis in ("xaxis", "yaxis", "yaxis2"):
        if axis in layout and layout[axis].title.text:
            texts.append(layout[axis].title.text)
    for trace in figure.data:
        texts += [trace.name, getattr(trace, "hovertemplate", None)]
        for attribute in ("y", "x", "text", "customdata"):
            values = getattr(trace, attribute, None)
            if values is not None and len(values) and isinstance(values[0], str):
                texts += list(values)
    return [text for text in texts if isinstance(text, str)]


def heatmap(labels):
    scores = pd.DataFrame(
        {"contract_id": [1, 2], "dimension": ["courtesy"] * 2, "csat": [90.0, 40.0], "n": [40, 9]}
    )
    return portfolio_heatmap_figure(scores, labels, {1: "HT-1", 2: "HT-2"})


def test_english_labels_give_figures_without_chinese_text(analysis):
    figures = monthly_figures(analysis, LABELS_EN) | {"heatmap": heatmap(LABELS_EN)}
    clauses = set(analysis.scores["clause_ref"])
    for name, figure in figures.items():
        for text in printed_texts(figure):
            for clause in clauses:  # clause references are cited as written in the contract
                text = text.replace(clause, "")
            assert not HAN.search(text), (name, text)


def test_chinese_labels_title_every_figure_in_chinese(analysis):
    figures = monthly_figures(analysis, LABELS_ZH) | {"heatmap": heatmap(LABELS_ZH)}
    for name, figure in figures.items():
        assert HAN.search(figure.layout.title.text), name


def test_nps_title_carries_the_score_and_the_subtitle_its_interval(analysis):
    figure = monthly_figures(analysis, LABELS_EN)["nps"]
    assert figure.layout.title.text == "NPS composition: 30"
    assert figure.layout.title.subtitle.text.endswith("n=40")


def test_legend_sits_at_the_bottom_edge_and_title_at_the_top(analysis):
    for name, figure in monthly_figures(analysis, LABELS_ZH).items():
        template = figure.layout.template.layout
        legend = figure.layout.legend.to_plotly_json() | template.legend.to_plotly_json()
        assert (legend["yref"], legend["yanchor"], legend["y"]) == ("container", "bottom", 0), name
        assert figure.layout.title.y is None or figure.layout.title.y > 0.5, name


def test_sla_breaches_axis_counts_whole_tickets(analysis):
    figure = monthly_figures(analysis, LABELS_ZH)["sla"]
    assert figure.layout.yaxis2.tickformat == "d" and figure.layout.yaxis2.dtick >= 1
