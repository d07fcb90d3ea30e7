# ruff: noqa: E501  (content: one sentence per line reads and translates better)
"""Fixed content of the demo: parties, clauses (in the platform's own words), comments.

The questionnaire is the standard one every provider can start from
(``surveyapp.survey_versions.standard``).
"""

from __future__ import annotations

from .contracts.template import STANDARD_CLAUSES

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

CLAUSES = STANDARD_CLAUSES

DIMENSION_CLAUSES = {
    "responsiveness": "一(1)",
    "complaint_handling": "一(2)",
    "professional_knowledge": "二(2)",
    "problem_solving": "二(3)",
    "courtesy": "二",
    "confidentiality": "四",
    "overall": "一(3)",
}

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


# The provider's service teams and agents (issue #23): agent, the team the agent starts in.
TEAMS = ("一组", "二组", "投诉专席")
COMPLAINT_TEAM = "投诉专席"
AGENTS = (
    ("王芳", "一组"),
    ("李娜", "一组"),
    ("张伟", "一组"),
    ("周敏", "二组"),
    ("刘洋", "二组"),
    ("陈静", "二组"),
    ("杨帆", "投诉专席"),
    ("赵磊", "投诉专席"),
)
# Agents who get most of the late tickets, and the agent who changes team half-way.
SLOW_AGENTS = ("刘洋", "陈静", "赵磊")
AGENT_MOVE = ("周敏", ("二组", "一组"))
