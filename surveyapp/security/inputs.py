"""Refuse malformed input before any view sees it.

- Form bodies and query strings must be valid UTF-8 once percent-decoded: Werkzeug would
  otherwise replace bad bytes with U+FFFD and a survey comment would be stored garbled (400).
  Multipart uploads are left to their views (a CSV may be GBK).
- Ids in paths beyond the database's integer range are a 404 (SQLite raises OverflowError and
  PostgreSQL "integer out of range" on them).
- Input nested so deeply that the JSON parser recurses out of stack is a 400, not a crash.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request

ID_MAX = 2**31 - 1
FORM = "application/x-www-form-urlencoded"


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


def init_app(app: Flask) -> None:
    app.before_request(_check_input)
    app.register_error_handler(RecursionError, _too_deep)
