"""The tables behind the exports: monthly metrics (aggregates) and responses (provider only).

No export carries customer contact data; the provider's response export identifies a customer
only by the client's own reference id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import analysis
from analysis.load import read_funnel, read_questions

from ..models import Answer, Contract, Customer, Cycle, Invitation, QuestionOption, Response
from ..presenting.names import customer_names
from ..presenting.reading import contract_months

METRIC_COLUMNS = [
    "month",
    "dimension",
    "clause_ref",
    "n",
    "mean",
    "mean_low",
    "mean_high",
    "csat",
    "csat_low",
    "csat_high",
]


def metrics_table(
    conn: Connection, session: Session, contract: Contract, *, client_facing: bool
) -> tuple[list[str], list[list[Any]]]:
    """Per closed month and dimension: n, mean and CSAT with intervals; NPS, response rate."""
    months = sorted(contract_months(session, contract.id))
    if not months:
        return METRIC_COLUMNS, []
    questions = read_questions(conn, contract.id)
    counts = analysis.read_counts(conn, months, [contract.id])
    scores = analysis.dimension_scores(counts, questions, by=("month",))
    nps = analysis.nps_scores(counts, questions, by=("month",))
    if client_facing:
        scores = analysis.suppress_small_groups(scores)
        nps = analysis.suppress_small_groups(nps)
    rows = [[_cell(v) for v in r] for r in scores[METRIC_COLUMNS].itertuples(index=False)]
    for r in nps.itertuples(index=False):
        rows.append(
            [
                r.month,
                "nps",
                "一(3)",
                _cell(r.n),
                None,
                None,
                None,
                _cell(r.nps),
                _cell(r.nps_low),
                _cell(r.nps_high),
            ]
        )
    funnel = read_funnel(conn, contract.id, months)
    rates = analysis.response_rates(funnel["answered"], funnel["invited"])
    for r, rate in zip(funnel.itertuples(index=False), rates, strict=True):
        rows.append(
            [
                r.month,
                "response_rate",
                "一(3)",
                int(r.invited),
                None,
                None,
                None,
                _cell(rate),
                None,
                None,
            ]
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    return METRIC_COLUMNS, rows


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, float):
        return round(value, 3)
    return value.item() if hasattr(value, "item") else value


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
