"""gunicorn's settings for Pamper (`gunicorn -c python:pamper.gunicorn_conf pamper.wsgi`, as bin/run does).

- At start, before any worker forks, the deployment checks run (`pamper check_startup`) with WEB_WORKERS set to
  gunicorn's worker count: production refuses to start half-configured. The demo (PAMPER_DEMO=1) skips them.
- The access log is one JSON line per request on standard output (pamper.lib.logs.GunicornLogger): time, method,
  path (secrets redacted), status, bytes, duration in milliseconds and the request id the app returned.
- Metrics: settings.py points prometheus_client at PAMPER_DATA_DIR/metrics (multiprocess mode) before it is
  first imported, in the master (django.setup() below) and so in every worker it forks; nothing here imports it.
- Memory (issue 19): each worker loads its URLs, views and API schemas before its first request, then freezes what
  start-up made and collects request garbage after every answer (pamper.lib.lean.Collector).
"""

from __future__ import annotations

import os
from typing import Any

import django
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import get_resolver

from pamper.lib.lean import Collector

logger_class = "pamper.lib.logs.GunicornLogger"
accesslog = "-"
# gunicorn answers a request line over 4,094 bytes itself, with an HTML 414 page; at its maximum such a request
# reaches Pamper, whose schemas refuse an over-long parameter with the API's JSON error (422) or the page's notice.
limit_request_line = 8190


def on_starting(server: Any) -> None:
    """Run the start-up checks in the master; stop gunicorn (exit status 1) on any error."""
    if os.environ.get("PAMPER_DEMO") == "1":
        return
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    django.setup()
    try:
        call_command("check_startup")
    except CommandError as exc:
        server.log.error("%s", exc)
        raise SystemExit(1) from exc
    finally:
        connections.close_all()  # no connection of the master's is inherited by the workers



collector = Collector()


def post_worker_init(worker: Any) -> None:
    """Import every URL pattern, view and API router now rather than at the first request, then freeze them."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
    collector.started()


def pre_request(worker: Any, req: Any) -> None:
    collector.before_request()


def post_request(worker: Any, req: Any, environ: dict[str, Any], resp: Any) -> None:
    collector.after_request()
