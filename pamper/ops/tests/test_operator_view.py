"""The operator's view in one process: request ids, JSON logs, /healthz, /readyz, /metrics and its counters."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django_tasks import task
from prometheus_client import REGISTRY

from pamper.bookings.tests import helpers as h
from pamper.bookings.tests.conftest import NOW
from pamper.bookings.tests.test_api import body, post
from pamper.lib.logs import JsonFormatter
from pamper.ops.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the pamper and django loggers write through the JSON formatter during the test."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("django.request", "pamper")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield out
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_a_sane_request_id_is_kept_and_returned_and_others_are_replaced(client: Client) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42:1").headers["X-Request-ID"] == "lb-7f3a.42:1"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>").headers["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/healthz").headers["X-Request-ID"] != made


def test_log_lines_are_json_with_time_level_logger_and_the_request_id(client: Client, json_lines) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/no/such/page/", HTTP_X_REQUEST_ID="trace-123").status_code == 404
    line = json.loads(json_lines.getvalue().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert line["request_id"] == "trace-123" and "Not Found" in line["message"]
    assert line["time"].endswith("Z") and line["time"][:2] == "20"


def test_healthz_is_liveness_and_readyz_checks_each_dependency(client: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}
    cache.delete("pamper:worker-heartbeat")
    answer = client.get("/readyz")
    checks = answer.json()["checks"]
    assert answer.status_code == 200 and answer.json()["status"] == "degraded"  # no worker has beaten yet
    assert all(checks[name]["ok"] for name in ("primary", "cache", "storage"))
    assert checks["replica"] == {"ok": True, "configured": False, "ms": checks["replica"]["ms"]}
    assert not checks["worker"]["ok"] and "db_worker" in checks["worker"]["error"]

    worker_heartbeat.enqueue()  # what the scheduler queues every minute; the immediate backend runs it now
    answer = client.get("/readyz").json()
    assert answer["status"] == "ok" and answer["checks"]["worker"]["last_seen_seconds"] < 5

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    settings.MEDIA_ROOT = blocked
    broken = client.get("/readyz")
    assert broken.status_code == 503 and broken.json()["status"] == "fail"
    assert not broken.json()["checks"]["storage"]["ok"] and broken.json()["checks"]["primary"]["ok"]


def test_metrics_answer_loopback_or_the_token_only(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403  # via a local proxy
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scraped = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert scraped.status_code == 200
    text = scraped.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'view="metrics"' in text  # per route
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


@pytest.fixture
def shop() -> Iterator[h.Shop]:
    """The bookings tests' shop, on their Monday morning."""
    with time_machine.travel(NOW, tick=False):
        yield h.shop()


def test_bookings_made_and_refused_are_counted_by_code(  # type: ignore[no-untyped-def]
        client: Client, shop: h.Shop, django_capture_on_commit_callbacks) -> None:
    made, taken = sample("pamper_bookings_made_total"), sample("pamper_bookings_refused_total", code="slot_taken")
    auth = h.bearer(h.customer())
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, auth, body(shop)).status_code == 201
    assert sample("pamper_bookings_made_total") == made + 1
    again = post(client, h.bearer(h.customer("other@example.com")), body(shop, staff_id=shop.anna.id))
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    assert sample("pamper_bookings_refused_total", code="slot_taken") == taken + 1
    assert sample("pamper_refusals_total", route="api:create_booking", code="slot_taken") >= 1


def test_search_latency_is_measured(client: Client) -> None:
    before = sample("pamper_search_seconds_count", route="api:search")
    client.get("/api/v1/search", {"q": "mesotherapy", "near": "London"})
    assert sample("pamper_search_seconds_count", route="api:search") == before + 1


@task()
def failing_task() -> None:
    raise ValueError("this task always fails")


def test_task_failures_and_queue_depth(settings) -> None:  # type: ignore[no-untyped-def]
    path = f"{__name__}.failing_task"
    before = sample("pamper_task_failures_total", task=path)
    failing_task.enqueue()  # the immediate backend runs it now, and it fails
    assert sample("pamper_task_failures_total", task=path) == before + 1

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting = sample("pamper_tasks", queue="default", status="ready")  # rows another test may have left
    failing_task.enqueue()
    failing_task.enqueue()
    assert sample("pamper_tasks", queue="default", status="ready") == waiting + 2
