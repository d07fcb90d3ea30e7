"""An action item's title and remedy in the reader's language.

Proposals are stored with the wording of the language they were made in (the autopilot's
is Chinese). A title still as proposed is written again from its rule and stored evidence in
the reader's language, with the figures at their documented precision
(:data:`surveyapp.presenting.reading.PRECISION`); a title someone edited is shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import analysis

from ..models import ActionItem
from . import reading
from .reading import labels_for

# evidence field -> the kind of figure it is (its precision)
_KINDS = {
    "mean": "mean", "target_mean": "mean", "mean_low": "mean", "mean_high": "mean",
    "csat": "csat", "target_csat": "csat", "csat_before": "csat", "csat_low": "csat",
    "csat_high": "csat", "change_points": "csat", "compliance": "sla", "compliance_low": "sla",
    "compliance_high": "sla", "rate": "response_rate", "target": "response_rate",
    "share": "csat", "share_before": "csat",
}  # fmt: skip


def _fields(evidence: Mapping[str, Any], shown) -> dict[str, Any]:
    return {k: ("" if v is None else shown(k, v)) for k, v in evidence.items()}


def _as_proposed(key: str, value: Any) -> Any:
    """The figure as the analysis printed it in the title it proposed (2 decimals)."""
    if isinstance(value, float):
        return float(f"{value:.3g}") if key == "p_value" else round(value, 2)
    return value


def _as_read(key: str, value: Any) -> Any:
    if isinstance(value, float) and key in _KINDS:
        return reading.plain_text(value, _KINDS[key])
    return _as_proposed(key, value)


def _render(item: ActionItem, texts: Mapping[str, str], labels: Mapping[str, str], shown):
    evidence = dict(item.evidence or {})
    subject = (item.key or "").split(":", 1)[-1]
    template = texts.get(f"title.{item.rule}.{evidence.get('metric')}") or texts.get(
        f"title.{item.rule}"
    )
    if not template:
        return None
    try:
        return template.format(**_fields(evidence, shown), label=labels.get(subject, subject))
    except (KeyError, IndexError, ValueError):
        return None


def _proposed_titles(item: ActionItem) -> set[str]:
    """The titles the analysis would have stored for this item, in each language and with
    either set of dimension names."""
    titles = set()
    for texts, labels in ((analysis.TEXTS_ZH, analysis.LABELS_ZH),
                          (analysis.TEXTS_EN, analysis.LABELS_EN)):  # fmt: skip
        title = _render(item, texts, labels, _as_proposed)
        if title:
            titles.add(title)
    return titles


def item_title(item: ActionItem, locale: str) -> str:
    """The item's title in ``locale`` (call with that locale active)."""
    if item.title not in _proposed_titles(item):
        return item.title  # written by a person: shown as written
    labels, texts = labels_for(locale)
    return _render(item, texts, labels, _as_read) or item.title


def item_remedy(item: ActionItem, locale: str) -> str | None:
    """The remedy in ``locale`` when it is still the proposed default, else as written."""
    if not item.remedy:
        return item.remedy
    subject = (item.key or "").split(":", 1)[-1]
    defaults = [
        texts.get(f"remedy.{item.rule}.{subject}", texts.get(f"remedy.{item.rule}"))
        for texts in (analysis.TEXTS_ZH, analysis.TEXTS_EN)
    ]
    if item.remedy not in defaults:
        return item.remedy
    texts = analysis.TEXTS_EN if locale == "en" else analysis.TEXTS_ZH
    return texts.get(f"remedy.{item.rule}.{subject}", texts.get(f"remedy.{item.rule}"))


class ItemInLocale:
    """An action item as a reader in ``locale`` reads it: its title and remedy in that
    language (see :func:`item_title`), every other attribute the stored item's."""

    def __init__(self, item: ActionItem, locale: str) -> None:
        self._item = item
        self.title = item_title(item, locale)
        self.remedy = item_remedy(item, locale)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)


def items_in_locale(items, locale: str) -> list[ItemInLocale]:
    return [ItemInLocale(item, locale) for item in items]
