"""Display labels for stored codes (statuses, roles, audit actions), translated at display time."""

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

ACTION_LABELS = {
    "action_item.update": _l("Action item changed"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "autopilot.retry": _l("Autopilot retried"),
    "case.contact_shown": _l("Case contact data shown"),
    "case.opened": _l("Follow-up case opened"),
    "case.update": _l("Follow-up case changed"),
    "contacts.purged": _l("Contact data purged"),
    "contract.clause_add": _l("Contract clause added"),
    "contract.clause_update": _l("Contract clause changed"),
    "contract.targets": _l("Dimension targets changed"),
    "contract.update": _l("Contract changed"),
    "customer.opted_out": _l("Customer opted out"),
    "customers.imported": _l("Customers imported"),
    "customers.viewed": _l("Customer contact data viewed"),
    "cycle.closed": _l("Survey month closed"),
    "cycle.links_exported": _l("Survey links exported"),
    "cycle.opened": _l("Survey month opened"),
    "data_key.rotated": _l("Data key rotated"),
    "database.backup": _l("Database backed up"),
    "database.restore": _l("Database restored"),
    "export": _l("Data exported"),
    "followup_rules.update": _l("Follow-up rules changed"),
    "history.imported": _l("History imported"),
    "report.build": _l("Report built"),
    "report.download": _l("Report downloaded"),
    "report.ready_mailed": _l("Report notice e-mailed"),
    "sign_in": _l("Signed in"),
    "sign_in.failed": _l("Sign-in failed"),
    "survey.edit": _l("Survey edited"),
    "tickets.upserted": _l("Tickets imported"),
    "webhook.created": _l("Webhook created"),
    "webhook.disabled": _l("Webhook disabled"),
    "webhook.replay": _l("Webhook delivery replayed"),
}


def headline_label(code: str) -> str:
    return str(HEADLINE_LABELS.get(code, code))


def label(kind: str, code: str | None) -> str:
    """A translated label of a stored code: ``label('priority', 'high')``.

    A code without a label (an audit action added later) shows as the code itself.
    """
    table = {
        "priority": PRIORITY_LABELS,
        "effect": EFFECT_LABELS,
        "kind": KIND_LABELS,
        "status": STATUS_LABELS,
        "role": ROLE_LABELS,
        "action": ACTION_LABELS,
    }[kind]
    return str(table.get(code, code or ""))
