"""Importing a contract's tickets from CSV: all or nothing unless bad rows are to be skipped.

Columns (header names are case-insensitive; the Chinese names work too):

==================  ========  ======================================================
``external_id``     required  the helpdesk's ticket number, unique per contract (工单号)
``kind``            required  ``inquiry`` or ``complaint`` (咨询 / 投诉) (类型)
``received_at``     required  ISO 8601 time with offset, ``2026-11-02T09:30:00+08:00`` (受理时间)
``first_reply_at``  optional  first reply to the customer, same format (首次回复时间)
``resolved_at``     optional  solution given, same format (解决时间)
``channel``         optional  phone, online, e-mail ... up to 32 characters (渠道)
``customer_ref``    optional  the client's customer number, as in the customer list (客户编号)
``agent``           optional  the agent who handled the ticket last (坐席)
``team``            optional  the agent's team when handling it (团队)
==================  ========  ======================================================

A customer number the customer list does not have is kept on the ticket and listed in
``unknown_customer_refs`` (reported, not dropped).

The rows go through :func:`surveyapp.tickets.ingest.upsert_tickets`, the same step the JSON
API uses, so a ticket imported twice is updated, never duplicated, and the SLA figures are the
same whichever way the tickets arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from ..csv_import import Column, ImportReport, read_csv
from ..models import Contract, User
from .ingest import parse_kind, parse_timestamp, upsert_tickets

COLUMNS = [
    Column("external_id", required=True, max_length=100, aliases=("工单号", "ticket_id", "编号")),
    Column("kind", required=True, parse=parse_kind, aliases=("类型", "type")),
    Column("received_at", required=True, parse=parse_timestamp, aliases=("受理时间", "received")),
    Column("first_reply_at", parse=parse_timestamp, aliases=("首次回复时间", "first_reply")),
    Column("resolved_at", parse=parse_timestamp, aliases=("解决时间", "resolved")),
    Column("channel", max_length=32, aliases=("渠道",)),
    Column(
        "customer_ref",
        max_length=64,
        aliases=("客户编号", "客户号", "customer", "customer_number", "customer ref"),
    ),
    Column("agent", max_length=100, aliases=("坐席", "客服", "处理人", "agent_name")),
    Column("team", max_length=100, aliases=("团队", "班组", "小组", "team_name")),
]


@dataclass
class TicketImport:
    report: ImportReport
    created: int = 0
    updated: int = 0
    skipped: int = 0
    imported: bool = False
    unknown_customer_refs: list[str] = field(default_factory=list)


def import_tickets(
    session: Session,
    contract: Contract,
    data: bytes,
    *,
    skip_bad_rows: bool = False,
    actor: User | None = None,
    now: datetime | None = None,
) -> TicketImport:
    """Check the whole file, then store it in one transaction (or nothing; see module doc)."""
    report = read_csv(data, COLUMNS)
    result = TicketImport(report=report)
    if report.file_problem:
        return result
    rows = [{**row.values, "contract": contract.number} for row in report.rows]
    upsert = upsert_tickets(
        session,
        contract.provider,
        rows,
        all_or_nothing=not skip_bad_rows,
        dry_run=bool(report.problems) and not skip_bad_rows,
        source="csv",
        now=now,
        actor=actor,
    )
    for row, outcome in zip(report.rows, upsert.rows, strict=True):
        for problem in outcome.problems:
            report.add(row.line, problem.field, problem.problem)
    # a re-imported row counts as updated for the import page, whether or not it changed
    result.created, result.updated = upsert.created, upsert.updated + upsert.unchanged
    result.skipped = len(report.bad_lines)
    result.unknown_customer_refs = sorted(set(upsert.unknown_customer_refs))
    result.imported = upsert.stored or skip_bad_rows or not report.problems
    return result
