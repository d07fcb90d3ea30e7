import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.proportions import two_proportion_test, wilson_interval

from . import reference


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (3, 5, reference.WILSON_3_OF_5),
        (0, 5, reference.WILSON_0_OF_5),
        (16, 40, reference.WILSON_16_OF_40),
    ],
)
def test_wilson_interval_matches_prop_test(x, n, expected):
    low, high = wilson_interval(x, n)
    assert (float(low), float(high)) == pytest.approx(expected, abs=1e-6)


def test_wilson_interval_of_empty_sample_is_nan():
    low, high = wilson_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_wilson_interval_is_vectorised():
    low, high = wilson_interval(np.array([3, 16]), np.array([5, 40]))
    assert low == pytest.approx(
        [reference.WILSON_3_OF_5[0], reference.WILSON_16_OF_40[0]], abs=1e-6
    )


def test_two_proportion_test_matches_prop_test():
    z, p = two_proportion_test(45, 50, 30, 50)
    assert (float(z), float(p)) == pytest.approx(reference.TWO_PROPORTION_45_50_VS_30_50, abs=1e-6)


def test_two_proportion_test_of_identical_unanimous_samples_finds_no_difference():
    z, p = two_proportion_test(30, 30, 40, 40)
    assert float(z) == 0 and float(p) == 1


def test_two_proportion_test_with_an_empty_sample_is_nan():
    z, p = two_proportion_test(0, 0, 3, 5)
    assert math.isnan(z) and math.isnan(p)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_share_and_stays_in_unit_interval(sample):
    x, n = sample
    low, high = wilson_interval(x, n)
    assert 0 <= low <= x / n <= high <= 1
