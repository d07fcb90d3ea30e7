"""The survey form page, and what of it is kept in process memory.

Every link of one survey version, in one language and with or without the consent question,
shows the same blank page but for two values: the link's token (in its links) and the form's
signed key (its CSRF token and "shown at" time, formkey.py). ``blank_page`` renders that page
once with the first link's values, swaps those values for markers and keeps it; later links get
the kept page with their own two values put in, so a GET renders no template. The values cannot
occur anywhere else in the page: the token is at least 128 random bits, the key is signed.

What the page is built from never changes while the process runs: a version reachable by a link
is used by a cycle and therefore frozen (``survey_versions.versioning``), and the translations
are files. ``created_at`` is in the keys so that a version id reused by another database never
serves a stale survey. A page that shows more than the blank form is rendered afresh and not
kept: a signed-in user's menu, flashed messages, or a query string (the language switch
returns to the page's full path).
"""

from __future__ import annotations

from flask import current_app, g, render_template, request, session
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..i18n import LOCALES, current_locale
from .forms import field_name, text_limit
from .links import FrozenVersion, Link
from .logic import Answers, form_page

KEPT = 64
_TOKEN, _KEY = "\x00token\x00", "\x00key\x00"


def _keep(name: str, key: tuple, value):
    kept = current_app.extensions.setdefault(name, {})
    if len(kept) >= KEPT:
        kept.clear()
    kept[key] = value
    return value


def blank_questions(version: FrozenVersion) -> Markup:
    """The questions of the blank form (no answers, no errors) in the current language."""
    key = (version.id, version.created_at, current_locale())
    html = current_app.extensions.get("survey_blank_questions", {}).get(key)
    if html is None:
        html = _keep(
            "survey_blank_questions",
            key,
            Markup(
                render_template(
                    "survey/_questions.html",
                    version=version,
                    page=form_page(version.questions, 1),
                    values=MultiDict(),
                    errors={},
                    field_name=field_name,
                    text_limit=text_limit,
                )
            ),
        )
    return html


def render_form(
    link: Link,
    version: FrozenVersion,
    key: str,
    values,
    errors,
    step: int = 1,
    given: Answers | None = None,
) -> str:
    """The form page; ``key`` is the form's signed key (its CSRF token, formkey.py); ``step``
    the logic step shown, ``given`` the answers (by code) its conditions read (logic.py)."""
    return render_template(
        "survey/form.html",
        version=version,
        page=form_page(version.questions, step, given),
        form_key=key,
        values=values,
        errors=errors,
        blank_questions=None if values or errors else blank_questions(version),
        field_name=field_name,
        text_limit=text_limit,
        token=request.view_args["token"],
        ask_consent=link.rules.ask_consent,
    )


def blank_page(link: Link, version: FrozenVersion, token: str, form_key: str) -> str:
    """The blank form page for this link (see the module's note)."""
    values = [(_TOKEN, token), (_KEY, form_key)]
    shareable = not (request.query_string or "_flashes" in session or current_user.is_authenticated)
    locale = g.get("locale")
    key = (
        version.id,
        version.created_at,
        locale if locale in LOCALES else current_locale(),
        link.rules.ask_consent,
    )
    page = current_app.extensions.get("survey_blank_pages", {}).get(key) if shareable else None
    if page is None:
        page = render_form(link, version, form_key, MultiDict(), {})
        if not (shareable and all(value in page for _, value in values)):
            return page
        for marker, value in reversed(values):
            page = page.replace(value, marker)
        _keep("survey_blank_pages", key, page)
    for marker, value in values:
        page = page.replace(marker, value)
    return page
