"""Storing tickets (inquiries and complaints), the evidence for clauses 一(1) and 一(2).

``upsert_tickets`` is the one way tickets get in: the JSON API and the CSV import both call it.
A ticket is identified by its contract and the helpdesk's own ``external_id``; sending the
same ticket again updates it and never makes a second row (the database's unique constraint
backs this up; a concurrent insert of the same id is retried as an update).

Rules checked for every row, each problem named with its field:

- ``contract``: the number of a contract the organization provides (only the provider, who
  runs the helpdesk, records tickets);
- ``external_id``: 1-100 characters, no control characters; once per call;
- ``kind``: ``inquiry`` or ``complaint`` (咨询 and 投诉 work too);
- ``received_at`` (required), ``first_reply_at``, ``resolved_at``: ISO 8601 with a time zone
  offset (``2026-11-02T09:30:00+08:00`` or ``...Z``), not before 2000 and not in the future;
  a reply or resolution never before receipt;
- ``channel``: optional, up to 32 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..csv_import import CellError
from ..models import Contract, Organization, OrgKind, Ticket, TicketKind, User, utcnow

FIELDS = (
    "contract",
    "external_id",
    "kind",
    "channel",
    "received_at",
    "first_reply_at",
    "resolved_at",
)
TIMESTAMPS = ("received_at", "first_reply_at", "resolved_at")
KINDS = {
    "inquiry": TicketKind.INQUIRY,
    "咨询": TicketKind.INQUIRY,
    "complaint": TicketKind.COMPLAINT,
    "投诉": TicketKind.COMPLAINT,
}
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=10)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RowProblem:
    field: str | None
    problem: str


@dataclass
class RowResult:
    """What happened to one row: ``created``, ``updated`` or ``error`` (with its problems);
    ``valid`` for a good row left unstored because another row was bad (all or nothing)."""

    index: int
    status: str
    external_id: str | None = None
    contract: str | None = None
    ticket_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class UpsertResult:
    rows: list[RowResult]
    stored: bool

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def failed(self) -> int:
        return self.count("error")


def parse_kind(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in KINDS:
        raise CellError(_l("Use inquiry or complaint."))
    return str(KINDS[value.strip().lower()])


def parse_timestamp(value: Any) -> datetime:
    """An aware datetime from ISO 8601 text with an offset; naive times are refused."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise CellError(_l("Not an ISO 8601 time such as 2026-11-02T09:30:00+08:00.")) from None
    else:
        raise CellError(_l("Not an ISO 8601 time such as 2026-11-02T09:30:00+08:00."))
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CellError(_l("Give the time zone, e.g. +08:00 or Z."))
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise CellError(_l("This time is out of range.")) from None


def _text(value: Any, max_length: int, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(_l("A value is required."))
        return None
    if not isinstance(value, str):
        raise CellError(_l("Must be text."))
    value = value.strip()
    if len(value) > max_length:
        raise CellError(_l("Longer than %(n)s characters.", n=max_length))
    if CONTROL.search(value):
        raise CellError(_l("Contains control characters."))
    return value


def writable_contracts(session: Session, organization: Organization) -> dict[str, Contract]:
    """The contracts whose tickets ``organization`` records: those it provides, by number."""
    if organization.kind != OrgKind.PROVIDER:
        return {}
    contracts = session.scalars(select(Contract).where(Contract.provider_id == organization.id))
    return {c.number: c for c in contracts}


def validate_ticket(
    raw: Any, contracts: Mapping[str, Contract], now: datetime
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """Check one row against the rules in the module doc; values or the problems found."""
    if not isinstance(raw, Mapping):
        return None, [RowProblem(None, str(_l("Each ticket must be an object.")))]
    problems = [
        RowProblem(str(name)[:50], str(_l("Unknown field."))) for name in raw if name not in FIELDS
    ]
    values: dict[str, Any] = {}
    checks = {
        "contract": lambda v: _text(v, 50, required=True),
        "external_id": lambda v: _text(v, 100, required=True),
        "kind": lambda v: parse_kind(_text(v, 20, required=True)),
        "channel": lambda v: _text(v, 32, required=False),
        "received_at": lambda v: _moment(v, now, required=True),
        "first_reply_at": lambda v: _moment(v, now, required=False),
        "resolved_at": lambda v: _moment(v, now, required=False),
    }
    for name, check in checks.items():
        try:
            values[name] = check(raw.get(name))
        except CellError as exc:
            problems.append(RowProblem(name, str(exc)))
    if values.get("contract") and values["contract"] not in contracts:
        problems.append(
            RowProblem("contract", str(_l("No contract with this number for your organization.")))
        )
    received = values.get("received_at")
    for name in ("first_reply_at", "resolved_at"):
        if received and values.get(name) and values[name] < received:
            problems.append(RowProblem(name, str(_l("Before the time the ticket was received."))))
    return (None if problems else values), problems


def _moment(value: Any, now: datetime, *, required: bool) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(_l("A value is required."))
        return None
    moment = parse_timestamp(value)
    if moment < EARLIEST:
        raise CellError(_l("Before the year 2000."))
    if moment > now + CLOCK_SKEW:
        raise CellError(_l("In the future."))
    return moment


def upsert_tickets(
    session: Session,
    organization: Organization,
    rows: Sequence[Any],
    *,
    all_or_nothing: bool = False,
    dry_run: bool = False,
    source: str = "api",
    now: datetime | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
) -> UpsertResult:
    """Create or update tickets from ``rows`` (mappings of the fields above) in one transaction.

    Good rows are stored and bad ones reported, unless ``all_or_nothing`` is set and any row is
    bad: then nothing is stored (``stored`` is False); ``dry_run`` only checks. Commits, with
    one audit event naming the ``source`` (``api`` or ``csv``).
    """
    now = now or utcnow()
    contracts = writable_contracts(session, organization)
    results: list[RowResult] = []
    good: list[tuple[RowResult, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(rows):
        values, problems = validate_ticket(raw, contracts, now)
        result = RowResult(index=index, status="error", problems=problems)
        if isinstance(raw, Mapping):
            result.external_id = _plain(raw.get("external_id"))
            result.contract = _plain(raw.get("contract"))
        if values is not None:
            key = (values["contract"], values["external_id"])
            if key in seen:
                result.problems.append(
                    RowProblem("external_id", str(_l("The same ticket appears earlier on.")))
                )
            else:
                seen.add(key)
                result.status = "valid"
                good.append((result, values))
        results.append(result)

    if dry_run or not good or (all_or_nothing and len(good) < len(results)):
        return UpsertResult(rows=results, stored=False)
    for attempt in (1, 2):
        try:
            _store(session, contracts, good)
            audit.record(
                session,
                "tickets.upserted",
                actor=actor,
                actor_label=actor_label,
                subject=organization,
                organization_id=organization.id,
                details={
                    "source": source,
                    "contracts": sorted({v["contract"] for _, v in good}),
                    "created": sum(1 for r, _ in good if r.status == "created"),
                    "updated": sum(1 for r, _ in good if r.status == "updated"),
                    "failed": len(results) - len(good),
                },
            )
            session.commit()
            break
        except IntegrityError:
            # Another request inserted one of these tickets meanwhile: read it back, update it.
            session.rollback()
            if attempt == 2:
                raise
    return UpsertResult(rows=results, stored=True)


def _plain(value: Any) -> str | None:
    return value[:100] if isinstance(value, str) else None


def _store(
    session: Session,
    contracts: Mapping[str, Contract],
    good: Sequence[tuple[RowResult, dict[str, Any]]],
) -> None:
    """Insert new tickets and update known ones; sets each row's status and ticket id."""
    wanted: dict[int, list[str]] = {}
    for _result, values in good:
        wanted.setdefault(contracts[values["contract"]].id, []).append(values["external_id"])
    existing: dict[tuple[int, str], Ticket] = {}
    for contract_id, ids in wanted.items():
        for start in range(0, len(ids), 500):
            query = select(Ticket).where(
                Ticket.contract_id == contract_id, Ticket.external_id.in_(ids[start : start + 500])
            )
            existing.update({(t.contract_id, t.external_id): t for t in session.scalars(query)})
    tickets = []
    for result, values in good:
        key = (contracts[values["contract"]].id, values["external_id"])
        ticket = existing.get(key)
        result.status = "updated" if ticket else "created"
        if ticket is None:
            ticket = Ticket(contract_id=key[0], external_id=key[1])
            session.add(ticket)
        ticket.kind = values["kind"]
        ticket.channel = values["channel"]
        ticket.received_at = values["received_at"]
        ticket.first_reply_at = values["first_reply_at"]
        ticket.resolved_at = values["resolved_at"]
        tickets.append(ticket)
    session.flush()
    for (result, _values), ticket in zip(good, tickets, strict=True):
        result.ticket_id = ticket.id
