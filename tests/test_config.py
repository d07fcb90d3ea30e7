import pytest

from surveyapp import create_app
from surveyapp.config import DEV_SECRET_KEY, ConfigError, normalise_database_url, settings_from_env

STRONG = "x" * 40
KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="


def production(**env):
    return {
        "SURVEYAPP_ENV": "production",
        "SECRET_KEY": STRONG,
        "DATA_KEY": KEY,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        **env,
    }


def test_production_refuses_the_development_secret(monkeypatch, tmp_path):
    for name, value in production(SECRET_KEY=DEV_SECRET_KEY).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_a_missing_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("DATA_KEY", KEY)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_a_short_secret(monkeypatch, tmp_path):
    for name, value in production(SECRET_KEY="short").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="32 characters"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_to_start_without_a_data_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DATA_KEY", raising=False)
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    with pytest.raises(ConfigError, match="DATA_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_starts_with_strong_settings(monkeypatch, tmp_path):
    for name, value in production().items():
        monkeypatch.setenv(name, value)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == STRONG


def test_unknown_time_zone_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="TIMEZONE"):
        create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TIMEZONE": "Mars/Olympus"}
        )


def test_defaults_are_a_sqlite_file_in_the_instance_folder_and_shanghai_time():
    settings = settings_from_env({}, "/srv/instance")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance/surveyapp.sqlite3"
    assert settings["TIMEZONE"] == "Asia/Shanghai"
    assert settings["BABEL_DEFAULT_LOCALE"] == "zh_CN"
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_environment_variables_are_read():
    env = {
        "DATABASE_URL": "postgres://u@db/x",
        "SMTP_HOST": "mail",
        "SMTP_PORT": "587",
        "SMTP_SECURITY": "starttls",
        "TIMEZONE": "Europe/Berlin",
        "MAIL_FROM": "a@b.example",
    }
    settings = settings_from_env(env, "/i")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert (settings["SMTP_HOST"], settings["SMTP_PORT"], settings["SMTP_SECURITY"]) == (
        "mail",
        587,
        "starttls",
    )
    assert settings["TIMEZONE"] == "Europe/Berlin"
    assert settings["MAIL_FROM"] == "a@b.example"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_are_normalised_to_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


def test_config_mapping_overrides_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMEZONE", "Europe/Berlin")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TIMEZONE": "Asia/Tokyo"}
    )
    assert app.config["TIMEZONE"] == "Asia/Tokyo"


def test_production_refuses_rate_limit_counters_in_each_workers_memory(monkeypatch, tmp_path):
    for name, value in production().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI must name a shared store"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize("key", ["<base64 of 32 random bytes>", "c2hvcnQ=", KEY + ",oops"])
def test_a_data_key_that_is_not_32_bytes_of_base64_is_refused(monkeypatch, tmp_path, key):
    for name, value in production(DATA_KEY=key).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="DATA_KEY must be url-safe base64 of 32 random bytes"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


REFUSALS = [
    ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 32 characters"),
    ({"DATA_KEY": "<base64 of 32 random bytes>"}, "DATA_KEY must be url-safe base64"),
    ({"RATELIMIT_STORAGE_URI": ""}, "RATELIMIT_STORAGE_URI must name a shared store"),
]


def _env(tmp_path, **changes):
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"DATA_KEY", "SECRET_KEY"}}
    return env | production(DATABASE_URL=f"sqlite:///{tmp_path}/x.db", **changes)


@pytest.mark.parametrize(("changes", "message"), REFUSALS)
def test_a_flask_command_refuses_in_one_line_and_exit_status_1(tmp_path, changes, message):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "surveyapp", "init-db"],
        env=_env(tmp_path, **changes),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"Error: {done.stderr.strip()[7:]}"]
    assert message in done.stderr and "Traceback" not in done.stderr


def test_gunicorn_with_the_shipped_config_refuses_in_the_master_in_one_line(tmp_path):
    """No worker starts: one line from the master, exit status 1, no traceback."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py")]
        + ["--bind", "127.0.0.1:0", "--workers", "4"],
        env=_env(tmp_path, SECRET_KEY="short"),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    refusals = [line for line in done.stderr.splitlines() if "refusing" in line]
    assert refusals == [
        "surveyapp: refusing to start: SECRET_KEY must be at least 32 characters in production"
    ]
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr
