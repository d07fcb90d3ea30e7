"""Intervals and tests for proportions (CSAT, response rate, SLA compliance).

Both functions are vectorised: they take scalars or arrays and return the same shape, so a
whole contract x month x dimension table is computed in one call.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["Z_95", "two_proportion_test", "wilson_interval"]

Z_95 = float(stats.norm.ppf(0.975))


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion, as fractions in [0, 1].

    For ``x`` successes out of ``n`` with ``p = x / n`` and ``z`` the normal quantile,
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the normal (Wald)
    interval it stays inside [0, 1] and is sensible for small ``n`` and for ``p`` of 0 or 1.
    Where ``n`` is 0 both bounds are NaN.

    Examples
    --------
    >>> low, high = wilson_interval(3, 5)
    >>> round(float(low), 4), round(float(high), 4)
    (0.2307, 0.8824)
    """
    x = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / total
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    low = np.where(total > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(total > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return np.minimum(low, p), np.maximum(high, p)


def two_proportion_test(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled two-sided z test that two proportions are equal.

    ``z = (p2 - p1) / sqrt(p(1-p)(1/n1 + 1/n2))`` with the pooled ``p = (x1+x2)/(n1+n2)``;
    equivalent to R's ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)``. Returns ``(z, p)``;
    a positive ``z`` means the second proportion is higher. When both samples are all successes
    or all failures the proportions are equal (``z = 0``, ``p = 1``); an empty sample gives NaN.

    Examples
    --------
    >>> z, p = two_proportion_test(45, 50, 30, 50)
    >>> round(float(z), 4), round(float(p), 6)
    (-3.4641, 0.000532)
    """
    a, na = np.asarray(x1, dtype=float), np.asarray(n1, dtype=float)
    b, nb = np.asarray(x2, dtype=float), np.asarray(n2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (a + b) / (na + nb)
        se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        z = np.where(se > 0, (b / nb - a / na) / se, 0.0)
    valid = (na > 0) & (nb > 0)
    z = np.where(valid, z, np.nan)
    p = np.where(valid, 2 * stats.norm.sf(np.abs(z)), np.nan)
    return z, p
