"""The tables behind the exports: monthly metrics (aggregates) and responses (provider only).

No export carries customer contact data; the provider's response export identifies a customer
only by the client's own reference id.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import analysis
from analysis.load import read_funnel, read_questions
from analysis.sla import SLA_CLAUSES

from ..cycles.calendar import month_bounds
from ..dimensions import DIMENSIONS
from ..i18n import current_locale
from ..models import (
    Answer,
    Contract,
    Customer,
    Cycle,
    Invitation,
    QuestionOption,
    Response,
    utcnow,
)
from ..presenting.names import customer_names
from ..presenting.reading import contract_months, headline_label, labels_for, missing, rounded

METRIC_COLUMNS = [
    "month",
    "dimension",
    "label",
    "clause_ref",
    "n",
    "mean",
    "mean_low",
    "mean_high",
    "csat",
    "csat_low",
    "csat_high",
    "se",
    "blank_reason",
]
# the precision of each column (surveyapp.presenting.reading.PRECISION): the csat column holds
# the NPS on ``nps`` rows, the response rate on ``response_rate`` rows and the SLA compliance on
# ``sla_inquiry``/``sla_complaint`` rows, each at its own figure's precision
_ROW_KIND = {"nps": "nps", "response_rate": "response_rate", "sla_inquiry": "sla",
             "sla_complaint": "sla"}  # fmt: skip


def metrics_table(
    conn: Connection,
    session: Session,
    contract: Contract,
    *,
    client_facing: bool,
    now: datetime | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Per closed month and dimension: n, mean and CSAT with intervals; NPS with its standard
    error and interval, response rate, SLA compliance per ticket kind; every figure at its
    documented precision, and why a figure is blank (``blank_reason``)."""
    months = sorted(contract_months(session, contract.id))
    if not months:
        return METRIC_COLUMNS, []
    names = labels_for(current_locale(), contract.inquiry_hours, contract.complaint_hours)[0]
    questions = read_questions(conn, contract.id)
    counts = analysis.read_counts(conn, months, [contract.id])
    scores = analysis.dimension_scores(counts, questions, by=("month",))
    nps = analysis.nps_scores(counts, questions, by=("month",))
    raw_scores, raw_nps = scores, nps
    if client_facing:
        scores = analysis.suppress_small_groups(scores)
        nps = analysis.suppress_small_groups(nps)
    rows = []
    asked = set(questions.loc[questions["kind"] == "rating", "dimension"].dropna())
    for r, raw in zip(scores.itertuples(index=False), raw_scores.itertuples(index=False),
                      strict=True):  # fmt: skip
        reason = _reason(r.n, raw.n, r.dimension in asked)
        rows.append([
            r.month, r.dimension, names.get(r.dimension, r.dimension), r.clause_ref, _count(r.n),
            rounded(r.mean, "mean"), rounded(r.mean_low, "mean"), rounded(r.mean_high, "mean"),
            rounded(r.csat, "csat"), rounded(r.csat_low, "csat"), rounded(r.csat_high, "csat"),
            None, reason,
        ])  # fmt: skip
    present = {(row[0], row[1]) for row in rows}
    for month in months:  # a dimension with no answers still gets its row, saying why
        for code, (clause, _label) in DIMENSIONS.items():
            if (month, code) not in present:
                reason = "no_responses" if code in asked else "no_questions"
                rows.append([month, code, names.get(code, code), clause, 0 if code in asked
                             else None, *([None] * 7), reason])  # fmt: skip
    for r, raw in zip(nps.itertuples(index=False), raw_nps.itertuples(index=False), strict=True):
        se = getattr(r, "se", None)
        rows.append([
            r.month, "nps", headline_label("nps"), "一(3)", _count(r.n), None, None, None,
            rounded(r.nps, "nps"), rounded(r.nps_low, "nps"), rounded(r.nps_high, "nps"),
            rounded(se, "nps") if not missing(r.nps) else None, _reason(r.n, raw.n, True),
        ])  # fmt: skip
    funnel = read_funnel(conn, contract.id, months)
    rates = analysis.response_rates(funnel["answered"], funnel["invited"])
    for r, rate in zip(funnel.itertuples(index=False), rates, strict=True):
        rows.append([
            r.month, "response_rate", headline_label("response_rate"), "一(3)", int(r.invited),
            None, None, None, rounded(rate, "response_rate"), None, None, None,
            None if not missing(rate) else "no_invitations" if not r.invited else "no_responses",
        ])  # fmt: skip
    rows.extend(_sla_rows(conn, contract, months, now or utcnow()))
    rows.sort(key=lambda row: (row[0], row[1]))
    return METRIC_COLUMNS, rows


def _sla_rows(conn: Connection, contract: Contract, months: list[str], now: datetime) -> list:
    """SLA compliance of each closed month per ticket kind, as the pages and the PDF show it."""
    start = month_bounds(months[0], contract.timezone)[0]
    end = month_bounds(months[-1], contract.timezone)[1]
    tickets = analysis.read_tickets(conn, contract.id, start, end)
    table = analysis.sla_compliance(
        tickets, now, months=months, inquiry_hours=contract.inquiry_hours,
        complaint_hours=contract.complaint_hours, timezone=contract.timezone,
    ).table  # fmt: skip
    rows = []
    for r in table.itertuples(index=False):
        key = f"sla_{r.kind}"
        rows.append([
            r.month, key, headline_label(key, contract.inquiry_hours, contract.complaint_hours),
            SLA_CLAUSES[r.kind], int(r.n), None, None, None, rounded(r.compliance, "sla"),
            rounded(r.compliance_low, "sla"), rounded(r.compliance_high, "sla"), None,
            None if int(r.n) else "no_tickets",
        ])  # fmt: skip
    return rows


def _reason(n: Any, raw_n: Any, asked: bool) -> str | None:
    """Why a figure is blank: no question of the dimension, no answers, or fewer than 5."""
    if not asked:
        return "no_questions"
    if missing(raw_n) or not int(raw_n):
        return "no_responses"
    if missing(n):
        return "suppressed"
    return None


def _count(value: Any) -> int | None:
    return None if missing(value) else int(value)


def responses_table(
    session: Session, contract: Contract, month: str
) -> tuple[list[str], list[list[Any]]]:
    """One row per response, one column per question code; customer reference ids only.

    Free text is masked (``analysis.mask_text``: e-mails, phone and ID numbers, names, the
    contract's known customer names), so the CSV, XLSX and API answers built from this table
    never carry contact data typed into a comment."""
    cycle = session.scalar(
        select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == month)
    )
    if cycle is None:
        return ["response_id"], []
    codes = [q.code for q in cycle.survey_version.questions]
    responses = session.execute(
        select(
            Response.id,
            Customer.ref,
            Response.submitted_at,
            Response.locale,
            Response.seconds_taken,
            Response.source,
        )
        .outerjoin(Invitation, Invitation.id == Response.invitation_id)
        .outerjoin(Customer, Customer.id == Invitation.customer_id)
        .where(Response.contract_id == contract.id, Response.month == month)
        .order_by(Response.id)
    ).all()
    answers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = session.execute(
        select(
            Answer.response_id,
            Answer.question_code,
            Answer.value,
            QuestionOption.code,
            Answer.text_value,
        )
        .outerjoin(QuestionOption, QuestionOption.id == Answer.option_id)
        .where(Answer.contract_id == contract.id, Answer.month == month)
        .order_by(Answer.response_id, Answer.question_code, Answer.seq)
    )
    pattern = None
    for response_id, code, value, option, text in rows:
        if text:
            if pattern is None:
                pattern = analysis.contact_pattern(customer_names(session, contract.id))
            text = analysis.mask_text(text, pattern)
        answers[response_id][code].append(
            str(value) if value is not None else option if option else text or ""
        )
    header = [
        "response_id",
        "customer_ref",
        "month",
        "submitted_at",
        "locale",
        "seconds_taken",
        "source",
        *codes,
    ]
    table = []
    for rid, ref, submitted, locale, seconds, source in responses:
        given = answers.get(rid, {})
        table.append(
            [
                rid,
                ref,
                month,
                submitted.isoformat(),
                locale,
                seconds,
                source,
                *(";".join(given.get(code, [])) or None for code in codes),
            ]
        )
    return header, table
