"""Export files as 问卷星, 腾讯问卷, LimeSurvey and a spreadsheet write them, generated here.

``responses(n, seed)`` makes the rows (month, time, answers) once; each writer lays them out as
its tool does, so a test can compute the expected metrics from the same rows by hand.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Row:
    number: int
    at: datetime  # local time (Asia/Shanghai)
    resp: int
    nps: int
    channel: str  # phone | online
    comment: str

    @property
    def month(self) -> str:
        return f"{self.at.year:04d}-{self.at.month:02d}"


def responses(n: int, seed: int = 1, months: list[str] | None = None, first: int = 1) -> list[Row]:
    rng = random.Random(seed)
    months = months or [f"2025-{m:02d}" for m in range(1, 13)]
    rows = []
    for i in range(n):
        year, mon = map(int, months[i % len(months)].split("-"))
        at = datetime(year, mon, 1 + rng.randrange(27), 8 + rng.randrange(12), rng.randrange(60))
        rows.append(
            Row(
                number=first + i,
                at=at + timedelta(seconds=rng.randrange(60)),
                resp=rng.choice([1, 2, 3, 4, 4, 5, 5, 5]),
                nps=rng.randrange(11),
                channel=rng.choice(["phone", "online"]),
                comment=rng.choice(["", "回复很快", "希望改进 电话等待", "客服态度好"]),
            )
        )
    return rows


def wjx_csv(rows: list[Row], encoding: str) -> bytes:
    """问卷星 "按文本导出": 序号, 提交答卷时间, metadata, ``N、question`` columns, a phone."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(
        ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
         "1、回复速度", "2、推荐意愿", "3、渠道", "4、意见", "5、您的手机号"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            [r.number, r.at.strftime("%Y/%-m/%-d %H:%M:%S"), "95秒", "微信", "N/A",
             "1.2.3.4(上海-上海)", LABELS[r.resp], f"{r.nps}分" if r.number % 2 else str(r.nps),
             "电话" if r.channel == "phone" else "在线", r.comment,
             f"1380000{r.number:04d}"]
        )  # fmt: skip
    return out.getvalue().encode(encoding)


def limesurvey_csv(rows: list[Row]) -> bytes:
    """LimeSurvey "Export responses", code headings and answer codes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(
        ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
         "RESP", "NPS", "CHANNEL", "COMMENT"]
    )  # fmt: skip
    for r in rows:
        stamp = r.at.strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow(
            [r.number, stamp, 2, "zh-Hans", 12345, stamp, stamp, f"A{r.resp}", r.nps,
             "A1" if r.channel == "phone" else "A2", r.comment]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


def xlsx(rows: list[Row]) -> bytes:
    """A spreadsheet with English headers, dates as Excel serial numbers, no response id."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Speed of reply", "Recommend", "Comment"])
    for r in rows:
        serial = (r.at - EXCEL_EPOCH).total_seconds() / 86400
        sheet.append([serial, r.resp, r.nps, r.comment or None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
