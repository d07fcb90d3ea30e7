"""The contracts x dimensions heatmap of the provider's portfolio."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .theme import SEQUENTIAL, TEMPLATE, as_figure, label, spec, trace

__all__ = ["portfolio_heatmap_figure"]


@as_figure
def portfolio_heatmap_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    contract_names: Mapping[int, str],
    metric: str = "csat",
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
) -> dict:
    """One cell per contract and dimension coloured by ``metric`` (red low, green high).

    ``scores`` is :func:`analysis.monthly.portfolio_scores`' frame (suppress small groups
    first for client-facing use: a blank cell then stays blank). The title defaults to
    ``labels["title.heatmap"]`` (``title.heatmap_mean`` for the mean).
    """
    cells = scores.groupby(["contract_id", "dimension"])[[metric, "n"]].first()  # one row each
    grid = cells[metric].unstack("dimension").sort_index().sort_index(axis=1)
    counts = cells["n"].unstack("dimension").reindex(index=grid.index, columns=grid.columns)
    bounds = {"zmin": 0, "zmax": 100} if metric == "csat" else {"zmin": 1, "zmax": 5}
    cells = trace(
        "heatmap",
        z=_cells(grid),
        x=[labels.get(d, d) for d in grid.columns],
        y=[contract_names.get(c, str(c)) for c in grid.index],
        colorscale=SEQUENTIAL,
        customdata=_cells(counts),
        texttemplate="%{z:.0f}",
        **bounds,
        hovertemplate="%{y} · %{x}: %{z:.1f} (n=%{customdata})<extra></extra>",
    )
    if title is None:
        title = label(labels, "title.heatmap" if metric == "csat" else "title.heatmap_mean")
    return spec([cells], template, title={"text": title})


def _cells(grid: pd.DataFrame) -> list[list[float | None]]:
    """Rows of cells as lists, a blank (NaN) cell as None: the same JSON whether plotly
    validates the figure or not (a validated array would be sent as a typed array)."""
    return [[None if v != v else v for v in row] for row in grid.astype("float64").values.tolist()]
