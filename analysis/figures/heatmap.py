"""The contracts x dimensions heatmap of the provider's portfolio."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import SEQUENTIAL, TEMPLATE, label

__all__ = ["portfolio_heatmap_figure"]


def portfolio_heatmap_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    contract_names: Mapping[int, str],
    metric: str = "csat",
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """One cell per contract and dimension coloured by ``metric`` (red low, green high).

    ``scores`` is :func:`analysis.monthly.portfolio_scores`' frame (suppress small groups
    first for client-facing use: a blank cell then stays blank). The title defaults to
    ``labels["title.heatmap"]`` (``title.heatmap_mean`` for the mean).
    """
    grid = scores.pivot_table(index="contract_id", columns="dimension", values=metric, dropna=False)
    counts = scores.pivot_table(index="contract_id", columns="dimension", values="n", dropna=False)
    counts = counts.reindex(index=grid.index, columns=grid.columns)
    bounds = {"zmin": 0, "zmax": 100} if metric == "csat" else {"zmin": 1, "zmax": 5}
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[labels.get(d, d) for d in grid.columns],
            y=[contract_names.get(c, str(c)) for c in grid.index],
            colorscale=SEQUENTIAL,
            customdata=counts.to_numpy(),
            texttemplate="%{z:.0f}",
            **bounds,
            hovertemplate="%{y} · %{x}: %{z:.1f} (n=%{customdata})<extra></extra>",
        )
    )
    if title is None:
        title = label(labels, "title.heatmap" if metric == "csat" else "title.heatmap_mean")
    figure.update_layout(template=template, title=title)
    return figure
