"""Key drivers: what to improve first (importance-performance, DESIGN.md section 5).

*Importance* of a dimension is the Pearson correlation between its rating and the overall
satisfaction rating on the same response, computed from the joint counts of the two ratings
(the ``pairs`` frame, see :mod:`analysis.frames`), so no answer row has to be loaded.
*Performance* is the gap to the contract target: ``target_mean - mean`` (positive when the
dimension is below target). A dimension is of high importance when its correlation is at
least the median over the dimensions; the quadrants are

``improve_first``  high importance, below target
``improve_next``   low importance, below target
``keep_up``        high importance, on or above target
``maintain``       low importance, on or above target

and the ranking orders by quadrant, then by ``importance x gap``, then by importance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import PAIR_COLUMNS, QUESTION_COLUMNS, TARGET_COLUMNS, require_columns

__all__ = ["QUADRANTS", "dimension_importance", "key_drivers"]

QUADRANTS = ("improve_first", "improve_next", "keep_up", "maintain")


def dimension_importance(pairs: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Correlation of each dimension's rating with the overall rating, from joint counts.

    ``pairs`` holds, per question and pair of values, how many responses gave that dimension
    rating ``value`` and overall rating ``target_value``. Returns ``dimension, n, importance``;
    the correlation is NaN when either rating does not vary.

    Examples
    --------
    >>> pairs = pd.DataFrame({"month": "2026-01", "question_code": "A",
    ...                       "value": [1, 2, 3], "target_value": [2, 4, 6], "n": 1})
    >>> q = pd.DataFrame({"question_code": ["A"], "kind": ["rating"], "dimension": ["d"],
    ...                   "clause_ref": ["x"]})
    >>> float(dimension_importance(pairs, q)["importance"].iloc[0])
    1.0
    """
    require_columns(pairs, PAIR_COLUMNS[1:], "pairs")
    require_columns(questions, QUESTION_COLUMNS, "questions")
    rows = pairs.merge(questions[["question_code", "dimension"]], on="question_code")
    x, y, w = (rows[c].astype(float) for c in ("value", "target_value", "n"))
    sums = (
        rows.assign(w=w, wx=w * x, wy=w * y, wxx=w * x * x, wyy=w * y * y, wxy=w * x * y)
        .groupby("dimension")[["w", "wx", "wy", "wxx", "wyy", "wxy"]]
        .sum()
    )
    n = sums["w"]
    cov = sums["wxy"] - sums["wx"] * sums["wy"] / n
    var_x = sums["wxx"] - sums["wx"] ** 2 / n
    var_y = sums["wyy"] - sums["wy"] ** 2 / n
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = np.sqrt(var_x * var_y)
        r = np.where(denominator > 1e-12, cov / denominator, np.nan)
    return pd.DataFrame(
        {
            "dimension": sums.index,
            "n": n.astype("int64").to_numpy(),
            "importance": np.clip(r, -1, 1),
        }
    ).reset_index(drop=True)


def key_drivers(
    importance: pd.DataFrame, scores: pd.DataFrame, targets: pd.DataFrame
) -> pd.DataFrame:
    """Rank dimensions by importance and gap to target.

    ``importance`` is :func:`dimension_importance`'s frame; ``scores`` one month of
    :func:`analysis.metrics.dimension_scores` (``dimension, clause_ref, n, mean, csat``);
    ``targets`` the contract's ``dimension, clause_ref, target_mean, target_csat``. Returns one
    row per scored dimension (the overall rating itself has no importance row and is left out)
    with ``importance, mean, target_mean, gap, csat, target_csat, csat_gap, priority_score,
    quadrant, rank`` (1 = improve first).
    """
    require_columns(targets, TARGET_COLUMNS, "targets")
    frame = (
        importance.rename(columns={"n": "n_pairs"})
        .merge(scores[["dimension", "clause_ref", "n", "mean", "csat"]], on="dimension")
        .merge(targets[["dimension", "target_mean", "target_csat"]], on="dimension", how="left")
    )
    gap = frame["target_mean"].astype(float) - frame["mean"]
    weight = frame["importance"].fillna(0).clip(lower=0)
    high = frame["importance"].fillna(-np.inf) >= frame["importance"].median()
    below = gap > 0
    quadrant = np.select(
        [high & below, below, high], ["improve_first", "improve_next", "keep_up"], "maintain"
    )
    frame = frame.assign(
        gap=gap,
        csat_gap=frame["target_csat"].astype(float) - frame["csat"],
        priority_score=weight * gap.clip(lower=0).fillna(0),
        quadrant=pd.Categorical(quadrant, categories=list(QUADRANTS), ordered=True),
    )
    frame = frame.sort_values(
        ["quadrant", "priority_score", "importance"], ascending=[True, False, False]
    ).reset_index(drop=True)
    return frame.assign(rank=np.arange(1, len(frame) + 1), quadrant=frame["quadrant"].astype(str))
