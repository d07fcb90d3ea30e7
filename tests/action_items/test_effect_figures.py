"""An item's effect, known values end to end: the raw ratings, the stored evidence at full
precision, the verdict judged on evidence, and what the board, the portal and the API show.

Each expected figure is computed here from the raw answers with SciPy or statsmodels, not with
the project's own functions: NumPy for the means, ``scipy.stats.ttest_ind(equal_var=False)``
and statsmodels' ``CompareMeans.tconfint_diff(usevar="unequal")`` for Welch,
``scipy.stats.fisher_exact`` for small counts, statsmodels' ``proportions_ztest`` and
``confint_proportions_2indep(method="newcomb")`` for shares.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sqlalchemy import select
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from analysis import mean_score
from analysis.metrics import csat_top2box
from analysis.themes import ThemeSummary
from surveyapp.action_items.board import record_effects
from surveyapp.api_tokens.service import create_token
from surveyapp.models import ActionItem

from ..factories import make_action_item, make_contract, make_user

# Before: 60 ratings, mean 3.88333; after: 750 ratings, mean 3.82533: the change is -0.058.
# Rounding the stored "before" to 3.88 first would give -0.0547, stored as -0.05 (issue #26).
BEFORE = np.repeat([5, 4, 3, 2, 1], [20, 21, 13, 4, 2])
AFTER = np.repeat([5, 4, 3, 2, 1], [220, 279, 171, 60, 20])


def _scores_row(dimension: str, ratings: np.ndarray) -> dict:
    m = mean_score(pd.Series(ratings).value_counts())
    c = csat_top2box(pd.Series(ratings).value_counts())
    return {
        "dimension": dimension, "n": m.n, "mean": m.value, "mean_low": m.low,
        "mean_high": m.high, "csat": c.value, "csat_low": c.low, "csat_high": c.high,
    }  # fmt: skip


def _mean_evidence(ratings: np.ndarray, metric: str = "mean") -> dict:
    row = _scores_row("responsiveness", ratings)
    return {
        "month": "2026-09",
        "metric": metric,
        "n": row["n"],
        metric: row[metric],
        f"{metric}_low": row[f"{metric}_low"],
        f"{metric}_high": row[f"{metric}_high"],
        "target_mean": 4.0,
        "target_csat": 80.0,
    }


def _after(scores: list[dict] = (), themes=None, month: str = "2026-10"):
    """The parts of a MonthlyAnalysis that item_effect reads."""
    return SimpleNamespace(month=month, scores=pd.DataFrame(list(scores)), themes=themes)


def _judge(session, contract, evidence: dict, after, key="below_target:responsiveness"):
    item = make_action_item(
        session, contract, month="2026-09", key=key, evidence=evidence, status="done"
    )
    record_effects(session, contract.id, after)
    session.commit()
    return session.scalar(select(ActionItem).where(ActionItem.id == item.id))


def test_a_change_of_minus_0_058_is_stored_as_such_and_shown_as_minus_0_06(
    client, session, sign_in
):
    assert AFTER.mean() - BEFORE.mean() == pytest.approx(-0.058, abs=1e-12)
    contract = make_contract(session)
    item = _judge(
        session,
        contract,
        _mean_evidence(BEFORE),
        _after([_scores_row("responsiveness", AFTER)]),
    )
    evidence = item.effect_evidence
    assert evidence["change"] == pytest.approx(-0.058, abs=1e-12)  # not -0.05 nor -0.06
    assert evidence["before"]["value"] == pytest.approx(233 / 60, abs=1e-12)
    reference = stats.ttest_ind(AFTER, BEFORE, equal_var=False)
    assert evidence["test"] == "welch_t"
    assert evidence["p_value"] == pytest.approx(reference.pvalue, rel=1e-9)
    low, high = CompareMeans(DescrStatsW(AFTER), DescrStatsW(BEFORE)).tconfint_diff(
        usevar="unequal"
    )
    assert (evidence["change_low"], evidence["change_high"]) == (
        pytest.approx(low, rel=1e-9),
        pytest.approx(high, rel=1e-9),
    )
    assert item.effect == "unchanged"  # p = 0.62: no clear change

    sign_in(make_user(session, "provider_analyst", contract.provider))
    page = client.get(f"/action-items/?contract={contract.id}").text
    assert "-0.06" in page and "-0.058" not in page
    assert f"p = {reference.pvalue:.2g}" in page
    assert f"{low:+.2f} to {high:+.2f}" in page or f"{low:+.2f} 至 {high:+.2f}" in page
    assert "3.88 (n=60) → 3.83 (n=750)" in page


def test_a_small_sample_theme_share_drop_is_no_clear_change(session):
    """50 % of 8 low scorers' comments raise a theme, then 20 % of 10: Fisher's exact test."""
    contract = make_contract(session)
    evidence = {
        "month": "2026-09", "metric": "theme_share", "theme": "speed", "n": 8,
        "comments": 4, "share": 50.0, "comments_before": 3, "share_before": 40.0,
    }  # fmt: skip
    themes = ThemeSummary(
        comments=pd.DataFrame({"month": ["2026-10"], "group": ["low_scorers"], "n": [10]}),
        keywords=pd.DataFrame(columns=["month", "group", "keyword", "comments", "share"]),
        themes=pd.DataFrame(
            {
                "month": ["2026-10"],
                "group": ["low_scorers"],
                "theme": ["speed"],
                "comments": [2],
                "share": [20.0],
                "label_zh": ["响应速度"],
                "label_en": ["Speed"],
            }
        ),  # fmt: skip
        examples=pd.DataFrame(columns=["month", "group", "theme", "text"]),
    )
    item = _judge(session, contract, evidence, _after(themes=themes), key="recurring_theme:speed")
    reference = stats.fisher_exact([[4, 4], [2, 8]]).pvalue  # 0.32
    evidence = item.effect_evidence
    assert item.effect == "unchanged" and evidence["reason"] == "no_clear_change"
    assert evidence["test"] == "fisher_exact"
    assert evidence["p_value"] == pytest.approx(reference, rel=1e-12)
    assert evidence["change"] == pytest.approx(-30.0)
    low, high = confint_proportions_2indep(2, 10, 4, 8, method="newcomb", compare="diff")
    assert evidence["change_low"] == pytest.approx(100 * low, rel=1e-9)
    assert evidence["change_high"] == pytest.approx(100 * high, rel=1e-9)
    assert evidence["change_low"] < 0 < evidence["change_high"]


def test_a_real_improvement_is_improved_with_its_p_value_and_interval(client, session, sign_in):
    """CSAT 45 % of 80 -> 64.4 % of 90: a two-proportion z-test, Newcombe's interval."""
    before = np.repeat([5, 4, 3, 2], [16, 20, 24, 20])  # 36 of 80 give 4 or 5
    after = np.repeat([5, 4, 3, 2], [25, 33, 22, 10])  # 58 of 90
    contract = make_contract(session)
    evidence = _mean_evidence(before, metric="csat")
    item = _judge(session, contract, evidence, _after([_scores_row("responsiveness", after)]))
    _, p = proportions_ztest([58, 36], [90, 80])
    low, high = confint_proportions_2indep(58, 90, 36, 80, method="newcomb", compare="diff")
    evidence = item.effect_evidence
    assert item.effect == "improved" and evidence["reason"] == "significant"
    assert evidence["test"] == "two_proportion_z"
    assert evidence["p_value"] == pytest.approx(p, rel=1e-9) and p < 0.05  # 0.011
    assert evidence["change"] == pytest.approx(100 * (58 / 90 - 36 / 80), rel=1e-12)
    assert evidence["change_low"] == pytest.approx(100 * low, rel=1e-9)
    assert evidence["change_high"] == pytest.approx(100 * high, rel=1e-9)

    sign_in(make_user(session, "provider_analyst", contract.provider))
    page = client.get(f"/action-items/?contract={contract.id}").text
    assert "badge-effect-improved" in page
    assert f"p = {p:.2g}" in page
    assert f"{100 * low:+.1f}" in page and f"{100 * high:+.1f}" in page
    assert "45.0% (n=80) → 64.4% (n=90)" in page


def test_a_target_crossed_within_noise_is_target_met_not_improved(session):
    """The issue's case: a mean 3.82 -> 3.96 crossing a 3.9 target on n = 39 -> 28."""
    before = np.repeat([5, 4, 3, 2, 1], [12, 14, 8, 3, 2])  # mean 3.82, n 39
    after = np.repeat([5, 4, 3, 2], [10, 9, 7, 2])  # mean 3.96, n 28
    contract = make_contract(session)
    evidence = _mean_evidence(before) | {"target_mean": 3.9}
    item = _judge(session, contract, evidence, _after([_scores_row("responsiveness", after)]))
    reference = stats.ttest_ind(after, before, equal_var=False).pvalue
    assert reference > 0.05
    assert item.effect == "target_met" and item.effect_evidence["reason"] == "not_significant"
    assert item.effect_evidence["p_value"] == pytest.approx(reference, rel=1e-9)


def _small_effect_item(session, contract):
    evidence = {
        "month": "2026-09", "metric": "compliance", "n": 4, "compliance": 75.0,
        "compliance_low": 30.0, "compliance_high": 95.0,
    }  # fmt: skip
    return make_action_item(
        session, contract, month="2026-09", key="sla_breach:complaint", status="done",
        evidence=evidence, effect="target_met",
        effect_evidence={
            "month": "2026-10", "metric": "compliance", "kind": "share",
            "reason": "not_significant",
            "before": {"value": 75.0, "n": 4, "x": 3}, "after": {"value": 100.0, "n": 3, "x": 3},
            "change": 25.0, "change_low": -30.0, "change_high": 70.0, "p_value": 1.0,
            "test": "fisher_exact",
        },
    )  # fmt: skip


def test_a_client_sees_no_effect_figures_resting_on_fewer_than_5_answers(client, session, sign_in):
    contract = make_contract(session)
    _small_effect_item(session, contract)
    session.commit()
    sign_in(make_user(session, "provider_analyst", contract.provider))
    staff_page = client.get(f"/action-items/?contract={contract.id}").text
    assert "75.0% (n=4) → 100.0% (n=3)" in staff_page
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", contract.client))
    portal = client.get(f"/portal/contracts/{contract.id}").text
    assert "badge-effect-target_met" in portal
    assert "(n=4)" not in portal and "+25.0" not in portal


def test_the_api_gives_full_precision_effects_and_blanks_small_ones_for_a_client(client, session):
    contract = make_contract(session)
    _small_effect_item(session, contract)
    provider_token = create_token(session, contract.provider, "helpdesk")[1]
    client_token = create_token(session, contract.client, "reporting")[1]
    session.commit()
    path = f"/api/v1/contracts/{contract.id}/action-items"

    def first(token):
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        return response.get_json()["data"][0]["effect_evidence"]

    assert first(provider_token)["change"] == 25.0 and first(provider_token)["p_value"] == 1.0
    blanked = first(client_token)
    assert blanked["suppressed"] is True and "change" not in blanked and "before" not in blanked
