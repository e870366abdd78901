"""With SENTRY_DSN set, a server error is reported (to a local HTTP server speaking as Sentry here), tagged with
the request id, and without the request body, cookies or query string (health data never leaves)."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from pamper.lib.sentry import start_sentry

received: list[bytes] = []


class _Ingest(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers["Content-Length"]))
        received.append(gzip.decompress(data) if self.headers.get("Content-Encoding") == "gzip" else data)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the reporting test's own failure")


urlpatterns = [path("broken/", broken)]


@pytest.fixture
def sentry_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
    finally:
        sentry_sdk.init(dsn=None)  # off again for the rest of the session
        server.shutdown()


def test_a_server_error_is_reported_without_the_body(sentry_server: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__
    received.clear()
    start_sentry(sentry_server, environment="test")
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "cookie-that-must-not-leave"
    response = client.post("/broken/?token=query-that-must-not-leave", {"medicines": "body-that-must-not-leave"},
                           HTTP_X_REQUEST_ID="req-sentry-1")
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    sent = b"".join(received)
    assert b"the reporting test's own failure" in sent and b"RuntimeError" in sent
    assert b"req-sentry-1" in sent
    for secret in (b"cookie-that-must-not-leave", b"query-that-must-not-leave", b"body-that-must-not-leave"):
        at = sent.find(secret)
        assert at < 0, sent[max(0, at - 300):at + 60]
