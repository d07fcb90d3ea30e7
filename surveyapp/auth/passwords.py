"""The rules a new password must meet, for every path that sets one (set-up page, invitation,
reset, ``flask create-user``).

NIST SP 800-63B: a minimum length and a check against passwords known to be common, no
composition rules. The list ships with the package (``data/common_passwords.txt``, a few hundred
bytes) instead of a dependency: the maintained estimators on PyPI (zxcvbn and its ports) weigh
megabytes of dictionaries for a check this page needs only for the commonest choices.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 200
RUNS = (
    string.digits + "0",
    string.ascii_lowercase,
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


class PasswordRejected(ValueError):
    """The password is not allowed; the message (translatable) says why."""


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def is_common(password: str) -> bool:
    """A listed password, one with digits or symbols added at the end, a single repeated
    character, or a run of the alphabet or keyboard (``abcdefghij``, ``1234567890``)."""
    lowered = password.strip().lower()
    if len(set(lowered)) <= 2:
        return True
    if any(lowered in run or lowered in run[::-1] for run in RUNS):
        return True
    listed = common_passwords()
    stem = lowered.rstrip(string.digits + string.punctuation + " ")
    return lowered in listed or (len(stem) >= 4 and stem in listed)


def check_new_password(password: str) -> None:
    """Raise :class:`PasswordRejected` unless ``password`` may be set."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(_l("The password may have at most %(n)d characters.", n=MAX_LENGTH))
    if is_common(password):
        raise PasswordRejected(
            _l("This password is one of the most common ones; please choose another.")
        )
