"""The survey's optional question "May we contact you about your answers?" (a yes/no pair).

It is asked when the contract's follow-up rules say so (``RuleSet.ask_consent``, on by default;
the survey reads the rules with the link). No answer means no: a case stays anonymous unless the
customer chose yes.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

FIELD = "consent"


def read_consent(formdata: MultiDict) -> bool:
    """True only for an explicit yes; anything else (no answer, no, tampering) is a no."""
    return formdata.getlist(FIELD) == ["yes"]
