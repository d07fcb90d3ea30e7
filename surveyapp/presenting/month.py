"""A contract's month as people read it: the headline figures and the panels of the dashboard
and the portal, built once from the analysis. The PDF reads the same headlines.

Figures are the analysis' plotly figures serialised to JSON; static/js/charts.js draws them with
the vendored plotly.js. Client-facing panels use the suppressed scores (n < 5 blanked).
Roundings and words: :mod:`surveyapp.presenting.reading`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import analysis
from analysis.figures import figure_json, monthly_figure_specs
from analysis.privacy import MIN_GROUP_SIZE

from ..models import Contract
from . import reading
from .reading import (
    UnknownMonth,  # noqa: F401 (callers catch it from here too)
    change_text,
    contract_months,
    dimension_sort_key,
    figure_text,
    headline_label,
    labels_for,
    status_word,
)

TREND_MONTHS = 12
HEADLINE_KEYS = ("csat", "nps", "response_rate", "sla_inquiry", "sla_complaint")


@dataclass(frozen=True)
class Headline:
    """One headline figure: this month, last month, the contract's target, and its words.

    ``value``, ``previous``, ``target`` are full-precision numbers (None when blank);
    ``text``, ``target_text``, ``previous_text``, ``change_text`` the rounded strings every
    reader prints; ``blank_reason`` says why ``value`` is None."""

    key: str
    label: str
    value: float | None
    previous: float | None
    target: float | None
    unit: str
    higher_is_better: bool = True
    n: int | None = None
    blank_reason: str | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def met(self) -> bool | None:
        return reading.met(self.value, self.target, self.higher_is_better)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def text(self) -> str:
        return figure_text(self.value, self.key)

    @property
    def target_text(self) -> str:
        return figure_text(self.target, self.key)

    @property
    def previous_text(self) -> str:
        return figure_text(self.previous, self.key)

    @property
    def change_text(self) -> str:
        return change_text(self.change, self.key)

    @property
    def status(self) -> str:
        return status_word(self.met)

    @property
    def blank_text(self) -> str:
        reason = reading.BLANK_REASONS.get(self.blank_reason or "")
        return str(reason) if reason else ""


def _num(value: Any) -> float | None:
    """A plain float, or None for missing, NaN and suppressed (NA) values."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    """A plain int, or None for a missing or suppressed (NA) count."""
    return None if value is None or pd.isna(value) else int(value)


def _row(frame: pd.DataFrame, **where: Any) -> pd.Series | None:
    """The first row whose columns equal ``where`` (numpy masks: a pandas mask per lookup cost
    more than the page's queries)."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= frame[column].to_numpy() == value
    found = np.flatnonzero(mask)
    return None if not len(found) else frame.iloc[found[0]]


def _reason(n: int | None, client_facing: bool, raw_n: int | None = None) -> str | None:
    if raw_n is not None and raw_n > 0 and n is None:
        return "suppressed"
    if not n:
        return "no_responses"
    if client_facing and n < MIN_GROUP_SIZE:
        return "suppressed"
    return None


def month_headlines(result: analysis.MonthlyAnalysis, *, client_facing: bool) -> list[Headline]:
    """CSAT (overall satisfaction), NPS, response rate and SLA compliance per kind: this
    month, last month, target. A client reads nothing resting on fewer than 5 answers."""
    month = result.month
    previous = result.months[-2] if len(result.months) > 1 else ""
    terms = result.terms
    scores = result.client_scores() if client_facing else result.scores
    trend = result.client_trend() if client_facing else result.trend
    hours = (terms.inquiry_hours, terms.complaint_hours)

    overall_now = _row(scores, dimension="overall")
    raw_overall = _row(result.scores, dimension="overall")
    overall_before = _row(trend, dimension="overall", month=previous)
    overall_target = _row(result.targets, dimension="overall")
    n = _count(overall_now["n"]) if overall_now is not None else 0
    raw_n = _count(raw_overall["n"]) if raw_overall is not None else 0
    csat = _num(overall_now["csat"]) if overall_now is not None else None
    reason = None if csat is not None else _reason(n, client_facing, raw_n)
    if raw_overall is None:
        reason = "no_questions"

    def nps_at(m: str) -> float | None:
        row = _row(result.nps_trend, month=m)
        if row is None or (client_facing and (_count(row["n"]) or 0) < MIN_GROUP_SIZE):
            return None
        return _num(row["nps"])

    nps = result.nps
    nps_blank = nps.empty or (client_facing and nps.n < MIN_GROUP_SIZE)
    funnel_before = _row(result.funnel_trend, month=previous)
    rate_before = (
        None
        if funnel_before is None
        else _num(
            analysis.response_rates([funnel_before["answered"]], [funnel_before["invited"]])[0]
        )
    )
    lines = [
        Headline(
            "csat", headline_label("csat"), csat,
            _num(overall_before["csat"]) if overall_before is not None else None,
            _num(overall_target["target_csat"]) if overall_target is not None else None,
            "%", n=n, blank_reason=reason,
        ),
        Headline(
            "nps", headline_label("nps"), None if nps_blank else _num(nps.value),
            nps_at(previous), _num(terms.target_nps), "", n=nps.n,
            blank_reason=(_reason(nps.n, client_facing) if nps_blank else None),
            se=None if nps_blank else _num(nps.se),
            low=None if nps_blank else _num(nps.low),
            high=None if nps_blank else _num(nps.high),
        ),
        Headline(
            "response_rate", headline_label("response_rate"), _num(result.response_rate.value),
            rate_before, _num(terms.target_response_rate), "%", n=result.funnel.invited,
            blank_reason=None if _num(result.response_rate.value) is not None
            else "no_invitations" if not result.funnel.invited else "no_responses",
        ),
    ]  # fmt: skip
    for kind in ("inquiry", "complaint"):
        now_row = _row(result.sla.table, month=month, kind=kind)
        before_row = _row(result.sla.table, month=previous, kind=kind)
        value = _num(now_row["compliance"]) if now_row is not None else None
        lines.append(
            Headline(
                f"sla_{kind}", headline_label(f"sla_{kind}", *hours), value,
                _num(before_row["compliance"]) if before_row is not None else None,
                100.0, "%", n=_count(now_row["n"]) if now_row is not None else 0,
                blank_reason=None if value is not None else "no_tickets",
            )
        )  # fmt: skip
    return lines


@dataclass
class ContractPanels:
    month: str
    result: analysis.MonthlyAnalysis
    headlines: list[Headline]
    scores: list[dict[str, Any]]
    figures: dict[str, str]
    keywords: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    sla_rows: list[dict[str, Any]] = field(default_factory=list)
    drivers: list[dict[str, Any]] = field(default_factory=list)
    month_label: str = ""


def contract_month_panels(
    conn: Connection,
    contract: Contract,
    month: str,
    locale: str,
    *,
    client_facing: bool,
    now: datetime,
) -> ContractPanels:
    """Run the month's analysis and shape every panel of the contract dashboard (or portal)."""
    labels, texts = labels_for(locale, contract.inquiry_hours, contract.complaint_hours)
    result = analysis.monthly_analysis(
        conn, contract.id, month, labels=labels, texts=texts, now=now, trend_months=TREND_MONTHS,
        propose_items=False,  # the page lists the stored action items, not fresh proposals
    )  # fmt: skip
    scores = result.client_scores() if client_facing else result.scores
    changes = {c.dimension: c for c in result.month_changes}
    headlines = month_headlines(result, client_facing=client_facing)
    sla_rows = []
    for kind in ("inquiry", "complaint"):
        now_row = _row(result.sla.table, month=month, kind=kind)
        if now_row is not None:
            sla_rows.append({k: _num(v) if isinstance(v, float) else v for k, v in now_row.items()})

    score_rows = []
    ordered_rows = sorted(
        scores.itertuples(index=False), key=lambda r: dimension_sort_key(r.dimension)
    )
    for row in ordered_rows:
        change = changes.get(row.dimension)
        score_rows.append(
            {
                "dimension": row.dimension,
                "label": labels.get(row.dimension, row.dimension),
                "clause_ref": row.clause_ref,
                "n": None if pd.isna(row.n) else int(row.n),
                "mean": _num(row.mean),
                "mean_low": _num(row.mean_low),
                "mean_high": _num(row.mean_high),
                "csat": _num(row.csat),
                "csat_low": _num(row.csat_low),
                "csat_high": _num(row.csat_high),
                "target_mean": _num(row.target_mean),
                "target_csat": _num(row.target_csat),
                # each figure against its own target, never another column's
                "below_target": below(row.mean, row.target_mean),
                "csat_below_target": below(row.csat, row.target_csat),
                "change": change,
            }
        )

    figures = monthly_figure_specs(result, labels, client_facing=client_facing)
    themes = result.themes
    group = "low_scorers"
    keywords = themes.keywords[
        (themes.keywords["month"] == month) & (themes.keywords["group"] == group)
    ]
    theme_rows = themes.themes[
        (themes.themes["month"] == month) & (themes.themes["group"] == group)
    ]
    examples = themes.examples[
        (themes.examples["month"] == month) & (themes.examples["group"] == group)
    ]
    comment_count = _row(themes.comments, month=month, group=group)
    enough = comment_count is not None and (_count(comment_count["n"]) or 0) >= 5
    panels = ContractPanels(
        month=month,
        result=result,
        headlines=headlines,
        scores=score_rows,
        figures={name: figure_json(figure) for name, figure in figures.items()},
        sla_rows=sla_rows,
        month_label=reading.month_label(month, locale),
    )
    if enough or not client_facing:
        panels.keywords = keywords.head(10).to_dict("records")
        label_column = "label_en" if locale == "en" else "label_zh"
        panels.themes = [
            {"label": t[label_column], "comments": int(t["comments"]), "share": _num(t["share"])}
            for t in theme_rows.to_dict("records")
        ]
        panels.examples = list(dict.fromkeys(examples["text"].tolist()))[:6]
    month_breaches = result.sla.breaches[result.sla.breaches["month"] == month]
    panels.breaches = month_breaches.to_dict("records")
    if not client_facing:
        panels.drivers = result.drivers.to_dict("records")
    return panels


def below(value: Any, target: Any) -> bool:
    value, target = _num(value), _num(target)
    return value is not None and target is not None and value < target


def month_panels(
    session: Session,
    conn: Connection,
    contract: Contract,
    asked: str | None,
    locale: str,
    *,
    client_facing: bool,
    now: datetime,
) -> tuple[list[str], str | None, ContractPanels | None]:
    """The contract's closed months, the one asked for (default the latest; UnknownMonth when
    it has no closed cycle) and its panels (None before the first closed month)."""
    months = contract_months(session, contract.id)
    month = asked or (months[0] if months else None)
    if month is not None and month not in months:
        raise UnknownMonth(month)
    if month is None:
        return months, None, None
    panels = contract_month_panels(
        conn, contract, month, locale, client_facing=client_facing, now=now
    )
    return months, month, panels
