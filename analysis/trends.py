"""Monthly series per dimension and the month-over-month rule of DESIGN.md section 5.

A change of CSAT is called significant only when the two-proportion test gives p < 0.05 *and*
both months have at least 30 answers; otherwise the verdict is ``sample_too_small`` (or
``no_significant_change``). Missing months stay in the series with ``n = 0`` so a chart shows
the gap instead of joining across it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .metrics import dimension_scores
from .proportions import two_proportion_test
from .results import Estimate, MonthChange

__all__ = ["MIN_N_FOR_TEST", "dimension_trend", "month_changes", "month_over_month", "month_range"]

MIN_N_FOR_TEST = 30
ALPHA = 0.05


def month_range(last_month: str, count: int) -> list[str]:
    """The ``count`` months ending with ``last_month``, oldest first.

    Examples
    --------
    >>> month_range("2026-02", 3)
    ['2025-12', '2026-01', '2026-02']
    """
    end = pd.Period(last_month, freq="M")
    return [str(period) for period in pd.period_range(end=end, periods=count, freq="M")]


def previous_month(month: str) -> str:
    """The month before ``month`` (``'2026-01'`` -> ``'2025-12'``)."""
    return str(pd.Period(month, freq="M") - 1)


def dimension_trend(
    counts: pd.DataFrame, questions: pd.DataFrame, months: list[str]
) -> pd.DataFrame:
    """Per-dimension monthly scores over ``months``; months without answers have ``n = 0``.

    Columns as :func:`analysis.metrics.dimension_scores` with ``by=("month",)``, one row per
    dimension x month, sorted by dimension then month.
    """
    scores = dimension_scores(counts[counts["month"].isin(months)], questions, by=("month",))
    rated = questions.loc[(questions["kind"] == "rating") & questions["dimension"].notna()]
    clauses = rated.drop_duplicates("dimension").set_index("dimension")["clause_ref"].fillna("")
    grid = pd.MultiIndex.from_product([sorted(clauses.index), months], names=["dimension", "month"])
    trend = scores.set_index(["dimension", "month"]).reindex(grid).reset_index()
    return trend.assign(
        clause_ref=trend["dimension"].map(clauses),
        n=trend["n"].fillna(0).astype("int64"),
        top2=trend["top2"].fillna(0).astype("int64"),
    )


def month_over_month(
    trend: pd.DataFrame, min_n: int = MIN_N_FOR_TEST, alpha: float = ALPHA
) -> pd.DataFrame:
    """Compare each month's CSAT with the previous month of the same dimension.

    Adds ``previous_month``, ``n_before``, ``top2_before``, ``csat_before`` (with
    ``csat_low_before`` and ``csat_high_before``), ``change_points``
    (CSAT difference in percentage points), ``z``, ``p_value`` and ``verdict``:
    ``significant_drop`` / ``significant_rise`` when ``p < alpha`` and both months have
    ``n >= min_n``; ``no_significant_change`` when both are large enough but p >= alpha;
    ``sample_too_small`` otherwise. The first month of each dimension is dropped.
    """
    ordered = trend.sort_values(["dimension", "month"])
    shifted = ordered.groupby("dimension", sort=False)[
        ["month", "n", "top2", "csat", "csat_low", "csat_high"]
    ].shift(1)
    frame = ordered.assign(
        previous_month=shifted["month"],
        n_before=shifted["n"],
        top2_before=shifted["top2"],
        csat_before=shifted["csat"],
        csat_low_before=shifted["csat_low"],
        csat_high_before=shifted["csat_high"],
    ).dropna(subset=["previous_month"])
    z, p = two_proportion_test(frame["top2_before"], frame["n_before"], frame["top2"], frame["n"])
    large = (frame["n_before"] >= min_n) & (frame["n"] >= min_n)
    significant = large & (p < alpha)
    verdict = np.select(
        [significant & (z < 0), significant & (z > 0), large],
        ["significant_drop", "significant_rise", "no_significant_change"],
        default="sample_too_small",
    )
    return frame.assign(
        n_before=frame["n_before"].astype("int64"),
        top2_before=frame["top2_before"].astype("int64"),
        change_points=frame["csat"] - frame["csat_before"],
        z=z,
        p_value=p,
        verdict=verdict,
    ).reset_index(drop=True)


def month_changes(changes: pd.DataFrame, month: str) -> tuple[MonthChange, ...]:
    """The :class:`MonthChange` objects of one month from :func:`month_over_month`'s frame."""
    rows = changes[changes["month"] == month]
    return tuple(
        MonthChange(
            dimension=row.dimension,
            month=row.month,
            previous_month=row.previous_month,
            before=Estimate(
                row.csat_before, row.csat_low_before, row.csat_high_before, int(row.n_before)
            ),
            after=Estimate(row.csat, row.csat_low, row.csat_high, int(row.n)),
            change_points=float(row.change_points),
            p_value=float(row.p_value),
            verdict=str(row.verdict),
        )
        for row in rows.itertuples(index=False)
    )
