"""Survey analysis: pure pandas, never imports surveyapp (DESIGN.md section 5).

The app calls :func:`monthly_analysis` with a connection and gets a :class:`MonthlyAnalysis`;
:mod:`analysis.figures` turns it into plotly figures. Nothing happens on import: each name below
is loaded from its module on first use (PEP 562), so ``import analysis`` costs no pandas, SciPy or
jieba until a function runs (the command line starts in well under a second); jieba's dictionary
loads on first tokenising.
"""

from __future__ import annotations

from importlib import import_module

# Where each public name lives; names load on first use (see __getattr__).
_WHERE = {
    "question_reach": "reach",
    "RuleSettings": "action_items",
    "effect_verdict": "action_items",
    "propose": "action_items",
    "LABELS_EN": "action_texts",
    "LABELS_ZH": "action_texts",
    "TEXTS_EN": "action_texts",
    "TEXTS_ZH": "action_texts",
    "dimension_importance": "drivers",
    "key_drivers": "drivers",
    "ChangeTest": "effects",
    "newcombe_interval": "effects",
    "proportion_change": "effects",
    "welch_change": "effects",
    "ContractTerms": "load",
    "live_counts": "load",
    "month_answer_counts": "load",
    "read_answers": "load",
    "read_counts": "load",
    "read_tickets": "load",
    "csat_top2box": "metrics",
    "dimension_scores": "metrics",
    "mean_score": "metrics",
    "nps": "metrics",
    "nps_scores": "metrics",
    "response_rate": "metrics",
    "response_rates": "metrics",
    "MonthInputs": "monthly",
    "MonthlyAnalysis": "monthly",
    "analyse_month": "monthly",
    "item_effect": "monthly",
    "load_month_inputs": "monthly",
    "monthly_analysis": "monthly",
    "portfolio_scores": "monthly",
    "contact_pattern": "privacy",
    "mask_contacts": "privacy",
    "mask_text": "privacy",
    "suppress_small_groups": "privacy",
    "two_proportion_test": "proportions",
    "wilson_interval": "proportions",
    "ActionItemProposal": "results",
    "EffectVerdict": "results",
    "Estimate": "results",
    "Funnel": "results",
    "MonthChange": "results",
    "NpsEstimate": "results",
    "SlaMonth": "results",
    "SlaReport": "sla",
    "sla_compliance": "sla",
    "sla_share_by_contract": "sla",
    "ThemeSummary": "themes",
    "comment_groups": "themes",
    "comment_themes": "themes",
    "tokenize": "themes",
    "dimension_trend": "trends",
    "month_over_month": "trends",
    "month_range": "trends",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
