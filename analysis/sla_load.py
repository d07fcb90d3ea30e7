"""Reading the SLA x satisfaction join's inputs for one contract-month (SQLite or PostgreSQL).

Each input is one SQL statement with its filters in the WHERE clause and its aggregation in
the database, like :mod:`analysis.load`: a response's ratings arrive as one row per response
(conditional averages by dimension over the ``(contract_id, month, ...)`` answer index), the
tickets of the window by the ``(contract_id, received_at)`` index with their agent's and team's
names, the month's invitations as customer number and whether it was answered. Customers are
read by their number (``ref``) only: no contact column is selected.

The tables are described with :func:`sqlalchemy.table` (no application import);
``tests/analysis/test_sla_load.py`` checks the names against the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .sla_satisfaction import DIMENSIONS, LINK_TICKET_COLUMNS, RESPONSE_COLUMNS, ticket_window

__all__ = ["TABLES", "SlaInputs", "read_sla_inputs"]

_c = sa.column
answers = sa.table(
    "answers", _c("response_id"), _c("question_id"), _c("contract_id"), _c("month"), _c("kind"),
    _c("value"),
)  # fmt: skip
questions = sa.table("questions", _c("id"), _c("dimension"))
responses = sa.table("responses", _c("id"), _c("invitation_id"), _c("contract_id"), _c("month"))
invitations = sa.table(
    "invitations", _c("id"), _c("cycle_id"), _c("customer_id"), _c("responded_at")
)
cycles = sa.table("cycles", _c("id"), _c("contract_id"), _c("month"))
customers = sa.table("customers", _c("id"), _c("ref"))
tickets = sa.table(
    "tickets", _c("contract_id"), _c("external_id"), _c("kind"),
    _c("received_at", sa.DateTime()), _c("first_reply_at", sa.DateTime()),
    _c("resolved_at", sa.DateTime()), _c("customer_ref"), _c("agent_id"), _c("team_id"),
)  # fmt: skip
agents = sa.table("agents", _c("id"), _c("name"))
teams = sa.table("teams", _c("id"), _c("name"))
contracts = sa.table(
    "contracts", _c("id"), _c("inquiry_hours"), _c("complaint_hours"), _c("timezone"),
    _c("sla_attribution"),
)  # fmt: skip

TABLES = (answers, questions, responses, invitations, cycles, customers, tickets, agents, teams,
          contracts)  # fmt: skip


@dataclass(frozen=True)
class SlaInputs:
    """What :func:`analysis.sla_satisfaction.sla_satisfaction` takes for one contract-month."""

    responses: pd.DataFrame
    tickets: pd.DataFrame
    invitations: pd.DataFrame
    timezone: str
    inquiry_hours: int
    complaint_hours: int
    attribution: str

    def as_kwargs(self) -> dict:
        return {
            "timezone": self.timezone,
            "inquiry_hours": self.inquiry_hours,
            "complaint_hours": self.complaint_hours,
            "attribution": self.attribution,
        }


def _rows(conn: Connection, statement, columns) -> pd.DataFrame:
    """The statement's rows as a frame, from the driver's plain tuples (no column here needs a
    SQLAlchemy result conversion: timestamps are parsed by pandas, numbers cast by the caller);
    wrapping 20,000 tickets in Row objects and transposing them cost half the month's join."""
    result = conn.execute(statement)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=False)


def _scores(conn: Connection, contract_id: int, month: str) -> pd.DataFrame:
    """One row per response: its customer number and its ratings (conditional averages)."""

    def rating(dimension: str):
        when = (answers.c.kind == "rating") & (questions.c.dimension == dimension)
        return sa.cast(sa.func.avg(sa.case((when, answers.c.value))), sa.Float())

    per_response = (
        sa.select(
            answers.c.response_id,
            rating("overall").label("overall"),
            sa.cast(
                sa.func.avg(sa.case((answers.c.kind == "nps", answers.c.value))), sa.Float()
            ).label("nps"),
            *(rating(d).label(d) for d in DIMENSIONS),
        )
        .select_from(answers.join(questions, questions.c.id == answers.c.question_id))
        .where(
            answers.c.contract_id == contract_id,
            answers.c.month == month,
            answers.c.kind.in_(("rating", "nps")),
        )
        .group_by(answers.c.response_id)
        .subquery()
    )
    statement = (
        sa.select(
            responses.c.id,
            customers.c.ref,
            per_response.c.overall,
            per_response.c.nps,
            *(per_response.c[d] for d in DIMENSIONS),
        )
        .select_from(
            responses.join(per_response, per_response.c.response_id == responses.c.id)
            .outerjoin(invitations, invitations.c.id == responses.c.invitation_id)
            .outerjoin(customers, customers.c.id == invitations.c.customer_id)
        )
        .where(responses.c.contract_id == contract_id, responses.c.month == month)
    )
    frame = _rows(conn, statement, RESPONSE_COLUMNS)
    return frame.astype({c: "float64" for c in RESPONSE_COLUMNS[2:]})


def _tickets(conn: Connection, contract_id: int, start: datetime, end: datetime) -> pd.DataFrame:
    bounds = [start, end]
    if conn.dialect.name == "sqlite":
        bounds = [value.astimezone(UTC).replace(tzinfo=None) for value in bounds]
    statement = (
        sa.select(
            tickets.c.external_id,
            tickets.c.kind,
            *(_raw(tickets.c[c], conn.dialect.name) for c in TIMES),
            tickets.c.customer_ref,
            agents.c.name,
            teams.c.name,
        )  # fmt: skip
        .select_from(
            tickets.outerjoin(agents, agents.c.id == tickets.c.agent_id).outerjoin(
                teams, teams.c.id == tickets.c.team_id
            )
        )
        .where(
            tickets.c.contract_id == contract_id,
            tickets.c.received_at >= bounds[0],
            tickets.c.received_at < bounds[1],
        )
    )
    frame = _rows(conn, statement, LINK_TICKET_COLUMNS)
    for column in TIMES:
        if conn.dialect.name == "sqlite":
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        else:
            frame[column] = pd.to_datetime(frame[column].astype("float64"), unit="s", utc=True)
    return frame


TIMES = ("received_at", "first_reply_at", "resolved_at")


def _raw(column, dialect: str):
    """A timestamp column in a form pandas converts in one vectorised call: SQLite's stored
    text, PostgreSQL's seconds since the epoch as a double (row-by-row datetime objects cost
    more than the query)."""
    if dialect == "sqlite":
        return sa.type_coerce(column, sa.Text()).label(column.name)
    return sa.cast(sa.extract("epoch", column), sa.Float()).label(column.name)


def _invitations(conn: Connection, contract_id: int, month: str) -> pd.DataFrame:
    statement = (
        sa.select(customers.c.ref, invitations.c.responded_at.is_not(None))
        .select_from(
            invitations.join(cycles, cycles.c.id == invitations.c.cycle_id).join(
                customers, customers.c.id == invitations.c.customer_id
            )
        )
        .where(cycles.c.contract_id == contract_id, cycles.c.month == month)
    )
    frame = _rows(conn, statement, ("customer_ref", "answered"))
    return frame.astype({"answered": bool})


def read_sla_inputs(conn: Connection, contract_id: int, month: str) -> SlaInputs:
    """The month's responses, the window's tickets, the month's invitations, the terms."""
    terms = conn.execute(
        sa.select(
            contracts.c.timezone,
            contracts.c.inquiry_hours,
            contracts.c.complaint_hours,
            contracts.c.sla_attribution,
        ).where(contracts.c.id == contract_id)
    ).one()
    start, end = ticket_window(month, terms.timezone)
    return SlaInputs(
        responses=_scores(conn, contract_id, month),
        tickets=_tickets(conn, contract_id, start, end),
        invitations=_invitations(conn, contract_id, month),
        timezone=terms.timezone,
        inquiry_hours=terms.inquiry_hours,
        complaint_hours=terms.complaint_hours,
        attribution=terms.sla_attribution,
    )
