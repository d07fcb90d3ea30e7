"""Importing past survey results of one contract: check every row, then store all in one go.

The rules (issue #12):

- An import's source is the tool **and** the survey or file it came from (``origin``: the
  问卷星 survey number, the file name, or a name the user gives): a response's ``source_id`` is
  ``origin|id``, so two surveys both numbered 1..n never collide (issue #21).
- Each row becomes one response of the contract's cycle of its month, in the contract's time
  zone; a month without a cycle gets a closed *historical* cycle. Imported responses carry their
  ``source`` (``wjx``, ``tencent``, ``limesurvey``, ``spreadsheet``) and ``source_id`` (the
  file's response id, else ``row:`` and a SHA-256 of the row's mapped cells) and no invitation,
  so the response rate of an imported month is "not known" rather than invented.
- The database's unique ``(contract_id, source, source_id)`` makes a re-import idempotent: rows
  already stored are counted as already present and skipped, an overlapping file adds only its
  new rows.
- Every problem is reported as ``(line, column, problem)``: unknown answer label, score out of
  range, date outside the contract, duplicate row. A file with problems writes nothing unless
  ``skip_bad_rows`` is set; then the good rows are stored.
- A choice answer that is none of the options ("other" text, typed into 问卷星's box) is kept
  as a text answer of that question (kind ``text``), never dropped.
- Columns mapped as contact data go to the contract's customers (encrypted, clause 四); they are
  never stored with a response. Free-text answers are kept as written.
- One transaction: responses and answers by bulk insert (executemany), the month's stored
  aggregates rebuilt (:func:`store_month_aggregates`), the mapping saved for next month, an audit
  event. Any failure rolls everything back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..customers.names import customer_names
from ..cycles.aggregates import store_month_aggregates
from ..cycles.lifecycle import add_cycle
from ..models import (
    Contract,
    Customer,
    Cycle,
    ImportMapping,
    QuestionType,
    Response,
    SurveyVersion,
    User,
    utcnow,
)
from ..models.customers import mobile_lookup
from ..models.responses import insert_answers, insert_responses
from ..models.types import keyring
from .formats import Table
from .mapping import Mapping, clean_origin, header_fingerprint
from .rows import (
    BATCH,
    HistoryReport,
    MappingInvalid,
    OtherText,
    ParsedRow,
    RowParser,
    date_order_of,
    read_rows,
    scale_table,
)

SOURCES = (
    "wjx", "tencent", "limesurvey", "qualtrics", "msforms", "googleforms", "spreadsheet",
)  # fmt: skip
SCORED = (QuestionType.RATING, QuestionType.NPS)
TEXT = str(QuestionType.TEXT)


@dataclass
class ImportSummary:
    """What an import did or would do. ``rows`` counts the file's rows; each is imported,
    already present, incomplete (not submitted) or refused (a reason in the report);
    ``kept_with_problem`` of the imported ones lost a cell (reported), ``kept_with_no_answer``
    hold a "no answer" code."""

    imported: int = 0
    skipped: int = 0
    already_present: int = 0
    report: HistoryReport = field(default_factory=HistoryReport)
    months: list[str] = field(default_factory=list)
    written: bool = False
    rows: int = 0
    incomplete: int = 0
    kept_with_problem: int = 0
    kept_with_no_answer: int = 0
    origin: str = ""


def scoped_id(origin: str, source_id: str) -> str:
    """``origin|id``, at most 100 characters (a long id is replaced by its hash)."""
    if len(source_id) > 58:
        source_id = "h:" + hashlib.sha256(source_id.encode()).hexdigest()[:40]
    return f"{origin}|{source_id}"


def import_history(
    session: Session,
    contract: Contract,
    version: SurveyVersion,
    mapping: Mapping,
    table: Table,
    *,
    skip_bad_rows: bool = False,
    source: str = "spreadsheet",
    origin: str = "file",
    strict: bool = False,
    actor: User | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Check the whole file, then store its new rows in one transaction (see module doc).

    Raises :class:`MappingInvalid` when the mapping does not fit the file or the version, or
    a choice is missing (date order, how 问卷星's numbers are read).
    """
    if source not in SOURCES:
        raise MappingInvalid(_l("Unknown source %(source)s.", source=source))
    origin = clean_origin(origin)
    if not origin:
        raise MappingInvalid(_l("Name the survey or file the rows come from."))
    if version.survey.provider_id != contract.provider_id:
        raise MappingInvalid(_l("The survey version belongs to another provider."))
    mapping = _with_date_order(mapping, table)
    parser = RowParser(contract, version, mapping, table.header, now=now, strict=strict)
    summary = ImportSummary(origin=origin)
    report = summary.report
    rows = read_rows(parser, table.rows, report, progress)
    if parser.unresolved_numbers:
        raise MappingInvalid(
            _l("%(columns)s hold bare numbers: say whether 问卷星 exported scores (按分数) or "
               "option numbers (按序号), and which way the options run.",
               columns=", ".join(sorted(parser.unresolved_numbers))[:200])
        )  # fmt: skip
    rows = [row._replace(source_id=scoped_id(origin, row.source_id)) for row in rows]
    summary.rows = report.rows_total
    summary.incomplete = len(report.incomplete)
    summary.skipped = len(report.refused_rows)
    summary.kept_with_problem = len(report.kept_rows)
    summary.kept_with_no_answer = report.no_answer_rows
    present = _present_ids(session, contract.id, source)
    new_rows = [row for row in rows if row.source_id not in present]
    summary.already_present = len(rows) - len(new_rows)
    summary.months = sorted({row.month for row in new_rows})
    summary.imported = len(new_rows)
    if dry_run:
        session.rollback()
        return summary
    if summary.report.problems and not skip_bad_rows:
        summary.imported = 0
        session.rollback()
        return summary
    try:
        _write(session, contract, version, parser, new_rows, source, summary.months)
        _save_mapping(session, contract.id, source, mapping, table.header)
        if version.frozen_at is None and new_rows:
            version.frozen_at = utcnow()
        audit.record(
            session,
            "history.imported",
            actor=actor,
            subject=contract,
            organization_id=contract.provider_id,
            details={
                "source": source,
                "origin": origin,
                "imported": summary.imported,
                "skipped_rows": summary.skipped,
                "incomplete": summary.incomplete,
                "kept_with_problem": summary.kept_with_problem,
                "already_present": summary.already_present,
                "months": summary.months,
                "strict": strict,
                "numbers": mapping.numbers,
                # the file's scales and how each point was stored, kept with the import
                "scales": {
                    code: scale_table(scale, _kind(version, code))
                    for code, scale in mapping.scales.items()
                },
            },
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        summary.report.add(
            0, None, _l("Another import of the same rows ran at the same time; nothing stored.")
        )
        summary.imported = 0
        return summary
    except BaseException:
        session.rollback()
        raise
    summary.written = True
    return summary


def _kind(version: SurveyVersion, code: str) -> str:
    return next((str(q.type) for q in version.questions if q.code == code), "rating")


def _with_date_order(mapping: Mapping, table: Table) -> Mapping:
    """The mapping with the date order of its slash dates (``4/28/21``) found from the file
    when not chosen; raises :class:`MappingInvalid` when every date reads both ways. The
    table's rows are read into a list for this (they are read again by the parser)."""
    if mapping.date_order or not mapping.date_column or mapping.month:
        return mapping
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    table.rows = rows
    try:
        index = table.header.index(mapping.date_column)
    except ValueError:
        return mapping
    order = date_order_of(cells[index] for _, cells in rows if index < len(cells))
    if order == "ambiguous":
        raise MappingInvalid(
            _l("The dates in %(column)s could be month/day or day/month (such as 4/5/21): "
               "choose the date order.", column=mapping.date_column)
        )  # fmt: skip
    if order is None:
        return mapping
    return Mapping.from_json({**mapping.to_json(), "date_order": order})


def _present_ids(session: Session, contract_id: int, source: str) -> set[str]:
    return set(
        session.scalars(
            select(Response.source_id).where(
                Response.contract_id == contract_id, Response.source == source
            )
        )
    )


def _write(
    session: Session,
    contract: Contract,
    version: SurveyVersion,
    parser: RowParser,
    rows: list[ParsedRow],
    source: str,
    months: list[str],
) -> None:
    cycles = _cycles_for(session, contract, version, months)
    columns = [(q.id, q.code, str(q.type)) for q in parser.questions]
    ids = _reserve_response_ids(session, len(rows))
    dialect = session.connection().dialect
    stamp = Response.__table__.c.submitted_at.type.dialect_impl(dialect).bind_processor(dialect)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        chunk_ids = ids[start : start + BATCH]
        responses = [
            (response_id, cycles[row.month], contract.id, row.month, version.id,
             stamp(row.submitted_at), "zh_CN", source, row.source_id)
            for response_id, row in zip(chunk_ids, chunk, strict=True)
        ]  # fmt: skip
        insert_responses(session, responses)
        answers = [
            answer
            for response_id, row in zip(chunk_ids, chunk, strict=True)
            for answer in _answer_tuples(response_id, row, columns, contract.id)
        ]
        insert_answers(session, answers)
    _store_contacts(session, contract, rows)
    names = customer_names(session, contract.id)  # once, not once per month
    for month in months:
        store_month_aggregates(session, contract.id, month, names)


def _reserve_response_ids(session: Session, n: int) -> list[int]:
    """Ids for ``n`` new responses, so they are inserted by plain ``executemany`` instead of
    one ``RETURNING`` round trip per row (SQLite gets no batched RETURNING with ordered ids).

    PostgreSQL: ``n`` values of the table's sequence in one query. SQLite: the write lock is
    taken first (``BEGIN IMMEDIATE`` unless this transaction already wrote), so no other writer
    adds a response before the commit and ``max(id) + 1 ...`` are ours; should that ever fail,
    the primary key refuses and the import rolls back.
    """
    if n == 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('responses', 'id'))"
                    " FROM generate_series(1, :n)"
                ),
                {"n": n},
            )
        )
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite" and not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")
    first = (session.scalar(select(func.max(Response.id))) or 0) + 1
    return list(range(first, first + n))


def _answer_tuples(
    response_id: int, row: ParsedRow, columns: list[tuple[int, str, str]], contract_id: int
) -> Iterable[tuple]:
    """Rows in the order of :data:`~surveyapp.models.responses.ANSWER_COLUMNS`; ``columns``
    holds (question id, code, type) per value."""
    month = row.month
    for (question_id, code, kind), value in zip(columns, row.values, strict=True):
        if value is None:
            continue
        if kind in SCORED:
            yield (response_id, question_id, contract_id, month, code, kind, 0, value, None, None)
        elif kind == QuestionType.SINGLE:
            if isinstance(value, OtherText):  # "other" text: a text answer of the question
                yield (response_id, question_id, contract_id, month, code, TEXT, 0, None, None,
                       str(value))  # fmt: skip
            else:
                yield (response_id, question_id, contract_id, month, code, kind, 0, None, value,
                       None)  # fmt: skip
        elif kind == QuestionType.MULTIPLE:
            for seq, option_id in enumerate(value):
                if isinstance(option_id, OtherText):
                    yield (response_id, question_id, contract_id, month, code, TEXT, seq, None,
                           None, str(option_id))  # fmt: skip
                else:
                    yield (response_id, question_id, contract_id, month, code, kind, seq, None,
                           option_id, None)  # fmt: skip
        else:
            yield (response_id, question_id, contract_id, month, code, kind, 0, None, None, value)


def _cycles_for(
    session: Session, contract: Contract, version: SurveyVersion, months: list[str]
) -> dict[str, int]:
    """Cycle id per month; a closed historical cycle for each month that has none."""
    found = dict(
        session.execute(
            select(Cycle.month, Cycle.id).where(
                Cycle.contract_id == contract.id, Cycle.month.in_(months)
            )
        ).all()
    )
    for month in months:
        if month not in found:
            found[month] = add_cycle(
                session, contract, month, version.id, closed=True, historical=True
            ).id
    return found


def _store_contacts(session: Session, contract: Contract, rows: list[ParsedRow]) -> None:
    """Contacts mapped to customers: encrypted on the customer, never on the response."""
    contacts = [row.contact for row in rows if row.contact]
    if not contacts:
        return
    customers = list(session.scalars(select(Customer).where(Customer.contract_id == contract.id)))
    by_ref = {c.ref: c for c in customers}
    by_email = {c.email_lookup: c for c in customers if c.email_lookup}
    by_mobile = {c.mobile_lookup: c for c in customers if c.mobile_lookup}
    for contact in contacts:
        email, mobile = contact.get("email"), contact.get("mobile")
        email_key = keyring.lookup_hash(email) if email else None
        mobile_key = mobile_lookup(mobile) if mobile else None
        ref = contact.get("ref") or (
            "import-" + (email_key or mobile_key)[:16] if (email_key or mobile_key) else None
        )
        if ref is None:
            continue
        customer = by_ref.get(ref) or by_email.get(email_key) or by_mobile.get(mobile_key)
        name = contact.get("name")
        if customer is None:
            customer = Customer(contract_id=contract.id, ref=ref[:64])
            session.add(customer)
            by_ref[customer.ref] = customer
        else:
            known = customer.reveal_contact()
            name, email, mobile = name or known.name, email or known.email, mobile or known.mobile
        customer.set_contact(name=name, email=email, mobile=mobile)
        if customer.email_lookup:
            by_email[customer.email_lookup] = customer
        if customer.mobile_lookup:
            by_mobile[customer.mobile_lookup] = customer
    session.flush()


def mapping_key(source: str, header: list[str]) -> str:
    """A saved mapping's key: the tool and the header's fingerprint (one per header line)."""
    return f"{source[:15]}:{header_fingerprint(header)}"


def load_mapping(
    session: Session, contract_id: int, source: str, header: list[str]
) -> Mapping | None:
    """The mapping saved for a file of this tool with this very header line, else None."""
    saved = session.scalar(
        select(ImportMapping).where(
            ImportMapping.contract_id == contract_id,
            ImportMapping.source == mapping_key(source, header),
        )
    )
    return Mapping.from_json(saved.mapping) if saved is not None else None


def _save_mapping(
    session: Session, contract_id: int, source: str, mapping: Mapping, header: list[str]
) -> None:
    key = mapping_key(source, header)
    stored = {**mapping.to_json(), "header": header_fingerprint(header)}
    saved = session.scalar(
        select(ImportMapping).where(
            ImportMapping.contract_id == contract_id, ImportMapping.source == key
        )
    )
    if saved is None:
        session.add(ImportMapping(contract_id=contract_id, source=key, mapping=stored))
    else:
        saved.mapping = stored
        saved.updated_at = utcnow()


def preview(
    contract: Contract, version: SurveyVersion, mapping: Mapping, table: Table, limit: int = 10
) -> tuple[list[ParsedRow], HistoryReport]:
    """The first ``limit`` rows as they will be stored, and their problems; writes nothing."""
    mapping = _with_date_order(mapping, table)
    parser = RowParser(contract, version, mapping, table.header)
    report = HistoryReport()
    taken = []
    for row in table.rows:
        taken.append(row)
        if len(taken) >= limit:
            break
    return read_rows(parser, taken, report), report


GROUP_NUMBERS = re.compile(r"\d[\d:./-]*")
FIRST_LINES = 5


@dataclass
class ProblemGroup:
    """One problem seen on many rows: how many, the first lines, the first message in full
    (which says the fix, e.g. the contract's start date)."""

    column: str | None
    problem: str
    count: int
    lines: list[int]


def group_problems(problems: list) -> list[ProblemGroup]:
    """Problems of the same column and kind (their text with numbers and dates blanked)
    as one group each, the largest first."""
    groups: dict[tuple, ProblemGroup] = {}
    for p in sorted(problems, key=lambda p: p.line):
        key = (p.column, GROUP_NUMBERS.sub("#", p.problem))
        group = groups.get(key)
        if group is None:
            groups[key] = ProblemGroup(p.column, p.problem, 1, [p.line])
        else:
            group.count += 1
            if len(group.lines) < FIRST_LINES:
                group.lines.append(p.line)
    return sorted(groups.values(), key=lambda g: (-g.count, g.lines[0]))
