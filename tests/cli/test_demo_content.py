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
