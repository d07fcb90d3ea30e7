"""import-tickets, create-api-token and revoke-api-token."""

from __future__ import annotations

from sqlalchemy import func, select

from surveyapp.api_tokens.service import hash_token
from surveyapp.models import ApiToken, Ticket

from ..factories import make_contract
from .test_importing import BAD, GOOD, HEADER


def test_import_tickets_prints_a_summary_and_is_safe_to_run_twice(runner, session, tmp_path):
    contract = make_contract(session, number="CLI-1")
    path = tmp_path / "t.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8-sig")
    first = runner.invoke(args=["import-tickets", "--contract", "CLI-1", str(path)])
    again = runner.invoke(args=["import-tickets", "--contract", "CLI-1", str(path)])
    assert first.exit_code == 0 and "2 new, 0 updated" in first.output
    assert again.exit_code == 0 and "0 new, 2 updated" in again.output
    count = select(func.count()).select_from(Ticket).where(Ticket.contract_id == contract.id)
    assert session.scalar(count) == 2


def test_import_tickets_refuses_a_bad_file_unless_told_to_skip(runner, session, tmp_path):
    make_contract(session, number="CLI-2")
    path = tmp_path / "t.csv"
    path.write_text(HEADER + GOOD + BAD)
    refused = runner.invoke(args=["import-tickets", "--contract", "CLI-2", str(path)])
    assert refused.exit_code == 1
    assert "line 4 [kind]: Use inquiry or complaint." in refused.output
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    skipped = runner.invoke(
        args=["import-tickets", "--contract", "CLI-2", "--skip-bad-rows", str(path)]
    )
    assert skipped.exit_code == 0 and "4 bad rows skipped" in skipped.output


def test_an_unknown_contract_is_a_usage_error(runner, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + GOOD)
    result = runner.invoke(args=["import-tickets", "--contract", "NOPE", str(path)])
    assert result.exit_code == 2 and "no contract" in result.output


def test_create_api_token_prints_it_once_and_stores_only_its_hash(runner, session):
    contract = make_contract(session)
    result = runner.invoke(
        args=["create-api-token", "--organization", contract.provider.name, "--name", "desk"]
    )
    assert result.exit_code == 0
    secret = result.stdout.strip().splitlines()[-1]
    token = session.scalar(select(ApiToken))
    assert token.token_hash == hash_token(secret) and token.name == "desk"


def test_revoke_api_token_is_safe_to_run_twice(runner, session):
    contract = make_contract(session)
    runner.invoke(
        args=["create-api-token", "--organization", contract.provider.name, "--name", "d"]
    )
    token_id = str(session.scalar(select(ApiToken.id)))
    first = runner.invoke(args=["revoke-api-token", token_id])
    again = runner.invoke(args=["revoke-api-token", token_id])
    assert "Revoked" in first.output and "already revoked" in again.output
    session.expire_all()
    assert session.scalar(select(ApiToken.revoked_at)) is not None
