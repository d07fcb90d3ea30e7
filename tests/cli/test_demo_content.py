"""What the demo holds (read only, over the demo built once for the module)."""

from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Contract, Customer


def test_demo_keeps_customer_contact_data_encrypted(demo_app):
    with demo_app.app_context():
        customer = db.session.scalars(select(Customer)).first()
        contact = customer.reveal_contact()
        assert "@" in contact.email and contact.email not in (customer.email_enc or "")


def test_demo_has_believable_differences_between_dimensions(demo_app):
    first, last = "2025-11", "2026-10"
    with demo_app.app_context():
        mingyuan = db.session.scalar(select(Contract.id).where(Contract.number == "HX-2025-001"))

        def mean(code, month):
            query = select(func.avg(Answer.value)).where(
                Answer.contract_id == mingyuan, Answer.question_code == code, Answer.month == month
            )
            return db.session.scalar(query)

        assert mean("RESP", last) - mean("RESP", first) > 0.5  # responsiveness improved
        assert mean("COURT", last) > mean("RESP", first)


def test_the_key_drivers_recover_the_documented_weights_in_order(demo_app):
    """The overall rating is a weighted sum of the dimensions (surveyapp.demo.OVERALL_WEIGHTS):
    over the year the drivers' importance (Pearson r with the overall rating) orders the
    dimensions as the weights do, and each contract's strongest driver is the heaviest one."""
    import pandas as pd

    from analysis import load
    from analysis.drivers import dimension_importance
    from surveyapp.demo import OVERALL_WEIGHTS

    documented = sorted(OVERALL_WEIGHTS, key=OVERALL_WEIGHTS.get, reverse=True)
    with demo_app.app_context():
        conn = db.session.connection()
        ids = db.session.scalars(select(Contract.id).order_by(Contract.id)).all()
        months = sorted(set(db.session.scalars(select(Answer.month).distinct())))
        questions = load.read_questions(conn, ids[0])
        pairs = [load.read_pair_counts(conn, cid, months, "OVERALL") for cid in ids]
    for part in pairs:
        ranked = dimension_importance(part, questions).sort_values("importance", ascending=False)
        assert ranked["dimension"].iloc[0] == documented[0]
    pooled = dimension_importance(pd.concat(pairs), questions)
    assert pooled.sort_values("importance", ascending=False)["dimension"].tolist() == documented


def test_every_month_has_skipped_optional_answers_counted_as_the_methods_note_says(demo_app):
    """Every month some respondents skip the optional ratings (surveyapp.demo.SKIPPED). As the
    methods note says, a skipped answer is left out: the dimension's n counts the answers given
    and its mean is theirs alone, while the rest of the response counts in full."""
    from analysis import dimension_scores, load
    from surveyapp.demo import SKIPPED
    from surveyapp.models import Question, Response

    with demo_app.app_context():
        conn = db.session.connection()
        optional = set(
            db.session.scalars(select(Question.code).where(Question.required.is_(False)))
        )
        assert set(SKIPPED) <= optional
        dimensions = dict(
            db.session.execute(
                select(Question.code, Question.dimension).where(Question.type == "rating")
            ).all()
        )
        responses = dict(
            db.session.execute(
                select(
                    Response.contract_id.concat(":").concat(Response.month), func.count()
                ).group_by(Response.contract_id, Response.month)
            ).all()
        )
        given = db.session.execute(
            select(Answer.contract_id, Answer.month, Answer.question_code, func.count(),
                   func.avg(Answer.value))
            .where(Answer.kind == "rating")
            .group_by(Answer.contract_id, Answer.month, Answer.question_code)
        ).all()  # fmt: skip
        ids = db.session.scalars(select(Contract.id)).all()
        months = sorted({row[1] for row in given})
        questions = load.read_questions(conn, ids[0])
        scores = {
            cid: dimension_scores(load.read_counts(conn, months, [cid]), questions).set_index(
                ["month", "dimension"]
            )
            for cid in ids
        }
    assert len(months) == 12 and len(responses) == 12 * len(ids)
    skipped = {}
    for contract_id, month, code, n, mean in given:
        total = responses[f"{contract_id}:{month}"]
        if code in SKIPPED:
            assert total - n < total * 0.3, (contract_id, month, code)
            skipped[contract_id, month] = skipped.get((contract_id, month), 0) + total - n
        else:
            assert n == total, (contract_id, month, code)
        row = scores[contract_id].loc[(month, dimensions[code])]
        assert row["n"] == n and abs(row["mean"] - float(mean)) < 1e-9
    assert len(skipped) == len(responses) and all(skipped.values())
