"""The action-item rules on demo-like data: each fires when it should, with its clause."""

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from analysis.action_items import effect_verdict
from analysis.action_texts import LABELS_EN, TEXTS_EN
from analysis.monthly import analyse_month, item_effect
from analysis.results import Estimate

from . import demo

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def analyse(answers=None, tickets=None, **funnel):
    answers = demo.answer_rows() if answers is None else answers
    tickets = demo.ticket_rows() if tickets is None else tickets
    inputs = demo.inputs_from_rows(answers, tickets, **funnel)
    return analyse_month(inputs, now=NOW, due_by=date(2026, 11, 30))


def items(analysis):
    return {item.key: item for item in analysis.action_items}


def healthy_answers():
    """The demo rows with November's RESP answers as good as October's, and no comments."""
    rows = demo.answer_rows()
    rows = rows[rows["kind"] != "text"].copy()
    november_resp = (rows["month"] == "2026-11") & (rows["question_code"] == "RESP")
    rows.loc[november_resp, "value"] = demo.RESP["2026-10"]
    return rows


def on_time_tickets():
    tickets = demo.ticket_rows()
    return tickets.assign(first_reply_at=tickets["received_at"] + timedelta(hours=1))


def test_demo_month_proposes_exactly_the_expected_items():
    assert set(items(analyse())) == {
        "below_target:responsiveness",
        "significant_drop:responsiveness",
        "sla_breach:inquiry",
        "recurring_theme:speed",
        "recurring_theme:resolution",
    }


def test_healthy_month_proposes_nothing():
    assert items(analyse(healthy_answers(), on_time_tickets())) == {}


def test_below_target_cites_the_dimension_clause_and_its_figures():
    item = items(analyse())["below_target:responsiveness"]
    assert (item.clause_ref, item.dimension, item.priority) == ("一(1)", "responsiveness", "high")
    # RESP in November: 6x5, 10x4, 12x3, 8x2, 4x1 -> mean 126 / 40 = 3.15, CSAT 16 / 40 = 40 %
    assert (item.evidence["mean"], item.evidence["csat"], item.evidence["n"]) == (3.15, 40.0, 40)
    assert item.evidence["target_mean"] == 4.0 and item.evidence["month"] == "2026-11"
    assert item.due_date == date(2026, 11, 23)
    assert "24 小时" in item.remedy


def test_below_target_does_not_fire_on_fewer_than_five_answers():
    rows = healthy_answers()
    few = (rows["month"] == "2026-11") & (rows["question_code"] == "KNOW")
    rows = pd.concat([rows[~few], rows[few].head(4).assign(value=1)])
    assert "below_target:professional_knowledge" not in items(analyse(rows, on_time_tickets()))


def test_significant_drop_fires_on_a_large_drop_and_not_on_a_small_sample():
    item = items(analyse())["significant_drop:responsiveness"]
    assert (
        item.clause_ref == "一(1)"
        and item.evidence["csat_before"] == 90
        and item.evidence["csat"] == 40
    )
    assert item.evidence["p_value"] < 0.05
    rows = demo.answer_rows()
    small = rows[~((rows["question_code"] == "RESP") & (rows["response_id"] % 2 == 0))]
    assert "significant_drop:responsiveness" not in items(analyse(small))  # 20 answers a month


def test_sla_breach_cites_clause_five_and_the_obligation():
    item = items(analyse())["sla_breach:inquiry"]
    assert (item.clause_ref, item.dimension, item.priority) == ("五", "responsiveness", "high")
    assert item.evidence["obligation_clause"] == "一(1)"
    assert (item.evidence["n"], item.evidence["breaches"], item.evidence["compliance"]) == (
        10,
        1,
        90.0,
    )
    assert "sla_breach:complaint" not in items(analyse())


def test_open_complaint_past_its_deadline_is_a_breach():
    tickets = on_time_tickets()
    tickets.loc[tickets["external_id"] == "C-2026-11-0", "resolved_at"] = pd.NaT
    item = items(analyse(healthy_answers(), tickets))["sla_breach:complaint"]
    assert item.clause_ref == "五" and item.evidence["obligation_clause"] == "一(2)"


def test_recurring_theme_needs_two_months_running():
    item = items(analyse())["recurring_theme:speed"]
    assert item.dimension == "responsiveness" and item.clause_ref == "一(1)"
    assert (item.evidence["comments"], item.evidence["comments_before"]) == (12, 4)
    rows = demo.answer_rows()
    october_comments = (rows["month"] == "2026-10") & (rows["kind"] == "text")
    assert "recurring_theme:speed" not in items(analyse(rows[~october_comments]))


def test_low_response_rate_fires_below_target_and_cites_clause_one_three():
    item = items(analyse(healthy_answers(), on_time_tickets(), invited=200))[
        "low_response_rate:response_rate"
    ]
    assert (item.clause_ref, item.dimension) == ("一(3)", None)
    assert (item.evidence["rate"], item.evidence["target"], item.evidence["n"]) == (20.0, 30.0, 200)
    assert "low_response_rate:response_rate" not in items(
        analyse(healthy_answers(), on_time_tickets())
    )


def test_keys_are_stable_across_runs_and_evidence_is_json_ready():
    import json

    first, second = analyse(), analyse()
    assert [i.key for i in first.action_items] == [i.key for i in second.action_items]
    json.dumps([dict(i.evidence) for i in first.action_items])


def test_english_wording_can_be_passed_in():
    inputs = demo.inputs_from_rows(demo.answer_rows(), demo.ticket_rows())
    analysis = analyse_month(inputs, now=NOW, labels=LABELS_EN, texts=TEXTS_EN)
    item = items(analysis)["below_target:responsiveness"]
    assert item.title.startswith("Responsiveness below the contract target")


@pytest.mark.parametrize(
    ("before", "after", "target", "kind", "expected"),
    [
        (Estimate(3.15, 2.76, 3.54, 40), Estimate(4.2, 4.0, 4.4, 40), 4.0, "mean", "improved"),
        (Estimate(60.0, 45.0, 73.0, 40), Estimate(85.0, 70.0, 93.0, 40), None, "share", "improved"),
        (
            Estimate(60.0, 45.0, 73.0, 40),
            Estimate(58.0, 43.0, 71.0, 40),
            None,
            "share",
            "unchanged",
        ),
        (Estimate(80.0, 65.0, 89.0, 40), Estimate(50.0, 35.0, 65.0, 40), None, "share", "worse"),
        (
            Estimate(70.0, 55.0, 82.0, 40),
            Estimate(77.5, 62.0, 88.0, 40),
            75.0,
            "share",
            "target_met",
        ),
        (
            Estimate(80.0, 65.0, 89.0, 40),
            Estimate(float("nan"), float("nan"), float("nan"), 0),
            None,
            "share",
            "unchanged",
        ),
    ],
)
def test_effect_verdict(before, after, target, kind, expected):
    verdict = effect_verdict(before, after, target=target, kind=kind)
    assert verdict.effect == expected
    assert verdict.evidence["before"]["value"] == before.value


def test_item_effect_judges_the_next_month_on_the_items_metric():
    item = items(analyse())["below_target:responsiveness"]
    rows = demo.answer_rows()
    later = rows[rows["month"] != "2026-09"].copy()
    moved = later.assign(month=later["month"].map({"2026-10": "2026-11", "2026-11": "2026-12"}))
    good = (moved["month"] == "2026-12") & (moved["question_code"] == "RESP")
    moved.loc[good, "value"] = demo.RESP["2026-10"]
    inputs = demo.inputs_from_rows(moved, demo.ticket_rows(), month="2026-12")
    after = analyse_month(inputs, now=NOW)
    verdict = item_effect(item.key, item.evidence, after)
    assert verdict.effect == "improved"
    assert verdict.evidence["after"]["value"] == pytest.approx(4.3)


def test_below_target_on_csat_alone_names_csat_in_the_title_and_evidence():
    from dataclasses import replace

    inputs = demo.inputs_from_rows(demo.answer_rows(), demo.ticket_rows())
    targets = inputs.targets.assign(target_mean=3.0)  # RESP mean 3.15 meets it; CSAT 40 % < 80 %
    result = analyse_month(replace(inputs, targets=targets), now=NOW, due_by=date(2026, 11, 30))
    item = items(result)["below_target:responsiveness"]
    assert item.evidence["metric"] == "csat"
    assert "满意率 40.0%" in item.title and "均分" not in item.title


def test_below_target_on_the_mean_names_the_mean():
    item = items(analyse())["below_target:responsiveness"]
    assert item.evidence["metric"] == "mean" and "均分 3.15" in item.title
