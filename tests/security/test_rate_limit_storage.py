"""Rate-limit counters shared by every worker process (issue #19 item 10).

Two gunicorn servers (one worker process each, the shipped gunicorn.conf.py) count failed
sign-ins in one Redis: the account's limit holds across both, as it must with the README's four
workers. Production refuses per-process memory counters (tests/test_config.py).
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10  # RATELIMIT_SIGN_IN_PER_ACCOUNT: 10 failed sign-ins per 15 minutes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(check, what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start within {seconds:.0f} s")


@pytest.fixture
def redis_url(tmp_path):
    require_tool("redis-server", "production rate-limit counters live in Redis")
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    _wait(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() is None, "redis")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


class _Browser:
    """A visitor of one server: keeps its cookie and sends the sign-in form's CSRF token."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def failed_sign_in(self, email: str) -> int:
        page = self.opener.open(f"{self.base}/sign-in", timeout=30).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": "wrong password"}
        ).encode()
        try:
            return self.opener.open(f"{self.base}/sign-in", body, timeout=30).status
        except urllib.error.HTTPError as answer:
            return answer.code


def _servers(database_url: str, storage: str, count: int = 2):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEYAPP_", "GUNICORN"))}
    env |= {
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": storage,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "PYTHONPATH": str(ROOT),
    }
    ports, processes = [], []
    for _ in range(count):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
                + ["--bind", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        ports.append(port)
    return ports, processes


def _failed_sign_ins_alternating(database_url: str, storage: str) -> list[int]:
    """Failed sign-ins for one account, sent in turn to two worker processes."""
    ports, processes = _servers(database_url, storage)
    try:
        for port in ports:
            _wait(lambda port=port: _get_status(port) == 200, f"gunicorn on {port}")
        browsers = [_Browser(port) for port in ports]
        return [browsers[i % 2].failed_sign_in("victim@example.com") for i in range(LIMIT + 4)]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _get_status(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/sign-in")
    status = conn.getresponse().status
    conn.close()
    return status


def test_two_worker_processes_share_the_failed_sign_in_counter(database_url, redis_url):
    statuses = _failed_sign_ins_alternating(database_url, redis_url)
    # each process saw only half the attempts, yet the account's limit held across both
    assert statuses[:LIMIT] == [401] * LIMIT, statuses
    assert set(statuses[LIMIT:]) == {429}, statuses


def test_in_memory_counters_let_each_worker_count_alone(database_url):
    """Why production refuses memory://: two workers allow twice the limit."""
    statuses = _failed_sign_ins_alternating(database_url, "memory://")
    assert statuses == [401] * (LIMIT + 4), statuses
