"""Display labels for stored codes (statuses, roles, priorities, effects, significance verdicts,
audit actions, audit subjects and detail keys), translated at display time: one table per kind
of word. The month's figure names, status words and roundings are in
:mod:`surveyapp.presenting.reading`."""

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


PRIORITY_LABELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
EFFECT_LABELS = {
    "improved": _l("Improved"),
    "unchanged": _l("No clear change"),
    "worse": _l("Worse"),
    "target_met": _l("Target met, change not significant"),
}
KIND_LABELS = {"inquiry": _l("Inquiry"), "complaint": _l("Complaint")}
VERDICT_LABELS = {
    "significant_drop": _l("Significant drop"),
    "significant_rise": _l("Significant rise"),
    "no_significant_change": _l("Not significant"),
    "sample_too_small": _l("Sample too small (n < 30)"),
}

ACTION_LABELS = {
    "action_item.update": _l("Action item changed"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "autopilot.retry": _l("Autopilot retried"),
    "breach_entry.acknowledge": _l("Breach acknowledged"),
    "breach_entry.answer": _l("Breach answered"),
    "breach_entry.comment": _l("Breach commented"),
    "breach_entry.corrected": _l("Breach corrected after settlement"),
    "breach_entry.dispute": _l("Breach disputed"),
    "breach_entry.recorded": _l("Breach recorded"),
    "breach_entry.reopen": _l("Breach reopened"),
    "breach_entry.waive": _l("Breach waived"),
    "breach_month.settled": _l("Breach month settled"),
    "breach_register.derived": _l("Breach register updated"),
    "breach_statement.download": _l("Breach statement downloaded"),
    "breach_terms.update": _l("Breach terms changed"),
    "case.contact_shown": _l("Case contact data shown"),
    "case.opened": _l("Follow-up case opened"),
    "case.update": _l("Follow-up case changed"),
    "client.activate": _l("Client reactivated"),
    "client.create": _l("Client added"),
    "client.deactivate": _l("Client deactivated"),
    "client.update": _l("Client changed"),
    "contacts.purged": _l("Contact data purged"),
    "contract.activate": _l("Contract activated"),
    "contract.clause_add": _l("Contract clause added"),
    "contract.clause_remove": _l("Clause removed"),
    "contract.clause_update": _l("Contract clause changed"),
    "contract.create": _l("Contract created"),
    "contract.end": _l("Contract ended"),
    "contract.logo_remove": _l("Survey logo removed"),  # form (#22)
    "contract.logo_set": _l("Survey logo uploaded"),  # form (#22)
    "contract.renew": _l("Contract renewed"),
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
    "fee_payment.recorded": _l("Fee payment recorded"),
    "followup_rules.update": _l("Follow-up rules changed"),
    "history.imported": _l("History imported"),
    "password_reset.requested": _l("Password reset requested"),
    "report.build": _l("Report built"),
    "report.download": _l("Report downloaded"),
    "report.ready_mailed": _l("Report notice e-mailed"),
    "setup.completed": _l("Platform set up"),
    "sign_in": _l("Signed in"),
    "sign_in.failed": _l("Sign-in failed"),
    "survey.create": _l("Survey created"),
    "survey.edit": _l("Survey edited"),
    "survey.reinstate": _l("Survey reinstated"),
    "survey.rename": _l("Survey settings changed"),
    "survey.retire": _l("Survey retired"),
    "survey.scale_style": _l("Survey rating style changed"),  # form (#22)
    "ticket.changed": _l("Ticket changed"),
    "tickets.upserted": _l("Tickets imported"),
    "user.created": _l("User created"),
    "user.deactivated": _l("User deactivated"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.invitation_resent": _l("Invitation sent again"),
    "user.invited": _l("User invited"),
    "user.password_reset": _l("Password reset"),
    "user.reactivated": _l("User reactivated"),
    "user.role_changed": _l("Role changed"),
    "webhook.created": _l("Webhook created"),
    "webhook.disabled": _l("Webhook disabled"),
    "webhook.replay": _l("Webhook delivery replayed"),
}


SUBJECT_LABELS = {
    "ActionItem": _l("Action item"),
    "ApiToken": _l("API token"),
    "BreachEntry": _l("Breach entry"),
    "Contract": _l("Contract"),
    "Customer": _l("Customer"),
    "Cycle": _l("Survey month"),
    "FollowupCase": _l("Follow-up case"),
    "Organization": _l("Organization"),
    "Report": _l("Report"),
    "SurveyVersion": _l("Survey version"),
    "User": _l("User"),
    "WebhookDelivery": _l("Webhook delivery"),
    "WebhookEndpoint": _l("Webhook"),
}

DETAIL_LABELS = {
    "again": _l("Settled again"),
    "amount": _l("Amount"),
    "client_total": _l("Party B total"),
    "corrects": _l("Corrects entry"),
    "paid_on": _l("Paid on"),
    "preset": _l("Preset"),
    "provider_total": _l("Party A total"),
    "already_present": _l("Already present"),
    "changes": _l("Changes"),
    "contract": _l("Contract"),
    "contract_id": _l("Contract ID"),
    "contracts": _l("Contracts"),
    "created": _l("Added"),
    "customers": _l("Customers"),
    "due_date": _l("Due date"),
    "email": _l("E-mail"),
    "failed": _l("Failed"),
    "file": _l("File"),
    "format": _l("Format"),
    "imported": _l("Imported"),
    "invitations_created": _l("Invitations created"),
    "kind": _l("Kind"),
    "locale": _l("Language"),
    "month": _l("Month"),
    "months": _l("Months"),
    "name": _l("Title"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "page": _l("Page"),
    "rows": _l("Rows"),
    "rules": _l("Rules"),
    "skipped_rows": _l("Skipped rows"),
    "source": _l("Source"),
    "status": _l("Status"),
    "updated": _l("Updated"),
    "url": _l("Address"),
    "version": _l("Version"),
    # a11y (#20): every detail key the code records, so the audit log shows no internal code
    "agreement": _l("Agreement"),
    "api_tokens_revoked": _l("API tokens revoked"),
    "before": _l("Before"),
    "client": _l("Client"),
    "codes": _l("Question codes"),
    "contracts_still_using": _l("Contracts still using it"),
    "customer_id": _l("Customer"),
    "early": _l("Ended early"),
    "enabled": _l("Enabled"),
    "ended": _l("Ended"),
    "ended_on": _l("Ended on"),
    "external_id": _l("External ID"),
    "from": _l("From"),
    "how": _l("How"),
    "invitation_id": _l("Invitation"),
    "known": _l("Already known"),
    "nps_max": _l("NPS threshold"),
    "number": _l("Number"),
    "organization": _l("Organization"),
    "rating_max": _l("Rating threshold"),
    "ref": _l("Reference"),
    "response_id": _l("Response"),
    "role": _l("Role"),
    "to": _l("To"),
    "ask_consent": _l("Ask for consent"),
    "end": _l("End"),
    "from_version": _l("From version"),
    "incomplete": _l("Incomplete"),
    "inputs_version": _l("Inputs version"),
    "kept_with_problem": _l("Kept with a problem"),
    "numbers": _l("Numbers"),
    "origin": _l("Origin"),
    "scales": _l("Scales"),
    "start": _l("Start"),
    "strict": _l("Strict"),
    "survey_id": _l("Survey"),
    "themes": _l("Themes"),
    "to_version": _l("To version"),
    "unchanged": _l("Unchanged"),
}


def headline_label(code: str, inquiry_hours: int = 24, complaint_hours: int = 48) -> str:
    """The name of a headline figure (csat, nps, response_rate, sla_inquiry, sla_complaint)."""
    from .presenting.reading import headline_label as name

    return name(code, inquiry_hours, complaint_hours)


def label(kind: str, code: str | None) -> str:
    """A translated label of a stored code: ``label('priority', 'high')``.

    A code without a label (an audit action, subject type or detail key added later) shows as
    the code itself.
    """
    table = {
        "priority": PRIORITY_LABELS,
        "effect": EFFECT_LABELS,
        "kind": KIND_LABELS,
        "verdict": VERDICT_LABELS,
        "status": STATUS_LABELS,
        "role": ROLE_LABELS,
        "action": ACTION_LABELS,
        "subject": SUBJECT_LABELS,
        "detail": DETAIL_LABELS,
    }[kind]
    return str(table.get(code, code or ""))
