"""The one presenting path of an action item's effect: stored at full precision, rounded here.

:func:`effect_figures` gives the stored figures (before, after, change, interval, p-value,
test) as they are, with those of fewer than 5 answers blanked for a client;
:func:`effect_view` turns them into the strings the board, the dashboard, the portal and the
PDF print (means at 2 decimals, percentages at 1, p-values at 2 significant figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import ActionItem

MIN_CLIENT_N = 5

METRIC_LABELS = {
    "mean": _l("Mean score"),
    "csat": _l("CSAT"),
    "compliance": _l("On-time share"),
    "response_rate": _l("Response rate"),
    "theme_share": _l("Share of low scorers' comments"),
}
TEST_LABELS = {
    "welch_t": _l("Welch's t-test"),
    "two_proportion_z": _l("two-proportion z-test"),
    "fisher_exact": _l("Fisher's exact test"),
}


def effect_figures(item: ActionItem, client: bool = False) -> dict[str, Any] | None:
    """The stored effect evidence at full precision (``None`` before the item is judged).

    For a client, the figures of an effect resting on fewer than 5 answers (or comments) are
    left out (``suppressed`` is true), as everywhere a client looks.
    """
    if item.effect is None or not item.effect_evidence:
        return None
    evidence = dict(item.effect_evidence)
    sizes = [(evidence.get(side) or {}).get("n") or 0 for side in ("before", "after")]
    if client and min(sizes) < MIN_CLIENT_N:
        keep = ("month", "metric", "kind", "alpha", "reason")
        return {k: evidence[k] for k in keep if k in evidence} | {"suppressed": True}
    return evidence


@dataclass(frozen=True)
class EffectView:
    """An effect as people read it; every figure is already a string."""

    code: str
    label: str
    month: str
    metric: str
    before: str
    after: str
    change: str
    interval: str
    p_value: str
    test: str
    suppressed: bool = False


def _number(value: float | None, digits: int, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def _signed(value: float | None, digits: int) -> str:
    """``+0.14``; a change that rounds to zero is ``+0.00``, never ``-0.00``."""
    return "—" if value is None else f"{round(value, digits) + 0.0:+.{digits}f}"


def p_value_text(p: float | None) -> str:
    if p is None:
        return "p —"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def effect_label(code: str | None, reason: str | None = None) -> str:
    if code is None:
        return _("To be judged next cycle")
    if reason == "no_data":
        return _("No data next month")
    from ..labels import label  # the one table of effect words

    return label("effect", code)


def effect_view(item: ActionItem, client: bool = False) -> EffectView | None:
    """The effect of ``item`` ready to print, or ``None`` before it is judged."""
    figures = effect_figures(item, client)
    if figures is None:
        return None
    mean = figures.get("kind") == "mean" or figures.get("metric") == "mean"
    digits, unit, change_unit = (2, "", "") if mean else (1, "%", _(" pp"))

    def side(name: str) -> str:
        found: Mapping[str, Any] = figures.get(name) or {}
        if found.get("value") is None:
            return "—"
        return f"{_number(found['value'], digits, unit)} (n={found.get('n', 0)})"

    low, high = figures.get("change_low"), figures.get("change_high")
    interval = "—"
    if low is not None and high is not None:
        low, high = _signed(low, digits), _signed(high, digits)
        interval = _("95%% interval %(low)s to %(high)s", low=low, high=high)
    change = figures.get("change")
    return EffectView(
        code=item.effect or "",
        label=effect_label(item.effect, figures.get("reason")),
        month=str(figures.get("month", "")),
        metric=str(METRIC_LABELS.get(figures.get("metric", ""), figures.get("metric", ""))),
        before=side("before"),
        after=side("after"),
        change="—" if change is None else _signed(change, digits) + change_unit,
        interval=interval,
        p_value=p_value_text(figures.get("p_value")),
        test=str(TEST_LABELS.get(figures.get("test", ""), "")),
        suppressed=bool(figures.get("suppressed")),
    )
