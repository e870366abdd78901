"""One venue with everything a person can type into it, built through the apps' actions.

`build_world()` makes (with pamper/tests/factories.py, then the apps' actions) a
published clinic with an owner, a practitioner, a receptionist and a customer;
services, a room, staff, shifts, a closure, time off; a past attended booking
with a review, a reply and a report; an upcoming online booking with notes; a
walk-in client with a booking; a full clinical record (questionnaire, consent,
patch test, session, check-in, photo); an API token, an invitation and a
calendar feed.

`plant(world)` then overwrites every free-text field of every row (see
`text_fields()`) with a hostile payload that names its field, so a page that
shows the field shows the payload.

Wednesday 4 March 2026 08:00 UTC (London is on GMT) is "now".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from pamper.accounts import actions as account_actions
from pamper.accounts.models import ApiToken, Invitation, Membership, Role, User
from pamper.bookings import actions as booking_actions
from pamper.bookings import attendance
from pamper.bookings.models import Booking, Source
from pamper.catalog.models import Category, Treatment
from pamper.clinical import actions as clinical_actions
from pamper.clinical import documents
from pamper.clinical.crypto import EncryptedJSONField
from pamper.clinical.models import Consultation, Course, ProgressPhoto, QuestionnaireResponse, TreatmentSession
from pamper.gallery import actions as gallery_actions
from pamper.gallery.models import Photo
from pamper.notifications import actions as notification_actions
from pamper.notifications.models import CalendarFeed
from pamper.payments.models import GiftCard
from pamper.practitioners import actions as credential_actions
from pamper.practitioners.models import Credential, Kind
from pamper.reviews import actions as review_actions
from pamper.reviews.models import Review, ReviewReport
from pamper.tests.factories import (
    CategoryFactory,
    ContraindicationFactory,
    MembershipFactory,
    ResourceFactory,
    ServiceFactory,
    StaffFactory,
    TreatmentFactory,
    UserFactory,
    VenueFactory,
)
from pamper.venues import actions as venue_actions
from pamper.venues.models import (
    Client,
    Closure,
    OpeningHours,
    Resource,
    Service,
    ServiceKind,
    Shift,
    Staff,
    TimeOff,
    Venue,
)
from pamper.waitlist.models import Entry

NOW = dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC)

# The attacks planted in every field: markup, an event handler breaking out of an
# attribute, template syntax and SQL.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
SQL = "'; DROP TABLE x;--"
SHORT = '"><b onclick=x>'  # for fields too short for the others (postcode: 20)

# Pamper apps whose rows hold text people type. The catalogue is the operator's
# reviewed content (TOML files in the repository), search rows are derived.
PLANTED_APPS = ("accounts", "venues", "bookings", "clinical", "reviews", "notifications", "partner")
# Text fields the software sets, never a person: hashes, codes, file names, generated text.
MACHINE_SET = {
    "accounts.ApiToken": {"key_hash", "prefix"},
    "accounts.Invitation": {"token_hash"},
    "accounts.User": {"password"},
    "bookings.Booking": {"currency"},
    "bookings.BookingItem": {"currency"},
    "bookings.IdempotencyRecord": {"key", "request_hash"},
    "clinical.ConsentText": {"body"},  # generated from the catalogue (clinical.documents)
    "clinical.PathwayOverride": {"rule"},
    "clinical.ProgressPhoto": {"storage_name", "content_type"},
    "clinical.AccessLog": {"role", "record_type"},
    "notifications.Message": {"occasion", "last_error", "subject"},
    "notifications.CalendarFeed": {"token_hash", "prefix"},
    "venues.Venue": {"timezone", "currency", "country"},
    "venues.Service": {"currency", "variant"},  # variant: a catalogue word, checked against the catalogue
}


@dataclass
class World:
    venue: Venue
    facial: Treatment
    meso: Treatment
    category: Category
    owner: User
    practitioner: User
    reception: User
    customer: User
    reporter: User
    staff: Staff
    facial_service: Service
    meso_service: Service
    room: Resource
    client: Client
    walk_in: Client
    past: Booking
    upcoming: Booking
    walk_in_booking: Booking
    review: Review
    invitation: Invitation
    invitation_raw: str
    token: ApiToken
    feed: CalendarFeed
    feed_raw: str
    photo: ProgressPhoto
    session: TreatmentSession
    credential: Credential
    gallery_photo: Photo
    waitlist_entry: Entry
    gift_card: GiftCard
    markers: dict[str, str] = field(default_factory=dict)  # "app.Model.field" -> marker

    def users(self) -> dict[str, User | None]:
        return {"anonymous": None, "customer": self.customer, "owner": self.owner,
                "practitioner": self.practitioner, "reception": self.reception}

    def url_values(self) -> dict[str, list[str]]:
        """Values for every URL keyword the site's routes use (several where it matters)."""
        course = Course.objects.filter(venue=self.venue).first()
        consultation = Consultation.objects.filter(venue=self.venue).first()
        response = QuestionnaireResponse.objects.filter(client__venue=self.venue).first()
        ids = {
            "venue_id": [self.venue], "booking_id": [self.past, self.upcoming, self.walk_in_booking],
            "client_id": [self.client, self.walk_in], "staff_id": [self.staff], "service_id": [self.facial_service],
            "resource_id": [self.room], "shift_id": [Shift.objects.filter(staff=self.staff).first()],
            "time_off_id": [TimeOff.objects.filter(staff=self.staff).first()],
            "hours_id": [OpeningHours.objects.filter(venue=self.venue).first()],
            "closure_id": [Closure.objects.filter(venue=self.venue).first()],
            "invitation_id": [self.invitation], "membership_id": [Membership.objects.get(user=self.reception)],
            "token_id": [self.token], "feed_id": [self.feed], "review_id": [self.review], "session_id": [self.session],
            "photo_id": [self.photo], "course_id": [course], "treatment_id": [self.meso],
            "consultation_id": [consultation], "response_id": [response], "credential_id": [self.credential],
            "card_id": [self.gift_card],
        }
        values = {name: [str(row.pk) for row in rows if row is not None] for name, rows in ids.items()}
        values["uidb64"] = [urlsafe_base64_encode(force_bytes(self.customer.pk))]
        return values


def _image(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 120)).save(out, "JPEG")
    return out.getvalue()


def _catalogue() -> tuple[Category, Treatment, Treatment]:
    category = CategoryFactory(slug="skin", name="Skin")
    flag = ContraindicationFactory(slug="pregnancy", label="Pregnant", question="Are you pregnant?")
    common = {"category": category, "price_from": Decimal(40), "price_to": Decimal(90), "side_effects": ["Redness"],
              "aftercare": ["Keep it clean."]}
    facial = TreatmentFactory(slug="facial", name="Facial", summary="A facial.", session_minutes=60, **common)
    meso = TreatmentFactory(slug="mesotherapy", name="Mesotherapy", summary="Micro-injections.", session_minutes=30,
                            course_sessions=4, course_interval_days=7, patch_test_lead_hours=24,
                            patch_test_validity_days=180, contraindications=[flag], **common)
    return category, facial, meso


def _venue() -> tuple[Venue, Resource, Service, Service, Staff]:
    venue = VenueFactory(
        name="Hostile Clinic", slug="hostile-clinic", kind="clinic", description="About us.", address="1 High Street",
        city="London", postcode="N1 1AA", country="GB", latitude=51.5074, longitude=-0.1278, timezone="Europe/London",
        currency="GBP", phone="020 7946 0000", email="clinic@example.com", hours=("09:00", "18:00"),
    )
    room = ResourceFactory(venue=venue, name="Room one")
    return venue, room, *_services(venue, room)


def _services(venue: Venue, room: Resource) -> tuple[Service, Service, Staff]:
    facial = ServiceFactory(venue=venue, treatment=Treatment.objects.get(slug="facial"), name="Deep facial",
                            description="Cleansing.", price=Decimal("60"), currency="GBP", duration_minutes=60,
                            resource=room)
    meso = ServiceFactory(venue=venue, treatment=Treatment.objects.get(slug="mesotherapy"), name="Meso body",
                          description="Body.", kind=ServiceKind.TREATMENT, price=Decimal("150"), currency="GBP",
                          duration_minutes=30)
    staff = StaffFactory(venue=venue, name="Ada Lovelace", title="Nurse", bio="Ten years.", services=[facial, meso],
                         shifts=[("09:00", "18:00")])
    return facial, meso, staff


def _people(venue: Venue, staff: Staff) -> dict[str, User]:
    """Unusable passwords (no hashing): tests sign them in with force_login or set a password themselves."""
    people = {key: UserFactory(email=f"{key}@example.com", name=f"{key.title()} Person")
              for key in ("owner", "practitioner", "reception", "customer", "reporter")}
    for key, role in (("owner", Role.OWNER), ("practitioner", Role.PRACTITIONER), ("reception", Role.RECEPTION)):
        MembershipFactory(user=people[key], venue=venue, role=role)
    staff.user = people["practitioner"]
    staff.save(update_fields=["user"])
    return people


def _at(days: int, hour: int) -> dt.datetime:
    return (NOW + dt.timedelta(days=days)).replace(hour=hour, minute=0)


def _bookings(venue: Venue, staff: Staff, service: Service, customer: User) -> tuple[Booking, Booking, Client, Booking]:
    past = booking_actions.book_visit(venue=venue, services=[service], start=_at(-2, 10), customer=customer,
                                      staff=staff, source=Source.PARTNER, notes="Quiet room please.", now=_at(-3, 9))
    attendance.mark_attended(booking=past, now=NOW)
    upcoming = booking_actions.book_visit(venue=venue, services=[service], start=_at(1, 10), customer=customer,
                                          staff=staff, notes="Running late maybe.", now=NOW)
    walk_in = Client.objects.create(venue=venue, name="Walk In", phone="07700 900123", notes="Prefers mornings.")
    walk_in_booking = booking_actions.book_visit(venue=venue, services=[service], start=_at(1, 14), client=walk_in,
                                                 staff=staff, source=Source.PARTNER, notes="Phoned in.", now=NOW)
    return past, upcoming, walk_in, walk_in_booking


def _clinical(venue: Venue, meso: Treatment, customer: User,
              practitioner: User) -> tuple[TreatmentSession, ProgressPhoto]:
    questionnaire = documents.current_questionnaire(meso)
    answers = {q["slug"]: (False if q["kind"] == "yesno" else "None that I know of.") for q in questionnaire.questions}
    answers[questionnaire.yesno_slugs()[0]] = True  # flagged: a practitioner reviews it with a note
    response = clinical_actions.submit_questionnaire(user=customer, venue=venue, treatment=meso, answers=answers,
                                                     version=None, now=NOW)
    clinical_actions.review_questionnaire(by=practitioner, response=response, decision="cleared",
                                          note="Checked with GP.", now=NOW)
    client = response.client
    # Known to the venue for a month: the records below may date from then (a clinical time never predates its record).
    Client.objects.filter(pk=client.pk).update(created_at=NOW - dt.timedelta(days=30))
    client.refresh_from_db()
    clinical_actions.sign_consent(user=customer, client=client, treatment=meso, version=None,
                                  typed_name="Customer Person", now=NOW)
    clinical_actions.record_patch_test(by=practitioner, venue=venue, treatment=meso, outcome="passed",
                                       read_at=NOW - dt.timedelta(hours=1), client=client,
                                       applied_at=NOW - dt.timedelta(days=2), product="Serum", batch="B1",
                                       notes="No reaction.", now=NOW)
    session = clinical_actions.record_session(by=practitioner, client=client, treatment=meso,
                                              performed_at=NOW - dt.timedelta(days=3), notes="Went well.", now=NOW,
                                              late_reason="Typed up from the paper notes.")
    clinical_actions.submit_checkin(user=customer, session=session, side_effect=True, note="A little sore.", now=NOW)
    photo = clinical_actions.upload_photo(by=practitioner, client=client, treatment=meso, data=_image(),
                                          angle="front", session=session, now=NOW)
    return session, photo


def build_world() -> World:
    category, facial, meso = _catalogue()
    venue, room, facial_service, meso_service, staff = _venue()
    people = _people(venue, staff)
    past, upcoming, walk_in, walk_in_booking = _bookings(venue, staff, facial_service, people["customer"])
    review = review_actions.submit_review(user=people["customer"], booking_id=past.pk, text="Lovely visit.",
                                          stars=review_actions.Stars(overall=5, ambience=4), now=NOW)
    review_actions.reply_to_review(user=people["owner"], review_id=review.pk, text="Thank you!", now=NOW)
    ReviewReport.objects.create(review=review, reporter=people["reporter"], reason="other", note="Odd.", created_at=NOW)
    venue_actions.add_closure(venue=venue, start_date=dt.date(2026, 4, 6), end_date=dt.date(2026, 4, 6),
                              reason="Bank holiday")
    venue_actions.add_time_off(staff=staff, start=_at(10, 9), end=_at(10, 18), reason="Training")
    session, photo = _clinical(venue, meso, people["customer"], people["practitioner"])
    invitation, invitation_raw = account_actions.invite_member(venue=venue, email="new.hire@example.com",
                                                               role=Role.RECEPTION, invited_by=people["owner"], now=NOW)
    token, _ = ApiToken.issue(people["customer"], name="My script")
    feed, feed_raw = notification_actions.issue_feed(user=people["owner"], scope="customer", staff=None, now=NOW)
    credential = credential_actions.record_credential(venue=venue, staff=staff, by=people["owner"], kind=Kind.INSURANCE,
                                                      body="Hostile Insurers", number="POL-1",
                                                      valid_until=NOW.date() + dt.timedelta(days=200), now=NOW)
    gallery_photo = gallery_actions.add_photo(venue=venue, data=_image((640, 480)), alt_text="The treatment room")
    # Written directly: joining refuses while a suitable time is free, and the world's diary has free times.
    entry = Entry.objects.create(customer=people["customer"], venue=venue, service=facial_service,
                                 first_day=NOW.date() + dt.timedelta(days=3),
                                 last_day=NOW.date() + dt.timedelta(days=9),
                                 created_at=NOW)
    gift_card = GiftCard.objects.create(code="PMP-HOSTILE-0001", venue=venue, currency="GBP", initial=5000,
                                        balance=5000, buyer_email=people["customer"].email,
                                        recipient_email="friend@example.com", recipient_name="A friend",
                                        message="Enjoy", intent_id="pi_hostile_gift",
                                        expires_at=NOW + dt.timedelta(days=365), created_at=NOW)
    venue_actions.reindex(venue.pk)
    return World(gift_card=gift_card, credential=credential, gallery_photo=gallery_photo, waitlist_entry=entry,
                 venue=venue, facial=facial, meso=meso, category=category, staff=staff, facial_service=facial_service,
                 meso_service=meso_service, room=room, client=Client.objects.get(venue=venue, user=people["customer"]),
                 walk_in=walk_in, past=past, upcoming=upcoming, walk_in_booking=walk_in_booking, review=review,
                 invitation=invitation, invitation_raw=invitation_raw, token=token, feed=feed, feed_raw=feed_raw,
                 photo=photo, session=session, **people)


# ------------------------------------------------------------------ planting


def is_free_text(model: type[models.Model], f: models.Field) -> bool:
    """A CharField/TextField a person types: not a choice, slug, email, URL or machine-set value."""
    if not isinstance(f, models.CharField | models.TextField) or f.choices:
        return False
    if isinstance(f, models.SlugField | models.EmailField | models.URLField | EncryptedJSONField):
        return False  # encrypted JSON holds structured answers: plant() fills their text parts
    return f.name not in MACHINE_SET.get(model._meta.label, set())


def text_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every free-text field of the planted apps' models, in a stable order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pamper.") or config.label not in PLANTED_APPS:
            continue
        for model in config.get_models():
            found += [(model, f) for f in model._meta.concrete_fields if is_free_text(model, f)]
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def payload(marker: str, limit: int | None) -> str:
    """The longest attack that fits `limit`, led by `marker` so a page can be traced to the field."""
    full = f"{marker}{TEMPLATE}{SCRIPT}{IMG}{SQL}"
    for value in (full, f"{marker}{TEMPLATE}{SCRIPT}", f"{marker}{IMG}", f"{marker}{SHORT}"):
        if limit is None or len(value) <= limit:
            return value
    raise AssertionError(f"no payload fits {limit} characters")


def plant(world: World) -> dict[str, str]:
    """Overwrite every free-text field (and the text answers inside encrypted JSON) with its payload.

    Returns {"app.Model.field": value}. Markers are "zq<n>q" so none is a prefix of another.
    """
    planted: dict[str, str] = {}
    for n, (model, f) in enumerate(text_fields()):
        value = payload(f"zq{n}q", f.max_length)
        model._default_manager.update(**{f.name: value})
        planted[f"{model._meta.label}.{f.name}"] = value
    answer = payload("zqanswerq", None)
    for response in QuestionnaireResponse.objects.all():
        response.answers = {k: (answer if isinstance(v, str) else v) for k, v in response.answers.items()}
        response.save(update_fields=["answers"])
    planted["clinical.QuestionnaireResponse.answers"] = answer
    checkin = payload("zqcheckinq", None)
    for session in TreatmentSession.objects.exclude(checkin_answer=None):
        session.checkin_answer = {**session.checkin_answer, "note": checkin}
        session.save(update_fields=["checkin_answer"])
    planted["clinical.TreatmentSession.checkin_answer"] = checkin
    world.markers = {key: value[: value.index("q", 2) + 1] for key, value in planted.items()}
    for key in ("owner", "practitioner", "reception", "customer", "reporter"):
        getattr(world, key).refresh_from_db()
    return planted


def password_reset_token(user: User) -> str:
    return default_token_generator.make_token(user)
