"""Tests of an action item's effect: did the metric really change from one month to the next?

An item's effect compares the metric that raised it (the month it was proposed) with the same
metric in the next closed month. A change counts only on evidence:

``means``   Welch's t-test and its interval (unequal variances, Welch–Satterthwaite degrees of
            freedom), from each month's mean, standard deviation and n.
``shares``  (CSAT, SLA compliance, response rate, a theme's share of comments) the pooled
            two-proportion z-test, or Fisher's exact test when an expected cell count is below
            :data:`MIN_EXPECTED`; the interval of the difference is Newcombe's hybrid score
            interval (from the two Wilson intervals).

The verdict (:func:`judge`) is ``improved`` or ``worse`` only when ``p <`` :data:`ALPHA` in that
direction; a target crossed without it is ``target_met`` ("target met, change not
significant"); anything else is ``unchanged`` ("no clear change"). Figures are kept at full
precision; rounding is for whoever prints them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from scipy import stats

from .proportions import two_proportion_test, wilson_interval

__all__ = [
    "ALPHA",
    "MIN_EXPECTED",
    "ChangeTest",
    "judge",
    "newcombe_interval",
    "proportion_change",
    "sd_from_interval",
    "welch_change",
]

ALPHA = 0.05
CONFIDENCE = 0.95
MIN_EXPECTED = 5

IMPROVED, WORSE, TARGET_MET, UNCHANGED = "improved", "worse", "target_met", "unchanged"


@dataclass(frozen=True)
class ChangeTest:
    """The change ``after - before`` with its 95 % interval, p-value and the test used.

    ``change``, ``low`` and ``high`` are in the metric's own units (score points for means,
    percentage points for shares). ``test`` is ``welch_t``, ``two_proportion_z`` or
    ``fisher_exact``.
    """

    change: float
    low: float
    high: float
    p_value: float
    test: str

    def as_dict(self) -> dict[str, float | str]:
        return asdict(self)


def sd_from_interval(low: float, high: float, n: int, confidence: float = CONFIDENCE) -> float:
    """The standard deviation behind a mean's t interval ``mean ± t(n-1) · sd / sqrt(n)``.

    Examples
    --------
    >>> round(sd_from_interval(3.0 - 0.4129, 3.0 + 0.4129, 25), 3)
    1.0
    """
    t = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    return (high - low) / 2 * math.sqrt(n) / t


def welch_change(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    confidence: float = CONFIDENCE,
) -> ChangeTest:
    """Welch's two-sample t-test of ``mean2 - mean1`` from summary statistics.

    ``se = sqrt(sd1²/n1 + sd2²/n2)``, degrees of freedom by Welch–Satterthwaite; the same
    p-value as ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)``.

    Examples
    --------
    >>> r = welch_change(3.82, 0.9, 39, 3.96, 1.1, 28)
    >>> round(r.change, 2), round(r.p_value, 2)
    (0.14, 0.58)
    """
    v1, v2 = sd1**2 / n1, sd2**2 / n2
    se = math.sqrt(v1 + v2)
    change = mean2 - mean1
    if se == 0:
        return ChangeTest(change, change, change, 1.0 if change == 0 else 0.0, "welch_t")
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    t = change / se
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    p = float(2 * stats.t.sf(abs(t), df))
    return ChangeTest(change, change - half, change + half, p, "welch_t")


def newcombe_interval(
    x1: int, n1: int, x2: int, n2: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``x2/n2 - x1/n1`` (fractions).

    Built from the two Wilson intervals ``(l1, u1)`` and ``(l2, u2)``:
    ``d - sqrt((p2-l2)² + (u1-p1)²)`` to ``d + sqrt((u2-p2)² + (p1-l1)²)`` (Newcombe 1998,
    method 10; statsmodels' ``confint_proportions_2indep(method="newcomb")``).

    Examples
    --------
    >>> low, high = newcombe_interval(56, 70, 48, 80)
    >>> round(low, 4), round(high, 4)
    (-0.3339, -0.0524)
    """
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = (float(v) for v in wilson_interval(x1, n1, confidence))
    l2, u2 = (float(v) for v in wilson_interval(x2, n2, confidence))
    d = p2 - p1
    return d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt(
        (u2 - p2) ** 2 + (p1 - l1) ** 2
    )


def proportion_change(x1: int, n1: int, x2: int, n2: int) -> ChangeTest:
    """Test of ``x2/n2 - x1/n1``, in percentage points, with Newcombe's interval.

    Fisher's exact test (two-sided) when an expected count of the 2 x 2 table is below
    :data:`MIN_EXPECTED`, else the pooled two-proportion z-test.

    Examples
    --------
    >>> r = proportion_change(4, 8, 2, 10)  # a theme in 50 % of 8 comments, then 20 % of 10
    >>> r.test, round(r.change, 1), round(r.p_value, 2)
    ('fisher_exact', -30.0, 0.32)
    """
    change = 100 * (x2 / n2 - x1 / n1)
    low, high = newcombe_interval(x1, n1, x2, n2)
    total, hits = n1 + n2, x1 + x2
    expected = min(n * k / total for n in (n1, n2) for k in (hits, total - hits))
    if expected < MIN_EXPECTED:
        _, p = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])
        test = "fisher_exact"
    else:
        _, p = two_proportion_test(x1, n1, x2, n2)
        test = "two_proportion_z"
    return ChangeTest(change, 100 * low, 100 * high, float(p), test)


def judge(
    result: ChangeTest,
    *,
    higher_is_better: bool = True,
    met_before: bool = False,
    meets: bool = False,
) -> tuple[str, str]:
    """The verdict and its reason from a change test and the target, if the metric has one.

    ``improved`` / ``worse`` (reason ``significant``) need ``p < ALPHA`` in that direction;
    a target met now but not before, without it, is ``target_met`` (reason
    ``not_significant``); otherwise ``unchanged`` (reason ``no_clear_change``).

    Examples
    --------
    >>> judge(ChangeTest(0.14, -0.37, 0.65, 0.58, "welch_t"), meets=True)
    ('target_met', 'not_significant')
    >>> judge(ChangeTest(-30.0, -61.0, 17.0, 0.32, "fisher_exact"), higher_is_better=False)
    ('unchanged', 'no_clear_change')
    """
    better = result.change > 0 if higher_is_better else result.change < 0
    if result.p_value < ALPHA and result.change != 0:
        return (IMPROVED if better else WORSE), "significant"
    if meets and not met_before:
        return TARGET_MET, "not_significant"
    return UNCHANGED, "no_clear_change"
