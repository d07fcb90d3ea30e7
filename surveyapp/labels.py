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
