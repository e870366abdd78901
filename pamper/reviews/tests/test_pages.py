"""The review pages: the form from a past booking, the venue's reviews, reply, report, moderation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import Client, RequestFactory

from pamper.accounts.models import Role
from pamper.reviews.actions import Stars, reply_to_review, submit_review
from pamper.reviews.models import Review, ReviewReport
from pamper.venues.models import Venue

from . import factories as f

NOW = f.NOW
SCRIPT = "<script>alert('owned')</script><b>bold</b> & \"quotes\""


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_write_a_review_from_a_past_booking(shop) -> None:
    b = shop.visit()
    url = f"/bookings/{b.pk}/review/"
    assert Client().get(url).status_code == 302  # sign in first
    client = signed_in(shop.customer)
    page = client.get(url)
    assert page.status_code == 200 and b"Review your visit to Rose Rooms" in page.content
    response = client.post(url, {"overall": "4", "cleanliness": "5", "ambience": "", "text": "Calm and careful."})
    assert response.status_code == 302 and response["Location"] == f"/venues/{shop.venue.slug}/reviews/"
    review = Review.objects.get()
    assert (review.overall, review.cleanliness, review.ambience, review.text) == (4, 5, None, "Calm and careful.")
    listing = client.get(response["Location"]).content.decode()
    assert "Calm and careful." in listing and "your review of Rose Rooms is published" in listing
    again = client.get(url)
    assert again.status_code == 409 and b"already reviewed" in again.content


def test_form_errors_are_422_and_change_nothing(shop) -> None:
    b = shop.visit()
    client = signed_in(shop.customer)
    for data in ({"text": "No stars"}, {"overall": "9"}, {"overall": "4", "value": "0"},
                 {"overall": "4", "text": "x" * 2001}):
        response = client.post(f"/bookings/{b.pk}/review/", data)
        assert response.status_code == 422, data
    # A NUL character is refused before the form (pamper.middleware.RefuseNulMiddleware), as on every page.
    response = client.post(f"/bookings/{b.pk}/review/", {"overall": "3", "text": "bad\x00byte"})
    assert response.status_code == 400 and b"Text cannot hold a NUL character." in response.content
    response = client.post(f"/bookings/{b.pk}/review/", {"overall": "3", "text": "bell\x07"})
    assert response.status_code == 422 and b"remove the control characters" in response.content
    assert not Review.objects.exists()


def test_who_cannot_use_the_form(shop) -> None:
    booked = shop.visit(days_ago=-3, status="confirmed")
    old = shop.visit(days_ago=91)
    client = signed_in(shop.customer)
    not_yet = client.get(f"/bookings/{booked.pk}/review/")
    assert not_yet.status_code == 422 and b"marked it attended" in not_yet.content
    assert client.post(f"/bookings/{old.pk}/review/", {"overall": "5"}).status_code == 422
    assert signed_in(f.user()).get(f"/bookings/{shop.visit().pk}/review/").status_code == 404
    assert not Review.objects.exists()


def test_markup_in_reviews_and_replies_is_shown_as_text(shop) -> None:
    shop.customer.name = "<img src=x onerror=alert(1)> Evil"
    shop.customer.save()
    review = submit_review(user=shop.customer, booking_id=shop.visit().pk, stars=Stars(1), text=SCRIPT, now=NOW)
    reply_to_review(user=shop.owner, review_id=review.pk, text="<script>reply()</script>", now=NOW)
    for html in (Client().get(f"/venues/{shop.venue.slug}/reviews/").content.decode(), render_panel(shop.venue)):
        assert "<script>alert" not in html and "<b>bold</b>" not in html and "<img src=x" not in html
        escaped = ("&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; "
                   "&amp; &quot;quotes&quot;")
        assert escaped in html
        assert "&lt;script&gt;reply()&lt;/script&gt;" in html
    api = Client().get(f"/api/v1/venues/{shop.venue.pk}/reviews")
    assert api["Content-Type"] == "application/json; charset=utf-8" and api.json()["items"][0]["text"] == SCRIPT


def render_panel(venue: Venue, user=None) -> str:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    context = Context({"venue": venue, "request": request, "user": request.user})
    return Template('{% include "reviews/venue_reviews.html" with venue=venue %}').render(context)


def test_the_venue_page_block(shop) -> None:
    assert "No reviews yet" in render_panel(shop.venue)
    for stars in (5, 4, 4):
        c = f.user(name="Pat Lee")
        submit_review(user=c, booking_id=shop.visit(customer=c).pk, stars=Stars(stars), text=f"{stars} stars of joy",
                      now=NOW)
    html = render_panel(shop.venue)
    assert "4.33" in html and "from 3 verified reviews" in html
    assert html.count("<meter") == 5 and 'value="67"' in html and 'value="33"' in html
    assert "5 stars of joy" in html and "Pat L." in html and "with Maria" in html
    assert "Ratings by treatment" in html and "Gel manicure" in html
    assert "Publish reply" not in html
    assert "Publish reply" in render_panel(shop.venue, user=shop.owner)
    assert "Publish reply" not in render_panel(shop.venue, user=f.member(shop.venue, role=Role.RECEPTION))


def test_the_venue_replies_from_the_page(shop) -> None:
    review = submit_review(user=shop.customer, booking_id=shop.visit().pk, stars=Stars(2), text="Late start.", now=NOW)
    url = f"/reviews/{review.pk}/reply/"
    assert signed_in(shop.customer).post(url, {"text": "Hi"}).status_code == 403
    assert signed_in(f.member(f.venue())).post(url, {"text": "Hi"}).status_code == 403
    owner = signed_in(shop.owner)
    assert owner.post(url, {"text": ""}).status_code == 422
    done = owner.post(url, {"text": "Sorry, we have changed our rota."})
    assert done.status_code == 302 and done["Location"].endswith(f"#review-{review.pk}")
    assert owner.post(url, {"text": "Second go"}).status_code == 302
    assert Review.objects.get().reply_text == "Sorry, we have changed our rota."
    assert "Sorry, we have changed our rota." in Client().get(f"/venues/{shop.venue.slug}/reviews/").content.decode()


def test_report_a_review(shop) -> None:
    review = submit_review(user=shop.customer, booking_id=shop.visit().pk, stars=Stars(5), text="Best ever!!!", now=NOW)
    reader = signed_in(f.user())
    assert reader.get(f"/reviews/{review.pk}/report/").status_code == 200
    assert reader.post(f"/reviews/{review.pk}/report/", {"reason": "nonsense"}).status_code == 422
    assert reader.post(f"/reviews/{review.pk}/report/", {"reason": "fake", "note": "Owner's cousin"}).status_code == 302
    assert ReviewReport.objects.get().note == "Owner's cousin"
    assert reader.post(f"/reviews/{review.pk}/report/", {"reason": "spam"}).status_code == 302
    assert ReviewReport.objects.count() == 1
    assert Client().get(f"/reviews/{review.pk}/report/").status_code == 302  # sign in first


def test_reviews_page_sorts_and_pages(shop) -> None:
    for i, stars in enumerate([3, 5, 1, 4, 2, 5, 4, 3, 5, 1, 2, 4]):
        c = f.user(name=f"Reader {i}")
        submit_review(user=c, booking_id=shop.visit(customer=c, days_ago=20 - i).pk, stars=Stars(stars),
                      text=f"Review number {i}", now=NOW - dt.timedelta(days=19 - i))
    client = Client()
    first = client.get(f"/venues/{shop.venue.slug}/reviews/").content.decode()
    assert "Review number 11" in first and "Review number 1<" not in first and "More reviews" in first
    best = client.get(f"/venues/{shop.venue.slug}/reviews/?sort=best").content.decode()
    assert best.index("Review number 8") < best.index("Review number 5") < best.index("Review number 1<")
    cursor = first.split("cursor=")[1].split('"')[0]
    more = client.get(f"/venues/{shop.venue.slug}/reviews/?sort=newest&cursor={cursor}", headers={"HX-Request": "true"})
    assert more.status_code == 200
    assert "<html" not in more.content.decode() and "Review number 0" in more.content.decode()
    assert client.get(f"/venues/{shop.venue.slug}/reviews/?cursor=zzz").status_code == 400
    assert client.get("/venues/no-such-place/reviews/").status_code == 404


def test_operator_hides_a_review_from_the_admin(shop) -> None:
    review = submit_review(user=shop.customer, booking_id=shop.visit().pk, stars=Stars(1), text="Rude words", now=NOW)
    operator = f.user(name="Op Erator")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    admin = signed_in(operator)
    data = {"action": "hide_reviews", "_selected_action": [review.pk]}
    ask = admin.post("/admin/reviews/review/", data)
    assert ask.status_code == 200 and b"Hide with this reason" in ask.content
    done = admin.post("/admin/reviews/review/", {**data, "apply": "1", "reason": "Abusive language"})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Abusive language" and review.hidden_by == operator
    assert Venue.objects.get(pk=shop.venue.pk).review_count == 0
    assert "Rude words" not in Client().get(f"/venues/{shop.venue.slug}/reviews/").content.decode()
    assert admin.get(f"/admin/reviews/review/{review.pk}/change/").status_code == 200


def render_link(booking, user) -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/bookings/")
    request.user = user
    context = Context({"booking": booking, "request": request})
    return Template("{% load reviews %}{% review_link booking %}").render(context)


def test_the_link_for_a_list_of_past_bookings(shop) -> None:
    visit, upcoming, old = shop.visit(), shop.visit(days_ago=-2, status="confirmed"), shop.visit(days_ago=120)
    assert f'href="/bookings/{visit.pk}/review/"' in render_link(visit, shop.customer)
    assert render_link(upcoming, shop.customer).strip() == "" and render_link(old, shop.customer).strip() == ""
    assert render_link(visit, f.user()).strip() == ""
    submit_review(user=shop.customer, booking_id=visit.pk, stars=Stars(4), now=NOW)
    html = render_link(visit, shop.customer)
    assert "Write a review" not in html and "You gave 4 out of 5 stars" in html
    course = f.treatment(name="Microneedling", course_sessions=2)
    svc = f.service(shop.venue, course)
    f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=20))
    last = f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=6))
    html = render_link(last, shop.customer)
    assert "Write a review" in html and f'/bookings/{last.pk}/review/?kind=course' in html
