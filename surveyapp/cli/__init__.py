"""Command-line interface: ``flask --app surveyapp <command>`` or the ``surveyapp`` script.

Every command a scheduler may run is safe to run twice (DESIGN.md section 4).
"""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from . import (
    autopilot,
    backup,
    contracts,
    cycles,
    database,
    demo,
    followup,
    history,
    imports,
    keys,
    reports,
    retention,
    tickets,
    users,
)


def register_commands(app: Flask) -> None:
    modules = (
        database,
        users,
        contracts,
        demo,
        cycles,
        imports,
        history,
        reports,
        tickets,
        autopilot,
        followup,
        keys,
        backup,
        retention,
    )
    for module in modules:
        for command in module.COMMANDS:
            app.cli.add_command(command)


def main() -> None:
    from .. import create_app

    FlaskGroup(create_app=create_app, help="Survey platform commands.")()
