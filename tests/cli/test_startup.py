"""The command line starts quickly: listing the commands loads neither pandas, SciPy, Plotly,
jieba nor WeasyPrint (they load inside the commands and pages that need them), and the list
gives each command's purpose in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, ScriptInfo

from surveyapp import create_app

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "scipy", "plotly", "jieba", "weasyprint", "kaleido", "openpyxl")
# click's listing gives a command's short help this many characters before cutting it with
# "..." (an 80-column terminal less the longest command name and the margins).
ONE_LINE = 54


def test_listing_the_commands_loads_no_analysis_library():
    probe = (
        "import sys, runpy; sys.argv = ['flask', '--app', 'surveyapp', '--help'];\n"
        "try:\n    runpy.run_module('flask', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"import json; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "Commands:" in done.stdout
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_every_command_says_its_purpose_in_one_line():
    group = FlaskGroup(create_app=create_app)
    # Closing the context pops the application context that loading the commands pushed.
    with click.Context(group, obj=ScriptInfo(create_app=create_app)) as context:
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            text = command.get_short_help_str(limit=ONE_LINE)
            assert text and not text.endswith("..."), f"{name}: {text!r}"
