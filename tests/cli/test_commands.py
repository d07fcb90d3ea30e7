"""The command line: init-db, create-user, demo."""

import hashlib
from datetime import date

from sqlalchemy import func, select

from surveyapp.demo import DEMO_PASSWORD, build_demo
from surveyapp.models import (
    Answer,
    AnswerCount,
    AuditEvent,
    Contract,
    Cycle,
    Organization,
    Response,
    Ticket,
    User,
)

from ..conftest import make_app
from ..factories import PASSWORD, make_organization, make_user


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_init_db_is_safe_to_run_twice(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output


def test_create_user_stores_a_hashed_password_and_the_role(runner, session):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Boss@Provider.example",
            "--name",
            "Boss",
            "--role",
            "provider_admin",
            "--organization",
            "Provider Co",
            "--organization-kind",
            "provider",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "boss@provider.example"))
    assert user.role == "provider_admin" and user.organization.kind == "provider"
    assert user.password_hash != "long enough pw" and user.check_password("long enough pw")


def test_create_user_refuses_a_client_role_in_a_provider_organization(runner, session):
    make_organization(session, "provider", name="Provider Co")
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "c@x.example",
            "--name",
            "C",
            "--role",
            "client_viewer",
            "--organization",
            "Provider Co",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code != 0
    assert "client organization" in result.output
    assert count(session, User) == 0


def test_create_user_refuses_an_unknown_organization_and_a_duplicate(runner, session):
    args = [
        "create-user",
        "--email",
        "a@x.example",
        "--name",
        "A",
        "--role",
        "provider_analyst",
        "--organization",
        "Nobody",
        "--password",
        "long enough pw",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "no organization named" in result.output
    assert runner.invoke(args=[*args, "--organization-kind", "provider"]).exit_code == 0
    again = runner.invoke(args=[*args, "--organization-kind", "provider"])
    assert again.exit_code != 0 and "already exists" in again.output
    assert count(session, User) == 1


def test_create_user_refuses_a_short_password(runner, session):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@x.example",
            "--name",
            "A",
            "--role",
            "provider_admin",
            "--organization",
            "P",
            "--organization-kind",
            "provider",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "10 characters" in result.output
    assert count(session, User) == 0


def test_demo_loads_a_provider_three_clients_and_twelve_closed_months(runner, session):
    result = runner.invoke(args=["demo", "--seed", "7", "--today", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD not in result.output  # a random password (tests/cli/test_demo.py)
    assert count(session, Organization, Organization.kind == "provider") == 1
    assert count(session, Organization, Organization.kind == "client") == 3
    assert count(session, Contract) == 3
    months = session.scalars(select(Cycle.month).distinct().order_by(Cycle.month)).all()
    assert months[0] == "2025-11" and months[-1] == "2026-10" and len(months) == 12
    assert count(session, Cycle, Cycle.status != "closed") == 0
    assert count(session, Response) > 1000
    assert count(session, Ticket, Ticket.resolved_at.is_(None)) > 0
    comments = session.scalars(select(Answer.text_value).where(Answer.kind == "text")).all()
    assert any("回复" in c for c in comments)
    stored = session.scalar(select(func.sum(AnswerCount.n)))
    assert stored == count(session, Answer, Answer.value.is_not(None))


def test_demo_twice_changes_nothing(runner, session):
    runner.invoke(args=["demo", "--today", "2026-11-25"])
    before = count(session, Answer)
    result = runner.invoke(args=["demo", "--today", "2026-11-25"])
    assert result.exit_code == 0 and "already loaded" in result.output
    assert count(session, Answer) == before


def _digest(url: str, seed: int) -> str:
    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from surveyapp.extensions import db

        upgrade()
        build_demo(db.session, seed=seed, today=date(2026, 11, 25))
        rows = db.session.execute(
            select(
                Answer.contract_id,
                Answer.month,
                Answer.question_code,
                Answer.value,
                Answer.text_value,
            ).order_by(Answer.id)
        ).all()
        db.engine.dispose()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_demo_is_deterministic_for_a_seed(tmp_path):
    first = _digest(f"sqlite:///{tmp_path}/a.db", 3)
    assert first == _digest(f"sqlite:///{tmp_path}/b.db", 3)
    assert first != _digest(f"sqlite:///{tmp_path}/c.db", 4)


def test_sign_ins_are_audited(client, session):
    user = make_user(session)
    client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["sign_in.failed", "sign_in"]
