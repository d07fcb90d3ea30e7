"""The contracts x dimensions heatmap of the provider's portfolio."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import SEQUENTIAL, TEMPLATE

__all__ = ["portfolio_heatmap_figure"]


def portfolio_heatmap_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    contract_names: Mapping[int, str],
    metric: str = "csat",
    title: str = "各合同各维度满意度（CSAT %）",
    template: go.layout.Template = TEMPLATE,
) -> go.Figure:
    """One cell per contract and dimension coloured by ``metric`` (red low, green high).

    ``scores`` is :func:`analysis.monthly.portfolio_scores`' frame (suppress small groups
    first for client-facing use: a blank cell then stays blank).
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
    figure.update_layout(template=template, title=title)
    return figure
