"""Rate limits: survey links per token and address, link guessing, sign-in per account and
address, the API per token; a clear 429 with Retry-After."""

from __future__ import annotations

import threading
import time

import pytest
from limits.storage import MemoryStorage

from surveyapp.models import AuditEvent, Response
from surveyapp.security.limits import SweepingMemoryStorage
from surveyapp.survey.tokens import new_token

from ..conftest import make_app
from ..factories import PASSWORD, make_user
from .conftest import full_answers


@pytest.fixture
def limited(database_url):
    def make(**limits):
        return make_app(database_url, **limits).test_client()

    return make


def test_guessed_survey_links_get_404_then_429(limited):
    client = limited(RATELIMIT_SURVEY_MISSES_PER_ADDRESS="5 per 10 minutes")
    codes = [client.get(f"/s/{new_token()}").status_code for _ in range(8)]
    assert codes[:5] == [404] * 5 and set(codes[5:]) == {429}
    response = client.get(f"/s/{new_token()}")
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.text or "请求过于频繁" in response.text


def test_guessing_from_one_address_leaves_other_addresses_alone(limited, invite):
    client = limited(RATELIMIT_SURVEY_MISSES_PER_ADDRESS="3 per 10 minutes")
    for _ in range(4):
        client.get(f"/s/{new_token()}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    _, token = invite()
    assert client.get(f"/s/{token}", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 429
    assert client.get(f"/s/{token}", environ_base={"REMOTE_ADDR": "10.0.0.10"}).status_code == 200


def test_one_link_is_limited_per_token_get_and_post(limited, invite, survey, session):
    client = limited(RATELIMIT_SURVEY_PER_TOKEN="3 per minute")
    _, token = invite()
    assert [client.get(f"/s/{token}").status_code for _ in range(3)] == [200] * 3
    response = client.post(f"/s/{token}", data=full_answers(survey))
    assert response.status_code == 429
    assert session.query(Response).count() == 0
    _, other = invite()
    assert client.get(f"/s/{other}").status_code == 200


def test_survey_requests_are_limited_per_address(limited, invite):
    client = limited(RATELIMIT_SURVEY_PER_ADDRESS="4 per minute")
    tokens = [invite()[1] for _ in range(5)]
    codes = [client.get(f"/s/{t}").status_code for t in tokens]
    assert codes == [200, 200, 200, 200, 429]


def test_failed_sign_ins_are_limited_per_account_with_a_clear_message(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ACCOUNT="3 per 15 minutes")
    user = make_user(session)
    for _ in range(3):
        bad = client.post("/sign-in", data={"email": user.email, "password": "wrong"})
        assert bad.status_code == 401
    blocked = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "sign-in attempts" in blocked.text or "登录失败次数过多" in blocked.text
    assert "session" not in (blocked.headers.get("Set-Cookie") or "").split("=")[0]
    # the limit is per account: another user can still sign in from the same address
    other = make_user(session)
    ok = client.post("/sign-in", data={"email": other.email, "password": PASSWORD})
    assert ok.status_code == 302


def test_failed_sign_ins_are_limited_per_address(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ADDRESS="4 per 15 minutes")
    for n in range(4):
        client.post("/sign-in", data={"email": f"guess{n}@example.com", "password": "x"})
    user = make_user(session)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert (
        client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.1.1.1"},
        ).status_code
        == 302
    )


def test_successful_sign_ins_do_not_count(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ACCOUNT="2 per 15 minutes")
    user = make_user(session)
    form = {"email": user.email, "password": PASSWORD}
    for _ in range(4):
        assert client.post("/sign-in", data=form).status_code == 302
        client.post("/sign-out")


def test_refused_sign_ins_are_still_audited_until_the_limit(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ACCOUNT="2 per 15 minutes")
    for _ in range(5):
        client.post("/sign-in", data={"email": "x@example.com", "password": "wrong"})
    failed = session.query(AuditEvent).filter_by(action="sign_in.failed").count()
    assert failed == 2  # the blocked attempts never reached the password check


def test_api_requests_are_limited_per_token_with_a_json_429(limited):
    client = limited(RATELIMIT_API_PER_TOKEN="3 per minute")
    headers = {"Authorization": "Bearer sat_" + "a" * 40}
    codes = [client.get("/api/v1/contracts", headers=headers).status_code for _ in range(6)]
    assert codes[:3] == [401] * 3 and set(codes[3:]) == {429}
    response = client.get("/api/v1/contracts", headers=headers)
    assert response.json["type"] == "urn:surveyapp:problem:too_many_requests"
    assert int(response.headers["Retry-After"]) > 0


def test_refused_api_tokens_are_limited_per_address(limited):
    client = limited(RATELIMIT_API_FAILURES_PER_ADDRESS="3 per minute")
    codes = [
        client.get("/api/v1/contracts", headers={"Authorization": f"Bearer {t}"}).status_code
        for t in (new_token() for _ in range(5))
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_limits_can_be_switched_off_for_benchmarks(limited):
    client = limited(RATELIMIT_ENABLED=False, RATELIMIT_SURVEY_MISSES_PER_ADDRESS="1 per minute")
    assert {client.get(f"/s/{new_token()}").status_code for _ in range(4)} == {404}


def test_storage_comes_from_the_environment(tmp_path):
    from surveyapp.config import settings_from_env

    assert settings_from_env({}, str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"
    redis = settings_from_env({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/3"}, str(tmp_path))
    assert redis["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_bodies_over_the_limit_are_refused_with_413(limited):
    client = limited(MAX_CONTENT_LENGTH=1024)
    response = client.post("/sign-in", data={"email": "a@b.cn", "password": "x" * 5000})
    assert response.status_code == 413


class _SlowTimer(threading.Timer):
    """A timer that takes a while to be made and records how many are being made at once:
    it holds open the window in which two threads both replace the expiry timer (and then
    may start the same one twice: limits' own memory storage gave a 500 so under gthread)."""

    making = 0
    most = 0

    def __init__(self, *args, **kwargs):
        type(self).making += 1
        type(self).most = max(type(self).most, type(self).making)
        super().__init__(*args, **kwargs)
        time.sleep(0.05)
        type(self).making -= 1


@pytest.mark.parametrize("storage_class", [MemoryStorage, SweepingMemoryStorage])
def test_counting_starts_no_expiry_thread(storage_class, monkeypatch):
    storage = storage_class()
    storage.timer.join()
    monkeypatch.setattr(_SlowTimer, "making", 0)
    monkeypatch.setattr(_SlowTimer, "most", 0)
    monkeypatch.setattr(threading, "Timer", _SlowTimer)
    errors, start = [], threading.Barrier(8)

    def count(n: int) -> None:
        start.wait()
        try:
            storage.incr(f"key-{n}", 60)
        except RuntimeError as error:  # "threads can only be started once"
            errors.append(error)

    threads = [threading.Thread(target=count, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    if storage_class is MemoryStorage:  # what this storage replaces: a thread per update, racing
        assert _SlowTimer.most > 1, "limits no longer races here: the workaround can go"
    else:
        assert _SlowTimer.most == 0 and errors == []
        assert [storage.get(f"key-{n}") for n in range(8)] == [1] * 8


def test_expired_counters_are_swept_by_the_request_that_finds_the_sweep_due(monkeypatch):
    storage = SweepingMemoryStorage()
    clock = [1000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    storage.incr("old", 5)
    storage.incr("fresh", 60)
    clock[0] += 10  # "old" has expired, but nobody has read it
    storage.incr("fresh", 60)
    assert "old" in storage.storage  # the sweep is not due yet: nothing swept
    storage._next_sweep = 0  # due now
    storage.incr("fresh", 60)
    assert "old" not in storage.storage and "old" not in storage.expirations
    assert storage.get("fresh") == 3


class _ReadMeanwhile(dict):
    """Expirations whose snapshot is followed at once by another thread's ``get`` dropping
    the first expired key: the interleaving a sweep inside a request must survive."""

    def __init__(self, storage, *args):
        super().__init__(*args)
        self.storage = storage

    def _taken(self, snapshot):
        self.storage.get(next(iter(self)))  # expired: get() removes it, as a request would
        return snapshot

    def keys(self):
        return self._taken(list(super().keys()))

    def items(self):
        return self._taken(list(super().items()))


def test_a_sweep_while_another_thread_drops_an_expired_counter_raises_nothing():
    """The sweep runs inside a request: a counter that another thread's ``get`` drops at the
    same moment must not make it fail (limits' own sweep read the key unlocked: KeyError)."""
    storage = SweepingMemoryStorage()
    for key in ("a", "b", "c"):
        storage.incr(key, 60)
    storage.expirations = _ReadMeanwhile(storage, {key: 0 for key in ("a", "b", "c")})
    storage.sweep()
    assert dict(storage.expirations) == {} and not storage.storage


def test_the_app_counts_in_the_sweeping_storage(limited):
    client = limited()
    limiter = client.application.extensions["surveyapp_rate_limiter"]
    assert isinstance(limiter.storage, SweepingMemoryStorage)
