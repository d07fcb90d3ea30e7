# ruff: noqa: E501  (content: one sentence per line reads and translates better)
"""The standard service contract, in the platform's own words: what a new contract starts from.

A new contract is seeded with these clauses (the template's 一(1) to 五) and a target for every
survey dimension; both are the contract's own data afterwards, edited per contract.
"""

from __future__ import annotations

from decimal import Decimal

# ref, title zh, title en, obligation zh, obligation en
STANDARD_CLAUSES = [
    (
        "一(1)",
        "客户咨询回复",
        "Customer inquiries",
        "客户提出的每一项咨询或请求，服务方须在 24 小时内给出答复。",
        "Every question or request from a client's customer is answered within 24 hours.",
    ),
    (
        "一(2)",
        "客户投诉处理",
        "Customer complaints",
        "客户的每一项投诉，服务方须在 48 小时内提出解决方案。",
        "Every customer complaint receives a solution within 48 hours.",
    ),
    (
        "一(3)",
        "客户满意度调查",
        "Satisfaction survey",
        "服务方每月对委托方的客户进行一次满意度调查，并依据结果改进服务。",
        "Each month the provider surveys the client's customers and improves the service from the results.",
    ),
    (
        "二",
        "服务标准",
        "Service standards",
        "客服人员衣着整洁、言行文明，遵守保密规定。",
        "Staff are neatly dressed, civil in word and deed, and follow the confidentiality rules.",
    ),
    (
        "二(2)",
        "专业知识",
        "Professional knowledge",
        "客服人员熟悉委托方的产品和所在行业的专业知识。",
        "Staff know the client's products and the industry well.",
    ),
    (
        "二(3)",
        "解决问题的能力",
        "Problem solving",
        "客服人员能够迅速找到问题根源并加以解决。",
        "Staff find the root of a problem quickly and solve it.",
    ),
    (
        "三",
        "服务费用",
        "Fees",
        "委托方按月支付服务费，于每月前五个工作日内付清。",
        "The client pays the monthly fee within the first five working days of each month.",
    ),
    (
        "四",
        "保密条款",
        "Confidentiality",
        "服务方对获悉的委托方业务及客户信息严格保密，不向任何第三方披露，合同终止后仍然有效。",
        "The provider keeps the client's business and customer information secret from any third party, also after the contract ends.",
    ),
    (
        "五",
        "违约责任",
        "Breach",
        "任何一方违约，应赔偿由此给对方造成的损失。",
        "A party in breach pays damages for the loss it causes.",
    ),
]


DEFAULT_TARGET_MEAN = Decimal("4.00")
DEFAULT_TARGET_CSAT = Decimal("80.00")
