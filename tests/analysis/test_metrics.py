import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.metrics import (
    csat_top2box,
    dimension_scores,
    mean_score,
    nps,
    nps_scores,
    response_rate,
)

from . import reference


def counts(values):
    return pd.Series(values, dtype="int64").value_counts()


def test_month_with_answers_54431_has_mean_3_4_and_csat_60():
    assert mean_score(counts([5, 4, 4, 3, 1])).value == pytest.approx(3.4)
    assert csat_top2box(counts([5, 4, 4, 3, 1])).value == pytest.approx(60.0)


def test_mean_interval_is_the_t_interval():
    e = mean_score(counts([5, 4, 4, 3, 1]))
    assert (e.value, e.low, e.high) == pytest.approx(reference.MEAN_54431, abs=1e-6)


def test_csat_interval_is_wilson_in_percent():
    e = csat_top2box(counts([5, 4, 4, 3, 1]))
    assert (e.low, e.high) == pytest.approx([100 * v for v in reference.WILSON_3_OF_5], abs=1e-4)
    assert e.n == 5


def test_nps_with_known_promoters_and_detractors():
    e = nps(counts([10, 9, 10, 9, 10, 7, 8, 0, 6, 3]))
    assert (e.value, e.se, e.low, e.high) == pytest.approx(reference.NPS_5_2_3, abs=1e-5)
    assert (e.promoters, e.passives, e.detractors) == pytest.approx((50, 20, 30))


def test_no_answers_give_nan_and_n_zero():
    for estimate in (mean_score(counts([])), csat_top2box(counts([])), nps(counts([]))):
        assert estimate.n == 0 and estimate.empty and math.isnan(estimate.value)


def test_one_answer_has_a_mean_but_no_mean_interval():
    e = mean_score(counts([4]))
    assert e.value == 4 and e.n == 1 and math.isnan(e.low)
    assert csat_top2box(counts([4])).value == 100


def test_all_the_same_score_has_a_zero_width_mean_interval():
    e = mean_score(counts([3] * 8))
    assert (e.value, e.low, e.high) == (3, 3, 3)
    assert csat_top2box(counts([3] * 8)).value == 0


def test_all_detractors_give_nps_minus_100_with_zero_standard_error():
    e = nps(counts([0, 2, 6, 5]))
    assert (e.value, e.se, e.low, e.high) == (-100, 0, -100, -100)


def test_response_rate_is_responses_over_invitations():
    e = response_rate(40, 100)
    assert (e.value, e.low, e.high) == pytest.approx(reference.RATE_40_OF_100, abs=1e-5)
    assert response_rate(0, 0).empty


QUESTIONS = pd.DataFrame(
    {
        "question_code": ["A", "B", "N", "T"],
        "kind": ["rating", "rating", "nps", "text"],
        "dimension": ["speed", "speed", None, None],
        "clause_ref": ["一(1)", "一(1)", None, None],
    }
)


def long_counts(rows):
    return pd.DataFrame(rows, columns=["contract_id", "month", "question_code", "value", "n"])


def test_dimension_scores_pool_the_questions_of_a_dimension_per_month():
    frame = long_counts(
        [
            (1, "2026-01", "A", 5, 1),
            (1, "2026-01", "A", 4, 2),
            (1, "2026-01", "B", 3, 1),
            (1, "2026-01", "B", 1, 1),
            (1, "2026-02", "A", 2, 2),
            (1, "2026-01", "N", 9, 3),
        ]
    )
    scores = dimension_scores(frame, QUESTIONS).set_index("month")
    assert scores.loc["2026-01", ["n", "top2", "mean", "csat"]].tolist() == pytest.approx(
        [5, 3, 3.4, 60]
    )
    assert scores.loc["2026-02", ["n", "mean", "csat"]].tolist() == pytest.approx([2, 2, 0])
    assert scores.loc["2026-01", "clause_ref"] == "一(1)"


def test_nps_scores_match_the_scalar_nps():
    frame = long_counts(
        [(1, "2026-01", "N", 10, 5), (1, "2026-01", "N", 7, 2), (1, "2026-01", "N", 3, 3)]
    )
    row = nps_scores(frame, QUESTIONS).iloc[0]
    assert (row["nps"], row["se"]) == pytest.approx(reference.NPS_5_2_3[:2], abs=1e-5)


ratings = st.lists(st.integers(1, 5), min_size=1, max_size=300)
nps_answers = st.lists(st.integers(0, 10), min_size=1, max_size=300)


@given(ratings)
def test_csat_is_a_percentage_and_its_interval_contains_it(values):
    e = csat_top2box(counts(values))
    assert 0 <= e.low <= e.value <= e.high <= 100


@given(ratings)
def test_mean_lies_on_the_scale_and_inside_its_interval(values):
    e = mean_score(counts(values))
    assert 1 <= e.value <= 5
    if e.n >= 2:
        assert e.low <= e.value + 1e-9 and e.value - 1e-9 <= e.high


@given(nps_answers)
def test_nps_lies_in_minus_100_to_100_inside_its_interval(values):
    e = nps(counts(values))
    assert -100 <= e.low <= e.value <= e.high <= 100
    assert e.promoters + e.passives + e.detractors == pytest.approx(100)
