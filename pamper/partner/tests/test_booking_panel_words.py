"""The booking panel speaks to the venue: a move the clinical pathway refuses keeps the Move form open with the
refusal worded about the client, who still reads their own wording. In the shared world, on its clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from pamper.bookings.models import Booking, BookingItem, Status
from pamper.tests.world import NOW, World, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    """The shared world's clock (Monday 2 March 2026 08:00 UTC), not this folder's May one."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _book(world: World, service, start: dt.datetime, status: str = Status.CONFIRMED) -> Booking:  # type: ignore[no-untyped-def]
    client = world.client_of(world.customer)
    end = start + dt.timedelta(minutes=service.duration_minutes)
    booking = Booking.objects.create(venue=world.venue, client=client, customer=world.customer, status=status,
                                     start=start, end=end, total_price=service.price, currency="GBP")
    BookingItem.objects.create(booking=booking, venue=world.venue, service=service, staff=world.staff, start=start,
                               end=end, busy_start=start, busy_end=end, price=service.price, currency="GBP")
    return booking


def _consultation_with_its_treatment_waiting(world: World) -> Booking:
    """Mesotherapy: the consultation Tue 3 March 10:00, the treatment waiting for it Wed 4 March 11:00."""
    from pamper.clinical import documents
    from pamper.clinical.models import QuestionnaireResponse

    QuestionnaireResponse.objects.create(client=world.client_of(world.customer),
                                         questionnaire=documents.current_questionnaire(world.meso), answers={},
                                         submitted_at=at(2, 7))
    consultation = _book(world, world.meso_consult, at(3, 10))
    _book(world, world.meso_service, at(4, 11), status=Status.AWAITING_PATCH_TEST)
    return consultation


def test_a_move_the_pathway_refuses_keeps_the_move_form_open_and_names_the_client(world: World) -> None:
    consultation = _consultation_with_its_treatment_waiting(world)
    client_name = consultation.client.name
    page = world.browser("owner").post(f"/partner/{world.venue.pk}/bookings/{consultation.pk}/move/",
                                       {"date": "2026-03-04", "time": "09:00", "staff": ""})
    html = page.content.decode()
    assert page.status_code == 422
    assert '<details open id="move-details">' in html
    assert f"{client_name}&#x27;s Mesotherapy on Wed 4 Mar 2026" in html or f"{client_name}'s Mesotherapy" in html
    assert "Your Mesotherapy" not in html
    german = world.browser("owner").post(f"/de/partner/{world.venue.pk}/bookings/{consultation.pk}/move/",
                                         {"date": "2026-03-04", "time": "09:00", "staff": ""}).content.decode()
    assert f"Die Behandlung Mesotherapy von {client_name} am" in german and "Ihre Behandlung" not in german
    consultation.refresh_from_db()
    assert consultation.start == at(3, 10)


def test_the_client_still_reads_the_refusal_addressed_to_them(world: World) -> None:
    consultation = _consultation_with_its_treatment_waiting(world)
    moved = world.api("customer").post(f"/api/v1/bookings/{consultation.pk}/reschedule",
                                       data=json.dumps({"start": at(4, 9).isoformat()}),
                                       content_type="application/json")
    assert moved.status_code == 422 and moved.json()["code"] == "patch_test_lead_time"
    assert moved.json()["message"].startswith("Your Mesotherapy on Wed 4 Mar 2026")
    assert "venue_message" not in moved.json()



def test_a_treatment_the_pathway_refuses_at_the_desk_tells_the_venue_what_it_can_do(world: World) -> None:
    """A venue booking mesotherapy in its own diary, with no consultation service for it, read the client's
    sentence: '... does not take that booking online: please contact the venue'. It now reads what to do."""
    from pamper.venues.models import Service

    Service.objects.filter(pk=world.meso_consult.pk).update(is_active=False)
    page = world.browser("owner").post(f"/partner/{world.venue.pk}/bookings/new/", {
        "name": "Walk In Wendy", "phone": "07700 900321", "service": world.meso_service.pk,
        "date": "2026-03-05", "time": "10:00"})
    html = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 422, html[-2000:]
    assert "add one under Services, then book the client's consultation" in html
    assert "please contact the venue" not in html


def test_the_partner_api_answers_the_venue_in_its_wording_too(world: World) -> None:
    """The workspace pages spoke to the venue; the partner API, which venues' own tools call, still answered
    'Your Mesotherapy ...' and '... please contact the venue'."""
    from pamper.accounts.models import ApiToken
    from pamper.venues.models import Service

    consultation = _consultation_with_its_treatment_waiting(world)
    _, raw = ApiToken.issue(world.owner, two_factor=True)
    api = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = world.browser("owner")
    moved = client.post(f"/api/v1/partner/venues/{world.venue.pk}/bookings/{consultation.pk}/move",
                        json.dumps({"start": at(4, 9).isoformat()}), **api)
    assert moved.status_code == 422 and moved.json()["code"] == "patch_test_lead_time", moved.content
    assert moved.json()["message"].startswith(f"{consultation.client.name}'s Mesotherapy on Wed 4 Mar 2026")
    Service.objects.filter(pk=world.meso_consult.pk).update(is_active=False)
    body = {"services": [world.meso_service.pk], "start": at(5, 10).isoformat(),
            "client": {"name": "Walk In Wendy", "phone": "07700 900321"}}
    booked = client.post(f"/api/v1/partner/venues/{world.venue.pk}/bookings", json.dumps(body), **api)
    assert booked.status_code == 422 and "add one under Services" in booked.json()["message"], booked.content
