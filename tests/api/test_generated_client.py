"""A client generated from the OpenAPI document by openapi-python-client (pinned in the dev
extras), used for the push-and-read flow an integrator writes: every type it touches is
exact (no ``Any``). Generated at test time into a temporary folder (about ten seconds), so the
test always runs against the document the code builds now."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import json
import subprocess
import sys
import types
import typing
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest

from surveyapp.api.openapi import build_document

from .conftest import past

PACKAGE = "surveyapi_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from surveyapp import create_app

    folder = tmp_path_factory.mktemp("generated")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        (folder / "openapi.json").write_text(json.dumps(build_document(app)))
    (folder / "config.yaml").write_text("post_hooks: []\n")
    tool = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [tool, "generate", "--path", folder / "openapi.json", "--output-path",
         folder / PACKAGE, "--meta", "none", "--config", folder / "config.yaml"],
        check=True, capture_output=True,
    )  # fmt: skip
    sys.path.insert(0, str(folder))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _walk(hint, seen: set, names: dict) -> None:
    """Fail on ``Any`` anywhere in ``hint``, following the generated models' fields."""
    assert hint is not typing.Any, "Any in a generated type"
    if hint in seen:
        return
    if isinstance(hint, type) and attrs.has(hint):
        seen.add(hint)
        hints = typing.get_type_hints(hint, localns=names)
        for name, field_hint in hints.items():
            assert field_hint is not typing.Any, (hint.__name__, name)
            _walk(field_hint, seen, names)
        return
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return
    origin = typing.get_origin(hint)
    if origin is not None or isinstance(hint, types.UnionType):
        for arg in typing.get_args(hint):
            _walk(arg, seen, names)


def test_a_generated_client_pushes_and_reads_tickets_with_exact_types(generated, app, world):
    client_module = generated("client")
    push, listing, one, sla = (
        generated(f"api.{area}.{name}")
        for area, name in (
            ("tickets", "push_tickets"), ("tickets", "list_tickets"),
            ("tickets", "get_ticket"), ("sla", "list_sla"),
        )
    )  # fmt: skip
    models = generated("models")
    seen: set = set()
    names = vars(models)
    for function in (push.sync_detailed, listing.sync, one.sync, sla.sync):
        for name, hint in typing.get_type_hints(function, localns=names).items():
            if name != "client":
                _walk(hint, seen, names)
    assert {"Ticket", "TicketInput", "TicketPushed", "TicketBatch", "Problem"} <= {
        model.__name__ for model in seen
    }

    def make(token: str):
        return client_module.AuthenticatedClient(
            base_url="http://api.test/api/v1",
            token=token,
            httpx_args={"transport": httpx.WSGITransport(app=app)},
        )

    helpdesk, reporting = make(world.provider_token), make(world.client_token)
    received = past()
    created = push.sync_detailed(
        client=helpdesk,
        body=models.TicketInput(
            contract_number="A-1",
            external_id="CRM-1",
            kind=models.TicketInputKind.COMPLAINT,
            received_at=received,
            channel="phone",
        ),
    )
    assert created.status_code == 201
    assert isinstance(created.parsed, models.TicketPushed)
    assert created.parsed.status == models.TicketPushedStatus.CREATED
    assert created.parsed.data.resolved_at is None

    resolved = received + dt.timedelta(hours=30)
    batch = models.TicketBatch(
        tickets=[
            models.TicketInput(contract_number="A-1", external_id="CRM-1", resolved_at=resolved),
            models.TicketInput(
                contract_number="A-1",
                external_id="CRM-2",
                kind=models.TicketInputKind.INQUIRY,
                received_at=received,
            ),
        ]
    )
    pushed = push.sync(client=helpdesk, body=batch)
    assert isinstance(pushed, models.TicketBatchResult)
    assert [r.status for r in pushed.results] == [
        models.TicketResultStatus.UPDATED, models.TicketResultStatus.CREATED,
    ]  # fmt: skip

    refused = push.sync(client=reporting, body=batch)
    assert isinstance(refused, models.Problem) and refused.status == 403

    page = listing.sync(world.a.id, client=reporting, limit=1)
    tickets = list(page.data)
    while page.next_:
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
        page = listing.sync(world.a.id, client=reporting, limit=1, cursor=cursor)
        tickets += page.data
    assert [t.external_id for t in tickets] == ["CRM-1", "CRM-2"]
    assert tickets[0].resolved_at == resolved.astimezone(dt.UTC)  # the partial push kept channel
    assert tickets[0].channel == "phone" and tickets[0].kind == models.TicketKind.COMPLAINT

    fetched = one.sync(world.a.id, tickets[1].id, client=reporting)
    assert fetched.data.external_id == "CRM-2"
    figures = sla.sync(world.a.id, client=reporting)
    assert {(f.kind, f.met) for f in figures.data} == {
        (models.SlaFigureKind.COMPLAINT, 1), (models.SlaFigureKind.INQUIRY, 0),
    }  # fmt: skip
