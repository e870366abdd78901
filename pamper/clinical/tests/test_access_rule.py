"""One rule for whose health records a member may read and write, and the pages and the API agree on it.

Owners and managers: every client of their venue. Practitioners: the clients
they treat (a booking with them, as the workspace client list shows).
Reception and members of other venues: none. For every role and every client,
each page answers what the matching API route answers (200 vs 404), and
another venue's client is a 404 everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken, Role, User
from pamper.bookings.models import Booking
from pamper.clinical import actions
from pamper.clinical.models import ProgressPhoto
from pamper.tests.factories import BookingFactory, ClientFactory, StaffFactory, member
from pamper.venues.models import Client, Staff

from .conftest import NOW, World, image_bytes

pytestmark = pytest.mark.django_db

ROLES = ["owner", "manager", "practitioner", "colleague", "reception", "outsider"]
CLIENTS = ["treated", "untreated", "elsewhere"]
# Who may open which client's health record, by the rule: "colleague" is a second practitioner who treats "untreated".
EXPECTED = {
    "owner": {"treated", "untreated"}, "manager": {"treated", "untreated"}, "practitioner": {"treated"},
    "colleague": {"untreated"}, "reception": set(), "outsider": set(),
}


@dataclass
class Cast:
    world: World
    colleague: User
    clients: dict[str, Client]
    photos: dict[str, ProgressPhoto]
    consultations: dict[str, Booking]

    def browser(self, who: str) -> HttpClient:
        if who == "colleague":
            browser = HttpClient()
            browser.force_login(self.colleague)
            return browser
        return self.world.browser(who)

    def api(self, who: str) -> HttpClient:
        if who != "colleague":
            return self.world.api(who)
        return HttpClient(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.colleague)[1]}")


def _consultation(world: World, client: Client, staff: Staff) -> Booking:
    start = NOW + dt.timedelta(days=1, hours=2)
    return BookingFactory(client=client, status="confirmed", service=world.meso_consult, staff=staff, start=start)


@pytest.fixture
def cast(world: World) -> Cast:
    colleague = member(world.venue, Role.PRACTITIONER, email="colleague@example.com", name="Colleague")
    colleague_staff = StaffFactory(venue=world.venue, user=colleague, name="Dr Colleague",
                                   services=[world.meso_consult])
    clients = {
        "treated": ClientFactory(venue=world.venue, name="Tess Treated", email="tess@example.com"),
        "untreated": ClientFactory(venue=world.venue, name="Una Untreated", email="una@example.com"),
        "elsewhere": ClientFactory(venue=world.other_venue, name="Elsa Elsewhere", email="elsa@example.com"),
    }
    consultations = {"treated": _consultation(world, clients["treated"], world.staff),
                     "untreated": _consultation(world, clients["untreated"], colleague_staff)}
    photos = {key: actions.upload_photo(by=world.owner, client=clients[key], treatment=world.meso, data=image_bytes(),
                                        angle="front", now=NOW) for key in ("treated", "untreated")}
    return Cast(world=world, colleague=colleague, clients=clients, photos=photos, consultations=consultations)


def _seen(status: int) -> bool:
    assert status in (200, 302, 404), status  # anything else is neither an answer nor a refusal
    return status != 404


def _answers(cast: Cast, who: str, key: str) -> dict[str, bool]:
    """For one role and one client: does each page and each API route show (True) or hide (False) the record."""
    v, c = cast.world.venue.pk, cast.clients[key].pk
    browser, api = cast.browser(who), cast.api(who)
    course = {"treatment": cast.world.meso.pk, "planned_sessions": 6, "interval_days": 7}
    return {
        "page": _seen(browser.get(f"/partner/clinical/{v}/clients/{c}/").status_code),
        "api": _seen(api.get(f"/api/v1/clinical/venues/{v}/clients/{c}").status_code),
        "page_write": _seen(browser.post(f"/partner/clinical/{v}/clients/{c}/course/", course).status_code),
        "api_write": _seen(api.put(f"/api/v1/clinical/venues/{v}/clients/{c}/course",
                                   data=json.dumps({"treatment_id": cast.world.meso.pk, "planned_sessions": 6,
                                                    "interval_days": 7}),
                                   content_type="application/json").status_code),
    }


def _photo_answers(cast: Cast, who: str, key: str) -> dict[str, bool]:
    photo = cast.photos[key]
    return {
        "page": _seen(cast.browser(who).get(f"/partner/clinical/{cast.world.venue.pk}/photos/{photo.pk}/").status_code),
        "api": _seen(cast.api(who).get(f"/api/v1/clinical/photos/{photo.pk}").status_code),
    }


@pytest.mark.parametrize("who", ROLES)
def test_pages_and_api_give_the_same_answer_for_every_client(cast: Cast, who: str) -> None:
    for key in CLIENTS:
        answers = _answers(cast, who, key)
        expected = key in EXPECTED[who]
        assert answers == dict.fromkeys(answers, expected), (who, key, answers)
        if key != "elsewhere":
            assert _photo_answers(cast, who, key) == {"page": expected, "api": expected}, (who, key)


@pytest.mark.parametrize("who", ["owner", "manager", "practitioner", "colleague"])
def test_the_workspace_client_pages_show_exactly_the_readable_clients(cast: Cast, who: str) -> None:
    v = cast.world.venue.pk
    browser = cast.browser(who)
    listing = browser.get(f"/partner/{v}/clients/").content.decode()
    worklist = browser.get(f"/partner/clinical/{v}/").content.decode()
    for key in CLIENTS:
        client = cast.clients[key]
        expected = key in EXPECTED[who]
        workspace = _seen(browser.get(f"/partner/{v}/clients/{client.pk}/").status_code)
        clinical = _seen(browser.get(f"/partner/clinical/{v}/clients/{client.pk}/").status_code)
        assert workspace == clinical == expected, (who, key, workspace, clinical)
        assert (client.name in listing) == expected and (client.name in worklist) == expected, (who, key)


@pytest.mark.parametrize("who", ["practitioner", "colleague"])
def test_records_reached_by_their_own_id_follow_the_same_rule(cast: Cast, who: str) -> None:
    """A patch test recorded against another practitioner's consultation booking is a 404, like its client."""
    mine = "treated" if who == "practitioner" else "untreated"
    theirs = "untreated" if mine == "treated" else "treated"
    body = {"treatment_id": cast.world.meso.pk, "booking_id": cast.consultations[theirs].pk, "outcome": "passed",
            "read_at": NOW.isoformat()}
    refused = cast.api(who).post(f"/api/v1/clinical/venues/{cast.world.venue.pk}/patch-tests", data=json.dumps(body),
                                 content_type="application/json")
    assert refused.status_code == 404 and not cast.clients[theirs].consultations.exists()
    assert not cast.clients[mine].consultations.exists()
    # A reaction is lifted by its consultation's id: only for one's own client.
    answers = {}
    for key in (mine, theirs):
        Client.objects.filter(pk=cast.clients[key].pk).update(created_at=NOW - dt.timedelta(days=3))
        cast.clients[key].refresh_from_db()
        reaction = actions.record_patch_test(by=cast.world.owner, venue=cast.world.venue, treatment=cast.world.hair,
                                             outcome="reaction", client=cast.clients[key], now=NOW,
                                             applied_at=NOW - dt.timedelta(days=2), read_at=NOW - dt.timedelta(hours=2))
        url = f"/api/v1/clinical/venues/{cast.world.venue.pk}/patch-tests/{reaction.consultation.pk}/clear"
        answers[key] = cast.api(who).post(url, data=json.dumps({"reason": "Reviewed with the client."}),
                                          content_type="application/json").status_code
    assert answers == {mine: 200, theirs: 404}
    assert cast.clients[theirs].consultations.get().blocks_booking


def test_another_venues_client_is_404_with_its_own_venue_id_too(cast: Cast) -> None:
    other, c = cast.world.other_venue.pk, cast.clients["elsewhere"].pk
    for who in ("owner", "manager", "practitioner", "reception"):
        assert cast.browser(who).get(f"/partner/clinical/{other}/clients/{c}/").status_code == 404
        assert cast.api(who).get(f"/api/v1/clinical/venues/{other}/clients/{c}").status_code == 404
        assert cast.browser(who).get(f"/partner/{other}/clients/{c}/").status_code == 404
