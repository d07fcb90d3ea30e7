"""``import-history``: past survey results of one contract from an export file (issues #12, #21).

Messages are in the user's language (``--lang``, else ``LANG``: Chinese unless it says
English). A problem seen on many rows is printed once, with its count, its first lines and the
fix. The exit status is 1 whenever the file has problems, in a dry run too.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..history.formats import FileUnreadable, read_table
from ..history.importing import SOURCES, group_problems, import_history, load_mapping
from ..history.mapping import NUMBERS, Mapping, clean_origin, default_origin, propose_mapping
from ..history.presets import detect_preset
from ..history.rows import MappingInvalid
from ..models import Contract, Survey, SurveyVersion
from .contracts import contract_by_number


def user_locale(lang: str | None) -> str:
    """``en`` or ``zh_CN`` from ``--lang`` or the environment (LC_ALL, LC_MESSAGES, LANG)."""
    text = lang or next(
        (os.environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(k)), ""
    )
    return "en" if text.lower().startswith("en") else "zh_CN"


@click.command("import-history", short_help="Import past survey results from another tool.")
@with_appcontext
@click.argument("file", type=click.File("rb"))
@click.option("--contract", "number", required=True, help="Contract number (合同编号).")
@click.option("--preset", type=click.Choice(list(SOURCES)),
              help="Export layout (detected from the header when not given).")  # fmt: skip
@click.option("--source-name", "origin",
              help="The survey or file the rows come from (default: the 问卷星 survey number "
                   "in the file name, or the file name).")  # fmt: skip
@click.option("--mapping", "mapping_file", type=click.File("r"),
              help="A mapping as JSON (see the README); the preset's answer labels are kept "
                   "unless it gives its own value_map.")  # fmt: skip
@click.option("--encoding", help="CSV encoding (utf-8, gbk, gb18030); detected when not given.")
@click.option("--header-rows", type=click.IntRange(1, 10), help="Header rows (detected).")
@click.option("--month", help="The month of every row (2025-03) when the file has no dates.")
@click.option("--date-order", type=click.Choice(["mdy", "dmy"]), help="Order of 4/5/21 dates.")
@click.option("--numbers", type=click.Choice(NUMBERS),
              help="问卷星: numbers in rating columns are scores or option numbers.")  # fmt: skip
@click.option("--version", "version_id", type=int, help="Survey version id (default: latest).")
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even if some are bad.")
@click.option("--strict", is_flag=True, help="Refuse a whole row when one cell is unusable.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; store nothing.")
@click.option("--lang", help="Language of the messages (zh_CN or en; default from LANG).")
def import_history_command(
    file, number, preset, origin, mapping_file, encoding, header_rows, month, date_order,
    numbers, version_id, skip_bad_rows, strict, dry_run, lang,
) -> None:  # fmt: skip
    """Import past responses from a 问卷星, 腾讯问卷, LimeSurvey, Qualtrics, Microsoft Forms or
    Google Forms export, CSV, XLSX or XLS.

    Without --mapping the saved mapping of this contract, tool and header line is used, else
    one is proposed from the headers (question codes or texts of the survey version).
    """
    with force_locale(user_locale(lang)):
        code = _run(
            file, number, preset, origin, mapping_file, encoding, header_rows, month,
            date_order, numbers, version_id, skip_bad_rows, strict, dry_run,
        )  # fmt: skip
    sys.exit(code)


def _run(
    file, number, preset, origin, mapping_file, encoding, header_rows, month, date_order,
    numbers, version_id, skip_bad_rows, strict, dry_run,
) -> int:  # fmt: skip
    contract = contract_by_number(number)
    version = _version(contract, version_id)
    try:
        table = read_table(file.read(), encoding=encoding, header_rows=header_rows)
    except FileUnreadable as exc:
        raise click.ClickException(str(exc)) from None
    source = preset or detect_preset(table.header)
    filename = Path(getattr(file, "name", "") or "").name
    origin = clean_origin(origin or "") or default_origin(filename, source)
    proposed = propose_mapping(
        table.header, version, saved=load_mapping(db.session, contract.id, source, table.header),
        preset=source, filename=filename,
    )  # fmt: skip
    if mapping_file is not None:
        given = json.load(mapping_file)
        # a mapping file without its own labels keeps the preset's (非常满意 = 5 ...)
        mapping = Mapping.from_json({"value_map": proposed.value_map, **given})
    else:
        mapping = proposed
    mapping.month = month or mapping.month
    mapping.date_order = date_order or mapping.date_order
    mapping.numbers = numbers or mapping.numbers
    click.echo(
        _("Source: %(source)s / %(origin)s; date column: %(date)s; id column: %(id)s",
          source=source, origin=origin, date=mapping.date_column or mapping.month or "-",
          id=mapping.id_column or _("(whole-row hash)"))
    )  # fmt: skip
    for header, question in mapping.answers.items():
        click.echo(f"  {header} -> {question}")
    try:
        summary = import_history(
            db.session, contract, version, mapping, table,
            skip_bad_rows=skip_bad_rows, source=source, origin=origin, strict=strict,
            dry_run=dry_run,
            progress=lambda n: click.echo(_("  … %(n)s rows checked", n=n), err=True),
        )  # fmt: skip
    except MappingInvalid as exc:
        raise click.ClickException(str(exc)) from None
    for group in group_problems(summary.report.problems):
        column = f" [{group.column}]" if group.column else ""
        lines = ", ".join(map(str, group.lines)) + (", …" if group.count > len(group.lines) else "")
        click.echo(
            _("%(count)s× (lines %(lines)s)%(column)s: %(problem)s", count=group.count,
              lines=lines, column=column, problem=group.problem),
            err=True,
        )  # fmt: skip
    click.echo(
        _("Rows: %(rows)s; new: %(new)s; already present: %(present)s; kept with a “no answer” "
          "code: %(no_answer)s; kept with a cell left out: %(kept)s; incomplete (not "
          "imported): %(incomplete)s; refused: %(refused)s; months: %(months)s.",
          rows=summary.rows, new=summary.imported, present=summary.already_present,
          no_answer=summary.kept_with_no_answer, kept=summary.kept_with_problem,
          incomplete=summary.incomplete, refused=summary.skipped,
          months=", ".join(summary.months) or "-")
    )  # fmt: skip
    problems = len(summary.report.problems)
    if dry_run:
        click.echo(_("Dry run: nothing stored."))
    elif summary.written:
        click.echo(_("Imported %(n)s responses.", n=summary.imported))
    elif problems:
        click.echo(
            _("Nothing imported: %(n)s problems. Fix them, or give --skip-bad-rows.", n=problems),
            err=True,
        )
    return 1 if problems else 0


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
        raise click.UsageError(_("No survey version for this contract; give --version."))
    return version


COMMANDS = [import_history_command]
