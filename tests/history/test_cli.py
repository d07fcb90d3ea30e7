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
    result = runner.invoke(args=["import-history", path, "--contract", number, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Source: wjx / export" in result.output
    assert "Rows: 24; new: 24; already present: 0;" in result.output
    again = runner.invoke(
        args=["import-history", path, "--contract", number, "--preset", "wjx", "--lang", "en"]
    )
    assert "Rows: 24; new: 0; already present: 24;" in again.output
    assert count(session) == 24


def test_a_bad_row_fails_the_command_and_names_line_and_column(runner, session, world, tmp_path):
    data = wjx_csv(responses(4), "gbk").replace("非常满意".encode("gbk"), "很好".encode("gbk"), 1)
    path = _file(tmp_path, data)
    args = ["import-history", path, "--contract", world["contract"].number, "--encoding", "gbk",
            "--lang", "en"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "1× (lines 3) [1、回复速度]: Unknown answer label 很好." in result.output, result.output
    assert count(session) == 0
    # the row keeps its other answers (the cell is reported); the exit status stays 1
    assert runner.invoke(args=[*args, "--skip-bad-rows"]).exit_code == 1
    assert count(session) == 4


def test_dry_run_stores_nothing(runner, session, world, tmp_path):
    path = _file(tmp_path, wjx_csv(responses(5), "gbk"))
    args = ["import-history", path, "--contract", world["contract"].number, "--dry-run",
            "--lang", "en"]  # fmt: skip
    result = runner.invoke(args=args)
    assert "new: 5;" in result.output and "Dry run: nothing stored." in result.output
    assert result.exit_code == 0
    assert count(session) == 0


def test_a_dry_run_with_problems_exits_1_and_groups_them_with_the_fix(
    runner, session, world, tmp_path
):
    """2,063 rows before the contract: one line with the count, the first lines and the fix."""
    world["contract"].start_date = world["contract"].start_date.replace(month=7)
    session.commit()
    path = _file(tmp_path, wjx_csv(responses(60, months=["2025-03"]), "gbk"))
    args = ["import-history", path, "--contract", world["contract"].number, "--dry-run",
            "--lang", "en"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "before the contract" in line]
    assert len(lines) == 1
    assert lines[0].startswith("60× (lines 2, 3, 4, 5, 6, …) [提交答卷时间]: The date 2025-03-")
    assert (
        "contract starts (2025-07-01): change its start date or leave those rows out" in (lines[0])
    )


def test_messages_follow_the_users_language(runner, world, tmp_path):
    path = _file(tmp_path, wjx_csv(responses(3), "gbk"))
    args = ["import-history", path, "--contract", world["contract"].number, "--dry-run"]
    result = runner.invoke(args=[*args, "--lang", "zh_CN"])
    assert "试运行" in result.output, result.output


def test_an_unknown_contract_is_a_usage_error(runner, world, tmp_path):
    result = runner.invoke(
        args=["import-history", _file(tmp_path, b"a\n1\n"), "--contract", "X", "--lang", "en"]
    )
    assert result.exit_code == 2 and "no contract" in result.output.lower()


def test_a_mapping_file_keeps_the_presets_answer_labels(runner, session, world, tmp_path):
    import json

    path = _file(tmp_path, wjx_csv(responses(4), "gbk"))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"date_column": "提交答卷时间", "id_column": "序号",
                                   "answers": {"1、回复速度": "RESP"}}))  # fmt: skip
    args = ["import-history", path, "--contract", world["contract"].number, "--mapping",
            str(mapping), "--lang", "en"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output  # 非常满意 ... read through the preset's labels
    assert count(session) == 4


def test_the_source_name_keeps_two_surveys_apart(runner, session, world, tmp_path):
    path = _file(tmp_path, wjx_csv(responses(4), "gbk"))
    base = ["import-history", path, "--contract", world["contract"].number, "--lang", "en"]
    assert runner.invoke(args=[*base, "--source-name", "wjx-111"]).exit_code == 0
    assert runner.invoke(args=[*base, "--source-name", "wjx-222"]).exit_code == 0
    assert count(session) == 8
