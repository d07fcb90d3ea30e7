"""A real HTTP receiver on 127.0.0.1, and a guard that fails any non-loopback connection."""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from surveyapp.models import WebhookEndpoint

SECRET = "whsec_test-shared-secret"


@dataclass
class Receiver:
    """Records every request; answers ``status`` (and ``location`` for a redirect)."""

    status: int = 200
    location: str | None = None
    requests: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def event_ids(self) -> list[str]:
        return [r["headers"]["X-Survey-Event-Id"] for r in self.requests if r["status"] < 300]


def start_receiver(receiver: Receiver, port: int = 0) -> Receiver:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.requests.append(
                {
                    "headers": dict(self.headers),
                    "body": body,
                    "json": json.loads(body),
                    "status": receiver.status,
                }  # fmt: skip
            )
            self.send_response(receiver.status)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


@pytest.fixture
def receiver():
    receiver = start_receiver(Receiver())
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def only_loopback(monkeypatch):
    """Every outgoing connection to a non-loopback address fails the test before it is made;
    name lookups answer from a fixed table (no DNS query leaves the machine)."""
    attempts: list = []
    real_connect = socket.socket.connect
    names = {"localhost": "127.0.0.1", "internal.example.test": "10.1.2.3",
             "metadata.example.test": "169.254.169.254"}  # fmt: skip

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if not ipaddress.ip_address(host).is_loopback:
            attempts.append(address)
            pytest.fail(f"connection attempt to non-loopback address {address}")
        return real_connect(sock, address)

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            if host not in names:
                raise socket.gaierror(f"unknown test host {host}") from None
            ip = ipaddress.ip_address(names[host])
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (str(ip), port))]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def make_endpoint(session, organization_id: int, url: str, events: str = "") -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        organization_id=organization_id,
        url=url,
        events=events or "response.submitted case.opened case.closed cycle.closed report.ready",
    )
    endpoint.set_secret(SECRET)
    session.add(endpoint)
    session.commit()
    return endpoint
