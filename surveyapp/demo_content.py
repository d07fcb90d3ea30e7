# ruff: noqa: E501  (content: one sentence per line reads and translates better)
"""Fixed content of the demo: parties, clauses (in the platform's own words), the survey, comments."""

from __future__ import annotations

PROVIDER = {
    "name": "华信联合客户服务有限公司",
    "address": "上海市浦东新区张江路 88 号",
    "contact_person": "周明",
    "phone": "021-5000-8800",
}

# (name, contract number, title, client user, e-mail domain, customers, open day, open days,
#  per-dimension start and end means over the 12 months, response rate, SLA breach shares)
CLIENTS = [
    {
        "name": "明远家电股份有限公司",
        "number": "HX-2025-001",
        "title": "家电售后客户服务合同",
        "user": "client@mingyuan.example",
        "short": "MY",
        "customers": 160,
        "open_day": 1,
        "open_days": 14,
        "response_rate": 0.52,
        "inquiry_breach": 0.04,
        "complaint_breach": 0.06,
        "trend": {
            "responsiveness": (3.3, 4.3),
            "complaint_handling": (3.5, 3.9),
            "professional_knowledge": (4.1, 4.2),
            "problem_solving": (3.6, 4.0),
            "courtesy": (4.4, 4.5),
            "confidentiality": (4.3, 4.4),
        },
    },
    {
        "name": "青禾生鲜电商有限公司",
        "number": "HX-2025-002",
        "title": "电商平台在线客服外包合同",
        "user": "client@qinghe.example",
        "short": "QH",
        "customers": 130,
        "open_day": 3,
        "open_days": 10,
        "response_rate": 0.41,
        "inquiry_breach": 0.08,
        "complaint_breach": 0.12,
        "trend": {
            "responsiveness": (4.0, 3.9),
            "complaint_handling": (4.0, 3.2),
            "professional_knowledge": (3.7, 3.8),
            "problem_solving": (3.8, 3.4),
            "courtesy": (4.2, 4.1),
            "confidentiality": (4.2, 4.2),
        },
    },
    {
        "name": "北辰保险经纪有限公司",
        "number": "HX-2025-003",
        "title": "保险咨询热线服务合同",
        "user": "client@beichen.example",
        "short": "BC",
        "customers": 90,
        "open_day": 5,
        "open_days": 12,
        "response_rate": 0.36,
        "inquiry_breach": 0.02,
        "complaint_breach": 0.03,
        "trend": {
            "responsiveness": (4.2, 4.3),
            "complaint_handling": (4.0, 4.1),
            "professional_knowledge": (3.4, 4.0),
            "problem_solving": (3.9, 4.0),
            "courtesy": (4.5, 4.6),
            "confidentiality": (4.6, 4.7),
        },
    },
]

# ref, title zh, title en, obligation zh, obligation en
CLAUSES = [
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

DIMENSION_CLAUSES = {
    "responsiveness": "一(1)",
    "complaint_handling": "一(2)",
    "professional_knowledge": "二(2)",
    "problem_solving": "二(3)",
    "courtesy": "二",
    "confidentiality": "四",
    "overall": "一(3)",
}

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

POSITIVE_COMMENTS = [
    "客服态度很好，耐心解答了我的问题。",
    "回复很及时，问题当天就解决了，点赞！",
    "工作人员很专业，对产品非常了解。",
    "整体体验不错，希望继续保持。",
    "上门维修师傅很准时，服务周到。",
    "Quick reply and friendly staff, thank you.",
]
NEGATIVE_COMMENTS = {
    "responsiveness": [
        "客服回复太慢了，等了两天才有人处理。",
        "电话一直占线，在线客服也要排队很久。",
        "留言之后迟迟没有回复，体验很差。",
    ],
    "complaint_handling": [
        "投诉之后一直没有给出解决方案，拖了好几天。",
        "投诉处理结果不满意，退款流程太复杂。",
        "同一个问题投诉了三次还没处理好。",
    ],
    "professional_knowledge": [
        "客服对产品参数不了解，回答前后矛盾。",
        "问了保修政策，客服说不清楚，还要转接。",
    ],
    "problem_solving": [
        "问题没有解决，只是让我重启试试。",
        "转了好几个部门，问题还是没有解决。",
    ],
    "courtesy": [
        "客服态度冷淡，说话不耐烦。",
    ],
    "confidentiality": [
        "接到陌生推销电话，担心个人信息被泄露。",
    ],
}
# A few comments carry identities, which the analysis must mask before anyone sees them.
IDENTIFYING_COMMENTS = [
    "请王经理尽快回电 13812345678，维修的事还没处理。",
    "我的邮箱是 zhang.wei@example.com，发票一直没收到。",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "丽",
    "强",
    "军",
    "平",
    "刚",
]
