import pytest

from surveyapp import create_app
from surveyapp.config import DEV_SECRET_KEY, ConfigError, normalise_database_url, settings_from_env

STRONG = "x" * 40
KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="


def production(**env):
    return {"SURVEYAPP_ENV": "production", "SECRET_KEY": STRONG, "DATA_KEY": KEY, **env}


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
