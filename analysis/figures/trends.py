"""Trend figures: the dimensions' monthly scores with their targets."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import TEMPLATE, as_figure, dimension_colors, label, spec, trace, values

__all__ = ["dimension_trend_figure"]


@as_figure
def dimension_trend_figure(
    trend: pd.DataFrame,
    targets: pd.DataFrame,
    labels: Mapping[str, str],
    metric: str = "csat",
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """One line per dimension over the months (gaps where a month has no data or is
    suppressed), and a dashed target line per dimension in the same colour.

    ``metric`` is ``csat`` (targets ``target_csat``) or ``mean`` (``target_mean``); the title
    defaults to ``labels["title.trend"]`` (``title.trend_mean`` for the mean).
    """
    colors = dimension_colors(list(trend["dimension"].unique()))
    target_column = f"target_{metric}"
    targets_by_dimension = targets.set_index("dimension")[target_column].astype(float)
    traces = []
    for dimension, rows in trend.groupby("dimension", sort=True):
        name = labels.get(dimension, dimension)
        traces.append(
            trace(
                "scatter",
                x=values(rows["month"]),
                y=values(rows[metric]),
                mode="lines+markers",
                name=name,
                line={"color": colors[dimension]},
                connectgaps=False,
                customdata=values(rows["n"]),
                hovertemplate=f"{name} %{{x}}: %{{y:.1f}} (n=%{{customdata}})<extra></extra>",
            )
        )
        if dimension in targets_by_dimension.index:
            traces.append(
                trace(
                    "scatter",
                    x=values(rows["month"]),
                    y=[targets_by_dimension[dimension]] * len(rows),
                    mode="lines",
                    name=f"{name} {label(labels, 'target')}",
                    showlegend=False,
                    hoverinfo="skip",
                    line={"color": colors[dimension], "dash": "dash", "width": 1},
                )
            )
    axis = {"range": [0, 100]} if metric == "csat" else {"range": [1, 5]}
    if title is None:
        title = label(labels, "title.trend" if metric == "csat" else "title.trend_mean")
    return spec(
        traces,
        template,
        title={"text": title},
        yaxis=axis,
        xaxis={"type": "category"},
        hovermode="x unified",
    )
