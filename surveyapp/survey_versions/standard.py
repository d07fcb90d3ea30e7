# ruff: noqa: E501  (content: one sentence per line reads and translates better)
"""The standard satisfaction questionnaire: what a provider starts a survey from, and the demo's.

Seven rating questions, one per contract dimension (each evidencing the dimension's clause),
the NPS question (clause 一(3)), the contact channel, the topics and a free comment; in Chinese
and English. ``standard_questions()`` is the one place that turns it into question edits.

``guided_questions()`` is the same questionnaire with the six dimension ratings as one matrix
and a follow-up "what went wrong?" asked only of those who rate the service 2 or lower overall.
Its codes are the standard ones (plus ``WRONG``), so months answered with either compare. The
demo keeps the plain questionnaire, so its figures are unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from ..dimensions import DIMENSIONS
from ..models import ShowIf
from .versioning import QuestionEdit

TITLE_ZH = "客户服务满意度调查"
TITLE_EN = "Customer service satisfaction survey"
INTRO_ZH = "感谢您抽出两分钟时间。您的回答帮助我们改进服务，仅用于统计分析。"
INTRO_EN = (
    "Thank you for taking two minutes. "
    "Your answers help us improve and are used only for statistics."
)
NPS_CLAUSE = "一(3)"

# code, type, dimension, text zh, text en, required, options [(code, zh, en)]
QUESTIONS = [
    (
        "RESP",
        "rating",
        "responsiveness",
        "您对我们回复咨询的速度是否满意？",
        "How satisfied are you with how quickly we answered your inquiry?",
        True,
        [],
    ),
    (
        "COMPL",
        "rating",
        "complaint_handling",
        "您对投诉处理的结果和时效是否满意？",
        "How satisfied are you with how your complaint was handled and how fast?",
        True,
        [],
    ),
    (
        "KNOW",
        "rating",
        "professional_knowledge",
        "客服人员对产品和业务的了解程度如何？",
        "How well did our staff know the products and the business?",
        False,
        [],
    ),
    (
        "SOLVE",
        "rating",
        "problem_solving",
        "您的问题是否得到了有效解决？",
        "Was your problem actually solved?",
        True,
        [],
    ),
    (
        "COURT",
        "rating",
        "courtesy",
        "客服人员的服务态度是否礼貌、耐心？",
        "Were our staff polite and patient?",
        True,
        [],
    ),
    (
        "CONF",
        "rating",
        "confidentiality",
        "您是否放心我们对您个人信息的保护？",
        "Do you trust us to protect your personal information?",
        False,
        [],
    ),
    (
        "OVERALL",
        "rating",
        "overall",
        "总体而言，您对我们的客户服务是否满意？",
        "Overall, how satisfied are you with our customer service?",
        True,
        [],
    ),
    (
        "NPS",
        "nps",
        None,
        "您有多大可能向亲友推荐我们的服务？（0 = 完全不可能，10 = 非常可能）",
        "How likely are you to recommend our service to a friend? (0 = not at all, 10 = extremely likely)",
        True,
        [],
    ),
    (
        "CHANNEL",
        "single",
        None,
        "您本月主要通过哪种方式联系我们？",
        "How did you mainly contact us this month?",
        False,
        [
            ("phone", "电话", "Phone"),
            ("online", "在线客服", "Online chat"),
            ("email", "电子邮件", "E-mail"),
        ],
    ),
    (
        "TOPICS",
        "multiple",
        None,
        "您联系我们的原因有哪些？（可多选）",
        "What did you contact us about? (choose all that apply)",
        False,
        [
            ("product", "产品咨询", "Product questions"),
            ("delivery", "物流配送", "Delivery"),
            ("billing", "账单费用", "Billing"),
            ("repair", "维修售后", "Repair and after-sales"),
        ],
    ),
    (
        "COMMENT",
        "text",
        None,
        "您对我们的服务还有什么意见或建议？",
        "Anything else you would like to tell us about our service?",
        False,
        [],
    ),
]


def standard_questions() -> list[QuestionEdit]:
    """The standard questionnaire as edits: ratings evidence their dimension's clause."""
    return [
        QuestionEdit(
            code=code,
            type=qtype,
            text_zh=text_zh,
            text_en=text_en,
            required=required,
            dimension=dim,
            clause_ref=DIMENSIONS[dim][0] if dim else (NPS_CLAUSE if qtype == "nps" else None),
            max_length=2000 if qtype == "text" else None,
            options=tuple(options),
        )
        for code, qtype, dim, text_zh, text_en, required, options in QUESTIONS
    ]


MATRIX_GROUP = "SERVICE"
MATRIX_ZH = "请评价我们本月服务的以下各方面："
MATRIX_EN = "Please rate these parts of our service this month:"
MATRIX_ROWS = {  # code: the item as a matrix row shows it
    "RESP": ("回复咨询的速度", "How quickly we answered"),
    "COMPL": ("投诉处理的结果和时效", "How your complaint was handled, and how fast"),
    "KNOW": ("客服人员的业务知识", "Our staff's knowledge of the products"),
    "SOLVE": ("问题是否得到有效解决", "Whether your problem was solved"),
    "COURT": ("服务态度是否礼貌、耐心", "Politeness and patience"),
    "CONF": ("个人信息保护", "Protection of your personal information"),
}
FOLLOW_UP = QuestionEdit(
    code="WRONG",
    type="text",
    text_zh="很抱歉让您不满意。哪里出了问题？",
    text_en="We are sorry we let you down. What went wrong?",
    required=False,
    max_length=2000,
    show_if_code="OVERALL",
    show_if_op=ShowIf.AT_MOST.value,
    show_if_value="2",
)


def guided_questions() -> list[QuestionEdit]:
    """The standard questionnaire with its dimension ratings as one matrix and a follow-up
    for a low overall rating (see the module's note)."""
    edits = []
    for edit in standard_questions():
        if edit.code in MATRIX_ROWS:
            text_zh, text_en = MATRIX_ROWS[edit.code]
            edit = replace(
                edit,
                text_zh=text_zh,
                text_en=text_en,
                matrix_group=MATRIX_GROUP,
                matrix_text_zh=MATRIX_ZH,
                matrix_text_en=MATRIX_EN,
            )
        edits.append(edit)
        if edit.code == "OVERALL":
            edits.append(FOLLOW_UP)
    return edits
