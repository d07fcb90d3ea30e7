"""The monthly analysis of one contract: the one call the dashboard, the PDF and the autopilot make.

:func:`monthly_analysis` reads what it needs (aggregates, not answer rows) and hands it to
:func:`analyse_month`, the pure part, which tests and the benchmark call with frames directly.
The result, :class:`MonthlyAnalysis`, holds every figure and table a dashboard or the monthly
PDF shows, and the proposed action items.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.engine import Connection

from . import load
from .action_items import effect_verdict, propose
from .action_texts import LABELS_ZH, TEXTS_ZH
from .drivers import dimension_importance, key_drivers
from .frames import COMMENT_COLUMNS, FUNNEL_COLUMNS
from .load import ContractTerms
from .metrics import dimension_scores, nps_scores, response_rate
from .privacy import mask_contacts, suppress_small_groups
from .results import ActionItemProposal, EffectVerdict, Estimate, Funnel, MonthChange, NpsEstimate
from .sla import SLA_CLAUSES, SlaReport, sla_compliance
from .themes import ThemeSummary, comment_groups, comment_themes
from .trends import dimension_trend, month_changes, month_over_month, month_range

__all__ = [
    "MonthInputs",
    "MonthlyAnalysis",
    "analyse_month",
    "item_effect",
    "load_month_inputs",
    "month_comment_themes",
    "monthly_analysis",
    "overall_code",
    "portfolio_scores",
]


@dataclass(frozen=True)
class MonthInputs:
    """Everything :func:`analyse_month` reads, as frames (see :mod:`analysis.frames`).

    ``counts`` covers the trend window, ``comments`` and ``comment_scores`` the month and the
    one before (those of them without ``stored_themes``), ``tickets`` the trend window,
    ``funnel`` one row per window month. ``stored_themes`` holds the keywords and themes
    stored for closed months (``None`` when there are none); their comments are not read.
    """

    contract_id: int
    month: str
    months: tuple[str, ...]
    counts: pd.DataFrame
    questions: pd.DataFrame
    targets: pd.DataFrame
    terms: ContractTerms
    pairs: pd.DataFrame
    comments: pd.DataFrame
    comment_scores: pd.DataFrame
    tickets: pd.DataFrame
    funnel: pd.DataFrame
    stored_themes: ThemeSummary | None = None


@dataclass(frozen=True)
class MonthlyAnalysis:
    """One contract's month, analysed.

    scores
        This month per dimension: ``dimension, clause_ref, n, top2, mean, mean_low, mean_high,
        csat, csat_low, csat_high, target_mean, target_csat, gap, csat_gap``.
    trend
        Per dimension x window month, the same score columns (``n = 0`` for a month without
        answers); ``changes`` adds the month-over-month test (:func:`month_over_month`) and
        ``month_changes`` holds this month's :class:`MonthChange` objects.
    nps, nps_trend
        This month's :class:`NpsEstimate`; NPS per window month.
    funnel, funnel_trend, response_rate
        This month's invited/opened/answered; per window month; answered / invited.
    drivers
        The importance-performance ranking (:func:`analysis.drivers.key_drivers`).
    themes
        Keywords, themes and masked examples of this and the previous month.
    sla
        Ticket compliance per window month and kind, and the breaches.
    action_items
        The proposals of this month's rules.
    """

    contract_id: int
    month: str
    months: tuple[str, ...]
    terms: ContractTerms
    questions: pd.DataFrame
    targets: pd.DataFrame
    scores: pd.DataFrame
    trend: pd.DataFrame
    changes: pd.DataFrame
    month_changes: tuple[MonthChange, ...]
    nps: NpsEstimate
    nps_trend: pd.DataFrame
    funnel: Funnel
    funnel_trend: pd.DataFrame
    response_rate: Estimate
    drivers: pd.DataFrame
    themes: ThemeSummary
    sla: SlaReport
    action_items: tuple[ActionItemProposal, ...] = field(default=())

    def client_scores(self) -> pd.DataFrame:
        """This month's dimension scores with every group of fewer than 5 answers blanked."""
        return suppress_small_groups(self.scores)

    def client_trend(self) -> pd.DataFrame:
        """The trend with every dimension-month of fewer than 5 answers blanked."""
        return suppress_small_groups(self.trend)


def _month_bounds(months: Sequence[str], timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    first = pd.Period(months[0], freq="M").start_time.to_pydatetime().replace(tzinfo=zone)
    after = (pd.Period(months[-1], freq="M") + 1).start_time.to_pydatetime().replace(tzinfo=zone)
    return first.astimezone(UTC), after.astimezone(UTC)


def overall_code(questions: pd.DataFrame, overall_dimension: str = "overall") -> str | None:
    """The code of the rating question of the overall dimension (the key drivers' outcome)."""
    codes = questions.loc[
        (questions["kind"] == "rating") & (questions["dimension"] == overall_dimension),
        "question_code",
    ]
    return None if codes.empty else str(codes.iloc[0])


def load_month_inputs(
    conn: Connection,
    contract_id: int,
    month: str,
    *,
    targets: pd.DataFrame | None = None,
    terms: ContractTerms | None = None,
    overall_dimension: str = "overall",
    trend_months: int = 12,
) -> MonthInputs:
    """Read one contract's month (and its trend window) from the database."""
    months = tuple(month_range(month, trend_months))
    questions = load.read_questions(conn, contract_id)
    terms = terms or load.read_contract_terms(conn, contract_id)
    overall = overall_code(questions, overall_dimension)
    text_codes = questions.loc[questions["kind"] == "text", "question_code"].tolist()
    stored_themes = load.read_theme_records(conn, contract_id, months[-2:])
    recent = [m for m in months[-2:] if m not in stored_themes]
    start, end = _month_bounds(months, terms.timezone)
    pairs = (
        load.read_pair_counts(conn, contract_id, [month], overall)
        if overall
        else pd.DataFrame(columns=["month", "question_code", "value", "target_value", "n"])
    )
    return MonthInputs(
        contract_id=contract_id,
        month=month,
        months=months,
        counts=load.read_counts(conn, months, [contract_id]),
        questions=questions,
        targets=targets if targets is not None else load.read_targets(conn, contract_id),
        terms=terms,
        pairs=pairs,
        comments=(
            load.read_comments(conn, contract_id, recent, text_codes)
            if recent
            else pd.DataFrame([], columns=list(COMMENT_COLUMNS))
        ),
        comment_scores=(
            load.read_comment_scores(conn, contract_id, recent, text_codes)
            if recent
            else pd.DataFrame([], columns=["response_id", "question_code", "value"])
        ),
        tickets=load.read_tickets(conn, contract_id, start, end),
        funnel=load.read_funnel(conn, contract_id, months),
        stored_themes=(
            ThemeSummary.from_records([stored_themes[m] for m in sorted(stored_themes)])
            if stored_themes
            else None
        ),
    )


def month_comment_themes(
    comments: pd.DataFrame,
    comment_scores: pd.DataFrame,
    questions: pd.DataFrame,
    names: tuple[str, ...] = (),
) -> ThemeSummary:
    """Comment keywords, themes and masked examples of the given comments (what a closing
    cycle stores for its month, and what the analysis computes for months without it)."""
    if comments.empty:
        return ThemeSummary.from_records([])
    groups = comment_groups(comments, comment_scores, questions)
    return comment_themes(comments, groups, names=names)


def _last_day(month: str) -> date:
    period = pd.Period(month, freq="M")
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def dimension_clauses(questions: pd.DataFrame, targets: pd.DataFrame) -> dict[str, str]:
    """Each dimension's clause: from its rating questions, the contract's targets winning."""
    rated = questions[(questions["kind"] == "rating") & questions["dimension"].notna()]
    clauses = dict(zip(rated["dimension"], rated["clause_ref"].fillna(""), strict=True))
    clauses |= dict(zip(targets["dimension"], targets["clause_ref"].fillna(""), strict=True))
    return clauses


def analyse_month(
    inputs: MonthInputs,
    *,
    now: datetime | None = None,
    due_by: date | None = None,
    labels: Mapping[str, str] = LABELS_ZH,
    texts: Mapping[str, str] = TEXTS_ZH,
    names: tuple[str, ...] = (),
    sla_clauses: Mapping[str, str] = SLA_CLAUSES,
    propose_items: bool = True,
) -> MonthlyAnalysis:
    """Compute every figure of the month from :class:`MonthInputs` (no database access).

    ``now`` decides which open tickets are past their deadline (default: the current time);
    ``due_by`` is the last day before the next cycle opens (default: the month's last day);
    ``sla_clauses`` names the clause each ticket kind evidences, which links an SLA breach to
    the dimension rated under the same clause. ``propose_items=False`` skips the action-item
    rules (``action_items`` is then empty).
    """
    month, months, questions, targets = (
        inputs.month,
        list(inputs.months),
        inputs.questions,
        inputs.targets,
    )
    trend = dimension_trend(inputs.counts, questions, months)
    changes = month_over_month(trend)
    scores = trend[(trend["month"] == month) & (trend["n"] > 0)].drop(columns="month")
    scores = scores.merge(
        targets[["dimension", "target_mean", "target_csat"]], on="dimension", how="left"
    )
    scores = scores.assign(
        gap=scores["target_mean"] - scores["mean"], csat_gap=scores["target_csat"] - scores["csat"]
    ).reset_index(drop=True)
    nps_trend = nps_scores(inputs.counts, questions, by=("month",))
    nps_trend = pd.DataFrame({"month": months}).merge(nps_trend, on="month", how="left")
    this_nps = nps_trend[nps_trend["month"] == month].iloc[0]
    nps = NpsEstimate(
        value=float(this_nps["nps"]), low=float(this_nps["nps_low"]),
        high=float(this_nps["nps_high"]), se=float(this_nps["se"]),
        n=int(0 if pd.isna(this_nps["n"]) else this_nps["n"]),
        promoters=float(this_nps["promoters"]), passives=float(this_nps["passives"]),
        detractors=float(this_nps["detractors"]),
    )  # fmt: skip
    funnel_row = inputs.funnel[inputs.funnel["month"] == month].iloc[0]
    funnel = Funnel(*(int(funnel_row.get(name, 0)) for name in FUNNEL_COLUMNS))
    rate = response_rate(funnel.answered, funnel.invited)
    drivers = key_drivers(dimension_importance(inputs.pairs, questions), scores, targets)
    themes = month_comment_themes(inputs.comments, inputs.comment_scores, questions, names)
    stored = inputs.stored_themes
    if stored is not None and names and len(stored.examples):
        # stored at close with the names known then; mask the ones known now as well
        examples = stored.examples.assign(text=mask_contacts(stored.examples["text"], names))
        stored = ThemeSummary(stored.comments, stored.keywords, stored.themes, examples)
    if stored is not None:
        themes = ThemeSummary.concat([stored, themes]) if len(themes.comments) else stored
    terms = inputs.terms
    sla = sla_compliance(
        inputs.tickets, now=now or datetime.now(UTC), months=months,
        inquiry_hours=terms.inquiry_hours, complaint_hours=terms.complaint_hours,
        timezone=terms.timezone,
    )  # fmt: skip
    clauses = dimension_clauses(questions, targets)
    sla_dimensions = {
        kind: next((d for d, c in clauses.items() if c == ref), None)
        for kind, ref in sla_clauses.items()
    }
    items = propose(
        month, scores=scores, targets=targets, changes=changes, sla=sla.table,
        themes=themes.themes, response_rate=rate, target_response_rate=terms.target_response_rate,
        due_by=due_by or _last_day(month), clauses=clauses, sla_dimensions=sla_dimensions,
        drivers=drivers, labels=labels, texts=texts,
    ) if propose_items else []  # fmt: skip
    return MonthlyAnalysis(
        contract_id=inputs.contract_id, month=month, months=tuple(months), terms=terms,
        questions=questions, targets=targets, scores=scores, trend=trend, changes=changes,
        month_changes=month_changes(changes, month), nps=nps, nps_trend=nps_trend,
        funnel=funnel, funnel_trend=inputs.funnel, response_rate=rate, drivers=drivers,
        themes=themes, sla=sla, action_items=tuple(items),
    )  # fmt: skip


def monthly_analysis(
    conn: Connection,
    contract_id: int,
    month: str,
    *,
    targets: pd.DataFrame | None = None,
    terms: ContractTerms | None = None,
    overall_dimension: str = "overall",
    trend_months: int = 12,
    now: datetime | None = None,
    due_by: date | None = None,
    labels: Mapping[str, str] = LABELS_ZH,
    texts: Mapping[str, str] = TEXTS_ZH,
    names: tuple[str, ...] = (),
    propose_items: bool = True,
) -> MonthlyAnalysis:
    """Analyse one contract's month: read the aggregates, compute, propose action items.

    Parameters
    ----------
    conn : an open SQLAlchemy connection (SQLite or PostgreSQL).
    contract_id, month : the contract and the cycle month ``'YYYY-MM'``.
    targets, terms : the contract's targets and SLA terms; read from the database when omitted.
    overall_dimension : the dimension code of the overall satisfaction rating (the drivers'
        outcome).
    trend_months : length of the trend window ending with ``month``.
    now : the instant that decides open tickets' breaches (default: the current time).
    due_by : last day before the next cycle opens (default: the month's last day).
    labels, texts : wording of action items (Chinese by default, see
        :mod:`analysis.action_texts`).
    names : known customer names to mask in comment examples.
    propose_items : run the action-item rules (a page that does not show proposals skips them).
    """
    inputs = load_month_inputs(
        conn, contract_id, month, targets=targets, terms=terms,
        overall_dimension=overall_dimension, trend_months=trend_months,
    )  # fmt: skip
    return analyse_month(
        inputs, now=now, due_by=due_by, labels=labels, texts=texts, names=names,
        propose_items=propose_items,
    )  # fmt: skip


def portfolio_scores(
    conn: Connection, month: str, questions: pd.DataFrame, contract_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Dimension scores of every contract for one month (the contracts x dimensions heatmap).

    Columns as :func:`analysis.metrics.dimension_scores` with ``contract_id`` and ``month``.
    """
    counts = load.read_counts(conn, [month], contract_ids)
    return dimension_scores(counts, questions, by=("contract_id", "month"))


def item_effect(key: str, evidence: Mapping, after: MonthlyAnalysis) -> EffectVerdict:
    """The effect verdict of a closed item, judged on the next closed cycle's analysis.

    ``key`` and ``evidence`` are the stored item's (see :class:`ActionItemProposal`); the
    metric named in the evidence is looked up in ``after`` and compared with
    :func:`analysis.action_items.effect_verdict` (Welch's test for means, a test of two
    proportions for CSAT, SLA compliance, response rate and a theme's share).
    """
    subject = key.split(":", 1)[1]
    metric = evidence.get("metric")
    empty = Estimate(float("nan"), float("nan"), float("nan"), 0)

    def value(name: str) -> float:
        found = evidence.get(name)
        return float("nan") if found is None else float(found)

    def stored(name: str, low: str, high: str) -> Estimate:
        return Estimate(value(name), value(low), value(high), int(evidence.get("n") or 0))

    if metric in ("mean", "csat"):
        row = after.scores[after.scores["dimension"] == subject]
        now = (
            empty
            if row.empty
            else Estimate(
                *(float(row[f"{metric}{s}"].iloc[0]) for s in ("", "_low", "_high")),
                int(row["n"].iloc[0]),
            )
        )
        verdict = effect_verdict(
            stored(metric, f"{metric}_low", f"{metric}_high"),
            now,
            target=evidence.get(f"target_{metric}"),
            kind="mean" if metric == "mean" else "share",
        )
    elif metric == "compliance":
        sla = after.sla.month(after.month, subject)
        verdict = effect_verdict(
            stored("compliance", "compliance_low", "compliance_high"),
            sla.compliance if sla else empty,
            target=100.0,
        )
    elif metric == "response_rate":
        verdict = effect_verdict(
            stored("rate", "rate_low", "rate_high"),
            after.response_rate,
            target=evidence.get("target"),
        )
    else:
        share, comments = value("share"), int(evidence.get("comments") or 0)
        n = int(evidence.get("n") or (round(100 * comments / share) if share > 0 else 0))
        before = Estimate(share, float("nan"), float("nan"), n)
        themes, sizes = after.themes.themes, after.themes.comments
        size = sizes[(sizes["month"] == after.month) & (sizes["group"] == "low_scorers")]
        total = 0 if size.empty else int(size["n"].iloc[0])
        row = themes[
            (themes["month"] == after.month)
            & (themes["group"] == "low_scorers")
            & (themes["theme"] == subject)
        ]
        count = 0 if row.empty else int(row["comments"].iloc[0])
        now = Estimate(100 * count / total, float("nan"), float("nan"), total) if total else empty
        verdict = effect_verdict(before, now, higher_is_better=False)
    return EffectVerdict(
        verdict.effect, {"month": after.month, "metric": metric, **verdict.evidence}
    )
