"""The survey dimensions the contract's clauses are measured by.

Codes are stable data (stored on questions and targets); labels are translated at display time.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DIMENSIONS: dict[str, tuple[str, object]] = {
    "responsiveness": ("一(1)", _l("Responsiveness")),
    "complaint_handling": ("一(2)", _l("Complaint handling")),
    "professional_knowledge": ("二(2)", _l("Professional knowledge")),
    "problem_solving": ("二(3)", _l("Problem solving")),
    "courtesy": ("二", _l("Courtesy and conduct")),
    "confidentiality": ("四", _l("Confidentiality and trust")),
    "overall": ("一(3)", _l("Overall satisfaction")),
}


def dimension_label(code: str) -> str:
    entry = DIMENSIONS.get(code)
    return str(entry[1]) if entry else code


def dimension_labels() -> dict[str, str]:
    """Labels in the current locale, as the analysis package's figure builders take them."""
    return {code: str(label) for code, (_, label) in DIMENSIONS.items()}
