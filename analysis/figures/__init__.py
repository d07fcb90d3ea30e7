"""Plotly figure builders: the same objects serve the dashboard (interactive, ``to_json``) and
the monthly PDF (static export). Every builder takes its labels and the template explicitly."""

from __future__ import annotations

import math
from collections.abc import Mapping

import plotly.graph_objects as go

from ..monthly import MonthlyAnalysis
from ..privacy import MIN_GROUP_SIZE
from ..results import NpsEstimate
from .drivers import drivers_quadrant_figure
from .heatmap import portfolio_heatmap_figure
from .scores import nps_composition_figure, response_funnel_figure, score_vs_target_figure
from .sla import sla_trend_figure
from .theme import TEMPLATE, figure_json
from .trends import dimension_trend_figure

__all__ = [
    "TEMPLATE",
    "dimension_trend_figure",
    "drivers_quadrant_figure",
    "figure_json",
    "monthly_figure_specs",
    "monthly_figures",
    "nps_composition_figure",
    "portfolio_heatmap_figure",
    "response_funnel_figure",
    "score_vs_target_figure",
    "sla_trend_figure",
]


def monthly_figure_specs(
    analysis: MonthlyAnalysis,
    labels: Mapping[str, str],
    client_facing: bool = True,
    template: go.layout.Template = TEMPLATE,
) -> dict[str, dict]:
    """Every figure of a contract's month, by name, as plain figure data (see
    :func:`monthly_figures`; :func:`figure_json` turns one into the JSON plotly.js draws).

    With ``client_facing`` the scores and trend shown are the suppressed ones (groups of fewer
    than 5 answers blanked).
    """
    scores = analysis.client_scores() if client_facing else analysis.scores
    trend = analysis.client_trend() if client_facing else analysis.trend
    nps = analysis.nps
    if client_facing and nps.n < MIN_GROUP_SIZE:  # no breakdown of < 5 answers for a client
        nps = NpsEstimate(math.nan, math.nan, math.nan, 0)
    return {
        "trend": dimension_trend_figure.spec(trend, analysis.targets, labels, template=template),
        "scores": score_vs_target_figure.spec(scores, labels, template=template),
        "nps": nps_composition_figure.spec(nps, labels, template=template),
        "funnel": response_funnel_figure.spec(analysis.funnel, labels, template=template),
        "drivers": drivers_quadrant_figure.spec(analysis.drivers, labels, template=template),
        "sla": sla_trend_figure.spec(analysis.sla.table, labels, template=template),
    }


def monthly_figures(
    analysis: MonthlyAnalysis,
    labels: Mapping[str, str],
    client_facing: bool = True,
    template: go.layout.Template = TEMPLATE,
) -> dict[str, go.Figure]:
    """Every figure of a contract's month, by name, as plotly figures (the PDF's charts).

    With ``client_facing`` the scores and trend shown are the suppressed ones (groups of fewer
    than 5 answers blanked).
    """
    specs = monthly_figure_specs(analysis, labels, client_facing, template)
    return {name: go.Figure(figure) for name, figure in specs.items()}
