"""Log lines an operator can search: JSON with time, level, logger and the request id.

- `RequestIdMiddleware` (first in settings.MIDDLEWARE): every request gets an id, the caller's `X-Request-ID`
  when it sends a sane one (a load balancer's or another service's, so one id follows the request across them),
  else a new one; the response carries it back in `X-Request-ID`. While the request runs, `request_id()` and
  `route()` (the URL pattern's view name, e.g. "api:search") say which request this is, in any module.
- `JsonFormatter` (settings.LOGGING, LOG_FORMAT=json, the default): one JSON object per line with `time` (UTC,
  ISO 8601), `level`, `logger`, `message`, `request_id`, and `exc_info` when there is a traceback.
- `GunicornLogger` (pamper/gunicorn_conf.py): gunicorn's access log as one JSON line per request with the
  duration in milliseconds and the request id the app returned; secrets in paths are redacted (lib/redact.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from pamper.lib.redact import GunicornLogger as _RedactingGunicornLogger

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass
class _Current:
    request_id: str
    route: str = ""


_current: ContextVar[_Current | None] = ContextVar("pamper_request", default=None)


def request_id() -> str | None:
    """The id of the request this thread is serving; None outside a request (a task, a command)."""
    current = _current.get()
    return current.request_id if current else None


def route() -> str:
    """The view name of the URL pattern being served ("api:create_booking", "search:search"); "" when unknown."""
    current = _current.get()
    return current.route if current else ""


def incoming_id(value: str | None) -> str:
    """The caller's id when it is 1-128 characters of letters, digits and . _ : -; otherwise a new random one."""
    return value if value and SANE_ID.match(value) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (kept from X-Request-ID when sane) and returns it in the X-Request-ID header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = _Current(incoming_id(request.headers.get(HEADER)))
        request.request_id = current.request_id  # type: ignore[attr-defined]
        _current.set(current)  # cleared by request_finished: Django logs a 4xx/5xx after the middleware returns
        response = self.get_response(request)
        response[HEADER] = current.request_id
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        current = _current.get()
        if current is not None and request.resolver_match is not None:
            current.route = request.resolver_match.view_name or request.resolver_match.route


def _forget_request(**kwargs: Any) -> None:
    _current.set(None)


request_finished.connect(_forget_request, dispatch_uid="pamper.lib.logs.forget_request")


def utc_iso(created: float) -> str:
    return dt.datetime.fromtimestamp(created, tz=dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(_JsonFormatter):
    """{"time", "level", "logger", "message", "request_id", ...extra fields} per line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s",
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_iso(record.created)

    def add_fields(self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record["request_id"] = getattr(record, "request_id", None) or request_id()


class GunicornLogger(_RedactingGunicornLogger):
    """gunicorn's logger writing JSON: the error log through JsonFormatter, the access log one object per request."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": utc_iso(dt.datetime.now(dt.UTC).timestamp()), "level": "INFO", "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o") or None, "method": atoms.get("m"), "path": atoms.get("U"),
            "query": atoms.get("q") or None, "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else None,
            "bytes": atoms.get("B"), "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "remote": atoms.get("h"), "user_agent": atoms.get("a"), "referer": atoms.get("f"),
        }
        self.access_log.info(json.dumps(line))
