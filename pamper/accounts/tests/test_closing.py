"""Closing an account: the page and the API, what stops it, and what is left afterwards.

Real database, real SMTP (aiosmtpd on loopback) for the confirmation, localstripe for the saved cards.
"""

from __future__ import annotations

import json

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.test import Client as HttpClient
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.accounts import actions, hooks
from pamper.accounts.models import ApiToken, User
from pamper.accounts.tests.otp import code_now, turn_on
from pamper.bookings import closing
from pamper.bookings.models import Booking, Status
from pamper.clinical.models import Consent, Consultation, ProgressPhoto, QuestionnaireResponse, TreatmentSession
from pamper.clinical.tests.planting import plant
from pamper.notifications.models import CalendarFeed, Preference
from pamper.notifications.tests.conftest import smtp  # noqa: F401 (the real SMTP server fixture)
from pamper.payments import actions as payment_actions
from pamper.payments.models import BookingPayment, StripeCustomer
from pamper.payments.tests.conftest import localstripe, stripe_on  # noqa: F401 (localstripe fixtures)
from pamper.payments.tests.stripe_helpers import card_method
from pamper.reviews import actions as review_actions
from pamper.reviews.models import Review
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, World, at
from pamper.venues.models import Client, Venue
from pamper.waitlist.models import Entry

from .passwords import PASSWORD, with_password

pytestmark = pytest.mark.django_db

def signed_in(user: User) -> HttpClient:
    """A browser signed in through the sign-in page (so the session carries the password's hash)."""
    browser = HttpClient()
    assert browser.post("/accounts/login/", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def close_api(token: str, body: dict, language: str = "en"):  # type: ignore[no-untyped-def]
    return HttpClient().post("/api/v1/me/close", data=json.dumps(body), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)


def review(world: World, user: User, text: str, hour: int) -> Review:
    visit = BookingFactory(client=world.client_of(user), customer=user, service=world.facial_service,
                           staff=world.staff, start=at(1, hour), status=Status.ATTENDED)
    return Review.objects.create(venue=world.venue, booking=visit, customer=user, overall=5, text=text,
                                 visited_at=visit.end)


def test_the_profile_links_to_the_page_that_says_what_closing_does(world: World) -> None:
    browser = world.browser("customer")
    assert b'href="/accounts/close/"' in browser.get("/accounts/profile/").content
    page = browser.get("/accounts/close/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be undone" in text and "Former customer" in text and 'name="password"' in text
    assert 'name="code"' not in text  # no two-factor on this account
    assert browser.get("/fr/accounts/close/").content.decode().count("Fermer votre compte") >= 1


def test_closing_from_the_page_forgets_the_person_and_keeps_what_the_venue_needs(  # type: ignore[no-untyped-def]
        world: World, smtp, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    customer = with_password(world.customer)
    User.objects.filter(pk=customer.pk).update(language="fr", phone="+447700900123")
    old_email = customer.email
    planted = plant(world, NOW)
    mine = review(world, customer, "Lovely facial.", 12)
    theirs = review(world, world.other_customer, "Great staff.", 14)
    review_actions.refresh_ratings(venue_id=world.venue.pk, now=NOW)
    past = Booking.objects.filter(customer=customer).count()
    Entry.objects.create(customer=customer, venue=world.venue, service=world.facial_service,
                         first_day=at(9, 0).date(), last_day=at(10, 0).date())
    CalendarFeed.issue(user=customer, scope=CalendarFeed.Scope.CUSTOMER)
    Preference.objects.create(user=customer, reminders=False)
    token = world.api("customer") and world.tokens["customer"]
    other_token = world.api("other_customer") and world.tokens["other_customer"]
    venue_before = Venue.objects.filter(pk=world.venue.pk).values().get()
    browser, elsewhere = signed_in(customer), signed_in(customer)

    page = browser.post("/accounts/close/", {"password": PASSWORD})  # the box is not ticked
    assert page.status_code == 400 and User.objects.get(pk=customer.pk).is_active
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post("/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/"

    closed = User.objects.get(pk=customer.pk)
    assert closed.email == f"closed-{closed.pk}@closed.invalid" and not closed.is_active
    assert (closed.name, closed.phone, closed.language) == ("", "", "") and not closed.has_usable_password()
    assert closed.closed_at == NOW
    # The confirmation goes to the old address, in the person's language.
    [mail] = smtp.inbox.wait_for(1)
    assert old_email in mail["To"] and mail["Subject"] == "Votre compte Pamper est fermé"
    assert old_email in mail.get_content()
    # Every way in is gone: both sessions, the token, the old password.
    for session in (browser, elsewhere):
        assert session.get("/accounts/profile/").status_code == 302
        assert session.get("/accounts/close/").status_code == 302
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/auth/me").status_code == 401
    assert close_api(token, {"password": PASSWORD}).status_code == 401
    wrong = HttpClient().post("/accounts/login/", {"email": old_email, "password": PASSWORD})
    unknown = HttpClient().post("/accounts/login/", {"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    api_wrong = HttpClient().post("/api/v1/auth/token", data={"email": old_email, "password": PASSWORD},
                                  content_type="application/json")
    assert api_wrong.status_code == 401 and api_wrong.json()["code"] == "invalid_credentials"
    # Health data goes as the erasure takes it; past bookings stay with the venue, without the person.
    for model in (QuestionnaireResponse, Consent, Consultation, TreatmentSession, ProgressPhoto):
        assert not model.objects.exists(), model
    client = Client.objects.get(pk=planted.client.pk)
    assert client.user is None and client.email == "" and client.name == f"Erased client {client.pk}"
    assert Booking.objects.filter(pk=mine.booking_id, customer=None).exists()
    assert Booking.objects.filter(customer=None).count() >= past
    assert not Entry.objects.filter(customer=closed).exists()
    assert not CalendarFeed.objects.filter(user=closed).exists() and not Preference.objects.filter(user=closed).exists()
    assert not ApiToken.objects.active().filter(user=closed).exists()
    # The review stays, under a neutral name; the other customer's is untouched.
    reviews = HttpClient().get(f"/api/v1/venues/{world.venue.pk}/reviews").json()["items"]
    authors = {r["text"]: r["author"] for r in reviews}
    assert authors["Lovely facial."] == "Former customer" and authors["Great staff."] != "Former customer"
    assert "Ancien client" in HttpClient().get(f"/fr/venues/{world.venue.slug}/reviews/").content.decode()
    assert Review.objects.get(pk=theirs.pk).customer_id == world.other_customer.pk
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {other_token}").get("/api/v1/auth/me").status_code == 200
    assert Booking.objects.filter(customer=world.other_customer).exists()
    assert Venue.objects.filter(pk=world.venue.pk).values().get() == venue_before
    # The address may sign up again: a new, empty account.
    again = HttpClient().post("/api/v1/auth/register", content_type="application/json",
                              data={"email": old_email, "password": "another-meadow-91", "name": "Back Again"})
    assert again.status_code == 201 and again.json()["user"]["id"] != closed.pk


def test_the_api_closes_with_the_password_and_a_wrong_one_changes_nothing(world: World) -> None:
    customer = with_password(world.customer)
    world.api("customer")
    token = world.tokens["customer"]
    wrong = close_api(token, {"password": "not-it"}, language="de")
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    assert wrong.json()["message"] == "Das ist nicht Ihr Passwort."
    assert User.objects.get(pk=customer.pk).email == customer.email
    assert close_api(token, {"password": PASSWORD, "extra": 1}).status_code == 422
    done = close_api(token, {"password": PASSWORD})
    assert done.status_code == 200 and done.json()["closed"] is True
    assert close_api(token, {"password": PASSWORD}).status_code == 401
    assert not User.objects.get(pk=customer.pk).is_active


def test_the_openapi_document_describes_closing(world: World) -> None:
    schema = HttpClient().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/me/close"]["post"]
    assert "409" in operation["responses"] and "upcoming_visits" in operation["description"]


@pytest.mark.parametrize(("who", "code"), [("owner", "runs_a_venue"), ("manager", "runs_a_venue"),
                                           ("reception", "works_at_a_venue")])
def test_people_on_a_venue_team_are_refused_and_nothing_changes(world: World, who: str, code: str) -> None:
    user = with_password(getattr(world, who))
    world.api(who)
    refused = close_api(world.tokens[who], {"password": PASSWORD}, language="fr")
    assert refused.status_code == 409 and refused.json()["code"] == code
    assert world.venue.name in refused.json()["message"] and "compte" in refused.json()["message"]
    assert User.objects.get(pk=user.pk).is_active and User.objects.get(pk=user.pk).email == user.email
    assert ApiToken.objects.active().filter(user=user).exists()
    page = world.browser(who).get("/accounts/close/")
    assert f'data-code="{code}"' in page.content.decode() and 'name="password"' not in page.content.decode()
    assert world.browser(who).post("/accounts/close/", {"password": PASSWORD, "confirm": "on"}).status_code == 409


def test_upcoming_visits_refuse_closing_with_their_count(world: World) -> None:
    customer = with_password(world.customer)
    client = world.client_of(customer)
    for day in (5, 6):
        BookingFactory(client=client, customer=customer, service=world.facial_service, staff=world.staff,
                       start=at(day, 10), status=Status.CONFIRMED)
    BookingFactory(client=client, customer=customer, service=world.facial_service, staff=world.staff,
                   start=at(7, 10), status=Status.CANCELLED)  # gone already: does not count
    world.api("customer")
    refused = close_api(world.tokens["customer"], {"password": PASSWORD})
    assert refused.status_code == 409 and refused.json()["code"] == "upcoming_visits"
    assert refused.json()["count"] == 2 and "2 upcoming visits" in refused.json()["message"]
    assert Booking.objects.filter(customer=customer, status=Status.CONFIRMED).count() == 2
    page = world.browser("customer").get("/accounts/close/").content.decode()
    assert "You have 2 upcoming visits" in page and 'href="/bookings/"' in page
    # A visit the venue booked for the client record linked to the account counts too.
    Booking.objects.filter(customer=customer).update(customer=None)
    assert closing.upcoming_visits(user=customer, now=NOW) == 2


def test_wrong_passwords_count_against_the_sign_in_limits(world: World) -> None:
    customer = with_password(world.customer)
    world.api("customer")
    token = world.tokens["customer"]
    for _ in range(5):
        assert close_api(token, {"password": "guess"}).status_code == 403
    limited = close_api(token, {"password": PASSWORD})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert HttpClient().post("/accounts/login/", {"email": customer.email, "password": PASSWORD}).status_code == 429
    assert User.objects.get(pk=customer.pk).is_active


def test_a_two_factor_account_gives_its_code_too(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    customer = with_password(world.customer)
    browser = signed_in(customer)
    turn_on(browser, customer)
    page = browser.get("/accounts/close/")
    assert 'name="code"' in page.content.decode()
    missing = browser.post("/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    assert missing.status_code == 400 and "code" in missing.context["form"].errors
    frozen.shift(31)
    wrong = browser.post("/accounts/close/", {"password": PASSWORD, "code": "000000", "confirm": "on"})
    assert wrong.status_code == 403 and "code" in wrong.context["form"].errors
    assert User.objects.get(pk=customer.pk).is_active
    token = ApiToken.issue(customer, two_factor=True)[1]
    no_code = close_api(token, {"password": PASSWORD})
    assert no_code.status_code == 403 and no_code.json()["code"] == "two_factor_code_required"
    frozen.shift(31)
    done = browser.post("/accounts/close/", {"password": PASSWORD, "code": code_now(customer), "confirm": "on"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=customer).exists()
    assert not StaticDevice.objects.filter(user=customer).exists()


def test_saved_cards_are_detached_at_stripe_and_forgotten(world: World, stripe_on: str) -> None:  # noqa: F811
    customer = with_password(world.customer)
    stripe_customer = payment_actions.customer_for(customer)
    card = card_method(stripe_on)
    attached = requests.post(f"{stripe_on}/v1/payment_methods/{card}/attach", auth=("sk_test_pamper", ""),
                             data={"customer": stripe_customer}, timeout=5)
    assert attached.status_code == 200
    visit = BookingFactory(client=world.client_of(customer), customer=customer, service=world.facial_service,
                           staff=world.staff, start=at(1, 10), status=Status.ATTENDED)
    BookingPayment.objects.create(booking=visit, venue=world.venue, kind="deposit", currency="GBP", price=6000,
                                  due_now=1200, late_cancel_fee=1200, no_show_fee=3000, free_cancel_hours=48,
                                  accepted_at=NOW, customer_id=stripe_customer, intent_id="seti_x",
                                  state="card_saved", payment_method_id=card, card_brand="visa", card_last4="4242")
    actions.close_account(user=customer, password=PASSWORD, code=None, address="127.0.0.1", now=NOW)
    assert not StripeCustomer.objects.filter(user=customer).exists()
    payment = BookingPayment.objects.get(booking=visit)
    assert payment.payment_method_id == "" and payment.price == 6000
    method = requests.get(f"{stripe_on}/v1/payment_methods/{card}", auth=("sk_test_pamper", ""), timeout=5).json()
    assert method["customer"] is None


def test_closing_is_never_unchecked(world: World) -> None:
    customer = with_password(world.customer)
    hooks.unregister_closing_check(closing.refuse_upcoming_visits)
    try:
        with pytest.raises(ImproperlyConfigured):
            actions.close_account(user=customer, password=PASSWORD, code=None, address="127.0.0.1", now=NOW)
    finally:
        hooks.register_closing_check(closing.refuse_upcoming_visits)
    assert User.objects.get(pk=customer.pk).is_active
