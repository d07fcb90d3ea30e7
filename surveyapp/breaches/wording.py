"""The ledger's words for people: kinds, statuses, steps of a thread, payment states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "inquiry_late": _l("Inquiry answered late"),
    "complaint_late": _l("Complaint solved late"),
    "survey_missed": _l("Monthly survey or report missing"),
    "confidentiality": _l("Confidentiality incident"),
    "service_not_delivered": _l("Agreed service not delivered"),
    "late_payment": _l("Monthly fee paid late"),
}
STATUS_LABELS = {
    "open": _l("Awaiting review"),
    "acknowledged": _l("Acknowledged"),
    "disputed": _l("Disputed"),
    "waived": _l("Waived"),
    "settled": _l("Settled"),
}
NOTE_LABELS = {
    "derived": _l("Found in the platform's records"),
    "recomputed": _l("Amount or evidence recomputed"),
    "withdrawn": _l("No longer in the platform's records: amount set to nil"),
    "recorded": _l("Recorded by the provider"),
    "acknowledge": _l("Acknowledged"),
    "dispute": _l("Disputed"),
    "comment": _l("Comment"),
    "answer": _l("Provider's answer"),
    "waive": _l("Waived"),
    "reopen": _l("Reopened"),
    "settled": _l("Settled"),
    "corrected": _l("Correction after settlement"),
}
SIDE_LABELS = {"provider": _l("Party A"), "client": _l("Party B"), "system": _l("Platform")}
SOURCE_LABELS = {
    "derived": _l("Platform records"),
    "recorded": _l("Recorded by staff"),
    "correction": _l("Correction"),
}
PAYMENT_LABELS = {
    "paid_on_time": _l("Paid on time"),
    "paid_late": _l("Paid late"),
    "unpaid": _l("Unpaid and overdue"),
    "not_due": _l("Not due yet"),
    "no_fee": _l("No fee"),
    "unknown_calendar": _l("Due date unknown: the working-day calendar lacks this year"),
}
REASON_LABELS = {
    "survey_not_run": _l("The month's survey did not run or was not closed"),
    "report_not_issued": _l("The month's report was not issued"),
}
FIELD_LABELS = {
    "tolerance_count": _l("Tolerated per month (count)"),
    "tolerance_percent": _l("Tolerated per month (percent of tickets)"),
    "amount": _l("Per breach (yuan)"),
    "fee_percent": _l("Per breach (percent of the monthly fee)"),
    "daily_percent": _l("Interest per day (percent of the unpaid fee)"),
    "cap_amount": _l("Monthly cap (yuan)"),
    "cap_fee_percent": _l("Monthly cap (percent of the monthly fee)"),
}


def wording() -> dict[str, dict]:
    return {
        "breach_kind": KIND_LABELS,
        "breach_status": STATUS_LABELS,
        "breach_note": NOTE_LABELS,
        "breach_side": SIDE_LABELS,
        "breach_source": SOURCE_LABELS,
        "breach_payment": PAYMENT_LABELS,
        "breach_reason": REASON_LABELS,
        "breach_field": FIELD_LABELS,
    }
