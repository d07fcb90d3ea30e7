"""The survey fixtures (an open cycle with personal links) for the security tests."""

from ..survey.conftest import full_answers, invite, survey  # noqa: F401
