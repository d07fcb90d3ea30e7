"""flask import-history: summary, problems with line and column, dry run, exit codes."""

from sqlalchemy import func, select

from surveyapp.models import Response

from .exports import responses, wjx_csv


def _file(tmp_path, data: bytes) -> str:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return str(path)


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Response))


def test_import_history_detects_the_wjx_layout_and_prints_the_summary(
    runner, session, world, tmp_path
):
    path = _file(tmp_path, wjx_csv(responses(24), "gbk"))
    number = world["contract"].number
    result = runner.invoke(args=["import-history", path, "--contract", number])
    assert result.exit_code == 0, result.output
    assert "Source: wjx" in result.output
    assert "Imported: 24 responses, 0 bad rows skipped, 0 already present" in result.output
    again = runner.invoke(args=["import-history", path, "--contract", number, "--preset", "wjx"])
    assert "Imported: 0 responses, 0 bad rows skipped, 24 already present" in again.output
    assert count(session) == 24


def test_a_bad_row_fails_the_command_and_names_line_and_column(runner, session, world, tmp_path):
    data = wjx_csv(responses(4), "gbk").replace("非常满意".encode("gbk"), "很好".encode("gbk"), 1)
    path = _file(tmp_path, data)
    args = ["import-history", path, "--contract", world["contract"].number, "--encoding", "gbk"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "[1、回复速度]: Unknown answer label 很好." in result.output
    assert count(session) == 0
    assert runner.invoke(args=[*args, "--skip-bad-rows"]).exit_code == 0
    assert count(session) == 3


def test_dry_run_stores_nothing(runner, session, world, tmp_path):
    path = _file(tmp_path, wjx_csv(responses(5), "gbk"))
    args = ["import-history", path, "--contract", world["contract"].number, "--dry-run"]
    result = runner.invoke(args=args)
    assert "Would import: 5 responses" in result.output
    assert count(session) == 0


def test_an_unknown_contract_is_a_usage_error(runner, world, tmp_path):
    result = runner.invoke(args=["import-history", _file(tmp_path, b"a\n1\n"), "--contract", "X"])
    assert result.exit_code == 2 and "no contract" in result.output
