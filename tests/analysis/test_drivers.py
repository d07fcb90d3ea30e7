import pandas as pd
import pytest

from analysis.drivers import dimension_importance, key_drivers

from . import reference

QUESTIONS = pd.DataFrame(
    {
        "question_code": ["A", "B", "C"],
        "kind": "rating",
        "dimension": ["speed", "courtesy", "knowledge"],
        "clause_ref": ["一(1)", "二", "二(2)"],
    }
)


def pairs(code, xs, ys):
    frame = pd.DataFrame(
        {"question_code": code, "value": xs, "target_value": ys, "month": "2026-11"}
    )
    return (
        frame.groupby(["month", "question_code", "value", "target_value"])
        .size()
        .rename("n")
        .reset_index()
    )


def test_importance_is_pearson_correlation_from_joint_counts():
    importance = dimension_importance(pairs("A", [1, 1, 2, 3], [1, 2, 2, 3]), QUESTIONS)
    assert importance["importance"].iloc[0] == pytest.approx(
        reference.CORRELATION_1123_1223, abs=1e-6
    )
    assert importance["n"].iloc[0] == 4


def test_constant_rating_has_no_importance():
    importance = dimension_importance(pairs("A", [4, 4, 4], [1, 2, 3]), QUESTIONS)
    assert importance["importance"].isna().all()


def test_ranking_puts_important_dimensions_below_target_first():
    importance = pd.DataFrame(
        {"dimension": ["speed", "courtesy", "knowledge"], "n": 50, "importance": [0.8, 0.2, 0.7]}
    )
    scores = pd.DataFrame(
        {
            "dimension": ["speed", "courtesy", "knowledge"],
            "clause_ref": ["一(1)", "二", "二(2)"],
            "n": 50,
            "mean": [3.5, 3.0, 4.5],
            "csat": [50, 40, 90],
        }
    )
    targets = pd.DataFrame(
        {
            "dimension": ["speed", "courtesy", "knowledge"],
            "clause_ref": ["一(1)", "二", "二(2)"],
            "target_mean": 4.0,
            "target_csat": 80.0,
        }
    )
    ranking = key_drivers(importance, scores, targets).set_index("dimension")
    assert ranking.loc["speed", ["rank", "quadrant"]].tolist() == [1, "improve_first"]
    assert ranking.loc["courtesy", ["rank", "quadrant"]].tolist() == [2, "improve_next"]
    assert ranking.loc["knowledge", ["rank", "quadrant"]].tolist() == [3, "keep_up"]
    assert ranking.loc["speed", "priority_score"] == pytest.approx(0.8 * 0.5)
