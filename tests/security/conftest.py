"""The survey fixtures (an open cycle with personal links) for the security tests, and cheap
password hashing so that the many users these tests make do not dominate their time."""

from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from ..survey.conftest import full_answers, invite, survey  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    cheap = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("surveyapp.models.organizations.generate_password_hash", cheap)
