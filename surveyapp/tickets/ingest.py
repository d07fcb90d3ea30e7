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
- ``received_at`` (required for a new ticket), ``first_reply_at``, ``resolved_at``: ISO 8601
  with a time zone offset (``2026-11-02T09:30:00+08:00`` or ``...Z``), not before 2000 and not
  in the future;
  a reply or resolution never before receipt;
- ``channel``: optional, up to 32 characters;
- ``customer_ref``: optional, the client's customer number as in the customer list (up to 64
  characters); a number the list does not have is kept and reported as a warning, never dropped;
- ``agent``, ``team``: optional names (up to 100 characters) of the provider's agent who handled
  the ticket last and of the team the agent worked in then. Unknown names are added to the
  provider's agents and teams; a ticket with an agent and no team takes the agent's current
  team, and a row naming both moves the agent to that team (older tickets keep theirs).

Sending a stored ticket again changes only the fields the row has (a field left out keeps its
value, ``None`` clears it; ``kind`` and ``received_at`` are needed for a new ticket and cannot
be cleared); a row equal to the stored ticket is ``unchanged`` and writes nothing. Every change
is audited with each field's old and new value.
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
from ..models import (
    Agent,
    Contract,
    Customer,
    Organization,
    OrgKind,
    Team,
    Ticket,
    TicketKind,
    User,
    utcnow,
)

FIELDS = (
    "contract",
    "external_id",
    "kind",
    "channel",
    "received_at",
    "first_reply_at",
    "resolved_at",
    "customer_ref",
    "agent",
    "team",
)
TIMESTAMPS = ("received_at", "first_reply_at", "resolved_at")
STORED = (
    "kind",
    "channel",
    *TIMESTAMPS,
    "customer_ref",
    "agent_id",
    "team_id",
)  # the ticket's fields a row may change
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
    """What happened to one row: ``created``, ``updated``, ``unchanged`` or ``error`` (with
    its problems);
    ``valid`` for a good row left unstored because another row was bad (all or nothing)."""

    index: int
    status: str
    external_id: str | None = None
    contract: str | None = None
    ticket_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


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
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def failed(self) -> int:
        return self.count("error")

    @property
    def unknown_customer_refs(self) -> list[str]:
        """Customer numbers of stored (or valid) rows that the contract's list does not have."""
        return [
            str(w.problem_value)
            for r in self.rows
            for w in r.warnings
            if isinstance(w, UnknownCustomer)
        ]


@dataclass(frozen=True)
class UnknownCustomer(RowProblem):
    """A warning: the ticket is kept, its customer number is not in the customer list."""

    problem_value: str = ""


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
    """Check the fields of one row that are present against the rules in the module doc.

    Returns the values of the fields sent (``contract`` and ``external_id`` always) or the
    problems found. A field left out is not in the values, so an update keeps it; ``None``
    (an explicit null) clears it, except ``kind`` and ``received_at``, which cannot be cleared.
    Rules that need the stored ticket (required on creation, reply after receipt) are checked
    by ``plan_ticket``.
    """
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
        "customer_ref": lambda v: _text(v, 64, required=False),
        "agent": lambda v: _text(v, 100, required=False),
        "team": lambda v: _text(v, 100, required=False),
    }
    for name, check in checks.items():
        if name not in raw and name not in ("contract", "external_id"):
            continue
        try:
            values[name] = check(raw.get(name))
        except CellError as exc:
            problems.append(RowProblem(name, str(exc)))
    if values.get("contract") and values["contract"] not in contracts:
        problems.append(
            RowProblem("contract", str(_l("No contract with this number for your organization.")))
        )
    return (None if problems else values), problems


def plan_ticket(
    values: Mapping[str, Any], stored: Ticket | None
) -> tuple[dict[str, Any], list[RowProblem]]:
    """The ticket's fields after this row (the stored ones overlaid by those sent), or the
    problems: kind and receipt needed for a new ticket, reply and resolution after receipt."""
    merged = {name: getattr(stored, name, None) for name in STORED}
    merged.update({name: values[name] for name in STORED if name in values})
    problems = []
    for name in ("kind", "received_at"):
        if merged[name] is None:
            problems.append(RowProblem(name, str(_l("A value is required."))))
    received = merged["received_at"]
    for name in ("first_reply_at", "resolved_at"):
        if received and merged[name] and merged[name] < received:
            problems.append(RowProblem(name, str(_l("Before the time the ticket was received."))))
    return merged, problems


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

    A row for a stored ticket changes only the fields it has (see ``validate_ticket``) and is
    ``unchanged`` when they equal the stored ones. Good rows are stored and bad ones reported,
    unless ``all_or_nothing`` is set and any row is bad: then nothing is stored (``stored`` is
    False); ``dry_run`` only checks. Commits, with one audit event for the call naming the
    ``source`` (``api`` or ``csv``) and one per changed ticket with each field's old and new
    value (the timing is the evidence for the SLA clauses).
    """
    now = now or utcnow()
    contracts = writable_contracts(session, organization)
    results: list[RowResult] = []
    candidates: list[tuple[RowResult, dict[str, Any]]] = []
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
                candidates.append((result, values))
        results.append(result)

    for attempt in (1, 2):
        staff = _staff(session, organization, candidates, create=False)
        plans = _plan(session, contracts, candidates, staff)
        bad = any(r.status == "error" for r in results)
        if dry_run or not plans or (all_or_nothing and bad):
            for result, *_rest in plans:
                result.status = "valid"
            _warn_unknown_customers(session, plans)
            return UpsertResult(rows=results, stored=False)
        try:
            if staff.missing:
                staff = _staff(session, organization, candidates, create=True)
                plans = _plan(session, contracts, candidates, staff)
            _warn_unknown_customers(session, plans)
            _store(session, organization, plans, source, actor, actor_label)
            written = [r for r, *_rest in plans if r.status != "unchanged"]
            if written:
                audit.record(
                    session,
                    "tickets.upserted",
                    actor=actor,
                    actor_label=actor_label,
                    subject=organization,
                    organization_id=organization.id,
                    details={
                        "source": source,
                        "contracts": sorted({v["contract"] for _, v in candidates}),
                        "created": sum(1 for r in written if r.status == "created"),
                        "updated": sum(1 for r in written if r.status == "updated"),
                        "unchanged": len(plans) - len(written),
                        "failed": len(results) - len(plans),
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


Plan = tuple[RowResult, Ticket | None, int, str, dict[str, Any]]


@dataclass
class Staff:
    """The provider's agents and teams named by the rows: name -> (id, current team id).

    ``missing`` is set when a name is not stored yet (its id is None until created)."""

    agents: dict[str, tuple[int | None, int | None]]
    teams: dict[str, int | None]
    missing: bool = False

    def ids(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The row's ``agent``/``team`` names as the ticket's ``agent_id``/``team_id``."""
        out: dict[str, Any] = {}
        agent = values.get("agent")
        if "agent" in values:
            out["agent_id"] = self.agents[agent][0] if agent else None
        if "team" in values and values["team"]:
            out["team_id"] = self.teams[values["team"]]
        elif "team" in values:
            out["team_id"] = None
        elif agent:
            out["team_id"] = self.agents[agent][1]
        return out


def _staff(
    session: Session,
    organization: Organization,
    candidates: Sequence[tuple[RowResult, dict[str, Any]]],
    *,
    create: bool,
) -> Staff:
    """Look up (and with ``create``, add) the agents and teams the rows name; a row naming
    an agent and a team moves the agent to that team."""
    agent_names = {v["agent"] for _, v in candidates if v.get("agent")}
    team_names = {v["team"] for _, v in candidates if v.get("team")}
    teams: dict[str, Team] = {}
    agents: dict[str, Agent] = {}
    if team_names:
        teams = {
            t.name: t
            for t in session.scalars(
                select(Team).where(Team.provider_id == organization.id, Team.name.in_(team_names))
            )
        }
    if agent_names:
        agents = {
            a.name: a
            for a in session.scalars(
                select(Agent).where(
                    Agent.provider_id == organization.id, Agent.name.in_(agent_names)
                )
            )
        }
    missing = bool(team_names - set(teams) or agent_names - set(agents))
    if create:
        for name in sorted(team_names - set(teams)):
            teams[name] = Team(provider_id=organization.id, name=name)
            session.add(teams[name])
        for name in sorted(agent_names - set(agents)):
            agents[name] = Agent(provider_id=organization.id, name=name)
            session.add(agents[name])
        session.flush()
        for _result, values in candidates:
            if values.get("agent") and values.get("team"):
                agents[values["agent"]].team_id = teams[values["team"]].id
        session.flush()
        missing = False
    current: dict[str, int | None] = {}
    for _result, values in candidates:
        name = values.get("agent")
        if name and name not in current:
            agent = agents.get(name)
            current[name] = agent.team_id if agent else None
        if name and values.get("team"):
            current[name] = teams[values["team"]].id if values["team"] in teams else None
    return Staff(
        agents={n: (agents[n].id if n in agents else None, current.get(n)) for n in agent_names},
        teams={n: (teams[n].id if n in teams else None) for n in team_names},
        missing=missing,
    )


def _warn_unknown_customers(session: Session, plans: Sequence[Plan]) -> None:
    """Warn on each row whose customer number the contract's customer list does not have."""
    wanted: dict[int, set[str]] = {}
    for _result, ticket, contract_id, _external_id, changes in plans:
        ref = changes.get("customer_ref", getattr(ticket, "customer_ref", None))
        if ref:
            wanted.setdefault(contract_id, set()).add(ref)
    known: set[tuple[int, str]] = set()
    for contract_id, refs in wanted.items():
        listed = list(refs)
        for start in range(0, len(listed), 500):
            known.update(
                (contract_id, ref)
                for ref in session.scalars(
                    select(Customer.ref).where(
                        Customer.contract_id == contract_id,
                        Customer.ref.in_(listed[start : start + 500]),
                    )
                )
            )
    for result, ticket, contract_id, _external_id, changes in plans:
        ref = changes.get("customer_ref", getattr(ticket, "customer_ref", None))
        if ref and (contract_id, ref) not in known:
            result.warnings.append(
                UnknownCustomer(
                    "customer_ref",
                    str(
                        _l(
                            "No customer with this number in the contract's customer list; the "
                            "ticket is kept."
                        )
                    ),
                    ref,
                )
            )


def _plan(
    session: Session,
    contracts: Mapping[str, Contract],
    candidates: Sequence[tuple[RowResult, dict[str, Any]]],
    staff: Staff,
) -> list[Plan]:
    """Each good row against its stored ticket: ``(result, ticket, contract id, external id,
    changes)``;
    sets each row's status (created, updated, unchanged, or error with the problems)."""
    wanted: dict[int, list[str]] = {}
    for _result, values in candidates:
        wanted.setdefault(contracts[values["contract"]].id, []).append(values["external_id"])
    existing: dict[tuple[int, str], Ticket] = {}
    for contract_id, ids in wanted.items():
        for start in range(0, len(ids), 500):
            query = select(Ticket).where(
                Ticket.contract_id == contract_id, Ticket.external_id.in_(ids[start : start + 500])
            )
            existing.update({(t.contract_id, t.external_id): t for t in session.scalars(query)})
    plans: list[Plan] = []
    for result, values in candidates:
        contract_id = contracts[values["contract"]].id
        ticket = existing.get((contract_id, values["external_id"]))
        merged, problems = plan_ticket({**values, **staff.ids(values)}, ticket)
        result.ticket_id = ticket.id if ticket else None
        if problems:
            result.status, result.problems = "error", problems
            continue
        changes = {
            name: value
            for name, value in merged.items()
            if ticket is None or getattr(ticket, name) != value
        }
        result.status = "created" if ticket is None else "updated" if changes else "unchanged"
        plans.append((result, ticket, contract_id, values["external_id"], changes))
    return plans


def _store(
    session: Session,
    organization: Organization,
    plans: Sequence[Plan],
    source: str,
    actor: User | None,
    actor_label: str | None,
) -> None:
    """Insert the new tickets and change the stored ones; sets each row's ticket id."""
    tickets = []
    for _result, ticket, contract_id, external_id, changes in plans:
        if ticket is None:
            ticket = Ticket(contract_id=contract_id, external_id=external_id, **changes)
            session.add(ticket)
        elif changes:
            diff = audit.apply_changes(ticket, changes)
            audit.record(
                session,
                "ticket.changed",
                actor=actor,
                actor_label=actor_label,
                subject=ticket,
                organization_id=organization.id,
                details={"source": source, "external_id": ticket.external_id, "changes": diff},
            )
        tickets.append(ticket)
    session.flush()
    for (result, *_rest), ticket in zip(plans, tickets, strict=True):
        result.ticket_id = ticket.id
