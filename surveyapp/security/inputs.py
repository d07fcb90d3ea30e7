"""Refuse malformed input before any view sees it.

- Form bodies and query strings must be valid UTF-8 once percent-decoded: Werkzeug would
  otherwise replace bad bytes with U+FFFD and a survey comment would be stored garbled (400).
  Multipart uploads are left to their views (a CSV may be GBK).
- Ids in paths beyond the database's integer range are a 404 (SQLite raises OverflowError and
  PostgreSQL "integer out of range" on them).
- Input nested so deeply that the JSON parser recurses out of stack is a 400, not a crash.
- Ids and counts in query strings and forms go through one parser, :func:`parse_number`:
  ASCII digits only (``²`` and full-width ``１２`` are refused although Python's ``int`` and
  ``str.isdigit`` take them), within a range that fits the database (no 64-bit overflow, no
  zero or negative page); anything else is a 400 page naming the field, never a 500.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from flask_babel import gettext as _

ID_MAX = 2**31 - 1
FORM = "application/x-www-form-urlencoded"
_DIGITS = re.compile(r"[0-9]{1,10}\Z")  # a character range: ASCII digits only


class BadNumber(ValueError):
    """A query or form field that should hold a whole number in [low, high] does not."""

    def __init__(self, name: str, low: int, high: int) -> None:
        super().__init__(f"{name} must be a whole number from {low} to {high}")
        self.name, self.low, self.high = name, low, high


def parse_number(raw: str | None, *, name: str, low: int = 1, high: int = ID_MAX) -> int | None:
    """The id or count written in ``raw``: None when blank; ``BadNumber`` (a 400 page) for
    anything but ASCII digits within ``low``..``high``."""
    text = (raw or "").strip()
    if not text:
        return None
    if not _DIGITS.match(text) or not low <= int(text) <= high:
        raise BadNumber(name, low, high)
    return int(text)


def number_arg(name: str, *, low: int = 1, high: int = ID_MAX, form: bool = False) -> int | None:
    """:func:`parse_number` of a query string (or, with ``form``, a form) field."""
    return parse_number((request.form if form else request.args).get(name), name=name, low=low,
                        high=high)  # fmt: skip


def _is_utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_input() -> None:
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= ID_MAX:
            abort(404)
    if not _is_utf8(request.query_string):
        abort(400)
    if request.mimetype != FORM:
        return
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        return  # the view's own reading of the form answers 413, in the page's language
    if not _is_utf8(request.get_data(cache=True)):
        abort(400)


def _too_deep(_exc: RecursionError):
    from ..errors import render_error

    return render_error(400)


def _bad_number(exc: BadNumber):
    from ..errors import render_error

    return render_error(
        400,
        _(
            "“%(name)s” must be a whole number from %(low)s to %(high)s.",
            name=exc.name, low=exc.low, high=exc.high,
        ),
    )  # fmt: skip


def init_app(app: Flask) -> None:
    app.before_request(_check_input)
    app.register_error_handler(RecursionError, _too_deep)
    app.register_error_handler(BadNumber, _bad_number)
