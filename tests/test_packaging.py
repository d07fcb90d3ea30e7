"""A non-editable install (a built wheel) carries templates, static files and migrations."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys, surveyapp
from flask_migrate import upgrade
assert surveyapp.__file__.startswith(sys.argv[1]), surveyapp.__file__
url = "sqlite:///" + sys.argv[2]
app = surveyapp.create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"})
with app.app_context():
    upgrade()
client = app.test_client()
page = client.get("/sign-in")
css = client.get("/static/css/app.css")
inside = app.template_folder.startswith(sys.argv[1])
print(page.status_code, css.status_code, "登录" in page.text, inside)
"""


def test_a_built_wheel_serves_pages_and_migrates_without_the_source_tree(tmp_path):
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("surveyapp-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(site), str(tmp_path / "db.sqlite3")],
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "True", "True"]
