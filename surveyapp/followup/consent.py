"""The survey's optional question "May we contact you about your answers?" (a yes/no pair).

It is asked when the contract's follow-up rules say so (on by default). No answer means no: a
case stays anonymous unless the customer chose yes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from .cases import rules_for

FIELD = "consent"


def consent_asked(session: Session, contract_id: int) -> bool:
    return rules_for(session, contract_id).ask_consent


def read_consent(formdata: MultiDict) -> bool:
    """True only for an explicit yes; anything else (no answer, no, tampering) is a no."""
    return formdata.getlist(FIELD) == ["yes"]
