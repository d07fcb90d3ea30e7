"""The metric definitions of DESIGN.md section 5.

Scalar functions take the answer distribution as a Series of counts indexed by score (what
``Series.value_counts()`` returns); table functions take the long ``counts`` frame
(:mod:`analysis.frames`) and compute every contract x month x dimension at once. Both use the
same vectorised formulas, so a figure on the dashboard and one in a test agree by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .frames import COUNT_COLUMNS, QUESTION_COLUMNS, require_columns
from .proportions import Z_95, wilson_interval
from .results import Estimate, NpsEstimate

__all__ = [
    "csat_top2box",
    "dimension_scores",
    "mean_score",
    "nps",
    "nps_scores",
    "response_rate",
    "response_rates",
]

TOP_BOX_MIN = 4
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def _mean_columns(n: np.ndarray, total: np.ndarray, sumsq: np.ndarray) -> dict[str, np.ndarray]:
    n = n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.clip((sumsq - n * mean**2) / (n - 1), 0.0, None)
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * np.sqrt(variance / n)
    half = np.where(n >= 2, half, np.nan)
    return {"mean": mean, "mean_low": mean - half, "mean_high": mean + half}


def _csat_columns(n: np.ndarray, top2: np.ndarray) -> dict[str, np.ndarray]:
    low, high = wilson_interval(top2, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        csat = np.where(n > 0, 100 * top2 / n, np.nan)
    return {"csat": csat, "csat_low": 100 * low, "csat_high": 100 * high}


def _nps_columns(n: np.ndarray, promoters: np.ndarray, detractors: np.ndarray) -> dict:
    n = n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_plus = np.where(n > 0, promoters / n, np.nan)
        p_minus = np.where(n > 0, detractors / n, np.nan)
        score = p_plus - p_minus
        se = np.sqrt(np.clip(p_plus + p_minus - score**2, 0.0, None) / n)
    return {
        "promoters": 100 * p_plus,
        "passives": 100 * (1 - p_plus - p_minus),
        "detractors": 100 * p_minus,
        "nps": 100 * score,
        "se": 100 * se,
        "nps_low": np.clip(100 * (score - Z_95 * se), -100, 100),
        "nps_high": np.clip(100 * (score + Z_95 * se), -100, 100),
    }


def _distribution(counts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    counts = counts[counts > 0]
    return counts.index.to_numpy(dtype=float), counts.to_numpy(dtype=float)


def mean_score(counts: pd.Series) -> Estimate:
    """Mean score with a 95 % t interval (needs at least two answers for the interval).

    Examples
    --------
    >>> e = mean_score(pd.Series([5, 4, 4, 3, 1]).value_counts())
    >>> round(e.value, 2), e.n
    (3.4, 5)
    """
    values, weights = _distribution(counts)
    n = np.array([weights.sum()])
    columns = _mean_columns(
        n, np.array([(values * weights).sum()]), np.array([(values**2 * weights).sum()])
    )
    return Estimate(
        float(columns["mean"][0]),
        float(columns["mean_low"][0]),
        float(columns["mean_high"][0]),
        int(n[0]),
    )


def csat_top2box(counts: pd.Series) -> Estimate:
    """CSAT: percent of 4 and 5 answers on the 1-5 scale, with a 95 % Wilson interval.

    Examples
    --------
    >>> round(csat_top2box(pd.Series([5, 4, 4, 3, 1]).value_counts()).value, 1)
    60.0
    """
    values, weights = _distribution(counts)
    n = np.array([weights.sum()])
    columns = _csat_columns(n, np.array([weights[values >= TOP_BOX_MIN].sum()]))
    return Estimate(
        float(columns["csat"][0]),
        float(columns["csat_low"][0]),
        float(columns["csat_high"][0]),
        int(n[0]),
    )


def nps(counts: pd.Series) -> NpsEstimate:
    """Net promoter score on the 0-10 scale: percent 9-10 minus percent 0-6.

    The standard error is ``sqrt((p⁺ + p⁻ − (p⁺ − p⁻)²) / n)`` (in points, times 100) and the
    interval is the score ± 1.96 standard errors, clipped to [-100, 100].

    Examples
    --------
    >>> e = nps(pd.Series([10] * 5 + [8] * 2 + [3] * 3).value_counts())
    >>> round(e.value, 1), round(e.se, 2)
    (20.0, 27.57)
    """
    values, weights = _distribution(counts)
    n = np.array([weights.sum()])
    c = _nps_columns(
        n,
        np.array([weights[values >= PROMOTER_MIN].sum()]),
        np.array([weights[values <= DETRACTOR_MAX].sum()]),
    )
    return NpsEstimate(
        value=float(c["nps"][0]),
        low=float(c["nps_low"][0]),
        high=float(c["nps_high"][0]),
        n=int(n[0]),
        se=float(c["se"][0]),
        promoters=float(c["promoters"][0]),
        passives=float(c["passives"][0]),
        detractors=float(c["detractors"][0]),
    )


def response_rate(answered: int, issued: int) -> Estimate:
    """Response rate: answers / invitations issued, in percent, with a Wilson interval.

    The one definition of the product (dashboards, portal, report, exports, API, month page):
    ``issued`` counts the month's invitations whatever the channel (e-mail, SMS or messaging
    link, QR code), ``answered`` those that were answered. Each answer belongs to one
    invitation, so the rate never exceeds 100 %; counts that say otherwise are refused. The
    e-mail funnel (sent, opened, answered) is a separate figure, not this rate. ``n`` is
    ``issued``; with none issued the value is NaN (no figure).

    Examples
    --------
    >>> response_rate(30, 120).value
    25.0
    """
    if answered < 0 or issued < 0 or answered > issued:
        raise ValueError(f"answered ({answered}) must be between 0 and issued ({issued})")
    columns = _csat_columns(np.array([float(issued)]), np.array([float(answered)]))
    return Estimate(
        float(columns["csat"][0]),
        float(columns["csat_low"][0]),
        float(columns["csat_high"][0]),
        int(issued),
    )


def response_rates(answered: Sequence[int], issued: Sequence[int]) -> list[float]:
    """:func:`response_rate` of each pair (e.g. a funnel frame's columns), in percent; NaN
    where nothing was issued."""
    return [response_rate(int(a), int(i)).value for a, i in zip(answered, issued, strict=True)]


def _with_questions(counts: pd.DataFrame, questions: pd.DataFrame, kind: str) -> pd.DataFrame:
    require_columns(counts, COUNT_COLUMNS[2:], "counts")
    require_columns(questions, QUESTION_COLUMNS, "questions")
    chosen = questions.loc[questions["kind"] == kind, list(QUESTION_COLUMNS)]
    return counts.merge(chosen, on="question_code", how="inner")


def dimension_scores(
    counts: pd.DataFrame, questions: pd.DataFrame, by: tuple[str, ...] = ("month",)
) -> pd.DataFrame:
    """Mean and CSAT per dimension (and per ``by`` columns) from the long counts frame.

    Rating questions that name a dimension are pooled per dimension. Returns one row per group
    with ``n``, ``top2``, ``mean``, ``mean_low``, ``mean_high``, ``csat``, ``csat_low`` and
    ``csat_high`` (CSAT in percent), sorted by ``by`` then dimension.
    """
    rows = _with_questions(counts, questions, "rating").dropna(subset=["dimension"])
    keys = [*by, "dimension"]
    rows = rows.assign(
        total=rows["value"] * rows["n"],
        sumsq=rows["value"] ** 2 * rows["n"],
        top2=rows["n"].where(rows["value"] >= TOP_BOX_MIN, 0),
        clause_ref=rows["clause_ref"].fillna(""),
    )
    groups = rows.groupby(keys, sort=True, observed=True)
    grouped = (  # plain sums: a named aggregation cost ~5x more on these small frames
        groups[["n", "top2", "total", "sumsq"]]
        .sum()
        .assign(clause_ref=groups["clause_ref"].first())
        .reset_index()[[*keys, "clause_ref", "n", "top2", "total", "sumsq"]]
    )
    n = grouped["n"].to_numpy(dtype=float)
    out = grouped.assign(
        **_mean_columns(n, grouped["total"].to_numpy(float), grouped["sumsq"].to_numpy(float)),
        **_csat_columns(n, grouped["top2"].to_numpy(float)),
    )
    return out.drop(columns=["total", "sumsq"]).astype({"n": "int64", "top2": "int64"})


def nps_scores(
    counts: pd.DataFrame, questions: pd.DataFrame, by: tuple[str, ...] = ("month",)
) -> pd.DataFrame:
    """NPS per ``by`` group from the long counts frame (all NPS questions pooled).

    Returns ``n``, ``promoters``, ``passives``, ``detractors`` (percent), ``nps``, ``se``,
    ``nps_low`` and ``nps_high`` (points).
    """
    rows = _with_questions(counts, questions, "nps")
    rows = rows.assign(
        promoters=rows["n"].where(rows["value"] >= PROMOTER_MIN, 0),
        detractors=rows["n"].where(rows["value"] <= DETRACTOR_MAX, 0),
    )
    grouped = (  # plain sums: a named aggregation cost ~5x more on these small frames
        rows.groupby(list(by), sort=True)[["n", "promoters", "detractors"]]
        .sum()
        .rename(columns={"promoters": "n_promoters", "detractors": "n_detractors"})
    )
    columns = _nps_columns(
        grouped["n"].to_numpy(float),
        grouped["n_promoters"].to_numpy(float),
        grouped["n_detractors"].to_numpy(float),
    )
    return grouped.assign(**columns).reset_index().astype({"n": "int64"})
