import pandas as pd
import pytest

from analysis.trends import dimension_trend, month_changes, month_over_month, month_range

from . import reference

QUESTIONS = pd.DataFrame(
    {"question_code": ["A"], "kind": ["rating"], "dimension": ["speed"], "clause_ref": ["一(1)"]}
)


def counts(month_top2_n):
    rows = []
    for month, (top2, n) in month_top2_n.items():
        rows += [(1, month, "A", 5, top2), (1, month, "A", 2, n - top2)]
    frame = pd.DataFrame(rows, columns=["contract_id", "month", "question_code", "value", "n"])
    return frame[frame["n"] > 0]


def verdict(month_top2_n, month):
    months = month_range(month, 2)
    changes = month_over_month(dimension_trend(counts(month_top2_n), QUESTIONS, months))
    return changes.set_index("month").loc[month]


def test_month_range_crosses_the_year():
    assert month_range("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_large_drop_with_30_answers_each_is_a_significant_drop():
    row = verdict({"2026-10": (36, 40), "2026-11": (16, 40)}, "2026-11")
    assert row["verdict"] == "significant_drop"
    assert row["p_value"] == pytest.approx(reference.TWO_PROPORTION_36_40_VS_16_40_P, rel=1e-3)
    assert row["change_points"] == pytest.approx(-50)


def test_large_rise_is_a_significant_rise():
    assert (
        verdict({"2026-10": (16, 40), "2026-11": (36, 40)}, "2026-11")["verdict"]
        == "significant_rise"
    )


def test_same_drop_with_29_answers_in_one_month_is_sample_too_small():
    row = verdict({"2026-10": (27, 29), "2026-11": (16, 40)}, "2026-11")
    assert row["p_value"] < 0.05
    assert row["verdict"] == "sample_too_small"


def test_small_change_with_large_samples_is_not_significant():
    assert (
        verdict({"2026-10": (30, 40), "2026-11": (28, 40)}, "2026-11")["verdict"]
        == "no_significant_change"
    )


def test_missing_month_stays_in_the_series_with_n_zero_and_small_sample_verdict():
    trend = dimension_trend(
        counts({"2026-09": (36, 40), "2026-11": (36, 40)}), QUESTIONS, month_range("2026-11", 3)
    )
    assert trend["n"].tolist() == [40, 0, 40]
    changes = month_over_month(trend)
    assert changes["verdict"].tolist() == ["sample_too_small", "sample_too_small"]


def test_month_changes_carry_both_estimates():
    months = month_range("2026-11", 2)
    changes = month_over_month(
        dimension_trend(counts({"2026-10": (36, 40), "2026-11": (16, 40)}), QUESTIONS, months)
    )
    (change,) = month_changes(changes, "2026-11")
    assert change.significant and change.before.value == 90 and change.after.value == 40
    assert change.before.n == change.after.n == 40
