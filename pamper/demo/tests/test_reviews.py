"""Demo reviews: believable, varied, deterministic, fast, and the ratings add up."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Avg, Count, F

from pamper.bookings.models import Booking, BookingItem, Status
from pamper.demo import review_rows
from pamper.demo import review_text as demo_text
from pamper.demo.reviews import generate_reviews
from pamper.demo.tests.fresh_process import run_in_fresh_process
from pamper.reviews import ratings
from pamper.reviews.models import Review, TreatmentRating, VenueRating
from pamper.reviews.tests import factories as f
from pamper.venues.models import Client, Venue

NEGATIVE = ("disappointed", "let down", "Unfortunately", "Sadly", "was rushed", "bit rushed", "Overpriced",
            "Not very clean", "uninterested", "won't be")
POSITIVE = ("lovely", "Spotlessly", "Worth every penny", "recommend.", "fantastic", "Immaculate", "Delighted",
            "Big thanks")


def test_text_agrees_with_the_stars() -> None:
    rng = random.Random(7)
    for stars, banned in ((5, NEGATIVE), (1, POSITIVE)):
        for _ in range(400):
            r = demo_text.write_review(rng, overall=stars, treatment="Gel manicure", staff="Maria", venue="Rose Rooms")
            assert not [w for w in banned if w in r.text], (stars, r.text)
            assert all(a is None or abs(a - stars) <= 1 for a in (r.ambience, r.cleanliness, r.staff, r.value))


def test_text_mentions_the_treatment_and_varies() -> None:
    rng = random.Random(3)
    texts = [demo_text.write_review(rng, overall=4, treatment="HydraFacial", staff="Maria", venue="V").text
             for _ in range(300)]
    written = [t for t in texts if t]
    assert len(set(written)) > 0.9 * len(written)
    assert sum("HydraFacial" in t for t in written) == len(written)  # brand names keep their capitals
    for text in written:
        sentences = [s for s in text.split(". ") if s]
        assert len(sentences) == len(set(sentences)), text
    assert demo_text.in_sentence("Gel manicure") == "gel manicure"
    assert demo_text.in_sentence("IPL hair removal") == "IPL hair removal"


def test_verbs_agree_with_plural_treatment_names() -> None:
    assert demo_text.is_plural("Eyelash extensions") and not demo_text.is_plural("Microdermabrasion")
    assert not demo_text.is_plural("Lash lift") and not demo_text.is_plural("Gel manicure")
    rng, seen_were = random.Random(11), False
    for stars in (1, 3, 5) * 200:
        text = demo_text.write_review(rng, overall=stars, treatment="Eyelash extensions", staff="Ivy", venue="V").text
        assert "The eyelash extensions was" not in text, text
        seen_were = seen_were or "The eyelash extensions were" in text
    assert seen_were


@pytest.fixture
def venues(db: None) -> list[Venue]:
    return make_venues()


def make_venues() -> list[Venue]:
    made = []
    treatments = [f.treatment(name=n) for n in ("Gel manicure", "Deep tissue massage", "HydraFacial")]
    for i in range(12):
        v = f.venue(name=f"Studio {i}", slug=f"studio-{i}")
        staff = [f.staff(v, name=n) for n in ("Dr Leila Haddad", "Maria Lopez")]
        for t in treatments:
            svc = f.service(v, t)
            svc.staff.set(staff)
        f.member(v)
        made.append(v)
    f.venue(name="Empty Shell", slug="empty-shell")  # no staff, no services: skipped
    return made


def snapshot() -> list[tuple]:
    rows = Review.objects.order_by("venue__slug", "visited_at")
    return list(rows.values_list("venue__slug", "overall", "text", "reply_text"))


def test_generated_reviews_and_their_ratings(venues: list[Venue]) -> None:
    report = generate_reviews(seed=5, per_venue=(3, 20))
    assert report.venues == 12 and report.skipped == 1
    assert report.reviews == Review.objects.count() >= 36 and report.replies > 0
    assert Review.objects.filter(booking__status=Status.ATTENDED).count() == report.reviews
    assert not Review.objects.exclude(customer=F("booking__customer")).exists()
    assert not Review.objects.exclude(venue=F("booking__venue")).exists()
    for venue in Venue.objects.filter(slug__startswith="studio-"):
        mine = Review.objects.filter(venue=venue)
        stats = mine.aggregate(n=Count("id"), avg=Avg("overall"))
        assert venue.review_count == stats["n"] >= 3
        assert venue.rating_avg == Decimal(str(stats["avg"])).quantize(Decimal("0.01"))
        rating = VenueRating.objects.get(venue=venue)
        assert rating.count == stats["n"] and sum(c for _, c, _ in rating.distribution()) == stats["n"]
        assert sum(TreatmentRating.objects.filter(venue=venue).values_list("count", flat=True)) == stats["n"]
        assert mine.values("customer").distinct().count() == stats["n"]  # one review per person per venue
    staff_named = Review.objects.exclude(text="").filter(text__contains="Leila").count()
    assert staff_named > 0 and not Review.objects.filter(text__contains="Dr ").exists()


@pytest.mark.parametrize("bulk_load", [False, True])
def test_the_ratings_are_those_the_reviews_engine_computes(venues: list[Venue], bulk_load: bool) -> None:
    """PostgreSQL sums the ratings up in SQL, SQLite in Python: both as ratings.summarise does."""
    generate_reviews(seed=4, per_venue=(1, 30), bulk_load=bulk_load)
    fields = ("overall", "visited_at", "ambience", "cleanliness", "staff_rating", "value", "treatment_id")
    for venue in Venue.objects.filter(slug__startswith="studio-"):
        rows = list(Review.objects.filter(venue=venue).values_list(*fields))
        summary = ratings.summarise(ratings.RatedVisit(*row[:6]) for row in rows)
        rating = VenueRating.objects.get(venue=venue)
        assert (rating.count, rating.avg, rating.recent_avg) == (summary.count, summary.avg, summary.recent_avg)
        assert [rating.stars_1, rating.stars_2, rating.stars_3, rating.stars_4, rating.stars_5] == [
            summary.stars[n] for n in range(1, 6)]
        assert (rating.ambience_avg, rating.cleanliness_avg, rating.staff_avg, rating.value_avg) == tuple(
            summary.aspects[a] for a in ("ambience", "cleanliness", "staff", "value"))
        for treatment in TreatmentRating.objects.filter(venue=venue):
            mine = ratings.summarise(ratings.RatedVisit(*row[:6]) for row in rows if row[6] == treatment.treatment_id)
            assert (treatment.count, treatment.avg) == (mine.count, mine.avg)
            assert treatment.stars_5 == mine.stars[5] and treatment.stars_1 == mine.stars[1]
        assert (venue.rating_avg, venue.review_count) == (summary.avg, summary.count)


def test_same_seed_same_reviews_and_a_second_run_adds_nothing(venues: list[Venue]) -> None:
    generate_reviews(seed=9, per_venue=(2, 10))
    first = snapshot()
    again = generate_reviews(seed=9, per_venue=(2, 10))
    assert again.reviews == 0 and snapshot() == first
    Review.objects.all().delete()
    Booking.objects.all().delete()
    generate_reviews(seed=9, per_venue=(2, 10))
    assert snapshot() == first
    Review.objects.all().delete()
    Booking.objects.all().delete()
    generate_reviews(seed=10, per_venue=(2, 10))
    assert snapshot() != first


def test_a_bulk_load_writes_the_same_reviews_and_puts_its_indexes_back(venues: list[Venue]) -> None:
    generate_reviews(seed=9, per_venue=(2, 10))
    first = snapshot()
    Review.objects.all().delete()
    Booking.objects.all().delete()
    indexes = _index_names()
    generate_reviews(seed=9, per_venue=(2, 10), bulk_load=True)
    assert snapshot() == first
    assert _index_names() == indexes and len(indexes) > 10


# The load with workers, in a process of its own (fresh_process.py).
WITH_WORKERS = """
import functools, json, django
django.setup()
from pamper.demo import parallel, reviews
assert parallel.can_fork()
reviews.CHUNK, reviews.PARALLEL_FROM = 3, 6
calls = []
report = reviews.generate_reviews(seed=9, per_venue=(2, 10), bulk_load=True,
                                  meanwhile=functools.partial(calls.append, 1))
print(json.dumps([report.venues, report.skipped, calls]))
"""


@pytest.mark.django_db(transaction=True)
def test_workers_write_the_same_reviews_as_one_process() -> None:
    """PostgreSQL outside a transaction: forked workers plan and copy the chunks. The same reviews and ratings as
    the load in one process; two such loads number their rows alike; every index and key comes back."""
    if connection.vendor != "postgresql":
        pytest.skip("workers only on PostgreSQL")
    make_venues()
    indexes = _index_names()
    generate_reviews(seed=9, per_venue=(2, 10), bulk_load=True)  # 13 venues: one process
    first, first_ratings = snapshot(), _ratings()
    numbered = []
    for _ in range(2):
        _clear_reviews()
        assert run_in_fresh_process(WITH_WORKERS) == [12, 1, [1]]
        assert snapshot() == first and _ratings() == first_ratings
        assert _index_names() == indexes
        numbered.append(_relative_ids())
    assert numbered[0] == numbered[1]
    _clear_reviews()  # the workers committed: leave the flush nothing it could trip on


def _ratings() -> list[tuple]:
    venues = Venue.objects.order_by("slug").values_list("slug", "rating_avg", "review_count")
    rated = VenueRating.objects.order_by("venue__slug").values_list("venue__slug", "count", "avg", "recent_avg")
    per_treatment = TreatmentRating.objects.order_by("venue__slug", "treatment__name").values_list(
        "venue__slug", "treatment__name", "count", "avg")
    return [*venues, *rated, *per_treatment]


def _relative_ids() -> list[tuple]:
    """Each review's booking and client ids counted from the run's first: equal for runs that number alike."""
    first_booking = Booking.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    first_client = Client.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    rows = Review.objects.order_by("booking_id").values_list("venue__slug", "booking_id", "booking__client_id")
    return [(slug, booking - first_booking, client - first_client) for slug, booking, client in rows]


def _clear_reviews() -> None:
    Review.objects.all().delete()
    BookingItem.objects.all().delete()
    Booking.objects.all().delete()
    Client.objects.all().delete()
    VenueRating.objects.all().delete()
    TreatmentRating.objects.all().delete()


def _index_names() -> set[str]:
    tables = ("venues_client", "bookings_booking", "bookings_bookingitem", "reviews_review",
              "reviews_venuerating", "reviews_treatmentrating")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) UNION"
                           " SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
                           [list(tables), list(tables)])
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})",
                           list(tables))
        return {row[0] for row in cursor.fetchall()}


def test_text_is_varied_across_the_demo(venues: list[Venue]) -> None:
    generate_reviews(seed=1, per_venue=(20, 20))
    texts = [t for t in Review.objects.values_list("text", flat=True) if t]
    assert len(texts) > 150
    assert Counter(texts).most_common(1)[0][1] <= 2
    stars = Counter(Review.objects.values_list("overall", flat=True))
    assert stars[5] > stars[1] and len(stars) >= 4  # mostly happy, but not only


def test_the_demo_customer_gets_a_visit_to_review(db: None) -> None:
    from pamper.reviews.actions import reviewable_bookings

    customer = f.user(name="Maya Collins", email="customer@example.com")
    v = f.venue(name="Pamper Demo Clinic", slug="pamper-demo-clinic")
    t = f.treatment(name="Mesotherapy")
    f.service(v, t).staff.set([f.staff(v)])
    generate_reviews(seed=1, per_venue=(5, 5))
    assert Review.objects.filter(customer=customer).count() == 1
    assert len(reviewable_bookings(user=customer)) == 1


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_reviews(per_venue=(5, 2))


def test_copy_lines_escape_what_postgresql_would_misread() -> None:
    assert review_rows.esc("Rose Rooms") == "Rose Rooms"
    assert review_rows.esc("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert [review_rows.copy_text(v) for v in (None, True, False, 3, Decimal("1.50"), "x\ty")] == [
        "\\N", "t", "f", "3", "1.50", "x\\ty"]
    with pytest.raises(TypeError):
        review_rows.copy_text(object())
