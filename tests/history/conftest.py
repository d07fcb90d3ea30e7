from datetime import date

import pytest

from tests.factories import make_contract, make_organization, make_survey_version, make_user


@pytest.fixture
def world(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, start_date=date(2025, 1, 1))
    version = make_survey_version(session, provider)
    admin = make_user(session, "provider_admin", provider)
    return {"provider": provider, "contract": contract, "version": version, "admin": admin}


@pytest.fixture(autouse=True)
def uploads_in_tmp(request, tmp_path):
    """Uploads of the tests go to the test's folder, not the repository's instance folder."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").instance_path = str(tmp_path)
