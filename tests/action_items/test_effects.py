"""Effects: an item closed as done gets a verdict when the next month is analysed (demo data)."""

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ActionItem


def test_done_items_of_the_demo_have_an_effect_and_open_ones_none(demo_app):
    with demo_app.app_context():
        items = db.session.scalars(select(ActionItem)).all()
        done = [i for i in items if i.status == "done"]
        assert done and all(i.effect in {"improved", "unchanged", "worse"} for i in done)
        assert all(i.effect_evidence["month"] > i.month for i in done)
        assert all(i.effect is None for i in items if i.status != "done")
        assert {i.clause_ref for i in items} >= {"一(1)", "一(2)"}
