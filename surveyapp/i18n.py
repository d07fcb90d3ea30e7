"""Locale selection: Chinese (zh_CN) by default, English on request.

The chosen language is kept in the session (the language switch), else the signed-in user's
preference, else zh_CN. Survey pages may force the invitation's language through ``g``.
Outside a request (the command line) it is the terminal's language: zh_CN when ``LANG`` or
``LC_ALL`` names Chinese, else English.
"""

from __future__ import annotations

import os

from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

LOCALES = {"zh_CN": "中文", "en": "English"}


def select_locale() -> str:
    forced = g.get("locale")
    if forced in LOCALES:
        return forced
    if not has_request_context():
        terminal = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
        return "zh_CN" if terminal.lower().startswith("zh") else "en"
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return "zh_CN"


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def current_locale() -> str:
    return str(get_locale() or "zh_CN")


def localized(obj: object, field: str) -> str:
    """Pick ``<field>_zh`` or ``<field>_en`` of a model by the current locale."""
    suffix = "en" if current_locale() == "en" else "zh"
    return getattr(obj, f"{field}_{suffix}")


def init_app(app: Flask) -> None:
    from .dimensions import dimension_label
    from .labels import headline_label, label, role_label, status_label

    app.jinja_env.globals.update(
        LOCALES=LOCALES,
        current_locale=current_locale,
        localized=localized,
        dimension_label=dimension_label,
        status_label=status_label,
        role_label=role_label,
        headline_label=headline_label,
        label=label,
    )
