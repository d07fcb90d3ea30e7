"""Rules that turn a month's findings into proposed action items tied to contract clauses.

Each rule returns its findings as a small frame; :func:`propose` turns them into
:class:`~analysis.results.ActionItemProposal` objects with a stable ``key`` (``rule:subject``),
the clause, the evidence, a concrete remedy, a priority and a due date before the next cycle.

Rules (DESIGN.md section 5 and issue #4):

``below_target``       a dimension's mean or CSAT is below the contract target (n >= 5)
``significant_drop``   CSAT fell significantly from last month (p < 0.05, both n >= 30)
``sla_breach``         inquiry or complaint compliance below 100 % (breach, clause 五)
``recurring_theme``    a theme in low scorers' comments two months running
``low_response_rate``  response rate below the contract target, or fewer than 30 responses
``staff_training``     a team or agent's mean on 二(2) or 二(3) below target, n >= 5 (issue #23;
                       :func:`propose_sla_items`, agents named by rank and team only)
``breach_cost``        customers with a breached ticket rate significantly lower than those whose
                       tickets all met the deadline: the cost in CSAT points (issue #23)

:func:`effect_verdict` judges, once the next cycle has closed, whether a closed item worked
(the tests and the rule: :mod:`analysis.effects`). Evidence is stored at full precision; a
title prints its figures at 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .action_texts import LABELS_ZH, TEXTS_ZH
from .effects import ALPHA, judge, proportion_change, sd_from_interval, welch_change
from .results import ActionItemProposal, EffectVerdict, Estimate
from .trends import MIN_N_FOR_TEST, previous_month

__all__ = ["RuleSettings", "effect_verdict", "propose", "propose_sla_items"]

HIGH, MEDIUM, LOW = "high", "medium", "low"
_LEAD_DAYS = {HIGH: 7, MEDIUM: 0, LOW: 0}


class RuleSettings:
    """Thresholds and clause references of the rules (the contract template's defaults)."""

    min_n: int = 5
    large_mean_gap: float = 0.5
    large_csat_gap: float = 15.0
    min_theme_comments: int = 3
    min_responses: int = MIN_N_FOR_TEST
    breach_clause: str = "五"
    survey_clause: str = "一(3)"
    deadline_clause: str = "一(1)"
    training_dimensions: tuple[str, ...] = ("professional_knowledge", "problem_solving")


def _json_value(value: Any) -> Any:
    """JSON-ready at full precision: NaN becomes None, numpy scalars plain Python."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _shown(key: str, value: Any) -> Any:
    """A figure as an item's title prints it: 2 decimals, p-values 3 significant figures."""
    if isinstance(value, float):
        return float(f"{value:.3g}") if key == "p_value" else round(value, 2)
    return value


def _below_target(
    scores: pd.DataFrame, targets: pd.DataFrame, drivers: pd.DataFrame | None, s: RuleSettings
) -> pd.DataFrame:
    frame = scores.drop(columns=["target_mean", "target_csat"], errors="ignore").merge(
        targets[["dimension", "target_mean", "target_csat"]], on="dimension"
    )
    frame = frame.assign(
        target_mean=frame["target_mean"].astype(float),
        target_csat=frame["target_csat"].astype(float),
    )
    below = (frame["n"] >= s.min_n) & (
        (frame["mean"] < frame["target_mean"]) | (frame["csat"] < frame["target_csat"])
    )
    frame = frame[below]
    first = (
        set()
        if drivers is None
        else set(drivers.loc[drivers["quadrant"] == "improve_first", "dimension"])
    )
    large = (frame["target_mean"] - frame["mean"] >= s.large_mean_gap) | (
        frame["target_csat"] - frame["csat"] >= s.large_csat_gap
    )
    within = (frame["mean_high"] >= frame["target_mean"]) & (
        frame["csat_high"] >= frame["target_csat"]
    )
    priority = large.map({True: HIGH, False: MEDIUM}).where(~within | large, LOW)
    priority = priority.where(~frame["dimension"].isin(first), HIGH)
    # The evidence names the measure that missed: the mean when it did, else CSAT.
    metric = (frame["mean"] < frame["target_mean"]).map({True: "mean", False: "csat"})
    return frame.assign(subject=frame["dimension"], priority=priority, metric=metric)


def _significant_drops(changes: pd.DataFrame, month: str) -> pd.DataFrame:
    frame = changes[(changes["month"] == month) & (changes["verdict"] == "significant_drop")]
    return frame.assign(subject=frame["dimension"], priority=HIGH, metric="csat")


def _sla_breaches(
    sla: pd.DataFrame, month: str, sla_dimensions: Mapping[str, str | None]
) -> pd.DataFrame:
    frame = sla[(sla["month"] == month) & (sla["n"] > 0) & (sla["compliance"] < 100)]
    return frame.assign(
        subject=frame["kind"],
        dimension=frame["kind"].map(dict(sla_dimensions)),
        priority=HIGH,
        metric="compliance",
    )


def _recurring_themes(themes: pd.DataFrame, month: str, s: RuleSettings) -> pd.DataFrame:
    low = themes[(themes["group"] == "low_scorers") & (themes["comments"] >= s.min_theme_comments)]
    now = low[low["month"] == month]
    before = low[low["month"] == previous_month(month)][["theme", "comments", "share"]]
    frame = now.merge(before, on="theme", suffixes=("", "_before"))
    by_dimension = themes[
        (themes["month"] == month) & ~themes["group"].isin(["all", "low_scorers"])
    ]
    top = by_dimension.sort_values(["comments", "group"], ascending=[False, True]).drop_duplicates(
        "theme"
    )
    frame = frame.merge(
        top[["theme", "group"]].rename(columns={"group": "dimension"}), on="theme", how="left"
    )
    # the low scorers' comments of the month (share = 100 * comments / n)
    n = (100 * frame["comments"] / frame["share"]).round().astype("int64")
    return frame.assign(subject=frame["theme"], priority=MEDIUM, metric="theme_share", n=n)


def propose(
    month: str,
    *,
    scores: pd.DataFrame,
    targets: pd.DataFrame,
    changes: pd.DataFrame,
    sla: pd.DataFrame,
    themes: pd.DataFrame,
    response_rate: Estimate,
    target_response_rate: float,
    due_by: date,
    clauses: Mapping[str, str],
    sla_dimensions: Mapping[str, str | None] | None = None,
    drivers: pd.DataFrame | None = None,
    labels: Mapping[str, str] = LABELS_ZH,
    texts: Mapping[str, str] = TEXTS_ZH,
    settings: RuleSettings | None = None,
) -> list[ActionItemProposal]:
    """Apply every rule to one month's findings.

    Parameters
    ----------
    month : the cycle month, ``'YYYY-MM'``.
    scores : that month's :func:`~analysis.metrics.dimension_scores` rows.
    targets : the contract's ``dimension, clause_ref, target_mean, target_csat``.
    changes : :func:`~analysis.trends.month_over_month`'s frame.
    sla : :class:`~analysis.sla.SlaReport`'s ``table``.
    themes : :class:`~analysis.themes.ThemeSummary`'s ``themes`` for this and the previous month.
    response_rate, target_response_rate : the month's response rate (percent) and the target.
    due_by : the last day before the next cycle opens; high-priority items are due a week
        earlier.
    clauses : dimension code -> clause reference (from the questions).
    sla_dimensions : ticket kind -> the dimension it evidences, if any.
    drivers : :func:`~analysis.drivers.key_drivers`' ranking; ``improve_first`` raises priority.
    labels, texts : wording (Chinese by default, see :mod:`analysis.action_texts`).
    """
    s = settings or RuleSettings()
    sla_dimensions = sla_dimensions or {}
    found: list[tuple[str, pd.DataFrame]] = [
        ("below_target", _below_target(scores, targets, drivers, s)),
        ("significant_drop", _significant_drops(changes, month)),
        ("sla_breach", _sla_breaches(sla, month, sla_dimensions)),
        ("recurring_theme", _recurring_themes(themes, month, s)),
    ]
    theme_labels = _theme_labels(themes, labels)
    proposals = [
        _proposal(rule, row, month, due_by, clauses, s, {**labels, **theme_labels}, texts)
        for rule, frame in found
        for row in frame.to_dict("records")
    ]
    responses = round(response_rate.value * response_rate.n / 100) if not response_rate.empty else 0
    if response_rate.n > 0 and (
        response_rate.value < target_response_rate or responses < s.min_responses
    ):
        row = {
            "subject": "response_rate",
            "dimension": None,
            "priority": HIGH if response_rate.value < target_response_rate / 2 else MEDIUM,
            "metric": "response_rate",
            "rate": response_rate.value,
            "rate_low": response_rate.low,
            "rate_high": response_rate.high,
            "target": float(target_response_rate),
            "responses": responses,
            "n": response_rate.n,
        }
        proposals.append(
            _proposal("low_response_rate", row, month, due_by, clauses, s, labels, texts)
        )
    return proposals


def _theme_labels(themes: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    if themes.empty:
        return {}
    column = "label_en" if labels.get("overall", "").isascii() and labels else "label_zh"
    pairs = themes.drop_duplicates("theme")
    return dict(zip(pairs["theme"], pairs[column], strict=True))


_EVIDENCE = {
    "below_target": [
        "n",
        "mean",
        "mean_low",
        "mean_high",
        "target_mean",
        "csat",
        "csat_low",
        "csat_high",
        "target_csat",
    ],
    "significant_drop": [
        "previous_month",
        "n_before",
        "csat_before",
        "n",
        "csat",
        "csat_low",
        "csat_high",
        "change_points",
        "p_value",
    ],
    "sla_breach": [
        "kind",
        "hours_allowed",
        "n",
        "met",
        "breaches",
        "pending",
        "compliance",
        "compliance_low",
        "compliance_high",
        "median_hours",
        "p90_hours",
    ],
    "recurring_theme": ["theme", "n", "comments", "share", "comments_before", "share_before"],
    "low_response_rate": ["n", "responses", "rate", "rate_low", "rate_high", "target"],
}


def _proposal(
    rule: str,
    row: Mapping[str, Any],
    month: str,
    due_by: date,
    clauses: Mapping[str, str],
    s: RuleSettings,
    labels: Mapping[str, str],
    texts: Mapping[str, str],
) -> ActionItemProposal:
    subject = str(row["subject"])
    dimension = row.get("dimension")
    dimension = (
        None
        if dimension is None or (isinstance(dimension, float) and math.isnan(dimension))
        else str(dimension)
    )
    evidence = {"month": month, "metric": row["metric"]} | {
        key: _json_value(row[key]) for key in _EVIDENCE[rule]
    }
    if rule == "sla_breach":
        clause = s.breach_clause
        evidence["obligation_clause"] = clauses.get(dimension or "", "")
    elif rule in ("low_response_rate",) or dimension is None:
        clause = s.survey_clause
    else:
        clause = clauses.get(dimension, s.survey_clause)
    fields = {k: ("" if v is None else _shown(k, v)) for k, v in evidence.items()} | {
        "label": labels.get(subject, subject)
    }
    priority = str(row["priority"])
    return ActionItemProposal(
        key=f"{rule}:{subject}",
        rule=rule,
        month=month,
        clause_ref=clause,
        dimension=dimension,
        title=texts.get(f"title.{rule}.{row['metric']}", texts[f"title.{rule}"]).format(**fields),
        evidence=evidence,
        remedy=texts.get(f"remedy.{rule}.{subject}", texts[f"remedy.{rule}"]),
        priority=priority,
        due_date=due_by - timedelta(days=_LEAD_DAYS[priority]),
    )


def propose_sla_items(
    month: str,
    *,
    teams: pd.DataFrame,
    agents: pd.DataFrame,
    gap: Any,
    targets: pd.DataFrame,
    due_by: date,
    clauses: Mapping[str, str],
    labels: Mapping[str, str] = LABELS_ZH,
    texts: Mapping[str, str] = TEXTS_ZH,
    settings: RuleSettings | None = None,
) -> list[ActionItemProposal]:
    """The SLA x satisfaction rules (issue #23) on one month's join.

    ``teams``, ``agents`` and ``gap`` are those of
    :class:`~analysis.sla_satisfaction.SlaSatisfaction`; ``targets`` the contract's
    ``dimension, target_mean``. A team or an agent with ``n >= 5`` whose mean on a training
    dimension (二(2) knowledge, 二(3) problem solving) is below target gets a training item on
    that dimension's clause; an agent is named by rank and team only, since items reach the
    client. A significant gap (``gap.significant``, met above breach) gets one item on the
    deadline clause with the cost in CSAT points.
    """
    s = settings or RuleSettings()
    target = dict(zip(targets["dimension"], targets["target_mean"].astype(float), strict=True))
    proposals = []
    for kind, table in (("team", teams), ("agent", agents)):
        for row in table.to_dict("records"):
            if row["n"] < s.min_n:
                continue
            for dim in s.training_dimensions:
                mean, goal = row.get(dim), target.get(dim)
                if goal is None or mean is None or math.isnan(mean) or mean >= goal:
                    continue
                who = row["name"] if kind == "team" else f"#{row['rank']}"
                team = row["name"] if kind == "team" else (row.get("team") or "")
                subject = f"{kind}:{team}:{who}:{dim}" if kind == "agent" else f"team:{who}:{dim}"
                evidence = {"month": month, "metric": "mean", "staff": kind, "team": team,
                            "rank": int(row["rank"]), "n": int(row["n"]),
                            "mean": _json_value(mean), "target_mean": goal}  # fmt: skip
                fields = {k: _shown(k, v) for k, v in evidence.items()} | {
                    "label": labels.get(dim, dim)
                }
                priority = HIGH if goal - mean >= s.large_mean_gap else MEDIUM
                proposals.append(
                    ActionItemProposal(
                        key=f"staff_training:{subject}",
                        rule="staff_training",
                        month=month,
                        clause_ref=clauses.get(dim, s.survey_clause),
                        dimension=dim,
                        title=texts[f"title.staff_training.{kind}"].format(**fields),
                        evidence=evidence,
                        remedy=texts.get(
                            f"remedy.staff_training.{dim}", texts["remedy.staff_training"]
                        ),  # fmt: skip
                        priority=priority,
                        due_date=due_by - timedelta(days=_LEAD_DAYS[priority]),
                    )
                )
    if gap.significant and gap.csat > 0:
        evidence = {
            "month": month, "metric": "breach_gap", "n_met": gap.n_met,
            "n_breach": gap.n_breach, "csat_points": _json_value(gap.csat),
            "csat_low": _json_value(gap.csat_low), "csat_high": _json_value(gap.csat_high),
            "p_value": _json_value(gap.csat_p),
        }  # fmt: skip
        fields = {k: _shown(k, v) for k, v in evidence.items()}
        proposals.append(
            ActionItemProposal(
                key="breach_cost:deadline",
                rule="breach_cost",
                month=month,
                clause_ref=s.deadline_clause,
                dimension=None,
                title=texts["title.breach_cost"].format(**fields),
                evidence=evidence,
                remedy=texts["remedy.breach_cost"],
                priority=HIGH,
                due_date=due_by - timedelta(days=_LEAD_DAYS[HIGH]),
            )
        )
    return proposals


def effect_verdict(
    before: Estimate,
    after: Estimate,
    target: float | None = None,
    higher_is_better: bool = True,
    kind: str = "share",
) -> EffectVerdict:
    """Did the metric an item addressed change by the next closed cycle, beyond noise?

    ``kind`` is ``"mean"`` (a 1-5 mean with its t interval: Welch's t-test, the standard
    deviations recovered from the intervals) or ``"share"`` (a percentage of ``n``: a
    two-proportion z-test, Fisher's exact test for small counts, Newcombe's interval); see
    :mod:`analysis.effects`. The verdict is ``improved`` / ``worse`` only when ``p < 0.05`` in
    that direction, ``target_met`` when ``target`` is met now and was not before without that,
    ``unchanged`` ("no clear change") otherwise, including a month without data (reason
    ``no_data``). Pass ``higher_is_better=False`` for metrics where lower is better (a theme's
    share). Every figure in the evidence is at full precision.

    Examples
    --------
    >>> v = effect_verdict(Estimate(60.0, 50.0, 70.0, 90), Estimate(85.0, 78.0, 90.0, 90))
    >>> v.effect, v.evidence["test"], v.evidence["p_value"] < 0.001
    ('improved', 'two_proportion_z', True)
    """
    evidence: dict[str, Any] = {
        "before": before.as_dict(),
        "after": after.as_dict(),
        "target": target,
        "kind": kind,
        "alpha": ALPHA,
    }
    if before.empty or after.empty or (kind == "mean" and min(before.n, after.n) < 2):
        return EffectVerdict("unchanged", evidence | {"reason": "no_data"})
    if kind == "mean":
        sd1 = sd_from_interval(before.low, before.high, before.n)
        sd2 = sd_from_interval(after.low, after.high, after.n)
        if math.isnan(sd1) or math.isnan(sd2):
            return EffectVerdict("unchanged", evidence | {"reason": "no_data"})
        evidence["before"]["sd"], evidence["after"]["sd"] = sd1, sd2
        result = welch_change(before.value, sd1, before.n, after.value, sd2, after.n)
    else:
        x1, x2 = round(before.value * before.n / 100), round(after.value * after.n / 100)
        evidence["before"]["x"], evidence["after"]["x"] = x1, x2
        result = proportion_change(x1, before.n, x2, after.n)
    sign = 1 if higher_is_better else -1
    meets = target is not None and sign * (after.value - target) >= 0
    met_before = target is not None and sign * (before.value - target) >= 0
    effect, reason = judge(
        result, higher_is_better=higher_is_better, met_before=met_before, meets=meets
    )
    evidence |= {
        "change": result.change,
        "change_low": result.low,
        "change_high": result.high,
        "p_value": result.p_value,
        "test": result.test,
        "reason": reason,
    }
    return EffectVerdict(effect, evidence)
