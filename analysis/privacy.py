"""Privacy for anything the client sees (DESIGN.md sections 3 and 5, contract clause 四).

Two rules: a breakdown with fewer than five answers is suppressed, so nobody can be singled out
from a small group; and a comment shown to the client carries no customer identity, so names,
phone numbers, e-mail addresses and ID numbers in free text are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["MASK", "MIN_GROUP_SIZE", "mask_contacts", "mask_text", "suppress_small_groups"]

MIN_GROUP_SIZE = 5
MASK = "***"

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_ID_NUMBER = r"(?<!\d)\d{17}[\dXx](?!\d)"
_PHONE = (
    r"(?:(?:\+|00)\d{1,3}[\s-]?)?"
    r"(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}"
    r"|0\d{2,3}[\s-]?\d{7,8}"
    r"|\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{4})"
    r"(?!\d)"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
_TITLE_NAME = rf"[{_SURNAMES}][\u4e00-\u9fff]?(?=先生|女士|小姐|老师|经理|总|师傅)"
_SELF_NAME = (
    r"(?:(?<=我叫|我是|本人)|(?<=姓名[:：]|名字[:：]))\s*" rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}"
)
_SELF_NAME_EN = r"(?i:(?<=my name is )|(?<=i am )|(?<=i'm ))[A-Z][a-z]+(?: [A-Z][a-z]+)?"
_TITLE_NAME_EN = r"(?<=Mr\. )[A-Z][a-z]+|(?<=Mrs\. )[A-Z][a-z]+|(?<=Ms\. )[A-Z][a-z]+"
_PATTERN = re.compile(
    "|".join([_EMAIL, _ID_NUMBER, _PHONE, _TITLE_NAME, _SELF_NAME, _SELF_NAME_EN, _TITLE_NAME_EN])
)


def contact_pattern(names: Iterable[str] = ()) -> re.Pattern[str]:
    """The one pattern of what identifies a customer in free text (plus ``names``, longest
    first); every path out masks with it, through :func:`mask_contacts` or :func:`mask_text`."""
    known = sorted({name for name in names if name and name.strip()}, key=len, reverse=True)
    if not known:
        return _PATTERN
    return re.compile("|".join([*map(re.escape, known), _PATTERN.pattern]))


def mask_contacts(texts: pd.Series, names: Iterable[str] = ()) -> pd.Series:
    """Mask what identifies a customer in free text: e-mails, phone and ID numbers, names.

    Names are recognised where a comment shows them (a surname before 先生/女士/经理…, a name
    after 我叫/我是/本人, "my name is …", "Mr. …"); ``names`` adds known names (for example the
    contract's customer names, decrypted by the caller) that are masked wherever they appear.
    Each match becomes ``***``.

    Examples
    --------
    >>> mask_contacts(pd.Series(["王先生电话13812345678，邮箱 a.b@example.com"])).iloc[0]
    '***先生电话***，邮箱 ***'
    """
    return texts.astype("string").str.replace(contact_pattern(names), MASK, regex=True)


def mask_text(text: str | None, names: Iterable[str] | re.Pattern[str] = ()) -> str | None:
    """:func:`mask_contacts` for one text (a page cell, an export cell); None stays None.
    ``names`` may be a pattern already built by :func:`contact_pattern` (one per table).

    >>> mask_text("请回电 13812345678")
    '请回电 ***'
    """
    if text is None:
        return None
    pattern = names if isinstance(names, re.Pattern) else contact_pattern(names)
    return pattern.sub(MASK, text)


def suppress_small_groups(
    frame: pd.DataFrame,
    value_columns: Iterable[str] | None = None,
    n_column: str = "n",
    min_n: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Blank every figure of a row whose group has fewer than ``min_n`` answers.

    For client-facing output: the ``value_columns`` (default: every numeric column except
    ``n_column``) become NaN, ``n_column`` itself becomes missing, and a boolean ``suppressed``
    column says which rows were blanked, so a template can print "fewer than 5 answers".
    Rows with ``n = 0`` are suppressed too.
    """
    if value_columns is None:
        numeric = frame.select_dtypes(include=[np.number, "boolean"]).columns
        value_columns = [column for column in numeric if column != n_column]
    small = frame[n_column].fillna(0) < min_n
    out = frame.copy()
    for column in value_columns:
        out[column] = out[column].astype("float64").mask(small)
    out[n_column] = out[n_column].astype("Int64").mask(small)
    out["suppressed"] = small.to_numpy()
    return out
