"""The words and roundings every reader of a month uses: one precision per figure, one set of
dimension names, one pair of status words, dates in the contract's time zone.

Precision (the same on the dashboard, the portal, the PDF, the CSV/XLSX export and the API):

- CSAT (top-2-box share), response rate, SLA compliance: percent with **1 decimal** (``92.6%``);
- NPS: points on the −100 … 100 scale with **1 decimal** (``9.5``);
- mean score per dimension (1–5): **2 decimals** (``4.28``);
- a change of a share: **percentage points** with 1 decimal (``+5.0 pp`` / ``+5.0 个百分点``);
  a change of NPS: points with 1 decimal; a change of a mean: 2 decimals.

A figure is coloured (and worded "target met" / "below target") against its own target only:
a mean against the mean target, a share against the share target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

import analysis

from ..dimensions import DIMENSIONS
from ..models import ActionStatus, Cycle


class UnknownMonth(LookupError):
    """The asked month has no closed cycle of the contract (the page answers 404)."""


# decimals of each kind of figure; the API documents these (openapi.py)
PRECISION: dict[str, int] = {
    "csat": 1,
    "response_rate": 1,
    "sla": 1,
    "nps": 1,
    "mean": 2,
}
PERCENT = {"csat", "response_rate", "sla"}

# why a figure is blank (the API's ``blank_reason``)
BLANK_REASONS = {
    "suppressed": _l("Fewer than 5 answers: not shown"),
    "no_questions": _l("The survey has no question of this dimension"),
    "no_responses": _l("No responses this month"),
    "no_tickets": _l("No tickets decided this month"),
    "no_invitations": _l("No invitations sent through the platform this month"),
}

# the action items a client reads (portal, client API tokens, client PDF)
CLIENT_VISIBLE_ITEMS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)

DIMENSION_ORDER = list(DIMENSIONS)


def missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pandas.NA
        return True


def kind_of(key: str) -> str:
    """``sla_inquiry`` → ``sla``; a dimension code → ``mean``/``csat`` is the caller's choice."""
    return "sla" if key.startswith("sla") else key


def rounded(value, kind: str) -> float | None:
    """The figure at its documented precision (what exports and the API carry)."""
    if missing(value):
        return None
    return round(float(value), PRECISION[kind_of(kind)]) + 0.0


def figure_text(value, kind: str) -> str:
    """``92.6%``, ``9.5``, ``4.28``; a dash for a blank figure."""
    if missing(value):
        return "—"
    kind = kind_of(kind)
    text = f"{rounded(value, kind):.{PRECISION[kind]}f}"
    return text + "%" if kind in PERCENT else text


def plain_text(value, kind: str) -> str:
    """The figure without its ``%`` (table cells under a ``%`` heading)."""
    return figure_text(value, kind).rstrip("%")


def change_text(value, kind: str) -> str:
    """A change from last month: shares in percentage points, NPS in points, means plain."""
    if missing(value):
        return "—"
    kind = kind_of(kind)
    digits = PRECISION[kind]
    signed = f"{round(float(value), digits) + 0.0:+.{digits}f}"
    if kind in PERCENT:
        return _("%(change)s pp", change=signed)
    return signed


def status_word(met: bool | None) -> str:
    """The word beside a coloured figure, so the status never rests on colour alone."""
    if met is None:
        return "—"
    return _("Target met") if met else _("Below target")


def met(value, target, higher_is_better: bool = True) -> bool | None:
    if missing(value) or missing(target):
        return None
    return float(value) >= float(target) if higher_is_better else float(value) <= float(target)


def headline_label(key: str, inquiry_hours: int = 24, complaint_hours: int = 48) -> str:
    """The one name of each headline figure, on every page, in the PDF and in the exports."""
    if key == "sla_inquiry":
        return _("Inquiries answered within %(hours)s h", hours=inquiry_hours)
    if key == "sla_complaint":
        return _("Complaints solved within %(hours)s h", hours=complaint_hours)
    return str(
        {
            "csat": _l("CSAT (overall satisfaction)"),
            "nps": _l("Net promoter score (NPS)"),
            "response_rate": _l("Response rate"),
        }.get(key, key)
    )


def dimension_names() -> dict[str, str]:
    """The one set of dimension names, in the current locale."""
    return {code: str(label) for code, (_ref, label) in DIMENSIONS.items()}


def labels_for(
    locale: str, inquiry_hours: int = 24, complaint_hours: int = 48
) -> tuple[dict[str, str], dict[str, str]]:
    """The analysis' wording (figure labels, action-item texts) in ``locale``, with the one set
    of dimension names and the ticket kinds named by the contract's own SLA hours. The
    dashboard, the portal and the PDF take their chart labels from here. Call it with the
    locale active (a request, or :func:`flask_babel.force_locale`)."""
    labels, texts = (
        (analysis.LABELS_EN, analysis.TEXTS_EN)
        if locale == "en"
        else (analysis.LABELS_ZH, analysis.TEXTS_ZH)
    )
    extra = {
        "inquiry": headline_label("sla_inquiry", inquiry_hours, complaint_hours),
        "complaint": headline_label("sla_complaint", inquiry_hours, complaint_hours),
        "nps": headline_label("nps"),
        # the NPS at its one precision in the chart titles as well
        "title.nps": labels["title.nps"].replace("{nps:.0f}", "{nps:.1f}"),
        "subtitle.nps": labels["subtitle.nps"].replace(":.0f}", ":.1f}"),
    }
    return {**labels, **dimension_names(), **extra}, dict(texts)


def month_label(month: str, locale: str) -> str:
    """``2026年10月`` in Chinese, ``Oct 2026`` in English."""
    year, mon = (int(part) for part in month.split("-"))
    return format_skeleton("yMMM", date(year, mon, 1), locale=locale)


def month_ticks(months, locale: str) -> list[str]:
    """Axis labels for a run of months: the year on the first month and on each January."""
    ticks = []
    for i, month in enumerate(months):
        year, mon = (int(part) for part in month.split("-"))
        skeleton = "yMMM" if i == 0 or mon == 1 else "MMM"
        ticks.append(format_skeleton(skeleton, date(year, mon, 1), locale=locale))
    return ticks


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day of an instant in the contract's time zone (stored times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(timezone)).date()


def date_label(day: date, locale: str) -> str:
    """``2026年11月25日`` / ``November 25, 2026``: the PDF's and the portal's way."""
    return format_date(day, "long", locale=locale)


def issued_label(moment: datetime, timezone: str, locale: str) -> str:
    """A report's date of issue, in the contract's time zone."""
    return date_label(local_date(moment, timezone), locale)


def contract_months(session: Session, contract_id: int) -> list[str]:
    """Months with a closed cycle, newest first (what the month selector offers)."""
    return list(
        session.scalars(
            select(Cycle.month)
            .where(Cycle.contract_id == contract_id, Cycle.status == "closed")
            .order_by(Cycle.month.desc())
        )
    )


def dimension_sort_key(code: str) -> tuple[int, str]:
    order = DIMENSION_ORDER
    return (order.index(code) if code in order else len(order), code)


def ordered(labels: Mapping[str, str]) -> list[str]:
    return sorted(labels, key=dimension_sort_key)


def local_time_text(moment: datetime | None, timezone: str) -> str:
    """``2026-11-25 10:00``: an instant in the contract's time zone (staff tables)."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
