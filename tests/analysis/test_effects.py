"""analysis.effects against independent references (SciPy and statsmodels, computed here)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from analysis.effects import (
    judge,
    newcombe_interval,
    proportion_change,
    sd_from_interval,
    welch_change,
)
from analysis.metrics import mean_score


def test_welch_matches_scipy_and_statsmodels_from_raw_ratings():
    rng = np.random.default_rng(7)
    a = rng.integers(1, 6, 39)
    b = np.clip(rng.integers(1, 6, 28) + 1, 1, 5)
    result = welch_change(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b))
    assert result.p_value == pytest.approx(stats.ttest_ind(b, a, equal_var=False).pvalue)
    low, high = CompareMeans(DescrStatsW(b), DescrStatsW(a)).tconfint_diff(usevar="unequal")
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))


def test_the_standard_deviation_comes_back_from_a_mean_interval():
    ratings = np.array([5, 4, 4, 3, 1, 2, 5, 5, 3, 4])
    estimate = mean_score(pd.Series(ratings).value_counts())
    assert sd_from_interval(estimate.low, estimate.high, estimate.n) == pytest.approx(
        ratings.std(ddof=1)
    )


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(36, 80, 58, 90), (4, 8, 2, 10), (0, 12, 5, 9)])
def test_newcombe_matches_statsmodels(x1, n1, x2, n2):
    low, high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
    assert newcombe_interval(x1, n1, x2, n2) == (pytest.approx(low), pytest.approx(high))


def test_small_counts_use_fisher_and_large_ones_the_z_test():
    small = proportion_change(4, 8, 2, 10)
    assert small.test == "fisher_exact"
    assert small.p_value == pytest.approx(stats.fisher_exact([[4, 4], [2, 8]]).pvalue)
    large = proportion_change(36, 80, 58, 90)
    assert large.test == "two_proportion_z"
    assert large.p_value == pytest.approx(proportions_ztest([58, 36], [90, 80])[1])


def test_the_issues_noise_cases_are_not_improved():
    sla = proportion_change(42, 43, 40, 40)  # 97.7 % -> 100 %
    assert judge(sla, meets=True) == ("target_met", "not_significant")
    theme = proportion_change(4, 8, 2, 10)
    assert judge(theme, higher_is_better=False) == ("unchanged", "no_clear_change")
