"""What the monthly report says: headline figures, tables and chart copies for its template.

Everything the client reads comes from the analysis' client-facing views: a dimension, month,
theme or score with fewer than 5 answers is blanked (DESIGN.md section 5), comments are the
analysis' masked examples, and SLA breaches are listed by ticket id only (clause 四). Strings
are translated in the locale the caller forces (:func:`flask_babel.force_locale`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from flask_babel import gettext as _
from markupsafe import Markup

from analysis import MonthlyAnalysis
from analysis.figures import monthly_figures
from analysis.privacy import MIN_GROUP_SIZE

from ..i18n import current_locale
from ..labels import label, status_label
from ..models import ActionItem, ActionStatus
from ..presenting import reading
from ..presenting.effects import EffectView, effect_label, effect_view
from ..presenting.items import item_title
from ..presenting.month import month_headlines
from ..presenting.reading import dimension_sort_key, labels_for

__all__ = [
    "CHART_SIZES",
    "DimensionRow",
    "Headline",
    "ItemRow",
    "ReportItems",
    "SlaRow",
    "ThemeRow",
    "dimension_rows",
    "figure_labels",
    "headlines",
    "month_label",
    "month_ticks",
    "page_counter_css",
    "report_figures",
    "report_items",
    "sla_breach_rows",
    "sla_rows",
    "theme_rows",
]

OVERALL = "overall"
OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CHART_SIZES = {
    "trend": (720, 380),
    "sla": (720, 330),
    "scores": (720, 300),
    "nps": (720, 150),
    "funnel": (440, 230),
}
MAX_BREACHES = 40
EXAMPLES_PER_THEME = 2


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, digits: int = 1, suffix: str = "") -> str:
    """``84.4%``; a dash for a missing or suppressed figure."""
    return "—" if _missing(value) else f"{value:.{digits}f}{suffix}"


def signed(value: float | None, digits: int = 1) -> str:
    """``+3.1``; a change that rounds to zero is ``+0.0``, never ``-0.0``."""
    return "—" if _missing(value) else f"{round(value, digits) + 0.0:+.{digits}f}"


month_label = reading.month_label
month_ticks = reading.month_ticks


def figure_labels(inquiry_hours: int, complaint_hours: int) -> dict[str, str]:
    """Every label the analysis' figure builders print, in the current locale: the same
    labels as the dashboard's charts."""
    return labels_for(current_locale(), inquiry_hours, complaint_hours)[0]


def report_figures(
    analysis: MonthlyAnalysis, labels: Mapping[str, str], locale: str
) -> dict[str, go.Figure]:
    """The dashboard's figures (client-facing), titled by the report's headings instead of
    their own, with month axes in the report's language."""
    figures = monthly_figures(analysis, labels, client_facing=True)
    ticks = {"tickmode": "array", "tickvals": list(analysis.months),
             "ticktext": month_ticks(analysis.months, locale)}  # fmt: skip
    chosen = {}
    for name in CHART_SIZES:
        figure = go.Figure(figures[name])
        figure.update_layout(title=None, margin={"t": 20})
        figure.update_xaxes(automargin=True)
        figure.update_yaxes(automargin=True)
        if name in ("trend", "sla"):
            figure.update_xaxes(**ticks)
        chosen[name] = figure
    most = analysis.sla.table["breaches"].max() if not analysis.sla.table.empty else 0
    chosen["sla"].update_layout(
        yaxis2={"dtick": max(1, math.ceil((0 if _missing(most) else most) / 2)), "automargin": True}
    )
    return chosen


def page_counter_css() -> Markup:
    """The CSS ``content`` value of the page footer: ``第 1 页，共 5 页`` / ``Page 1 of 5``."""
    words = _("Page {page} of {pages}").replace('"', "")
    value = (
        '"'
        + words.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
        + '"'
    )
    return Markup(value)


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str
    target: str
    previous: str
    change: str
    met: bool | None
    status: str = ""


def headlines(analysis: MonthlyAnalysis) -> list[Headline]:
    """CSAT (overall satisfaction), NPS, response rate and SLA compliance: this month, target,
    last month and the change, as every reader prints them (:mod:`surveyapp.presenting`)."""
    return [
        Headline(key=h.key, label=h.label, value=h.text, target=h.target_text,
                 previous=h.previous_text, change=h.change_text, met=h.met, status=h.status)
        for h in month_headlines(analysis, client_facing=True)
    ]  # fmt: skip


@dataclass(frozen=True)
class DimensionRow:
    dimension: str
    label: str
    clause_ref: str
    n: int
    mean: str
    mean_interval: str
    csat: str
    csat_interval: str
    target: str
    change: str
    significance: str
    suppressed: bool
    below_target: bool  # the mean below the mean target
    csat_below_target: bool = False  # the CSAT below the CSAT target


def _verdict_label(verdict: str) -> str:
    return label("verdict", verdict) if verdict else "—"


def _dimension_order(code: str) -> tuple[int, str]:
    return dimension_sort_key(code)


def dimension_rows(analysis: MonthlyAnalysis, labels: Mapping[str, str]) -> list[DimensionRow]:
    """One row per dimension: clause, n, mean and CSAT with 95 % intervals, the change from
    last month and whether it is significant; groups under 5 answers blanked."""
    changes = {c.dimension: c for c in analysis.month_changes}
    rows = []
    scores = analysis.client_scores().to_dict("records")
    for row in sorted(scores, key=lambda r: _dimension_order(r["dimension"])):
        code = row["dimension"]
        n = 0 if _missing(row["n"]) else int(row["n"])
        suppressed = bool(row.get("suppressed")) or n < MIN_GROUP_SIZE
        change = changes.get(code)
        comparable = change is not None and not suppressed and change.before.n >= MIN_GROUP_SIZE
        rows.append(
            DimensionRow(
                dimension=code,
                label=labels.get(code, code),
                clause_ref=row["clause_ref"] or "",
                n=n,
                mean=reading.figure_text(row["mean"], "mean"),
                mean_interval=f"{number(row['mean_low'], 2)}–{number(row['mean_high'], 2)}",
                csat=reading.figure_text(row["csat"], "csat"),
                csat_interval=f"{number(row['csat_low'])}–{number(row['csat_high'])}",
                target=f"{number(row['target_mean'], 2)} / {number(row['target_csat'], 0, '%')}",
                change=reading.change_text(change.change_points, "csat") if comparable else "—",
                significance=_verdict_label(change.verdict) if comparable else "—",
                suppressed=suppressed,
                # each figure against its own target, never another column's
                below_target=not suppressed
                and reading.met(row["mean"], row["target_mean"]) is False,
                csat_below_target=not suppressed
                and reading.met(row["csat"], row["target_csat"]) is False,
            )  # fmt: skip
        )
    return rows


@dataclass(frozen=True)
class SlaRow:
    kind: str
    label: str
    n: int
    met: int
    breaches: int
    pending: int
    compliance: str
    interval: str
    median_hours: str


def sla_rows(analysis: MonthlyAnalysis, labels: Mapping[str, str]) -> list[SlaRow]:
    rows = []
    for kind in ("inquiry", "complaint"):
        sla = analysis.sla.month(analysis.month, kind)
        if sla is None:
            continue
        rows.append(
            SlaRow(
                kind=kind,
                label=labels[kind],
                n=sla.n,
                met=sla.met,
                breaches=sla.breaches,
                pending=sla.pending,
                compliance=reading.figure_text(sla.compliance.value, "sla"),
                interval=f"{number(sla.compliance.low)}–{number(sla.compliance.high)}",
                median_hours=number(sla.median_hours),
            )  # fmt: skip
        )
    return rows


@dataclass(frozen=True)
class BreachRow:
    ticket: str
    kind: str
    received: str
    taken: str
    allowed: int
    over: str


def sla_breach_rows(analysis: MonthlyAnalysis, labels: Mapping[str, str]) -> list[BreachRow]:
    """This month's breaches by ticket id (never a customer's identity), oldest first."""
    breaches = analysis.sla.breaches
    breaches = breaches[breaches["month"] == analysis.month]
    rows = []
    for row in breaches.to_dict("records"):
        received = pd.Timestamp(row["received_at"]).tz_convert(analysis.terms.timezone)
        rows.append(
            BreachRow(
                ticket=str(row["external_id"]),
                kind=labels.get(row["kind"], row["kind"]),
                received=received.strftime("%Y-%m-%d %H:%M"),
                taken=_("still open") if row["still_open"] else number(row["hours_taken"]),
                allowed=int(row["hours_allowed"]),
                over=number(row["hours_over"]),
            )  # fmt: skip
        )
    return rows


@dataclass(frozen=True)
class ThemeRow:
    group: str
    label: str
    comments: int
    share: str
    examples: list[str] = field(default_factory=list)


def theme_rows(analysis: MonthlyAnalysis, locale: str) -> list[ThemeRow]:
    """This month's comment themes, all comments and low scorers'; a theme or a group with
    fewer than 5 comments is left out, examples are the analysis' masked ones."""
    summary, month = analysis.themes, analysis.month
    sizes = summary.comments[summary.comments["month"] == month].set_index("group")["n"]
    themes = summary.themes[
        (summary.themes["month"] == month)
        & summary.themes["group"].isin(["all", "low_scorers"])
        & (summary.themes["comments"] >= MIN_GROUP_SIZE)
    ]
    examples = summary.examples[summary.examples["month"] == month]
    group_labels = {"all": _("All comments"), "low_scorers": _("Low scorers")}
    label_column = "label_en" if locale == "en" else "label_zh"
    rows = []
    for row in themes.to_dict("records"):
        if sizes.get(row["group"], 0) < MIN_GROUP_SIZE:
            continue
        texts = examples[(examples["group"] == row["group"]) & (examples["theme"] == row["theme"])]
        rows.append(
            ThemeRow(
                group=group_labels[row["group"]],
                label=row[label_column],
                comments=int(row["comments"]),
                share=number(row["share"], 0, "%"),
                examples=list(dict.fromkeys(texts["text"]))[:EXAMPLES_PER_THEME],
            )  # fmt: skip
        )
    return rows


@dataclass(frozen=True)
class ItemRow:
    title: str
    clause_ref: str
    priority: str
    status: str
    month: str
    due: str
    effect: str
    effect_view: EffectView | None = None


@dataclass(frozen=True)
class ReportItems:
    """The action items of the month: stored ones, or the analysis' proposals when the
    contract has none stored yet (then ``proposed_only``)."""

    new: list[ItemRow]
    still_open: list[ItemRow]
    closed: list[ItemRow]
    proposed_only: bool = False
    # earlier items whose effect was judged on this month
    judged: list[ItemRow] = field(default_factory=list)


def _priority_label(code: str) -> str:
    return label("priority", code)


def _effect_label(code: str | None) -> str:
    return effect_label(code)


def report_items(
    analysis: MonthlyAnalysis,
    stored: Iterable[ActionItem],
    month_start: datetime,
    month_end: datetime,
) -> ReportItems:
    """New this month, still open from earlier months, closed in the month (``month_start``
    inclusive to ``month_end`` exclusive, aware datetimes) with their effect."""
    stored = list(stored)
    if not stored:
        proposals = [
            ItemRow(title=p.title, clause_ref=p.clause_ref, priority=_priority_label(p.priority),
                    status=status_label(ActionStatus.PROPOSED), month=p.month,
                    due=p.due_date.isoformat(), effect="")
            for p in analysis.action_items
        ]  # fmt: skip
        return ReportItems(new=proposals, still_open=[], closed=[], proposed_only=True)

    def row(item: ActionItem) -> ItemRow:
        return ItemRow(
            title=item_title(item, current_locale()), clause_ref=item.clause_ref,
            priority=_priority_label(item.priority),
            status=status_label(item.status), month=item.month,
            due=item.due_date.isoformat() if item.due_date else "—",
            effect=_effect_label(item.effect) if item.status == ActionStatus.DONE else "",
            effect_view=effect_view(item, client=True) if item.effect else None,
        )  # fmt: skip

    month = analysis.month
    live = [i for i in stored if i.status != ActionStatus.DISMISSED]
    closed_now = [
        i for i in live if i.status == ActionStatus.DONE and i.closed_at is not None
        and month_start <= i.closed_at < month_end
    ]  # fmt: skip
    return ReportItems(
        new=[row(i) for i in live if i.month == month and i not in closed_now],
        still_open=[row(i) for i in live if i.month < month and i.status in OPEN_STATUSES],
        closed=[row(i) for i in closed_now],
        judged=[
            row(i) for i in live
            if i.effect is not None and (i.effect_evidence or {}).get("month") == month
        ],
    )  # fmt: skip
