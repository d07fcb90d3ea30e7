from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..customers.importing import import_customers
from ..extensions import db
from .contracts import contract_by_number


@click.command("import-customers", short_help="Import or update a contract's customers (CSV).")
@with_appcontext
@click.option("--contract", "number", required=True, help="Contract number (合同编号).")
@click.option(
    "--skip-bad-rows", is_flag=True, help="Import the good rows even when some rows are bad."
)
@click.argument("csv_file", type=click.File("rb"))
def import_customers_command(number, skip_bad_rows, csv_file) -> None:
    """Import or update a contract's customers from CSV (all or nothing unless --skip-bad-rows).

    Columns: ref (required), name, email, mobile, language (zh_CN or en), active (yes or no).
    """
    contract = contract_by_number(number)
    with force_locale("en"):
        result = import_customers(
            db.session, contract, csv_file.read(), skip_bad_rows=skip_bad_rows
        )
    for problem in sorted(result.report.problems, key=lambda p: p.line):
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"line {problem.line}{column}: {problem.problem}", err=True)
    if not result.imported:
        click.echo(f"Nothing imported: {len(result.report.problems)} problems.", err=True)
        sys.exit(1)
    click.echo(
        f"Imported: {result.created} new, {result.updated} updated, "
        f"{result.skipped} bad rows skipped."
    )


COMMANDS = [import_customers_command]
