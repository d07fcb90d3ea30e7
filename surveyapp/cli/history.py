"""``import-history``: past survey results of one contract from an export file (issue #12)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..history.formats import FileUnreadable, read_table
from ..history.importing import import_history, load_mapping
from ..history.mapping import Mapping, propose_mapping
from ..history.presets import detect_preset
from ..history.rows import MappingInvalid
from ..models import Contract, Survey, SurveyVersion
from .contracts import contract_by_number


@click.command("import-history")
@with_appcontext
@click.argument("file", type=click.File("rb"))
@click.option("--contract", "number", required=True, help="Contract number (合同编号).")
@click.option("--preset", type=click.Choice(["wjx", "tencent", "limesurvey", "spreadsheet"]),
              help="Export layout (detected from the header when not given).")  # fmt: skip
@click.option("--mapping", "mapping_file", type=click.File("r"),
              help="A mapping as JSON (see the README).")  # fmt: skip
@click.option("--encoding", help="CSV encoding (utf-8, gbk, gb18030); detected when not given.")
@click.option("--version", "version_id", type=int, help="Survey version id (default: latest).")
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even if some are bad.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; store nothing.")
def import_history_command(
    file, number, preset, mapping_file, encoding, version_id, skip_bad_rows, dry_run
) -> None:
    """Import past responses from a 问卷星, 腾讯问卷 or LimeSurvey export, CSV or XLSX.

    Without --mapping the saved mapping of this contract and source is used, else one is
    proposed from the headers (question codes or texts of the survey version).
    """
    contract = contract_by_number(number)
    version = _version(contract, version_id)
    with force_locale("en"):
        try:
            table = read_table(file.read(), encoding=encoding)
        except FileUnreadable as exc:
            raise click.ClickException(str(exc)) from None
        source = preset or detect_preset(table.header)
        if mapping_file is not None:
            mapping = Mapping.from_json(json.load(mapping_file))
        else:
            saved = load_mapping(db.session, contract.id, source)
            mapping = propose_mapping(table.header, version, saved=saved, preset=source)
        click.echo(f"Source: {source}; date column: {mapping.date_column}; id column: "
                   f"{mapping.id_column or '(row hash)'}")  # fmt: skip
        for header, code in mapping.answers.items():
            click.echo(f"  {header} -> {code}")
        try:
            summary = import_history(
                db.session, contract, version, mapping, table,
                skip_bad_rows=skip_bad_rows, source=source, dry_run=dry_run,
                progress=lambda n: click.echo(f"  ... {n} rows checked", err=True),
            )  # fmt: skip
        except MappingInvalid as exc:
            raise click.ClickException(str(exc)) from None
        for problem in sorted(summary.report.problems, key=lambda p: p.line)[:200]:
            column = f" [{problem.column}]" if problem.column else ""
            click.echo(f"line {problem.line}{column}: {problem.problem}", err=True)
    if summary.report.problems and not (skip_bad_rows or dry_run):
        click.echo(f"Nothing imported: {len(summary.report.problems)} problems.", err=True)
        sys.exit(1)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb}: {summary.imported} responses, {summary.skipped} bad rows skipped, "
        f"{summary.already_present} already present; months: {', '.join(summary.months) or '-'}."
    )


def _version(contract: Contract, version_id: int | None) -> SurveyVersion:
    query = (
        select(SurveyVersion)
        .join(Survey)
        .where(Survey.provider_id == contract.provider_id)
        .order_by(SurveyVersion.id.desc())
    )
    if version_id is not None:
        query = query.where(SurveyVersion.id == version_id)
    elif contract.survey_id is not None:
        query = query.where(SurveyVersion.survey_id == contract.survey_id)
    version = db.session.scalar(query.limit(1))
    if version is None:
        raise click.UsageError("no survey version for this contract; give --version")
    return version


COMMANDS = [import_history_command]
