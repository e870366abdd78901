"""Issue 13, point 6: a venue cannot escape the clinical pathway by editing a service.

Changing a service's kind, or relinking it to a treatment with weaker prerequisites, is refused
while it has bookings to come; otherwise it needs the owner and a reason and lands in the audit
log. The same rule runs on every path that edits a service: the venues action, the partner
pages, the partner API and the admin.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pamper.accounts.models import User
from pamper.bookings.models import Booking
from pamper.errors import Refusal
from pamper.tests.factories import BookingFactory
from pamper.venues import actions as venue_actions
from pamper.venues.models import AuditEntry, Service, ServiceKind
from pamper.venues.rules import weakened_rules

from .conftest import World, at


def _book(world: World, service: Service, start: dt.datetime) -> Booking:
    """A confirmed booking of `service` for the customer at `start`."""
    return BookingFactory(client=world.client_of(world.customer), customer=world.customer, status="confirmed",
                          service=service, staff=world.staff, start=start)


def _state(service: Service) -> tuple[str, int]:
    service.refresh_from_db()
    return service.kind, service.treatment_id


def _api_patch(world: World, who: str, service: Service, body: dict[str, Any]) -> Any:
    return world.api(who).patch(f"/api/v1/partner/venues/{world.venue.pk}/services/{service.pk}",
                                data=json.dumps(body), content_type="application/json")


def _page_post(world: World, who: str, service: Service, **changes: Any) -> Any:
    data = {"treatment": service.treatment_id, "kind": service.kind, "name": service.name, "variant": "",
            "description": "", "price": str(service.price), "duration_minutes": service.duration_minutes,
            "buffer_before": 0, "buffer_after": 0, "online_bookable": "on", "is_active": "on", "position": 0,
            "staff": [world.staff.pk], **changes}
    return world.browser(who).post(f"/partner/{world.venue.pk}/services/{service.pk}/", data)


def _admin_post(world: World, service: Service, **changes: Any) -> Any:
    admin_user = User.objects.filter(email="operator@example.com").first() or User.objects.create_superuser(
        email="operator@example.com", password=None)
    browser = world.browser("owner")
    browser.force_login(admin_user)
    data = {"venue": world.venue.pk, "treatment": service.treatment_id, "kind": service.kind, "name": service.name,
            "description": "", "variant": "", "price": str(service.price), "currency": "GBP",
            "duration_minutes": service.duration_minutes, "buffer_before": 0, "buffer_after": 0, "resource": "",
            "online_bookable": "on", "is_active": "on", "position": 0, **changes}
    return browser.post(f"/admin/venues/service/{service.pk}/change/", data)


def _action(world: World, service: Service, by: User, reason: str = "", **changes: Any) -> Service:
    values = {"treatment": service.treatment, "name": service.name, "price": service.price,
              "duration_minutes": service.duration_minutes, "kind": service.kind, **changes}
    return venue_actions.save_service(venue=world.venue, service=service, by=by, reason=reason, **values)


# ------------------------------------------------------------------ the one comparison


def test_the_comparison_finds_every_weaker_rule(world: World) -> None:
    meso_treatment = world.meso_service.rules()
    as_consultation = Service(venue=world.venue, treatment=world.meso, kind=ServiceKind.CONSULTATION).rules()
    assert weakened_rules(meso_treatment, as_consultation)  # kind changed: its bookings would skip every check
    assert weakened_rules(world.meso_consult.rules(), world.meso_service.rules())  # and back, either way
    assert weakened_rules(meso_treatment, world.facial_service.rules())  # no consultation, no patch test
    assert weakened_rules(world.meso_service.rules(), world.hair_service.rules())  # no consultation required
    assert weakened_rules(world.hair_consult.rules(), world.meso_consult.rules())  # consultations would count for meso
    longer_validity = world.meso_service.rules().__class__(**{**vars(meso_treatment), "validity_days": 365,
                                                              "treatment_id": 0})
    assert weakened_rules(meso_treatment, longer_validity) == ["a patch test for Mesotherapy counts for longer"]
    # Strengthening is not weakening: a facial relinked to a treatment with a pathway, or a longer wait.
    assert weakened_rules(world.facial_service.rules(), world.meso_service.rules()) == []
    assert weakened_rules(world.facial_service.rules(), world.facial_service.rules()) == []


# ------------------------------------------------------------------ refused with bookings to come, on every path


def test_weakening_a_service_with_bookings_to_come_is_refused_on_every_path(world: World) -> None:
    _book(world, world.meso_service, at(5, 10))
    before = _state(world.meso_service)
    reason = {"reason": "We no longer patch test."}

    for body in ({"kind": "consultation"}, {"treatment_id": world.facial.pk}, {"treatment_id": world.hair.pk}):
        answer = _api_patch(world, "owner", world.meso_service, {**body, **reason})
        assert answer.status_code == 422, (body, answer.content)
        assert answer.json()["code"] == "service_rules_weakened"
        assert _state(world.meso_service) == before

    page = _page_post(world, "owner", world.meso_service, kind="consultation",
                      rules_change_reason="We no longer patch test.")
    assert page.status_code == 400
    assert "has bookings to come" in page.content.decode()
    assert _state(world.meso_service) == before

    with pytest.raises(Refusal) as refused:
        _action(world, world.meso_service, world.owner, reason="We no longer patch test.", treatment=world.facial)
    assert refused.value.status == 422 and refused.value.code == "service_rules_weakened"
    assert _state(world.meso_service) == before

    admin = _admin_post(world, world.meso_service, kind="consultation", rules_change_reason="We no longer patch test.")
    assert admin.status_code == 200  # the form again, with the refusal
    assert "has bookings to come" in admin.content.decode()
    assert _state(world.meso_service) == before
    assert not AuditEntry.objects.exists()


def test_a_consultation_service_with_bookings_to_come_cannot_become_a_treatment_or_change_treatment(
        world: World) -> None:
    _book(world, world.meso_consult, at(5, 10))
    before = _state(world.meso_consult)
    for body in ({"kind": "treatment"}, {"treatment_id": world.hair.pk}):
        answer = _api_patch(world, "owner", world.meso_consult, {**body, "reason": "Reorganising our menu."})
        assert answer.status_code == 422 and answer.json()["code"] == "service_rules_weakened"
    assert _state(world.meso_consult) == before


def test_a_past_or_cancelled_booking_does_not_hold_the_service(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    past = _book(world, world.meso_service, at(2, 10))
    cancelled = _book(world, world.meso_service, at(6, 10))
    cancelled.status = "cancelled"
    cancelled.save()
    cancelled.items.update(active=False)
    frozen.move_to(at(3, 8))
    assert past.end < at(3, 8)
    answer = _api_patch(world, "owner", world.meso_service, {"kind": "consultation", "reason": "Now a consultation."})
    assert answer.status_code == 200, answer.content
    assert _state(world.meso_service)[0] == "consultation"


# ------------------------------------------------------------------ without bookings: the owner, with a reason, logged


def test_a_manager_cannot_weaken_a_service_even_without_bookings(world: World) -> None:
    before = _state(world.meso_service)
    answer = _api_patch(world, "manager", world.meso_service, {"kind": "consultation", "reason": "Menu change."})
    assert answer.status_code == 403 and answer.json()["code"] == "owner_required"
    page = _page_post(world, "manager", world.meso_service, treatment=world.facial.pk,
                      rules_change_reason="Menu change.")
    assert page.status_code == 400 and "Only the venue&#x27;s owner" in page.content.decode()
    with pytest.raises(Refusal) as refused:
        _action(world, world.meso_service, world.manager, reason="Menu change.", kind="consultation")
    assert refused.value.status == 403
    assert _state(world.meso_service) == before
    assert not AuditEntry.objects.exists()


def test_the_owner_weakens_a_service_with_a_reason_and_it_is_logged(world: World) -> None:
    no_reason = _api_patch(world, "owner", world.meso_service, {"kind": "consultation"})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reason_required"
    assert _state(world.meso_service)[0] == "treatment"

    answer = _api_patch(world, "owner", world.meso_service, {"kind": "consultation", "reason": "Now a consultation."})
    assert answer.status_code == 200, answer.content
    assert answer.json()["kind"] == "consultation"
    entry = AuditEntry.objects.get()
    assert (entry.venue, entry.actor, entry.actor_role, entry.action) == (world.venue, world.owner, "owner",
                                                                          "service_rules_weakened")
    assert (entry.object_type, entry.object_id, entry.reason) == ("service", world.meso_service.pk,
                                                                   "Now a consultation.")
    assert entry.changes["before"]["kind"] == "treatment" and entry.changes["after"]["kind"] == "consultation"
    assert entry.at == at(2, 8)

    page = _page_post(world, "owner", world.hair_service, treatment=world.facial.pk,
                      rules_change_reason="We stopped colouring.")
    assert page.status_code == 302, page.content
    assert _state(world.hair_service)[1] == world.facial.pk
    logged = AuditEntry.objects.order_by("id").last()
    assert logged is not None and logged.object_id == world.hair_service.pk and logged.reason == "We stopped colouring."


def test_the_admin_needs_a_reason_and_logs_the_operator(world: World) -> None:
    refused = _admin_post(world, world.meso_service, kind="consultation")
    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    assert _state(world.meso_service)[0] == "treatment"
    done = _admin_post(world, world.meso_service, kind="consultation", rules_change_reason="Asked by the owner.")
    assert done.status_code == 302
    assert _state(world.meso_service)[0] == "consultation"
    entry = AuditEntry.objects.get()
    assert entry.actor_role == "operator" and entry.reason == "Asked by the owner."


# ------------------------------------------------------------------ strengthening and plain edits stay easy


def test_strengthening_or_plain_edits_are_allowed_for_a_manager_with_bookings_to_come(world: World) -> None:
    _book(world, world.facial_service, at(5, 10))
    _book(world, world.meso_service, at(5, 12))
    price = _api_patch(world, "manager", world.meso_service, {"price": "160", "name": "Mesotherapy, legs"})
    assert price.status_code == 200, price.content
    stronger = _api_patch(world, "manager", world.facial_service, {"treatment_id": world.meso.pk})
    assert stronger.status_code == 200, stronger.content
    assert _state(world.facial_service)[1] == world.meso.pk
    page = _page_post(world, "manager", world.hair_service, treatment=world.meso.pk)  # 48 h wait -> consultation + 24 h
    assert page.status_code == 400  # meso needs a consultation hair did not, but its wait is shorter: weaker
    assert not AuditEntry.objects.exists()
