"""Survey analysis: pure pandas, never imports surveyapp (DESIGN.md section 5).

The app calls :func:`monthly_analysis` with a connection and gets a :class:`MonthlyAnalysis`;
:mod:`analysis.figures` turns it into plotly figures. Nothing happens on import (jieba's
dictionary loads on first use).
"""

from .action_items import RuleSettings, effect_verdict, propose
from .action_texts import LABELS_EN, LABELS_ZH, TEXTS_EN, TEXTS_ZH
from .drivers import dimension_importance, key_drivers
from .effects import ChangeTest, newcombe_interval, proportion_change, welch_change
from .load import (
    ContractTerms,
    live_counts,
    month_answer_counts,
    read_answers,
    read_counts,
    read_tickets,
)
from .metrics import (
    csat_top2box,
    dimension_scores,
    mean_score,
    nps,
    nps_scores,
    response_rate,
    response_rates,
)
from .monthly import (
    MonthInputs,
    MonthlyAnalysis,
    analyse_month,
    item_effect,
    load_month_inputs,
    monthly_analysis,
    portfolio_scores,
)
from .privacy import contact_pattern, mask_contacts, mask_text, suppress_small_groups
from .proportions import two_proportion_test, wilson_interval
from .reach import question_reach
from .results import (
    ActionItemProposal,
    EffectVerdict,
    Estimate,
    Funnel,
    MonthChange,
    NpsEstimate,
    SlaMonth,
)
from .sla import SlaReport, sla_compliance, sla_share_by_contract
from .themes import ThemeSummary, comment_groups, comment_themes, tokenize
from .trends import dimension_trend, month_over_month, month_range

__all__ = [
    "LABELS_EN",
    "LABELS_ZH",
    "TEXTS_EN",
    "TEXTS_ZH",
    "ActionItemProposal",
    "ContractTerms",
    "EffectVerdict",
    "Estimate",
    "Funnel",
    "MonthChange",
    "MonthInputs",
    "MonthlyAnalysis",
    "NpsEstimate",
    "RuleSettings",
    "SlaMonth",
    "SlaReport",
    "ThemeSummary",
    "analyse_month",
    "comment_groups",
    "comment_themes",
    "contact_pattern",
    "csat_top2box",
    "dimension_importance",
    "dimension_scores",
    "dimension_trend",
    "effect_verdict",
    "item_effect",
    "ChangeTest",
    "newcombe_interval",
    "proportion_change",
    "welch_change",
    "key_drivers",
    "live_counts",
    "load_month_inputs",
    "mask_contacts",
    "mask_text",
    "mean_score",
    "month_answer_counts",
    "month_over_month",
    "month_range",
    "monthly_analysis",
    "nps",
    "nps_scores",
    "portfolio_scores",
    "propose",
    "question_reach",
    "read_answers",
    "read_counts",
    "read_tickets",
    "response_rate",
    "response_rates",
    "sla_compliance",
    "sla_share_by_contract",
    "suppress_small_groups",
    "tokenize",
    "two_proportion_test",
    "wilson_interval",
]
