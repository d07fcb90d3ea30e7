"""Display labels for stored codes (statuses, roles), translated at display time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "ended": _l("Ended"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "proposed": _l("Proposed"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dismissed": _l("Dismissed"),
}

ROLE_LABELS = {
    "provider_admin": _l("Provider administrator"),
    "provider_analyst": _l("Provider analyst"),
    "client_viewer": _l("Client viewer"),
}


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


HEADLINE_LABELS = {
    "csat": _l("Satisfaction (CSAT)"),
    "nps": _l("Net promoter score"),
    "response_rate": _l("Response rate"),
    "sla_inquiry": _l("Inquiries answered in time"),
    "sla_complaint": _l("Complaints solved in time"),
}

PRIORITY_LABELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
EFFECT_LABELS = {"improved": _l("Improved"), "unchanged": _l("Unchanged"), "worse": _l("Worse")}
KIND_LABELS = {"inquiry": _l("Inquiry"), "complaint": _l("Complaint")}


def headline_label(code: str) -> str:
    return str(HEADLINE_LABELS.get(code, code))


def label(kind: str, code: str | None) -> str:
    """A translated label of a stored code: ``label('priority', 'high')``."""
    table = {
        "priority": PRIORITY_LABELS,
        "effect": EFFECT_LABELS,
        "kind": KIND_LABELS,
        "status": STATUS_LABELS,
        "role": ROLE_LABELS,
    }[kind]
    return str(table.get(code, code or ""))
