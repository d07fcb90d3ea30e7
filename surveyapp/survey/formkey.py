"""The survey's CSRF tokens: a signed key bound to the invitation, with no cookie.

Two forms carry one: the answers (``/s/<token>``) and the opt-out (``/s/<token>/opt-out``),
each with its own salt, so a key of one never sends the other.

The form page carries ``csrf_token`` = the invitation's id and the time the form was shown,
signed with ``SECRET_KEY`` (itsdangerous, its own salt). A submit is accepted only with a key
that verifies and names this link's own invitation; anything else is the 400 "form has
expired" page, before anything is read from the answers or written (``views.submit``).

Why bound to the invitation and not to a session cookie as the staff forms are: the personal
link already is the credential. Whoever could make a browser send a forged submit for a link
must know its token, and with it can fetch the form (and a fresh key, or a fresh session) like
anyone else: a session binding adds nothing for this form. Without it the survey sets no
cookie at all unless the customer uses the language switch, and it works in browsers that
refuse cookies (some in-app browsers do). The signed time also gives the time taken.

A key has no time limit, on purpose: a form left open over lunch must still send, and the link
stops taking answers when its month closes (checked on every submit). The "form has expired"
page therefore now means a key that does not verify or belongs to another link.
"""

from __future__ import annotations

import time

from flask import current_app, request
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALTS = {"answers": "survey-form-shown", "opt-out": "survey-opt-out-shown"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[purpose])


def form_key(invitation_id: int, purpose: str = "answers") -> str:
    """A new key for this invitation's form (``answers`` or ``opt-out``), stamped now."""
    return _serializer(purpose).dumps(invitation_id)


def shown_seconds_ago(key: str | None, invitation_id: int, purpose: str = "answers") -> int | None:
    """Seconds since the form with ``key`` was shown, or None when the key does not verify,
    belongs to another invitation or to the other form."""
    try:
        found, shown = _serializer(purpose).loads(key or "", return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        return None
    if found != invitation_id:
        return None
    return max(0, int(time.time() - shown.timestamp()))


def require_form_key(invitation_id: int, purpose: str = "answers") -> int | None:
    """The posted form's key checked: seconds since it was shown; raises ``CSRFError`` (the
    400 "form has expired" page) when it does not verify for this invitation and purpose.
    None only when CSRF checks are off (``WTF_CSRF_ENABLED``, tests) and no valid key came."""
    shown_ago = shown_seconds_ago(request.form.get("csrf_token"), invitation_id, purpose)
    if shown_ago is None and current_app.config.get("WTF_CSRF_ENABLED", True):
        raise CSRFError()
    return shown_ago
