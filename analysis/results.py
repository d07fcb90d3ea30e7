"""Frozen result objects: what the analysis hands to the dashboard, the PDF and the app.

Frames inside a result are the analysis' own copies; treat them as read only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "ActionItemProposal",
    "EffectVerdict",
    "Estimate",
    "Funnel",
    "MonthChange",
    "NpsEstimate",
    "SlaMonth",
]


def _clean(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95 % interval and the number of answers behind it.

    ``value``, ``low`` and ``high`` are NaN when ``n`` is 0 (nothing to estimate).
    """

    value: float
    low: float
    high: float
    n: int

    @property
    def empty(self) -> bool:
        return self.n == 0 or math.isnan(self.value)

    def as_dict(self) -> dict[str, float | int | None]:
        """JSON-ready figures (NaN becomes ``None``), as stored in an action item's evidence."""
        return {
            "value": _clean(self.value),
            "low": _clean(self.low),
            "high": _clean(self.high),
            "n": self.n,
        }


@dataclass(frozen=True)
class NpsEstimate(Estimate):
    """Net promoter score in points (-100..100) with its standard error and composition.

    ``promoters``, ``passives`` and ``detractors`` are percentages of ``n`` answers (9-10, 7-8
    and 0-6); ``se`` is the standard error in points.
    """

    se: float = math.nan
    promoters: float = math.nan
    passives: float = math.nan
    detractors: float = math.nan


@dataclass(frozen=True)
class Funnel:
    """Invitations of a month. ``invited``: invitations issued whatever the channel (e-mail,
    SMS or messaging link, QR code); ``opened`` and ``answered`` of those. The e-mail funnel is
    its own figure: ``emailed`` (e-mails sent), and of those ``email_opened`` and
    ``email_answered``. The response rate is ``answered / invited``
    (:func:`analysis.metrics.response_rate`)."""

    invited: int
    opened: int
    answered: int
    emailed: int = 0
    email_opened: int = 0
    email_answered: int = 0


@dataclass(frozen=True)
class MonthChange:
    """CSAT change of one dimension from the previous month to ``month``.

    ``verdict`` is ``significant_drop``, ``significant_rise``, ``no_significant_change`` or
    ``sample_too_small`` (either month has fewer than 30 answers, DESIGN.md section 5).
    ``change_points`` is the CSAT difference in percentage points.
    """

    dimension: str
    month: str
    previous_month: str
    before: Estimate
    after: Estimate
    change_points: float
    p_value: float
    verdict: str

    @property
    def significant(self) -> bool:
        return self.verdict in ("significant_drop", "significant_rise")


@dataclass(frozen=True)
class SlaMonth:
    """SLA compliance of one ticket kind in one month (by month received, contract time zone).

    ``n`` counts the tickets whose deadline is decided (met, late, or still open past the
    deadline); ``pending`` are open tickets still inside their deadline. ``compliance`` is
    ``met / n`` in percent with a Wilson interval; ``median_hours`` and ``p90_hours`` describe
    the time to first reply (inquiries) or to resolution (complaints) of the tickets that got
    one.
    """

    month: str
    kind: str
    hours_allowed: int
    n: int
    met: int
    breaches: int
    pending: int
    compliance: Estimate
    median_hours: float
    p90_hours: float


@dataclass(frozen=True)
class ActionItemProposal:
    """A finding turned into a proposed improvement, tied to a contract clause.

    ``key`` (rule plus subject, e.g. ``below_target:responsiveness``) is stable across runs so
    saving the proposals of a month twice stores each item once. ``evidence`` holds the
    figures (month, n, values, targets) as JSON-ready data.
    """

    key: str
    rule: str
    month: str
    clause_ref: str
    dimension: str | None
    title: str
    evidence: Mapping[str, Any]
    remedy: str
    priority: str
    due_date: date

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"evidence": dict(self.evidence)}


@dataclass(frozen=True)
class EffectVerdict:
    """Whether the metric an item addressed got better by the next closed cycle.

    ``effect`` is ``improved`` or ``worse`` (a change with p < 0.05), ``target_met`` (the
    target crossed, the change not significant) or ``unchanged`` (no clear change);
    ``evidence`` holds the before and after figures, the change with its 95 % interval, the
    p-value, the test and the reason, at full precision (see :mod:`analysis.effects`).
    """

    effect: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
