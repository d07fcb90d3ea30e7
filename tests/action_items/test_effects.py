"""Effects: an item closed as done gets a verdict when the next month is analysed (demo data)."""

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ActionItem, Contract


def test_done_items_of_the_demo_have_an_effect_and_open_ones_none(demo_app):
    with demo_app.app_context():
        items = db.session.scalars(select(ActionItem)).all()
        done = [i for i in items if i.status == "done"]
        assert done and all(
            i.effect in {"improved", "unchanged", "worse", "target_met"} for i in done
        )
        assert all(i.effect_evidence["month"] > i.month for i in done)
        assert all(i.effect is None for i in items if i.status != "done")
        assert {i.clause_ref for i in items} >= {"一(1)", "一(2)"}


def test_the_demo_shows_a_real_effect_and_a_change_that_is_noise(demo_app):
    """surveyapp.demo.REMEDY_LIFT: 青禾's complaint handling really recovers after its item is
    done; its problem-solving item's change is within noise."""
    with demo_app.app_context():
        qinghe = db.session.scalar(select(Contract.id).where(Contract.number == "HX-2025-002"))
        done = {
            i.key: i
            for i in db.session.scalars(
                select(ActionItem).where(
                    ActionItem.contract_id == qinghe, ActionItem.status == "done"
                )
            )
        }
    real = done["below_target:complaint_handling"]
    assert real.effect == "improved"
    evidence = real.effect_evidence
    assert evidence["test"] == "welch_t" and evidence["p_value"] < 0.05
    assert 0 < evidence["change_low"] < evidence["change"] < evidence["change_high"]
    noise = done["below_target:problem_solving"]
    assert noise.effect == "unchanged" and noise.effect_evidence["p_value"] >= 0.05
    assert noise.effect_evidence["reason"] == "no_clear_change"
