"""Reading the analysis frames from the database (SQLite or PostgreSQL).

Filters (contract, months, survey version) go into the SQL and only the needed columns are
selected. What a dashboard needs is aggregated by the database (DESIGN.md section 5): answer
counts per contract x month x question x value come from a GROUP BY answered from the index
``(contract_id, month, question_code, value)``, or from the ``answer_counts`` table for closed
cycles, so no dashboard loads answer rows.

The tables are described here with :func:`sqlalchemy.table` (this package never imports the
application's models); ``tests/analysis/test_load.py`` checks the names against the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .frames import (
    COMMENT_COLUMNS,
    COUNT_COLUMNS,
    FUNNEL_COLUMNS,
    PAIR_COLUMNS,
    QUESTION_COLUMNS,
    TARGET_COLUMNS,
    TICKET_COLUMNS,
)

__all__ = [
    "TABLES",
    "ContractTerms",
    "live_counts",
    "month_answer_counts",
    "month_funnel",
    "month_pair_counts",
    "read_answers",
    "read_comment_scores",
    "read_comments",
    "read_contract_terms",
    "read_counts",
    "read_funnel",
    "read_pair_counts",
    "read_questions",
    "read_reach_inputs",
    "read_targets",
    "read_theme_records",
    "read_tickets",
]

_c = sa.column
answers = sa.table(
    "answers", _c("id"), _c("response_id"), _c("question_id"), _c("contract_id"), _c("month"),
    _c("question_code"), _c("kind"), _c("seq"), _c("value"), _c("option_id"), _c("text_value"),
)  # fmt: skip
responses = sa.table(
    "responses", _c("id"), _c("invitation_id"), _c("cycle_id"), _c("contract_id"), _c("month"),
    _c("survey_version_id"), _c("submitted_at", sa.DateTime()), _c("locale"), _c("source"),
)  # fmt: skip
cycles = sa.table(
    "cycles", _c("id"), _c("contract_id"), _c("month"), _c("status"), _c("survey_version_id")
)
invitations = sa.table(
    "invitations", _c("id"), _c("cycle_id"), _c("sent_at", sa.DateTime()),
    _c("opened_at", sa.DateTime()), _c("responded_at", sa.DateTime()),
)  # fmt: skip
questions = sa.table(
    "questions", _c("id"), _c("version_id"), _c("code"), _c("type"), _c("dimension"),
    _c("clause_ref"), _c("show_if_code"), _c("show_if_op"), _c("show_if_value"),
)  # fmt: skip
question_options = sa.table("question_options", _c("id"), _c("code"))
tickets = sa.table(
    "tickets", _c("contract_id"), _c("external_id"), _c("kind"),
    _c("received_at", sa.DateTime()), _c("first_reply_at", sa.DateTime()),
    _c("resolved_at", sa.DateTime()),
)  # fmt: skip
answer_counts = sa.table(
    "answer_counts", _c("contract_id"), _c("month"), _c("question_code"), _c("value"), _c("n")
)
dimension_targets = sa.table(
    "dimension_targets", _c("contract_id"), _c("dimension"), _c("clause_ref"),
    _c("target_mean"), _c("target_csat"),
)  # fmt: skip
contracts = sa.table(
    "contracts", _c("id"), _c("inquiry_hours"), _c("complaint_hours"), _c("timezone"),
    _c("target_nps"), _c("target_response_rate"),
)  # fmt: skip

answer_pair_counts = sa.table(
    "answer_pair_counts", _c("contract_id"), _c("month"), _c("target_code"), _c("question_code"),
    _c("value"), _c("target_value"), _c("n"),
)  # fmt: skip
month_summaries = sa.table(
    "month_summaries", _c("contract_id"), _c("month"), _c("invited"), _c("opened"),
    _c("answered"), _c("emailed"), _c("email_opened"), _c("email_answered"),
    _c("comment_themes", sa.JSON()),
)  # fmt: skip

TABLES = (
    answers, responses, cycles, invitations, questions, question_options, tickets, answer_counts,
    answer_pair_counts, month_summaries, dimension_targets, contracts,
)  # fmt: skip


@dataclass(frozen=True)
class ContractTerms:
    """The contract figures the analysis needs: SLA hours, time zone and targets."""

    inquiry_hours: int = 24
    complaint_hours: int = 48
    timezone: str = "Asia/Shanghai"
    target_nps: float = 30.0
    target_response_rate: float = 30.0


def _frame(conn: Connection, statement: sa.Select, columns: Sequence[str]) -> pd.DataFrame:
    """The statement's rows as a frame, built column by column (handing pandas the row objects
    makes it probe each one for namedtuple fields, which cost more than the query)."""
    rows = conn.execute(statement).fetchall()
    if not rows:
        return pd.DataFrame([], columns=list(columns))
    return pd.DataFrame(dict(zip(columns, map(list, zip(*rows, strict=True)), strict=True)))


def _counts_frame(conn: Connection, statement: sa.Select) -> pd.DataFrame:
    frame = _frame(conn, statement, COUNT_COLUMNS)
    return frame.astype(
        {
            "contract_id": "int64",
            "month": "str",
            "question_code": "str",
            "value": "int64",
            "n": "int64",
        }
    )


def live_counts(
    conn: Connection,
    months: Sequence[str],
    contract_ids: Sequence[int] | None = None,
    survey_version_id: int | None = None,
) -> pd.DataFrame:
    """Counts of rating and NPS answers per contract x month x question x value, by GROUP BY.

    Only answers with a numeric ``value`` are counted (rating and NPS). ``survey_version_id``
    restricts to the questions of one survey version.
    """
    n = sa.func.count().label("n")
    keys = (answers.c.contract_id, answers.c.month, answers.c.question_code, answers.c.value)
    statement = (
        sa.select(*keys, n)
        .where(answers.c.month.in_(list(months)), answers.c.value.is_not(None))
        .group_by(*keys)
        .order_by(*keys)
    )
    if contract_ids is not None:
        statement = statement.where(answers.c.contract_id.in_(list(contract_ids)))
    if survey_version_id is not None:
        version_questions = sa.select(questions.c.id).where(
            questions.c.version_id == survey_version_id
        )
        statement = statement.where(answers.c.question_id.in_(version_questions))
    return _counts_frame(conn, statement)


def month_answer_counts(conn: Connection, contract_id: int, month: str) -> pd.DataFrame:
    """The rows to store in ``answer_counts`` when a contract's cycle for ``month`` closes.

    Columns ``contract_id, month, question_code, value, n`` (all ``n > 0``), ready for an
    insert (``frame.to_dict("records")``).
    """
    return live_counts(conn, [month], [contract_id])


def read_counts(
    conn: Connection,
    months: Sequence[str],
    contract_ids: Sequence[int] | None = None,
    question_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Answer counts: stored ones for closed cycles that have them, live ones for the rest.

    A (contract, month) is read from ``answer_counts`` when its cycle is closed and counts are
    stored for it; every other cycle of the requested months (open, or closed without stored
    counts) is counted live from ``answers``. ``contract_ids=None`` reads every contract;
    ``question_codes`` limits the questions read.
    """
    join = answer_counts.join(
        cycles,
        sa.and_(
            cycles.c.contract_id == answer_counts.c.contract_id,
            cycles.c.month == answer_counts.c.month,
        ),
    )
    stored_statement = (
        sa.select(*(answer_counts.c[name] for name in COUNT_COLUMNS))
        .select_from(join)
        .where(answer_counts.c.month.in_(list(months)), cycles.c.status == "closed")
    )
    cycle_statement = sa.select(cycles.c.contract_id, cycles.c.month).where(
        cycles.c.month.in_(list(months))
    )
    if contract_ids is not None:
        stored_statement = stored_statement.where(
            answer_counts.c.contract_id.in_(list(contract_ids))
        )
        cycle_statement = cycle_statement.where(cycles.c.contract_id.in_(list(contract_ids)))
    if question_codes is not None:
        stored_statement = stored_statement.where(
            answer_counts.c.question_code.in_(list(question_codes))
        )
    stored = _counts_frame(conn, stored_statement)
    stored_keys = set(zip(stored["contract_id"].tolist(), stored["month"].tolist(), strict=True))
    every_cycle = conn.execute(cycle_statement).fetchall()
    missing = {(int(c), str(m)) for c, m in every_cycle} - stored_keys
    if not missing:
        return stored.sort_values(list(COUNT_COLUMNS[:4])).reset_index(drop=True)
    live = live_counts(conn, sorted({m for _, m in missing}), sorted({c for c, _ in missing}))
    if question_codes is not None:
        live = live[live["question_code"].isin(list(question_codes))]
    wanted = pd.MultiIndex.from_frame(live[["contract_id", "month"]]).isin(list(missing))
    return (
        pd.concat([stored, live[wanted]], ignore_index=True)
        .sort_values(list(COUNT_COLUMNS[:4]))
        .reset_index(drop=True)
    )


def _live_pair_counts(
    conn: Connection, contract_id: int, months: Sequence[str], target_code: str
) -> pd.DataFrame:
    rating = answers.alias("rating")
    overall = answers.alias("overall")
    keys = (rating.c.month, rating.c.question_code, rating.c.value, overall.c.value)
    statement = (
        sa.select(*keys, sa.func.count())
        .select_from(overall.join(rating, rating.c.response_id == overall.c.response_id))
        .where(
            overall.c.contract_id == contract_id,
            overall.c.month.in_(list(months)),
            overall.c.question_code == target_code,
            rating.c.kind == "rating",
            rating.c.question_code != target_code,
        )
        .group_by(*keys)
        .order_by(*keys)
    )
    frame = _frame(conn, statement, PAIR_COLUMNS)
    return frame.astype({"value": "int64", "target_value": "int64", "n": "int64"})


def month_pair_counts(
    conn: Connection, contract_id: int, month: str, target_code: str
) -> pd.DataFrame:
    """The rows to store in ``answer_pair_counts`` when a contract's cycle for ``month`` closes.

    Columns ``contract_id, month, target_code, question_code, value, target_value, n`` (see
    :func:`read_pair_counts`), ready for an insert (``frame.to_dict("records")``).
    """
    frame = _live_pair_counts(conn, contract_id, [month], target_code)
    return frame.assign(contract_id=contract_id, target_code=target_code)[
        ["contract_id", "month", "target_code", "question_code", "value", "target_value", "n"]
    ]


def _stored_pair_months(
    conn: Connection, contract_id: int, months: Sequence[str], target_code: str
) -> pd.DataFrame:
    """Stored pair counts of the closed cycles among ``months``."""
    stored = answer_pair_counts
    statement = _of_closed_cycles(
        stored,
        contract_id,
        months,
        stored.c.month,
        stored.c.question_code,
        stored.c.value,
        stored.c.target_value,
        stored.c.n,
    ).where(stored.c.target_code == target_code)
    return _frame(conn, statement, PAIR_COLUMNS)


def read_pair_counts(
    conn: Connection, contract_id: int, months: Sequence[str], target_code: str
) -> pd.DataFrame:
    """Joint counts of each rating and the ``target_code`` rating on the same response.

    Columns ``month, question_code, value, target_value, n``: how many responses gave
    ``question_code`` the score ``value`` and the target question (the overall satisfaction
    rating) the score ``target_value``. The input of :func:`analysis.drivers.dimension_importance`.

    A closed cycle's counts come from ``answer_pair_counts`` when it has rows for the month
    (stored at cycle close from :func:`month_pair_counts`); every other
    month is counted live: the target question's answers of the month (an index range of
    ``(contract_id, month, question_code, value)``) joined to the other ratings of the same
    responses.
    """
    stored = _stored_pair_months(conn, contract_id, months, target_code)
    missing = [m for m in months if m not in set(stored["month"])]
    parts = [stored] if len(stored) else []
    if missing or not parts:
        parts.append(_live_pair_counts(conn, contract_id, missing or list(months), target_code))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame = frame.astype({"value": "int64", "target_value": "int64", "n": "int64"})
    return frame.sort_values(list(PAIR_COLUMNS[:4])).reset_index(drop=True)


def _text_answers(
    contract_id: int, months: Sequence[str], text_codes: Sequence[str] | None
) -> list[sa.ColumnElement[bool]]:
    where = [
        answers.c.contract_id == contract_id,
        answers.c.month.in_(list(months)),
        answers.c.kind == "text",
    ]
    if text_codes is not None:
        where.append(answers.c.question_code.in_(list(text_codes)))
    return where


def read_comments(
    conn: Connection,
    contract_id: int,
    months: Sequence[str],
    text_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Free-text answers of a contract's months: ``response_id, month, question_code, text``.

    ``text_codes`` (the free-text questions' codes, optional) lets the database read just those
    answers from the ``(contract_id, month, question_code, ...)`` index instead of every answer
    of the months.
    """
    statement = (
        sa.select(
            answers.c.response_id, answers.c.month, answers.c.question_code, answers.c.text_value
        )
        .where(*_text_answers(contract_id, months, text_codes))
        .order_by(answers.c.response_id, answers.c.question_code)
    )
    return _frame(conn, statement, COMMENT_COLUMNS)


def read_comment_scores(
    conn: Connection,
    contract_id: int,
    months: Sequence[str],
    text_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rating and NPS answers of the responses that left a comment: ``response_id,
    question_code, value`` (to tell low scorers' comments apart).

    The answers are looked up by response (an answer carries its response's contract and
    month), so only the commenting responses' rows are read; ``text_codes`` as in
    :func:`read_comments`.
    """
    commented = sa.select(answers.c.response_id).where(
        *_text_answers(contract_id, months, text_codes)
    )
    statement = sa.select(answers.c.response_id, answers.c.question_code, answers.c.value).where(
        answers.c.response_id.in_(commented), answers.c.value.is_not(None)
    )
    return _frame(conn, statement, ("response_id", "question_code", "value"))


def read_answers(
    conn: Connection,
    contract_id: int,
    months: Sequence[str],
    kinds: Sequence[str] | None = None,
    question_codes: Sequence[str] | None = None,
    survey_version_id: int | None = None,
    columns: Sequence[str] = ("response_id", "month", "question_code", "kind", "value"),
) -> pd.DataFrame:
    """Answer rows of one contract (for exports and checks; dashboards use counts instead).

    Every filter is part of the SQL; only ``columns`` (names of the ``answers`` table) are
    selected.
    """
    statement = sa.select(*(answers.c[name] for name in columns)).where(
        answers.c.contract_id == contract_id, answers.c.month.in_(list(months))
    )
    if kinds is not None:
        statement = statement.where(answers.c.kind.in_(list(kinds)))
    if question_codes is not None:
        statement = statement.where(answers.c.question_code.in_(list(question_codes)))
    if survey_version_id is not None:
        version_responses = sa.select(responses.c.id).where(
            responses.c.contract_id == contract_id,
            responses.c.survey_version_id == survey_version_id,
        )
        statement = statement.where(answers.c.response_id.in_(version_responses))
    return _frame(conn, statement, columns)


def read_tickets(
    conn: Connection, contract_id: int, start: datetime, end: datetime
) -> pd.DataFrame:
    """Tickets received in ``[start, end)`` (aware datetimes), with UTC timestamps."""
    utc = [value.astimezone(UTC).replace(tzinfo=None) for value in (start, end)]
    if conn.dialect.name != "sqlite":
        utc = [start, end]
    statement = (
        sa.select(
            tickets.c.external_id,
            tickets.c.kind,
            tickets.c.received_at,
            tickets.c.first_reply_at,
            tickets.c.resolved_at,
        )  # fmt: skip
        .where(
            tickets.c.contract_id == contract_id,
            tickets.c.received_at >= utc[0],
            tickets.c.received_at < utc[1],
        )
        .order_by(tickets.c.received_at)
    )
    frame = _frame(conn, statement, TICKET_COLUMNS)
    for column in TICKET_COLUMNS[2:]:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _of_closed_cycles(stored: sa.Table, contract_id: int, months: Sequence[str], *columns):
    """SELECT ``columns`` of a stored per-month table (``contract_id``, ``month``) for the
    contract's closed cycles among ``months``: what was stored for a month that reopened is
    not used."""
    join = stored.join(
        cycles,
        sa.and_(cycles.c.contract_id == stored.c.contract_id, cycles.c.month == stored.c.month),
    )
    return (
        sa.select(*columns)
        .select_from(join)
        .where(
            stored.c.contract_id == contract_id,
            stored.c.month.in_(list(months)),
            cycles.c.status == "closed",
        )
    )


def _closed_summaries(conn: Connection, contract_id: int, months: Sequence[str], *columns):
    """``month_summaries`` rows of the contract's closed cycles among ``months``."""
    summaries = month_summaries
    return conn.execute(
        _of_closed_cycles(
            summaries,
            contract_id,
            months,
            summaries.c.month,
            *(summaries.c[name] for name in columns),
        )
    ).fetchall()


def read_funnel(conn: Connection, contract_id: int, months: Sequence[str]) -> pd.DataFrame:
    """Invitations per month: ``month`` and :data:`FUNNEL_COLUMNS` (issued whatever the
    channel, opened, answered; then the e-mail funnel: sent, opened, answered).

    A closed cycle's figures come from ``month_summaries`` (stored at cycle close from
    :func:`month_funnel`); other months are counted from the invitations.
    """
    stored = _closed_summaries(conn, contract_id, months, *FUNNEL_COLUMNS)
    live = sorted(set(months) - {row[0] for row in stored})
    rows = [tuple(row) for row in stored]
    if live:
        rows += [tuple(row) for row in _live_funnel(conn, contract_id, live)]
    frame = pd.DataFrame(rows, columns=["month", *FUNNEL_COLUMNS])
    grid = pd.DataFrame({"month": list(months)})
    merged = grid.merge(frame, on="month", how="left")
    return merged.fillna(0).astype(dict.fromkeys(FUNNEL_COLUMNS, "int64"))


def month_funnel(conn: Connection, contract_id: int, month: str) -> tuple[int, ...]:
    """The month's :data:`FUNNEL_COLUMNS` counted from the invitations (what a closing cycle
    stores in ``month_summaries``)."""
    rows = _live_funnel(conn, contract_id, [month])
    return (0,) * len(FUNNEL_COLUMNS) if not rows else tuple(int(v) for v in rows[0][1:])


def read_theme_records(
    conn: Connection, contract_id: int, months: Sequence[str]
) -> dict[str, dict]:
    """Stored comment keywords and themes of the contract's closed months among ``months``:
    ``{month: records}`` (see :meth:`analysis.ThemeSummary.from_records`)."""
    return {
        row[0]: row[1]
        for row in _closed_summaries(conn, contract_id, months, "comment_themes")
        if row[1] is not None
    }


def _if_emailed(column):
    return sa.case((invitations.c.sent_at.is_not(None), column))


def _live_funnel(conn: Connection, contract_id: int, months: Sequence[str]):
    statement = (
        sa.select(
            cycles.c.month,
            sa.func.count(invitations.c.id),  # issued, whatever the channel
            sa.func.count(invitations.c.opened_at),
            sa.func.count(invitations.c.responded_at),
            sa.func.count(invitations.c.sent_at),  # the e-mail funnel
            sa.func.count(_if_emailed(invitations.c.opened_at)),
            sa.func.count(_if_emailed(invitations.c.responded_at)),
        )
        .select_from(invitations.join(cycles, cycles.c.id == invitations.c.cycle_id))
        .where(cycles.c.contract_id == contract_id, cycles.c.month.in_(list(months)))
        .group_by(cycles.c.month)
    )
    return conn.execute(statement).fetchall()


def read_questions(conn: Connection, contract_id: int) -> pd.DataFrame:
    """Questions of the survey versions the contract's cycles used, one row per stable code.

    Columns ``question_code, kind, dimension, clause_ref``; where versions disagree the latest
    version's question wins.
    """
    used = sa.select(cycles.c.survey_version_id).where(cycles.c.contract_id == contract_id)
    statement = (
        sa.select(questions.c.code, questions.c.type, questions.c.dimension, questions.c.clause_ref)
        .where(questions.c.version_id.in_(used))
        .order_by(questions.c.version_id, questions.c.code)
    )
    frame = _frame(conn, statement, QUESTION_COLUMNS)
    return frame.drop_duplicates("question_code", keep="last").reset_index(drop=True)


def read_reach_inputs(
    conn: Connection, contract_id: int, months: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three frames :func:`analysis.reach.question_reach` reads, for one contract's months:
    its responses, the questions (with conditions) of their survey versions, and the answers
    that a condition can read (scores and chosen options' codes)."""
    month_list = list(months)
    version_ids = (
        sa.select(responses.c.survey_version_id)
        .where(responses.c.contract_id == contract_id, responses.c.month.in_(month_list))
        .distinct()
    )
    response_frame = _frame(
        conn,
        sa.select(responses.c.id, responses.c.month, responses.c.survey_version_id).where(
            responses.c.contract_id == contract_id, responses.c.month.in_(month_list)
        ),
        ("response_id", "month", "survey_version_id"),
    )
    condition_frame = _frame(
        conn,
        sa.select(
            questions.c.version_id,
            questions.c.code,
            questions.c.show_if_code,
            questions.c.show_if_op,
            questions.c.show_if_value,
        ).where(questions.c.version_id.in_(version_ids)),  # fmt: skip
        ("survey_version_id", "question_code", "show_if_code", "show_if_op", "show_if_value"),
    )
    answer_frame = _frame(
        conn,
        sa.select(
            answers.c.response_id, answers.c.question_code, answers.c.value, question_options.c.code
        )
        .select_from(
            answers.outerjoin(question_options, question_options.c.id == answers.c.option_id)
        )
        .where(answers.c.contract_id == contract_id, answers.c.month.in_(month_list)),
        ("response_id", "question_code", "value", "option_code"),
    )
    return response_frame, condition_frame, answer_frame


def read_targets(conn: Connection, contract_id: int) -> pd.DataFrame:
    """The contract's score targets: ``dimension, clause_ref, target_mean, target_csat``."""
    statement = sa.select(*(dimension_targets.c[name] for name in TARGET_COLUMNS)).where(
        dimension_targets.c.contract_id == contract_id
    )
    frame = _frame(conn, statement, TARGET_COLUMNS)
    return frame.astype({"target_mean": "float64", "target_csat": "float64"})


def read_contract_terms(conn: Connection, contract_id: int) -> ContractTerms:
    """SLA hours, time zone and targets of one contract."""
    row = conn.execute(
        sa.select(
            contracts.c.inquiry_hours,
            contracts.c.complaint_hours,
            contracts.c.timezone,
            contracts.c.target_nps,
            contracts.c.target_response_rate,
        ).where(contracts.c.id == contract_id)  # fmt: skip
    ).one()
    return ContractTerms(
        inquiry_hours=int(row[0]),
        complaint_hours=int(row[1]),
        timezone=str(row[2]),
        target_nps=float(row[3]),
        target_response_rate=float(row[4]),
    )
