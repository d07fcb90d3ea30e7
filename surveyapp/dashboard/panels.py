"""The provider's portfolio: each contract's headline figures of a month, and the heatmap.

One contract's month (the dashboard's and the portal's panels) is built in
:mod:`surveyapp.presenting.month`, so the portal and the PDF read it without a staff module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import String, case, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import analysis
from analysis.figures import figure_json, portfolio_heatmap_figure

from ..cycles.calendar import month_bounds, shift_month
from ..models import (
    ActionItem,
    ActionStatus,
    Contract,
    Cycle,
    CycleStatus,
    Invitation,
    MonthSummary,
    Question,
    Ticket,
)
from ..presenting.month import _num
from ..presenting.reading import labels_for
from .formatting import sparkline_points

TREND_MONTHS = 12


@dataclass
class PortfolioRow:
    """One contract in the portfolio. Figures only when ``status`` is closed (the contract
    closed the selected month); an open (or draft) month shows ``answers_so_far`` instead, and
    ``status`` None means the contract has no survey that month."""

    contract: Contract
    csat: float | None
    csat_target: float | None
    nps: float | None
    response_rate: float | None
    sla: float | None
    spark: str
    open_items: int
    overdue_items: int
    status: str | None = None
    answers_so_far: int = 0

    @property
    def closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    def value(self, key: str) -> Any:
        return self.contract.number if key == "number" else getattr(self, key)


def portfolio(
    conn: Connection,
    session: Session,
    contracts: Sequence[Contract],
    month: str | None,
    locale: str,
    today,
    now: datetime,
) -> tuple[list[PortfolioRow], str | None]:
    """Each contract's headline figures for ``month``, a 12-month CSAT line, and the heatmap."""
    if not contracts:
        return [], None
    ids = [c.id for c in contracts]
    items = _item_counts(session, ids, today)
    if month is None:  # no closed month yet: the contracts, without figures
        return [
            PortfolioRow(c, None, None, None, None, None, "", *items.get(c.id, (0, 0)))
            for c in contracts
        ], None
    months = [shift_month(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    states = _month_states(session, ids, month)
    closed = [cid for cid in ids if states.get(cid, (None, 0))[0] == CycleStatus.CLOSED]
    closed_pairs = _closed_months(session, ids, months)
    questions = _questions(session, ids)
    overall_codes = questions.loc[
        (questions["kind"] == "rating") & (questions["dimension"] == "overall"), "question_code"
    ].tolist()
    counts = pd.concat(  # every question for the month, only the overall rating before it
        [
            analysis.read_counts(conn, [month], closed) if closed else None,
            analysis.read_counts(conn, months[:-1], ids, question_codes=overall_codes),
        ],
        ignore_index=True,
    )
    scores = analysis.dimension_scores(counts, questions, by=("contract_id", "month"))
    nps = analysis.nps_scores(counts, questions, by=("contract_id", "month"))
    overall = scores[scores["dimension"] == "overall"]
    rates = _response_rates(session, closed, month) if closed else {}
    slas = _sla_shares(session, [c for c in contracts if c.id in closed], month, now)
    targets = {
        (t.contract_id, t.dimension): float(t.target_csat) for c in contracts for t in c.targets
    }
    csat = {
        (int(c), str(m)): value
        for c, m, value in zip(
            overall["contract_id"], overall["month"], overall["csat"], strict=True
        )
        if (int(c), str(m)) in closed_pairs  # an open month shows no figure, not a live one
    }  # one pass, not a frame filter per contract
    month_nps = nps[nps["month"] == month]
    nps_now = dict(zip(month_nps["contract_id"].astype(int), month_nps["nps"], strict=True))
    rows = []
    for contract in contracts:
        status, answers = states.get(contract.id, (None, 0))
        items_open, items_overdue = items.get(contract.id, (0, 0))
        if status != CycleStatus.CLOSED:
            rows.append(
                PortfolioRow(contract, None, targets.get((contract.id, "overall")), None, None,
                             None, "", items_open, items_overdue, status, answers)
            )  # fmt: skip
            continue
        series = [_num(csat.get((contract.id, m))) for m in months]
        rows.append(
            PortfolioRow(
                contract=contract,
                csat=series[-1],
                csat_target=targets.get((contract.id, "overall")),
                nps=_num(nps_now.get(contract.id)),
                response_rate=rates.get(contract.id),
                sla=slas.get(contract.id),
                spark=sparkline_points(series),
                open_items=items_open,
                overdue_items=items_overdue,
                status=status,
                answers_so_far=answers,
            )
        )
    labels, _ = labels_for(locale)
    month_scores = scores[(scores["month"] == month) & scores["contract_id"].isin(closed)]
    heatmap = None
    if not month_scores.empty:
        title = (
            "Satisfaction by contract and dimension (CSAT %)"
            if locale == "en"
            else "各合同各维度满意度（CSAT %）"
        )
        heatmap = figure_json(
            portfolio_heatmap_figure.spec(
                month_scores, labels, {c.id: c.number for c in contracts}, title=title
            )
        )
    return rows, heatmap


def _questions(session: Session, contract_ids: Sequence[int]) -> pd.DataFrame:
    used = select(Cycle.survey_version_id).where(Cycle.contract_id.in_(contract_ids)).distinct()
    rows = session.execute(
        select(Question.code, Question.type, Question.dimension, Question.clause_ref)
        .where(Question.version_id.in_(used))
        .order_by(Question.version_id)
    ).all()
    frame = pd.DataFrame(rows, columns=["question_code", "kind", "dimension", "clause_ref"])
    return frame.drop_duplicates("question_code", keep="last").reset_index(drop=True)


def _month_states(
    session: Session, contract_ids: Sequence[int], month: str
) -> dict[int, tuple[str, int]]:
    """Each contract's cycle of ``month``: its status and the answers it has so far."""
    rows = session.execute(
        select(Cycle.contract_id, Cycle.status, func.count(Invitation.responded_at))
        .outerjoin(Invitation, Invitation.cycle_id == Cycle.id)
        .where(Cycle.contract_id.in_(contract_ids), Cycle.month == month)
        .group_by(Cycle.contract_id, Cycle.status)
    ).all()
    return {int(cid): (str(status), int(answers)) for cid, status, answers in rows}


def _closed_months(
    session: Session, contract_ids: Sequence[int], months: Sequence[str]
) -> set[tuple[int, str]]:
    """The (contract, month) pairs among ``months`` whose cycle is closed."""
    rows = session.execute(
        select(Cycle.contract_id, Cycle.month).where(
            Cycle.contract_id.in_(contract_ids),
            Cycle.month.in_(list(months)),
            Cycle.status == CycleStatus.CLOSED,
        )
    ).all()
    return {(int(cid), str(m)) for cid, m in rows}


def _response_rates(session: Session, contract_ids: Sequence[int], month: str) -> dict[int, float]:
    """:func:`analysis.response_rate` of each contract's closed month: stored with the closed
    month, counted from the invitations for a closed one not yet summarised."""
    rows = session.execute(
        select(MonthSummary.contract_id, MonthSummary.invited, MonthSummary.answered)
        .join(
            Cycle,
            (Cycle.contract_id == MonthSummary.contract_id) & (Cycle.month == MonthSummary.month),
        )
        .where(
            MonthSummary.contract_id.in_(contract_ids),
            MonthSummary.month == month,
            Cycle.status == CycleStatus.CLOSED,
        )
    ).all()
    live = set(contract_ids) - {row[0] for row in rows}
    if live:
        rows += session.execute(
            select(
                Cycle.contract_id, func.count(Invitation.id), func.count(Invitation.responded_at)
            )
            .join(Invitation, Invitation.cycle_id == Cycle.id)
            .where(
                Cycle.contract_id.in_(live),
                Cycle.month == month,
                Cycle.status == CycleStatus.CLOSED,
            )
            .group_by(Cycle.contract_id)
        ).all()
    rates = dict(
        zip(
            [row[0] for row in rows],
            analysis.response_rates([row[2] for row in rows], [row[1] for row in rows]),
            strict=True,
        )
    )
    return {cid: rate for cid, rate in rates.items() if _num(rate) is not None}


def _item_counts(
    session: Session, contract_ids: Sequence[int], today
) -> dict[int, tuple[int, int]]:
    open_states = [ActionStatus.PROPOSED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    rows = session.execute(
        select(
            ActionItem.contract_id,
            func.count(),
            func.sum(case((ActionItem.due_date < today, 1), else_=0)),
        )
        .where(ActionItem.contract_id.in_(contract_ids), ActionItem.status.in_(open_states))
        .group_by(ActionItem.contract_id)
    ).all()
    return {cid: (int(total), int(overdue or 0)) for cid, total, overdue in rows}


def _sla_shares(session: Session, contracts: Sequence[Contract], month: str, now: datetime) -> dict:
    """Each contract's share of the month's tickets handled within its hours, in one query and
    one pass (inquiries and complaints together; tickets still inside their hours not counted)."""
    bounds = {c.id: month_bounds(month, c.timezone) for c in contracts}
    as_stored = [  # parsed below in one vectorised call, not per value by the column type
        type_coerce(column, String()).label(column.key)
        for column in (Ticket.received_at, Ticket.first_reply_at, Ticket.resolved_at)
    ]
    rows = session.execute(
        select(Ticket.contract_id, Ticket.external_id, Ticket.kind, *as_stored)
        .where(Ticket.contract_id.in_(list(bounds)),
               Ticket.received_at >= min(b[0] for b in bounds.values()),
               Ticket.received_at < max(b[1] for b in bounds.values()))
    ).all()  # fmt: skip
    if not rows:
        return {}
    frame = pd.DataFrame(rows, columns=["contract_id", "external_id", "kind", "received_at",
                                        "first_reply_at", "resolved_at"])  # fmt: skip
    terms = pd.DataFrame(
        [(c.id, c.inquiry_hours, c.complaint_hours, *bounds[c.id]) for c in contracts],
        columns=["contract_id", "inquiry_hours", "complaint_hours", "start", "end"],
    )
    frame = frame.merge(terms, on="contract_id")
    for column in ("received_at", "first_reply_at", "resolved_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    received = frame["received_at"]
    frame = frame[(received >= pd.to_datetime(frame["start"], utc=True))
                  & (received < pd.to_datetime(frame["end"], utc=True))]  # fmt: skip
    shares = analysis.sla_share_by_contract(frame, now)
    return {int(r.contract_id): _num(r.compliance) for r in shares.itertuples(index=False)}
