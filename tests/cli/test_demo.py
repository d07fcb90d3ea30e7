"""``flask demo``: refused in production without its flag; a random password printed once."""

import re

from sqlalchemy import func, select

from surveyapp.demo import DEMO_PASSWORD
from surveyapp.models import Organization, User

from ..conftest import make_app

STRONG = "x" * 40
KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
PRODUCTION = {
    "ENV_NAME": "production",
    "SECRET_KEY": STRONG,
    "DATA_KEY": KEY,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}
PRINTED = re.compile(r"Demo password \(shown once[^)]*\): (\S+)")


def _users(app) -> int:
    with app.app_context():
        from surveyapp.extensions import db

        return db.session.scalar(select(func.count()).select_from(User))


def test_demo_refuses_a_production_database_without_its_flag(database_url):
    app = make_app(database_url, **PRODUCTION)
    result = app.test_cli_runner().invoke(args=["demo", "--today", "2026-11-25"])
    assert result.exit_code == 1
    assert "--into-production" in result.output and "Traceback" not in result.output
    assert _users(app) == 0


def test_demo_into_production_when_asked_with_a_random_password(database_url):
    app = make_app(database_url, **PRODUCTION)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--today", "2026-11-25", "--into-production"])
    assert result.exit_code == 0, result.output
    password = PRINTED.search(result.output).group(1)
    assert password != DEMO_PASSWORD and len(password) >= 16
    assert result.output.count(password) == 1  # printed once
    with app.app_context():
        from surveyapp.extensions import db

        admin = db.session.scalar(select(User).where(User.email == "admin@huaxin.example"))
        assert admin.check_password(password) and not admin.check_password(DEMO_PASSWORD)
        assert db.session.scalar(select(func.count()).select_from(Organization)) == 4

    again = runner.invoke(args=["demo", "--into-production", "--new-password"])
    fresh = PRINTED.search(again.output).group(1)
    assert fresh != password
    with app.app_context():
        from surveyapp.extensions import db

        admin = db.session.scalar(select(User).where(User.email == "admin@huaxin.example"))
        assert admin.check_password(fresh) and not admin.check_password(password)
    client = app.test_client()
    signed = client.post("/sign-in", data={"email": "client@qinghe.example", "password": fresh})
    assert signed.status_code == 302
