"""The one step after a month closes (clause 一(3)): close, analyse, report.

Every surface that ends a month calls it: the month page's close button and the
``close-cycle`` command call :func:`close_month`; the autopilot calls its three parts
(:func:`close`, :func:`analyse`, :func:`report`) one ledger step at a time, so a failed report
is retried without closing or analysing again. In order:

1. ``close``: links expire, the month's aggregates are stored (:func:`.lifecycle.close_cycle`);
2. ``analyse``: the month's analysis, then the measured effect of every item done since the
   last cycle, then the month's action-item proposals (due the day before the next month opens);
3. ``report``: the archived PDF in Chinese, and in English when one of the client's users reads
   English.

Each part is safe to run again: a closed month is not closed twice, proposals are stored once
per key and effects once per item, a language that has a report is not built again. So running
the step on a month closed before (by hand, by an older version) completes what is missing.

Reports need Chromium (kaleido exports the charts): without it :func:`report` raises
:class:`ChartExportUnavailable` to the autopilot (its ledger keeps the error and the next tick
retries), while :func:`close_month` keeps what it did and says in ``reports_missing`` why the
reports wait (``build-reports`` or the autopilot's retry builds them later).

pandas, SciPy and Plotly are imported inside the parts that need them, so the pages and commands
that only import this module start quickly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import LOCALES
from ..models import Contract, Cycle, Report, User
from .lifecycle import close_cycle


@dataclass(frozen=True)
class Analysed:
    proposals: int
    effects: int


@dataclass
class CloseOutcome:
    """What :func:`close_month` did; ``reports_missing`` says why reports wait, if they do."""

    month: str
    closed: bool
    proposals: int = 0
    effects: int = 0
    reports: list[str] = field(default_factory=list)  # "zh_CN v1" per report built now
    reports_missing: str | None = None

    def line(self) -> str:
        """One line in English for the command line and the logs."""
        text = "closed" if self.closed else "was already closed"
        text += f"; {self.proposals} action items proposed, {self.effects} effects recorded; "
        if self.reports_missing:
            return text + f"reports not built: {self.reports_missing}"
        return text + ("reports built: " + ", ".join(self.reports) if self.reports
                       else "reports already archived")  # fmt: skip


def close(session: Session, cycle: Cycle, *, now: datetime, actor: User | None = None) -> bool:
    """Close the month (links expire, aggregates stored); False if it was closed already."""
    return close_cycle(session, cycle, now=now, actor=actor)


def analyse(session: Session, cycle: Cycle, *, now: datetime) -> Analysed:
    """The closed month's analysis: effects of items done before it, then its proposals.

    Flushes; the caller commits (the autopilot with its ledger row).
    """
    from analysis import monthly_analysis

    from ..action_items.board import record_effects, save_proposals
    from ..autopilot.plan import Schedule

    contract = cycle.contract
    due_by = Schedule.of(contract).due_by(cycle.month)
    result = monthly_analysis(
        session.connection(), contract.id, cycle.month, now=now, due_by=due_by
    )
    effects = record_effects(session, contract.id, result)
    proposals = result.action_items + _sla_proposals(session, result, now=now, due_by=due_by)
    added = save_proposals(session, contract.id, cycle.id, proposals)
    session.flush()
    return Analysed(proposals=len(added), effects=len(effects))


def _sla_proposals(session: Session, result, *, now: datetime, due_by) -> tuple:
    """Training items for a team below target and a deadline item when breached customers rate
    significantly lower (issue #23), from the month's SLA x satisfaction join. Agents get none
    here: action items reach the client, and an agent's figures are for provider staff only
    (the dashboard's agent table)."""
    from analysis.action_items import propose_sla_items
    from analysis.monthly import dimension_clauses
    from analysis.sla_load import read_sla_inputs
    from analysis.sla_satisfaction import sla_satisfaction

    inputs = read_sla_inputs(session.connection(), result.contract_id, result.month)
    joined = sla_satisfaction(
        inputs.responses, inputs.tickets, inputs.invitations, month=result.month, now=now,
        **inputs.as_kwargs(),
    )  # fmt: skip
    return tuple(
        propose_sla_items(
            result.month, teams=joined.teams, agents=joined.agents.iloc[0:0], gap=joined.gap,
            targets=result.targets, due_by=due_by,
            clauses=dimension_clauses(result.questions, result.targets),
        )  # fmt: skip
    )


def report_locales(session: Session, contract: Contract) -> list[str]:
    """Chinese always, English too when one of the client's users reads English."""
    from ..autopilot.notify import client_users

    wanted = {"zh_CN"} | {user.locale for user in client_users(session, contract)}
    return [locale for locale in LOCALES if locale in wanted]


def report(
    session: Session,
    cycle: Cycle,
    *,
    now: datetime,
    actor: User | None = None,
    actor_label: str | None = None,
) -> list[str]:
    """Build the month's missing reports (one per language); ``["zh_CN v1", ...]``.

    Raises :class:`~surveyapp.reports.pdf.ChartExportUnavailable` without Chromium.
    """
    from ..reports.building import build_monthly_report
    from ..reports.pdf import chart_server

    built = []
    for locale in report_locales(session, cycle.contract):
        exists = session.scalar(
            select(Report.id).where(Report.cycle_id == cycle.id, Report.locale == locale).limit(1)
        )
        if exists:
            continue
        chart_server().start()
        archived = build_monthly_report(
            session, cycle, locale=locale, actor=actor, actor_label=actor_label, now=now
        )
        built.append(f"{locale} v{archived.version}")
    return built


def close_month(
    session: Session,
    cycle: Cycle,
    *,
    now: datetime,
    actor: User | None = None,
    actor_label: str | None = None,
) -> CloseOutcome:
    """Close ``cycle`` and do everything that follows (see the module's docstring); commits.

    Safe to run again: on a closed month it only adds what is missing.
    """
    from ..reports.pdf import ChartExportUnavailable

    outcome = CloseOutcome(month=cycle.month, closed=close(session, cycle, now=now, actor=actor))
    analysed = analyse(session, cycle, now=now)
    session.commit()
    outcome.proposals, outcome.effects = analysed.proposals, analysed.effects
    try:
        outcome.reports = report(session, cycle, now=now, actor=actor, actor_label=actor_label)
    except ChartExportUnavailable as error:
        session.rollback()
        outcome.reports_missing = str(error)
    return outcome
