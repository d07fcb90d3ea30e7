"""The SLA x satisfaction join: known values computed independently with statsmodels/scipy.

Reference computations: ``statsmodels.stats.proportion.confint_proportions_2indep(...,
method="newcomb", compare="diff")`` for the CSAT difference's interval,
``statsmodels.stats.proportion.proportions_ztest`` for its p-value (pooled z),
``statsmodels.stats.proportion.proportion_confint(..., method="wilson")`` for each agent's
CSAT interval, ``scipy.stats.ttest_ind(equal_var=False)`` for the mean's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from analysis.sla_satisfaction import (
    RESPONSE_COLUMNS,
    attribute,
    client_teams,
    sla_satisfaction,
    ticket_window,
)

NOW = datetime(2026, 12, 20, tzinfo=UTC)
NOV = datetime(2026, 11, 10, 2, tzinfo=UTC)  # inside November in Shanghai


def ticket(ref, ext, *, agent="甲", team="一组", at=NOV, late=False, kind="inquiry"):
    hours = 30 if late else 2  # inquiry deadline 24 h
    return {
        "external_id": ext, "kind": kind, "received_at": at,
        "first_reply_at": at + timedelta(hours=hours) if kind == "inquiry" else None,
        "resolved_at": at + timedelta(hours=hours) if kind == "complaint" else None,
        "customer_ref": ref, "agent": agent, "team": team,
    }  # fmt: skip


def response(rid, ref, overall, nps=8, dims=(4, 4, 4)):
    return dict(zip(RESPONSE_COLUMNS, (rid, ref, overall, nps, *dims), strict=True))


def frames(responses, tickets):
    return (
        pd.DataFrame(responses, columns=RESPONSE_COLUMNS),
        pd.DataFrame(tickets),
        pd.DataFrame({"customer_ref": [r["customer_ref"] for r in responses], "answered": True}),
    )


@pytest.fixture
def month():
    """40 customers whose tickets all met (32 satisfied), 35 with a breach (18 satisfied), 10
    without tickets. Agent 甲 (一组) served the met ones, 乙 (二组) the breached ones."""
    responses, tickets = [], []
    for i in range(40):
        responses.append(response(i, f"M{i}", 5 if i < 32 else 2, 9 if i < 20 else 6))
        tickets.append(ticket(f"M{i}", f"TM{i}", agent="甲", team="一组"))
    for i in range(35):
        responses.append(response(100 + i, f"B{i}", 4 if i < 18 else 1, 9 if i < 5 else 3))
        tickets.append(ticket(f"B{i}", f"TB{i}", agent="乙", team="二组", late=True))
    for i in range(10):
        responses.append(response(200 + i, f"N{i}", 4))
    return frames(responses, tickets)


def _run(inputs, **kw):
    return sla_satisfaction(*inputs, month="2026-11", now=NOW, **kw)


def test_the_csat_gap_its_newcombe_interval_and_p_value_match_statsmodels(month):
    gap = _run(month).gap
    low, high = confint_proportions_2indep(32, 40, 18, 35, method="newcomb", compare="diff")
    _z, p = proportions_ztest([32, 18], [40, 35])
    assert gap.csat == pytest.approx(100 * (32 / 40 - 18 / 35))
    assert (gap.csat_low, gap.csat_high) == pytest.approx((100 * low, 100 * high), abs=1e-9)
    assert gap.csat_p == pytest.approx(p, rel=1e-9)
    assert (gap.n_met, gap.n_breach, gap.too_small, gap.significant) == (40, 35, False, True)


def test_the_mean_gap_is_welchs(month):
    result = _run(month)
    met = [5] * 32 + [2] * 8
    breach = [4] * 18 + [1] * 17
    welch = stats.ttest_ind(met, breach, equal_var=False)
    assert result.gap.mean == pytest.approx(np.mean(met) - np.mean(breach))
    assert result.gap.mean_p == pytest.approx(welch.pvalue)


def test_the_groups_have_their_customers(month):
    groups = _run(month).groups.set_index("group")
    assert groups["n"].to_dict() == {"met": 40, "breach": 35, "none": 10}
    assert groups.at["none", "csat"] == 100
    # NPS of the met: 20 promoters, 20 detractors
    assert groups.at["met", "nps"] == pytest.approx(0.0)


def test_each_agents_csat_and_wilson_interval_match_statsmodels(month):
    agents = _run(month).agents.set_index("name")
    for name, (x, n) in {"甲": (32, 40), "乙": (18, 35)}.items():
        low, high = proportion_confint(x, n, method="wilson")
        assert agents.at[name, "csat"] == pytest.approx(100 * x / n)
        assert (agents.at[name, "csat_low"], agents.at[name, "csat_high"]) == pytest.approx(
            (100 * low, 100 * high), abs=1e-9
        )
    assert agents.at["甲", "compliance"] == 100
    assert agents.at["乙", "compliance"] == 0
    assert list(agents["rank"]) == [1, 2]
    assert agents.at["甲", "rank"] == 1


def test_under_thirty_in_a_group_the_gap_is_too_small_to_say():
    responses = [response(i, f"M{i}", 5) for i in range(40)]
    responses += [response(100 + i, f"B{i}", 1) for i in range(29)]
    tickets = [ticket(f"M{i}", f"TM{i}") for i in range(40)]
    tickets += [ticket(f"B{i}", f"TB{i}", late=True) for i in range(29)]
    gap = _run(frames(responses, tickets)).gap
    assert gap.too_small and not gap.significant


def test_the_window_is_the_survey_month_and_the_month_before_in_the_contracts_zone():
    start, end = ticket_window("2026-11", "Asia/Shanghai")
    assert start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, tzinfo=UTC)


def test_tickets_outside_the_window_are_not_linked():
    inside_october = datetime(2026, 10, 1, 1, tzinfo=UTC)  # 09:00 on 1 Oct in Shanghai
    too_early = datetime(2026, 9, 30, 15, tzinfo=UTC)  # 23:00 on 30 Sep in Shanghai
    too_late = datetime(2026, 11, 30, 17, tzinfo=UTC)  # 1 Dec in Shanghai
    inputs = frames(
        [response(1, "A", 5), response(2, "B", 5), response(3, "C", 5)],
        [
            ticket("A", "T1", at=inside_october, late=True),
            ticket("B", "T2", at=too_early, late=True),
            ticket("C", "T3", at=too_late, late=True),
        ],
    )
    links = _run(inputs).links.set_index("customer_ref")
    assert links["group"].to_dict() == {"A": "breach", "B": "none", "C": "none"}
    assert links.at["A", "ticket_ids"] == "T1"


def test_one_breach_among_several_tickets_puts_the_customer_in_breach():
    inputs = frames(
        [response(1, "A", 5)],
        [ticket("A", "T1"), ticket("A", "T2", late=True, at=NOV + timedelta(days=1)),
         ticket("A", "T3", at=NOV + timedelta(days=2))],
    )  # fmt: skip
    link = _run(inputs).links.iloc[0]
    assert (link["group"], link["tickets"], link["breaches"]) == ("breach", 3, 1)
    assert link["ticket_ids"] == "T1;T2;T3"


def _several_tickets():
    responses = pd.DataFrame([response(1, "A", 5)], columns=RESPONSE_COLUMNS)
    tickets = pd.DataFrame([
        ticket("A", "T1", agent="甲", team="一组", at=NOV),
        ticket("A", "T2", agent="乙", team="一组", at=NOV + timedelta(days=3)),
        # 甲 moved to 二组: the latest ticket keeps the team it was handled by
        ticket("A", "T3", agent="甲", team="二组", at=NOV + timedelta(days=5)),
    ])  # fmt: skip
    return responses, tickets


def test_last_agent_attributes_the_response_to_the_latest_tickets_agent_and_team():
    responses, tickets = _several_tickets()
    out = attribute(responses, tickets, "last_agent")
    assert out.to_dict("records") == [
        {"response_id": 1, "agent": "甲", "team": "二组", "weight": 1.0}
    ]


def test_all_agents_weights_every_agent_equally_with_the_team_of_their_latest_ticket():
    responses, tickets = _several_tickets()
    out = attribute(responses, tickets, "all_agents").sort_values("agent")
    assert out.to_dict("records") == [
        {"response_id": 1, "agent": "乙", "team": "一组", "weight": 0.5},
        {"response_id": 1, "agent": "甲", "team": "二组", "weight": 0.5},
    ]


def test_an_agent_who_changed_teams_leaves_the_old_tickets_with_the_old_team():
    responses = [response(1, "A", 5), response(2, "B", 1)]
    tickets = [
        ticket("A", "T1", agent="甲", team="一组", at=NOV),
        ticket("B", "T2", agent="甲", team="二组", at=NOV + timedelta(days=9), late=True),
    ]
    result = _run(frames(responses, tickets))
    teams = result.teams.set_index("name")
    assert teams.at["一组", "csat"] == 100 and teams.at["二组", "csat"] == 0
    assert teams.at["一组", "compliance"] == 100 and teams.at["二组", "compliance"] == 0
    assert result.agents.set_index("name").at["甲", "team"] == "二组"  # the team now


def test_a_ticket_whose_customer_number_answered_nothing_joins_no_response():
    inputs = frames(
        [response(1, "A", 5)],
        [ticket("A", "T1"), ticket("UNKNOWN", "T2", late=True), ticket(None, "T3", late=True)],
    )
    result = _run(inputs)
    assert result.links.iloc[0]["group"] == "met"
    # the unknown customer's ticket still counts in its agent's compliance
    assert result.agents.iloc[0]["tickets"] == 3


def test_all_agents_weighted_counts_feed_the_agents_csat():
    responses, tickets = _several_tickets()
    nobody = pd.DataFrame(columns=["customer_ref", "answered"])
    result = sla_satisfaction(
        responses, tickets, nobody, month="2026-11", now=NOW, attribution="all_agents"
    )
    agents = result.agents.set_index("name")
    assert agents["weight"].to_dict() == {"甲": 0.5, "乙": 0.5}
    assert agents["suppressed"].all()


def test_clients_see_teams_of_five_or_more_and_no_agents(month):
    result = _run(month)
    seen = client_teams(result)
    assert set(seen["name"]) == {"一组", "二组"}
    assert "agent" not in seen.columns
    small = _run(frames([response(1, "A", 5)], [ticket("A", "T1")]))
    assert client_teams(small).empty


def test_coverage_counts_customers_served_this_month_invited_and_answered():
    october = datetime(2026, 10, 10, tzinfo=UTC)
    responses = [response(1, "A", 5)]
    tickets = [
        ticket("A", "T1"),
        ticket("B", "T2"),
        ticket("C", "T3"),
        ticket("D", "T4", at=october),
    ]
    invitations = pd.DataFrame({"customer_ref": ["A", "B", "X"], "answered": [True, False, True]})
    answers = pd.DataFrame(responses, columns=RESPONSE_COLUMNS)
    result = sla_satisfaction(answers, pd.DataFrame(tickets), invitations, month="2026-11", now=NOW)
    cov = result.coverage
    assert (cov.served, cov.invited, cov.answered) == (3, 2, 1)
    assert cov.share == pytest.approx(100 / 3)


def test_an_unknown_attribution_rule_is_refused():
    responses, tickets = _several_tickets()
    with pytest.raises(ValueError):
        attribute(responses, tickets, "loudest_agent")


def _targets():
    return pd.DataFrame(
        {"dimension": ["professional_knowledge", "problem_solving"], "target_mean": [3.9, 3.9]}
    )


def test_a_team_and_an_agent_below_target_with_five_responses_get_a_training_item(month):
    from datetime import date

    from analysis.action_items import propose_sla_items

    result = _run(month)
    items = propose_sla_items(
        "2026-11", teams=result.teams, agents=result.agents, gap=result.gap,
        targets=pd.DataFrame({"dimension": ["professional_knowledge"], "target_mean": [4.5]}),
        due_by=date(2026, 12, 20), clauses={"professional_knowledge": "二(2)"},
    )  # fmt: skip
    training = [i for i in items if i.rule == "staff_training"]
    assert {i.clause_ref for i in training} == {"二(2)"}
    assert {i.evidence["staff"] for i in training} == {"team", "agent"}
    assert all("甲" not in i.title and "乙" not in i.title for i in training)  # no agent names


def test_under_five_responses_no_training_item_is_proposed():
    from datetime import date

    from analysis.action_items import propose_sla_items

    result = _run(frames([response(1, "A", 2, dims=(1, 1, 1))], [ticket("A", "T1")]))
    items = propose_sla_items(
        "2026-11", teams=result.teams, agents=result.agents, gap=result.gap,
        targets=_targets(), due_by=date(2026, 12, 20), clauses={},
    )  # fmt: skip
    assert items == []


def test_a_significant_breach_gap_proposes_a_deadline_item_with_its_cost(month):
    from datetime import date

    from analysis.action_items import propose_sla_items

    result = _run(month)
    items = propose_sla_items(
        "2026-11", teams=result.teams.iloc[0:0], agents=result.agents.iloc[0:0],
        gap=result.gap, targets=_targets(), due_by=date(2026, 12, 20), clauses={},
    )  # fmt: skip
    (item,) = items
    assert (item.rule, item.clause_ref, item.priority) == ("breach_cost", "一(1)", "high")
    assert item.evidence["csat_points"] == pytest.approx(100 * (32 / 40 - 18 / 35))
    assert "28.57" in item.title
