"""Error reports through sentry-sdk, switched on by SENTRY_DSN (settings.py calls `start_sentry`).

Health data must never leave for a third party: no request bodies, cookies, query strings or stack frames'
variables, no personal data (send_default_pii off). Every report carries the request id, to find its JSON log lines.
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from pamper.lib.logs import request_id


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """The event without cookies, request bodies or query strings, tagged with the request id."""
    request = event.get("request") or {}
    for secret in ("cookies", "data", "query_string"):
        request.pop(secret, None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"authorization", "cookie", "x-csrftoken"}:
            headers.pop(name)
    rid = request_id()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    return event


def start_sentry(dsn: str, *, environment: str = "production", traces_sample_rate: float = 0.0) -> None:
    sentry_sdk.init(dsn=dsn, environment=environment, traces_sample_rate=traces_sample_rate,
                    integrations=[DjangoIntegration()], send_default_pii=False, max_request_body_size="never",
                    include_local_variables=False,  # a frame's variables may hold health data or a session key
                    before_send=_scrub)  # type: ignore[arg-type]
