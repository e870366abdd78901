"""Asking for password-reset emails is limited: per asking address, and per address the email goes to.

The reset page had no limit: anyone could type someone's address and press Send as often as they liked, each
press mailing that person a reset link (25 a second against the demo). Now one network address may ask 10 times
an hour (then a 429), and one recipient gets at most 3 reset emails an hour whoever asks; past that the page
answers as before, so it still never says whether an account exists.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient

from pamper.accounts.forms import RESET_MAILS_PER_HOUR
from pamper.tests.factories import UserFactory
from pamper.throttles import RULES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_on")]

RESET = "/accounts/password/reset/"


def _limit() -> int:
    return next(rule.limit for rule in RULES if rule.scope == "password_reset")


def test_one_address_may_ask_ten_times_an_hour() -> None:
    client = HttpClient(REMOTE_ADDR="10.9.0.1")
    for n in range(_limit()):
        assert client.post(RESET, {"email": f"nobody-{n}@example.com"}).status_code == 302
    refused = client.post(RESET, {"email": "nobody-else@example.com"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.post("/fr/accounts/password/reset/", {"email": "x@example.com"}).status_code == 429
    assert HttpClient(REMOTE_ADDR="10.9.0.2").post(RESET, {"email": "x@example.com"}).status_code == 302


def test_one_person_gets_three_reset_emails_an_hour_whoever_asks() -> None:
    victim = UserFactory(email="victim@example.com")
    victim.set_password("lilac-orchard-58")
    victim.save()
    answers = [HttpClient(REMOTE_ADDR=f"10.9.1.{n}").post(RESET, {"email": "Victim@Example.com"})
               for n in range(RESET_MAILS_PER_HOUR + 4)]
    assert {a.status_code for a in answers} == {302}  # the page says the same every time
    assert len(mail.outbox) == RESET_MAILS_PER_HOUR
    assert {m.to[0] for m in mail.outbox} == {"victim@example.com"}
