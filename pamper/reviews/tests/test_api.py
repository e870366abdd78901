"""The reviews API as a client sees it: listing with cursors, creating, replying, reporting, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from pamper.accounts.models import ApiToken, Role
from pamper.reviews.actions import Stars, hide_review, submit_review
from pamper.reviews.models import Review, ReviewReport

from . import factories as f

NOW = f.NOW


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


def post(client: Client, path: str, body: object, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers or {})


def error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] and body["message"]
    if code:
        assert body["code"] == code, body
    return body


def reviewed(shop, stars: int, *, days_ago: float, text: str = "") -> Review:  # type: ignore[no-untyped-def]
    customer = f.user(name="Lee Park")
    b = shop.visit(days_ago=days_ago, customer=customer)
    return submit_review(user=customer, booking_id=b.pk, stars=Stars(stars), text=text,
                         now=NOW - dt.timedelta(days=days_ago - 1))


def test_create_a_review(client: Client, shop) -> None:
    b = shop.visit()
    body = {"booking_id": b.pk, "overall": 4, "staff": 5, "text": "Maria was gentle and quick."}
    response = post(client, "/api/v1/reviews", body, auth(shop.customer))
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["overall"], out["staff"], out["ambience"], out["author"]) == (4, 5, None, "Ana R.")
    assert out["treatment"]["name"] == "Gel manicure" and out["staff_name"] == "Maria" and out["reply"] is None
    listed = client.get(f"/api/v1/venues/{shop.venue.pk}/reviews").json()
    assert listed["summary"] == {"count": 1, "average": "4.00", "recent_average": "4.00",
                                 "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}}
    assert listed["items"][0]["text"] == "Maria was gentle and quick."


def test_create_errors(client: Client, shop) -> None:
    headers = auth(shop.customer)
    attended = shop.visit()
    upcoming = shop.visit(days_ago=-2, status="confirmed")
    old = shop.visit(days_ago=120)
    assert error(post(client, "/api/v1/reviews", {"booking_id": attended.pk, "overall": 5}), 401)
    error(post(client, "/api/v1/reviews", {"booking_id": upcoming.pk, "overall": 5}, headers), 422, "not_attended")
    error(post(client, "/api/v1/reviews", {"booking_id": old.pk, "overall": 5}, headers), 422, "review_window_closed")
    error(post(client, "/api/v1/reviews", {"booking_id": attended.pk + 1000, "overall": 5}, headers), 404, "not_found")
    assert post(client, "/api/v1/reviews", {"booking_id": attended.pk, "overall": 5}, headers).status_code == 201
    error(post(client, "/api/v1/reviews", {"booking_id": attended.pk, "overall": 3}, headers), 409, "already_reviewed")
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    "patch",
    [
        {"overall": 0}, {"overall": 6}, {"overall": 4.5}, {"overall": "5"}, {"overall": True}, {"overall": None},
        {"ambience": 9}, {"value": -1}, {"cleanliness": "clean"}, {"kind": "lifetime"}, {"booking_id": "x"},
        {"text": "z" * 2001}, {"text": 42},
    ],
)
def test_bad_input_is_a_422_and_changes_nothing(client: Client, shop, patch: dict) -> None:
    b = shop.visit()
    body = {"booking_id": b.pk, "overall": 5, **patch}
    error(post(client, "/api/v1/reviews", body, auth(shop.customer)), 422)
    assert not Review.objects.exists()


def test_missing_fields_and_broken_json(client: Client, shop) -> None:
    headers = auth(shop.customer)
    error(post(client, "/api/v1/reviews", {"overall": 5}, headers), 422)
    error(post(client, "/api/v1/reviews", {"booking_id": shop.visit().pk}, headers), 422)
    error(post(client, "/api/v1/reviews", "{not json", headers), 400)
    error(post(client, "/api/v1/reviews", [1, 2], headers), 422)


def test_list_newest_and_best_with_cursors(client: Client, shop) -> None:
    made = [reviewed(shop, s, days_ago=d) for s, d in [(3, 30), (5, 20), (1, 10), (5, 5), (4, 2)]]
    hide_review(review=made[2], by=None, reason="Not about the visit")
    newest, cursor = [], None
    while True:
        page = client.get(f"/api/v1/venues/{shop.venue.pk}/reviews",
                          {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        newest += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert newest == [made[4].pk, made[3].pk, made[1].pk, made[0].pk]
    best = client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"sort": "best", "limit": 3}).json()
    assert [i["overall"] for i in best["items"]] == [5, 5, 4] and best["items"][0]["id"] == made[3].pk
    rest = client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"sort": "best", "cursor": best["next_cursor"]}).json()
    assert [i["id"] for i in rest["items"]] == [made[0].pk] and rest["next_cursor"] is None
    assert best["summary"]["count"] == 4


def test_list_bad_input(client: Client, shop) -> None:
    url = f"/api/v1/venues/{shop.venue.pk}/reviews"
    error(client.get(url, {"cursor": "nonsense"}), 400, "bad_cursor")
    error(client.get(url, {"sort": "worst"}), 422)
    error(client.get(url, {"limit": 0}), 422)
    error(client.get(url, {"limit": 500}), 422)
    error(client.get("/api/v1/venues/999999/reviews"), 404)
    reviewed(shop, 4, days_ago=3)
    reviewed(shop, 4, days_ago=2)
    cursor = client.get(url, {"limit": 1}).json()["next_cursor"]
    error(client.get(url, {"sort": "best", "cursor": cursor}), 400, "bad_cursor")  # a newest-cursor on the best sort
    shop.venue.is_published = False
    shop.venue.save()
    error(client.get(url), 404)


def test_the_venue_replies_once(client: Client, shop) -> None:
    r = reviewed(shop, 2, days_ago=3)
    manager = f.member(shop.venue, role=Role.MANAGER, name="Mo Manager")
    practitioner = f.member(shop.venue, role=Role.PRACTITIONER)
    other_owner = f.member(f.venue(), role=Role.OWNER)
    url = f"/api/v1/reviews/{r.pk}/reply"
    error(post(client, url, {"text": "Sorry"}), 401)
    for outsider in (practitioner, other_owner, r.customer):
        error(post(client, url, {"text": "Sorry"}, auth(outsider)), 403, "not_venue_admin")
    error(post(client, url, {"text": "   "}, auth(manager)), 422, "empty_reply")
    error(post(client, url, {"text": "x" * 2001}, auth(manager)), 422, "text_too_long")
    ok = post(client, url, {"text": "Thank you, we have retrained the team."}, auth(manager))
    assert ok.status_code == 201 and ok.json()["reply"]["text"] == "Thank you, we have retrained the team."
    error(post(client, url, {"text": "And again"}, auth(shop.owner)), 409, "already_replied")
    error(post(client, "/api/v1/reviews/999999/reply", {"text": "Hi"}, auth(shop.owner)), 404)
    assert Review.objects.get(pk=r.pk).reply_text == "Thank you, we have retrained the team."


def test_reporting_a_review(client: Client, shop) -> None:
    r = reviewed(shop, 1, days_ago=3)
    reader = f.user(name="Rita Reader")
    url = f"/api/v1/reviews/{r.pk}/report"
    error(post(client, url, {"reason": "spam"}), 401)
    error(post(client, url, {"reason": "boring"}, auth(reader)), 422)
    error(post(client, url, {"reason": "spam", "note": "n" * 1001}, auth(reader)), 422, "text_too_long")
    error(post(client, url, {"reason": "spam"}, auth(r.customer)), 422, "own_review")
    assert post(client, url, {"reason": "fake", "note": "Never been there"}, auth(reader)).status_code == 201
    error(post(client, url, {"reason": "spam"}, auth(reader)), 409, "already_reported")
    assert ReviewReport.objects.get().reason == "fake"
    hide_review(review=r, by=None, reason="Fake")
    assert ReviewReport.objects.get().resolved_at is not None
    error(post(client, url, {"reason": "spam"}, auth(f.user())), 404)
    assert client.get(f"/api/v1/venues/{shop.venue.pk}/reviews").json()["items"] == []
