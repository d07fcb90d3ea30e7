"""Two ``flask tick`` processes started at the same moment at every step, on PostgreSQL: they
split the contracts between them (row locks, SKIP LOCKED) and nothing happens twice."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyapp.models import ActionItem, AutopilotStep, Cycle, Invitation, Report

from ..conftest import PG_URL
from .test_simulation import _answer_as_scripted

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")

FLASK = str(Path(sys.executable).with_name("flask"))
# Each moment a step of A (Shanghai, day 1, 10 days, reminders after 3 days, at most 2) or of
# B (Berlin, day 5, 7 days, one reminder after 2 days) falls due, in September 2026.
MOMENTS = [
    "2026-09-01T01:00", "2026-09-04T01:00", "2026-09-05T07:00", "2026-09-07T01:00",
    "2026-09-07T07:00", "2026-09-11T01:00", "2026-09-12T07:00",
]  # fmt: skip


def _two_ticks(smtp_port: int, now: str) -> list[subprocess.CompletedProcess]:
    env = {
        **os.environ, "DATABASE_URL": PG_URL, "SECRET_KEY": "test-secret",
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "BASE_URL": "https://survey.test",
    }  # fmt: skip
    args = [FLASK, "--app", "surveyapp", "tick", "--now", now]
    processes = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(args, process.returncode, out))
    return results


def test_two_ticks_at_the_same_moment_never_do_a_step_twice(session, parties, smtp, charts):
    a, b = parties
    for now in MOMENTS:
        for result in _two_ticks(smtp.port, now):
            assert result.returncode == 0, result.stdout
        _answer_as_scripted(session, datetime.fromisoformat(now).replace(tzinfo=UTC))

    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Cycle)) == 2
    assert session.scalar(select(func.count()).select_from(Invitation)) == 6
    mails = Counter(m["To"] for m in smtp.messages)
    for party, reminders in ((a, 2), (b, 1)):
        first, second, silent = party.customers
        assert (mails[first], mails[second], mails[silent]) == (1, 2, 1 + reminders)
        assert [mails[u] for u in party.client_users] == [1]
    reports = session.execute(select(Report.contract_id, Report.locale, Report.version)).all()
    assert sorted(reports) == sorted([(a.contract_id, "zh_CN", 1), (b.contract_id, "zh_CN", 1)])
    items = session.execute(select(ActionItem.contract_id, ActionItem.month, ActionItem.key)).all()
    assert len(items) == len(set(items))
    rows = session.scalars(select(AutopilotStep)).all()
    assert {(r.status, r.attempts) for r in rows} == {("done", 1)}
    assert Counter((r.contract_id, r.month, r.step) for r in rows).most_common(1)[0][1] == 1
