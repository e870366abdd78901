"""In Chromium: turning two-factor sign-in on from the QR page, then signing in with a code, under the CSP."""

from __future__ import annotations

import time

import pytest
import time_machine

from pamper.tests.factories import UserFactory

from .otp import code_now, scan

PASSWORD = "lilac-orchard-58"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_turn_on_two_factor_and_sign_in_with_a_code(live_server, page) -> None:  # type: ignore[no-untyped-def]
    # The server runs in this process: moving its clock stands in for waiting for the app's next code.
    with time_machine.travel(time.time(), tick=True) as clock:
        journey(live_server, page, clock)


def journey(live_server, page, clock) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/two-factor/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/")
    qr = page.locator("#qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150  # big enough for a phone camera
    key = scan(page.content().encode())
    page.get_by_label("Code").fill(code_now(user, key=key))
    page.get_by_role("button", name="Turn on").click()
    page.locator("#recovery-codes").wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    assert page.locator("#two-factor-state").inner_text() == "On"

    clock.shift(30)  # the code used to turn it on cannot be used again
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/profile/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/login/code/**")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert "not right" in page.locator("form#code-form").inner_text()
    clock.shift(2)  # after a wrong code django-otp makes the device wait a second
    page.get_by_label("Code").fill(code_now(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/profile/")
    assert "Two-factor sign-in (on)" in page.locator("main").inner_text()
    assert not csp_errors, csp_errors
