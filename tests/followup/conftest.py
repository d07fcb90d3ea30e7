"""A contract with an owner, a survey month and a customer, for the follow-up tests."""

from datetime import UTC, datetime

import pytest

from ..cycles.conftest import smtp  # noqa: F401  (aiosmtpd on 127.0.0.1)
from ..factories import make_contract, make_customer, make_cycle, make_invitation, make_user


@pytest.fixture
def world(session):
    owner = make_user(session, "provider_admin")
    contract = make_contract(session, provider=owner.organization, owner_id=owner.id)
    cycle = make_cycle(session, contract)
    customer = make_customer(session, contract)
    invitation, token = make_invitation(session, cycle, customer)
    return {"owner": owner, "contract": contract, "cycle": cycle, "customer": customer,
            "invitation": invitation, "token": token}  # fmt: skip


NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


def values_for(invitation, **by_code):
    """Question id -> value for ``accept_response`` from answers given by question code."""
    questions = {q.code: q.id for q in invitation.cycle.survey_version.questions}
    return {questions[code]: value for code, value in by_code.items()}
