"""A new account's address is confirmed by a link before Pamper writes to it: anybody could sign up with a stranger's
address. Sign-up on the page and through the API, the link (GET shows, POST confirms), the mail held meanwhile and
released after, the banner and its resend button, and the other links that prove an address. Real SMTP on loopback."""

from __future__ import annotations

import json
import re

import pytest
import time_machine
from django.urls import reverse

from pamper.accounts import actions
from pamper.accounts.models import User
from pamper.notifications.models import Message
from pamper.notifications.models import Status as MessageStatus
from pamper.tests.factories import ClientFactory
from pamper.waitlist import emails as waitlist_emails

from .helpers import World, book, text_of, utc

pytestmark = pytest.mark.django_db
PASSWORD = "a-good-pass-9871"
NOW = utc(2026, 6, 1, 9, 0)


def _link(mail) -> str:  # type: ignore[no-untyped-def]
    """The confirmation link's path in the email."""
    [path] = re.findall(r"https?://[^/\s]+(/\S*accounts/confirm/[^/\s]+/)", text_of(mail))
    return path


def _sign_up_on_the_page(client, email: str, capture) -> User:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client.post(reverse("accounts:signup"), {"email": email, "name": "Sam Newcomer",
                                                            "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    return User.objects.get(email=email)


@time_machine.travel(NOW, tick=False)
def test_booking_mail_waits_for_the_link_then_goes_out(client, smtp, world: World,
                                                       django_capture_on_commit_callbacks):
    user = _sign_up_on_the_page(client, "sam@example.com", django_capture_on_commit_callbacks)
    assert user.email_confirmed is False
    [link_mail] = smtp.inbox.to("sam@example.com")
    assert link_mail["Subject"] == "Confirm your email address for Pamper"
    assert "If you did not make this account, ignore this email" in text_of(link_mail)

    # The new account books: the confirmation waits, the venue still hears of it.
    world.customer, world.client = user, ClientFactory(venue=world.venue, user=user, name=user.name, email=user.email)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    assert smtp.inbox.to("sam@example.com") == [link_mail]
    assert smtp.inbox.to(world.venue.email)  # the venue's own address is not held
    held = Message.objects.get(booking=booking, recipient="sam@example.com")
    assert held.status == MessageStatus.HELD

    # The banner says so on every page, with a button for the link again.
    page = client.get("/").content.decode()
    assert "Confirm your address: we sent a link to sam@example.com" in page

    # Opening the link changes nothing (mail scanners open links); the button confirms.
    url = _link(link_mail)
    shown = client.get(url)
    assert shown.status_code == 200 and "sam@example.com" in shown.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed is False
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url)
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed is True
    [confirmation] = [m for m in smtp.inbox.to("sam@example.com") if m is not link_mail]
    assert confirmation["Subject"].startswith(f"Booking confirmed: {world.venue.name}")
    assert Message.objects.get(pk=held.pk).status == MessageStatus.SENT
    assert "Confirm your address" not in client.get("/").content.decode()
    assert client.post(url).status_code == 302  # a second press is harmless


@time_machine.travel(NOW, tick=False)
def test_a_bad_or_stale_link_is_refused_and_confirms_nothing(client, smtp, world: World,
                                                             django_capture_on_commit_callbacks):
    user = _sign_up_on_the_page(client, "lee@example.com", django_capture_on_commit_callbacks)
    url = _link(smtp.inbox.to("lee@example.com")[0])
    token = url.rstrip("/").rsplit("/", 1)[1]
    damaged = url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for bad in (damaged, reverse("accounts:confirm_email", args=["not-a-token"])):
        assert client.get(bad).status_code == 400
        refused = client.post(bad)
        assert refused.status_code == 400
        assert "This link is not valid any more" in refused.content.decode()
    with time_machine.travel(utc(2026, 6, 8, 9, 1), tick=False):  # seven days and a minute later
        assert client.post(url).status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed is False


@time_machine.travel(NOW, tick=False)
def test_the_api_sign_up_reports_the_address_unconfirmed_and_sends_the_link_in_its_language(
        client, smtp, django_capture_on_commit_callbacks):
    body = {"email": "Ana@Example.com", "password": PASSWORD, "name": "Ana"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/auth/register", json.dumps(body), content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 201
    assert response.json()["user"]["email_confirmed"] is False
    [mail] = smtp.inbox.to("ana@example.com")
    assert "/es/accounts/confirm/" in text_of(mail)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}", "HTTP_ACCEPT_LANGUAGE": "es"}
    me = client.get("/api/v1/auth/me", **bearer)
    assert me.json()["email_confirmed"] is False
    with django_capture_on_commit_callbacks(execute=True):
        soon = client.post("/api/v1/auth/confirmation-email", **bearer)  # the sign-up's link went out just now
    with time_machine.travel(utc(2026, 6, 1, 9, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
        later = client.post("/api/v1/auth/confirmation-email", **bearer)
    assert (soon.status_code, soon.json(), later.json()) == (202, {"sent": False}, {"sent": True})
    assert len(smtp.inbox.to("ana@example.com")) == 2


@time_machine.travel(NOW, tick=False)
def test_the_banner_sends_the_link_again_at_most_once_a_minute(client, smtp, world: World,
                                                              django_capture_on_commit_callbacks):
    _sign_up_on_the_page(client, "kim@example.com", django_capture_on_commit_callbacks)
    again = reverse("accounts:confirm_resend")
    with django_capture_on_commit_callbacks(execute=True):
        soon = client.post(again, {"next": "/search/"}, follow=True)  # the sign-up's link went out just now
    assert soon.redirect_chain[0][0] == "/search/"
    assert "A link went out a moment ago" in soon.content.decode()
    assert len(smtp.inbox.to("kim@example.com")) == 1
    with time_machine.travel(utc(2026, 6, 1, 9, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
        later = client.post(again, {"next": "/search/"}, follow=True)
        client.post(again)
    assert "We sent a new link to kim@example.com" in later.content.decode()
    assert len(smtp.inbox.to("kim@example.com")) == 2  # at sign-up, then once more a minute later
    client.logout()
    assert client.post(again).status_code == 302  # to sign in: nothing sent
    assert len(smtp.inbox.to("kim@example.com")) == 2


@time_machine.travel(NOW, tick=False)
def test_a_password_reset_or_an_invitation_confirms_the_address(client, world: World,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = actions.sign_up(email="reset@example.com", name="Reset Me", password=PASSWORD)
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    form = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True)
    new = "another-good-pass-4417"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.email_confirmed is True

    invited = actions.sign_up(email="invited@example.com", name="In Vited", password=PASSWORD)
    _, raw = actions.invite_member(venue=world.venue, email=invited.email, role="reception", invited_by=world.owner,
                                   now=NOW)
    actions.accept_invitation(raw=raw, user=invited, now=NOW)
    invited.refresh_from_db()
    assert invited.email_confirmed is True


@time_machine.travel(NOW, tick=False)
def test_no_waitlist_offer_or_closing_notice_goes_to_an_unconfirmed_address(smtp, world: World,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = actions.sign_up(email="nobody@example.com", name="No Body", password=PASSWORD)
    assert len(smtp.inbox.to("nobody@example.com")) == 1  # the link
    assert waitlist_emails._mail(user, world.venue, lambda: ("Subject", "Body"), "failed") is False
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_account(user=user, password=PASSWORD, code=None, address="127.0.0.1", now=NOW)
    assert len(smtp.inbox.to("nobody@example.com")) == 1
    assert world.customer.email_confirmed is True  # accounts made any other way start confirmed
