"""Each trigger rule fires at its threshold and not above it; rules can be switched off."""

import pytest

from surveyapp.followup.rules import Answered, RuleSet, primary, triggers

RULES = RuleSet()


def nps(value):
    return Answered("NPS", "nps", value=value)


def rating(value, dimension="responsiveness"):
    return Answered("RESP", "rating", value=value, dimension=dimension, clause_ref="一(1)")


def comment(text):
    return Answered("COMMENT", "text", text=text)


@pytest.mark.parametrize("value, fires", [(0, True), (6, True), (7, False), (10, False)])
def test_an_nps_of_six_or_less_fires(value, fires):
    assert bool(triggers([nps(value)], RULES)) is fires


@pytest.mark.parametrize("value, fires", [(1, True), (2, True), (3, False), (5, False)])
def test_a_rating_of_two_or_less_on_any_dimension_fires(value, fires):
    found = triggers([rating(value)], RULES)
    assert bool(found) is fires
    if fires:
        assert (found[0].dimension, found[0].clause_ref) == ("responsiveness", "一(1)")


@pytest.mark.parametrize(
    "text, fires",
    [
        ("我要投诉，一直不给退款", True),
        ("I want to complain and get a refund", True),
        ("服务很好，谢谢", False),
        ("The reply was quick and friendly", False),
    ],
)
def test_a_comment_in_the_complaint_theme_fires(text, fires):
    found = triggers([comment(text)], RULES)
    assert bool(found) is fires
    if fires:
        assert found[0].themes == ("complaint",) and found[0].clause_ref == "一(2)"


def test_a_happy_response_opens_nothing():
    assert triggers([nps(9), rating(4), comment("很满意")], RULES) == []


def test_rules_switched_off_do_not_fire():
    low = [nps(2), rating(1), comment("投诉")]
    assert triggers(low, RuleSet(enabled=False)) == []
    assert triggers(low, RuleSet(nps_max=None, rating_max=None, comment_themes=())) == []
    assert [t.rule for t in triggers(low, RuleSet(rating_max=None, comment_themes=()))] == ["nps"]


def test_a_stricter_nps_threshold_is_respected():
    assert triggers([nps(5)], RuleSet(nps_max=4)) == []
    assert triggers([nps(4)], RuleSet(nps_max=4))


def test_the_case_is_filed_under_the_lowest_rating_first():
    found = triggers([nps(3), rating(2, "courtesy"), rating(1, "problem_solving")], RULES)
    assert primary(found).dimension == "problem_solving"
