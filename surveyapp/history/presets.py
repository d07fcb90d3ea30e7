"""Export layouts of the survey tools providers come from, and their answer labels.

What each preset knows (checked against public samples; README, "History import", names them):

- ``wjx`` (问卷星, "按文本/按分数导出" to Excel or CSV): ``序号`` (the response number),
  ``提交答卷时间`` (``2025/3/5 14:22:01``), then ``所用时间``, ``来源``, ``来源详情``, ``来自IP``,
  and one column per question headed ``1、question text``; a multiple-choice answer joins its
  options with ``┋``, text typed into an option's box follows it as ``〖...〗``, a skipped
  question reads ``(跳过)``; an answer is the option text or, exported by score, its score.
  Exported by option number, a multiple-choice question is one column per option,
  ``第4题(option)`` with 1 / 0, a matrix row is ``第3题(row)``, and -2 / -3 mean skipped / not
  shown.
- ``tencent`` (腾讯问卷, CSV): ``编号``, ``开始答题时间``, ``结束答题时间`` (``02-Sep-2020
  07:44:08``), ``答题时长`` (seconds), ``地理位置国家和地区``, ``地理位置省``, ``地理位置市``,
  ``用户类型``, ``用户标识`` (a WeChat openid), ``昵称``, ``自定义字段``, then one column per
  question headed ``1.question text``; a choice answer is the option text after its letter
  (``A.发现了问题``); a question with several parts repeats its header (``2.日期:请选择``).
- ``limesurvey`` (Responses → Export, CSV): ``id``, ``submitdate``, ``lastpage``,
  ``startlanguage``, ``seed``, ``startdate``, ``datestamp`` with code headings (``Response ID``,
  ``Date submitted`` ... with full headings), then one column per question code
  (``CODE[SUBCODE]`` for array rows and for each option of a multiple-choice question, ticked
  ``Y``, full answers ``Yes`` / ``No``); answers as codes (``A1`` .. ``A5``, ``AO01``) or as
  full answers.
- ``spreadsheet``: anything else with a header line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

SATISFACTION_LABELS = {
    "非常满意": 5,
    "很满意": 5,
    "满意": 4,
    "比较满意": 4,
    "较满意": 4,
    "一般": 3,
    "不满意": 2,
    "比较不满意": 2,
    "较不满意": 2,
    "非常不满意": 1,
    "很不满意": 1,
    "very satisfied": 5,
    "satisfied": 4,
    "neutral": 3,
    "neither satisfied nor dissatisfied": 3,
    "dissatisfied": 2,
    "very dissatisfied": 1,
    # Microsoft Forms' own 5-point labels
    "somewhat satisfied": 4,
    "somewhat dissatisfied": 2,
    "neither satisfied nor dissatisfied.": 3,
    "extremely satisfied": 5,
    "extremely dissatisfied": 1,
}
# "No answer" proposed per tool; the user may change them per question (Mapping.no_answer).
NO_ANSWER = {
    "wjx": ("(空)", "（空）", "(跳过)", "（跳过）", "-2", "-3"),
    "tencent": ("(跳过)", "（跳过）"),
    "limesurvey": ("I don't know", "N/A", "No answer"),
    "qualtrics": ("-1", "-2", "-99"),
    "msforms": (),
    "googleforms": (),
    "spreadsheet": ("不适用", "未参与", "N/A", "Not applicable", "I don't know", "不知道"),
}
LIMESURVEY_CODES = {f"A{n}": n for n in range(1, 6)} | {f"AO{n:02d}": n for n in range(1, 6)}

CONTACT_WORDS = {
    "name": ("姓名", "名字", "称呼", "联系人", "昵称", "name", "full name"),
    "mobile": (
        "手机号",
        "手机号码",
        "电话号码",
        "联系电话",
        "联系方式",
        "mobile number",
        "phone number",
        "telephone",
        "微信号",
        "wechat",
    ),
    "email": ("邮箱", "电子邮箱", "邮件", "email", "e-mail", "mail"),
    "ref": (
        "客户编号",
        "会员号",
        "customer ref",
        "customer id",
        "用户名",
        "用户标识",
        "openid",
        "username",
        "user name",
        "recipientemail",
    ),
}


@dataclass(frozen=True)
class Preset:
    key: str
    label: object
    date_headers: tuple[str, ...]
    id_headers: tuple[str, ...]
    metadata_headers: tuple[str, ...] = ()
    value_map: dict[str, int] = field(default_factory=dict)


PRESETS = {
    "wjx": Preset(
        "wjx",
        _l("问卷星 (Wenjuanxing) export"),
        date_headers=("提交答卷时间", "提交时间"),
        id_headers=("序号", "答卷编号"),
        metadata_headers=("所用时间", "来源", "来源详情", "来自IP", "总分", "ip"),
        value_map=dict(SATISFACTION_LABELS),
    ),
    "tencent": Preset(
        "tencent",
        _l("腾讯问卷 (Tencent Survey) export"),
        date_headers=("结束答题时间", "提交时间", "开始答题时间"),
        id_headers=("编号", "原始记录编号", "答卷编号"),
        metadata_headers=(
            "开始答题时间",
            "答题时长",
            "地理位置国家和地区",
            "地理位置省",
            "地理位置市",
            "用户类型",
            "用户标识",
            "昵称",
            "自定义字段",
            "数据版本",
            "语言",
            "ip",
            "ua",
            "referrer",
            "清洗数据结果",
            "智能清洗数据无效概率",
            "审核状态",
        ),  # fmt: skip
        value_map=dict(SATISFACTION_LABELS),
    ),
    "limesurvey": Preset(
        "limesurvey",
        _l("LimeSurvey response export"),
        date_headers=("submitdate", "date submitted"),
        id_headers=("id", "response id"),
        metadata_headers=(
            "lastpage",
            "last page",
            "startlanguage",
            "start language",
            "seed",
            "startdate",
            "date started",
            "datestamp",
            "date last action",
            "ipaddr",
            "ip address",
            "refurl",
            "referrer url",
            "token",
            "access code",
        ),  # fmt: skip
        value_map=dict(SATISFACTION_LABELS) | LIMESURVEY_CODES,
    ),
    "qualtrics": Preset(
        "qualtrics",
        _l("Qualtrics export (CSV)"),
        date_headers=("recordeddate", "enddate", "startdate"),
        id_headers=("responseid", "_recordid"),
        metadata_headers=(
            "startdate",
            "enddate",
            "status",
            "ipaddress",
            "progress",
            "duration (in seconds)",
            "finished",
            "responseset",
            "recipientlastname",
            "recipientfirstname",
            "recipientemail",
            "externalreference",
            "externaldatareference",
            "locationlatitude",
            "locationlongitude",
            "locationaccuracy",
            "distributionchannel",
            "userlanguage",
        ),  # fmt: skip
        value_map=dict(SATISFACTION_LABELS),
    ),
    "msforms": Preset(
        "msforms",
        _l("Microsoft Forms export"),
        date_headers=("completion time", "start time"),
        id_headers=("id",),
        metadata_headers=("start time", "email", "name", "last modified time"),
        value_map=dict(SATISFACTION_LABELS),
    ),
    "googleforms": Preset(
        "googleforms",
        _l("Google Forms responses"),
        date_headers=("timestamp", "时间戳记"),
        id_headers=(),
        metadata_headers=("email address", "电子邮件地址"),
        value_map=dict(SATISFACTION_LABELS),
    ),
    "spreadsheet": Preset(
        "spreadsheet",
        _l("Spreadsheet (any layout)"),
        date_headers=(
            "date",
            "日期",
            "submitted",
            "提交时间",
            "month",
            "月份",
            "时间",
            "timestamp",
            "completion time",
            "recordeddate",
            "enddate",
            "date submitted",
            "submitted at",
            "submission date",
        ),  # fmt: skip
        id_headers=("response id", "id", "编号"),
        value_map=dict(SATISFACTION_LABELS),
    ),
}

_NUMBERING = re.compile(
    r"^\s*(?:第\s*\d+\s*题|Q\s*\d+|\d+)(?:\s+-\s+|\s*[、.．:：)）])?\s*", re.IGNORECASE
)
# LimeSurvey's "question code. question text" headings: ``submitdate. Date submitted``.
CODE_HEADING = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])?)\.\s+(\S.*)$")
_WRAPPED = re.compile(r"[(（][^()（）]*[)）]")
_TYPE_HINT = re.compile(r"[(（](?:单选题|多选题|填空题|量表题|矩阵题|评分题|必答|选填)[)）]\s*$")


def header_key(header: str) -> str:
    """A header reduced for matching: numbering, type hints and closing punctuation dropped."""
    text = _TYPE_HINT.sub("", header.strip())
    text = _NUMBERING.sub("", text, count=1) if not text.isdigit() else text
    if _WRAPPED.fullmatch(text):  # 问卷星's matrix row 第3题(row) once the number is gone
        text = text[1:-1]
    return text.strip().rstrip("：:？?。. ").casefold()


def heading_parts(header: str) -> tuple[str, ...]:
    """The header, and for a ``code. text`` heading its code and its text."""
    found = CODE_HEADING.match(header.strip())
    return (header, found.group(1), found.group(2)) if found else (header,)


def detect_preset(headers: list[str]) -> str:
    """The preset whose date and id headers the file has, else ``spreadsheet``."""
    keys = {part.strip().casefold() for h in headers for part in heading_parts(h)}
    if {"responseid", "recordeddate"} & keys or "responseset" in keys:
        return "qualtrics"
    if {"id", "start time", "completion time"} <= keys:
        return "msforms"
    if "timestamp" in keys and len(headers) > 1:
        return "googleforms"
    for key in ("wjx", "tencent", "limesurvey"):
        preset = PRESETS[key]
        has_date = any(h.casefold() in keys for h in preset.date_headers)
        has_id = any(h.casefold() in keys for h in preset.id_headers)
        if has_date and has_id:
            return key
    return "spreadsheet"


def contact_kind(header: str) -> str | None:
    """``name``, ``mobile``, ``email`` or ``ref`` when the header names contact data."""
    key = header_key(header)
    for kind in ("ref", "email", "mobile", "name"):
        if any(word in key for word in CONTACT_WORDS[kind]):
            return kind
    if key in ("手机", "电话", "phone", "mobile", "用户", "user"):
        return "mobile" if key in ("手机", "电话", "phone", "mobile") else "ref"
    return None


EMAIL_CELL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
MOBILE_CELL = re.compile(r"(?:\+?\d{1,3}[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\+?\d{8,15}")
OPENID_CELL = re.compile(r"o[A-Za-z0-9_-]{8,}")


def contact_by_content(values: list[str]) -> tuple[str, str] | None:
    """``(kind, reason)`` when most non-empty sample values look like e-mail addresses, mobile
    numbers or WeChat-style openids (``o`` and 8+ id characters), else None."""
    texts = [v.strip().lstrip("\t") for v in values if v and v.strip()]
    if not texts:
        return None
    need = max(1, (len(texts) + 1) // 2)
    checks = (
        ("email", EMAIL_CELL, _l("values look like e-mail addresses")),
        ("mobile", MOBILE_CELL, _l("values look like phone numbers")),
        ("ref", OPENID_CELL, _l("values look like WeChat openids")),
    )
    for kind, pattern, reason in checks:
        if sum(bool(pattern.fullmatch(t)) for t in texts) >= need:
            return kind, str(reason)
    return None
