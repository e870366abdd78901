"""The demo venues' rating summaries: in Python per chunk on SQLite, in SQL once all visits are in on PostgreSQL.

Either way the numbers are those reviews.ratings.summarise computes, and
Venue.rating_avg and review_count follow them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, models

from pamper.reviews import ratings
from pamper.reviews.models import TreatmentRating, VenueRating
from pamper.search.index import set_ratings
from pamper.venues.models import Venue

from .review_plan import Draft
from .review_rows import Rows, when_adapter

STAR_COLUMNS = ("count", "avg", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5", "updated_at")


def delete_ratings(venue_ids: list[int]) -> None:
    """Delete the venues' rating summaries (rewritten from their reviews)."""
    if connection.vendor == "postgresql":  # one array parameter: Django's IN lists cost seconds at 200,000
        with connection.cursor() as cursor:
            for model in (VenueRating, TreatmentRating):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE venue_id = ANY(%s)", [venue_ids])  # noqa: S608
        return
    for i in range(0, len(venue_ids), 20000):
        VenueRating.objects.filter(venue_id__in=venue_ids[i : i + 20000]).delete()
        TreatmentRating.objects.filter(venue_id__in=venue_ids[i : i + 20000]).delete()


def write_aggregates(drafts: list[Draft], now: dt.datetime, update_search: bool, *, delete_old: bool) -> None:
    """Venue and treatment ratings for the venues just reviewed, the Venue columns, the search rows."""
    by_venue: dict[int, list[Draft]] = defaultdict(list)
    for d in drafts:
        by_venue[d.venue_id].append(d)
    if delete_old:
        delete_ratings(list(by_venue))
    venue_rows, treatment_rows, venue_updates = [], [], []
    stamp = when_adapter()(now)
    summaries = {vid: ratings.summarise(_rated(items)) for vid, items in by_venue.items()}
    for vid, items in by_venue.items():
        s = summaries[vid]
        aspects = tuple(s.aspects[a] for a in ("ambience", "cleanliness", "staff", "value"))
        venue_rows.append((vid, *_counts(s), stamp, s.recent_avg, *aspects))
        venue_updates.append((s.avg, s.count, vid))
        per_treatment: dict[int, list[Draft]] = defaultdict(list)
        for d in items:
            per_treatment[d.offer.treatment_id].append(d)
        for tid, rows in per_treatment.items():
            treatment_rows.append((vid, tid, *_counts(ratings.summarise(_rated(rows))), stamp))
    venue_columns = ("venue_id", *STAR_COLUMNS, "recent_avg", "ambience_avg", "cleanliness_avg", "staff_avg",
                     "value_avg")
    Rows(VenueRating, venue_columns).insert(venue_rows)
    Rows(TreatmentRating, ("venue_id", "treatment_id", *STAR_COLUMNS)).insert(treatment_rows)
    _update_venues(venue_updates)
    if update_search:
        _push_all([(vid, s.avg, s.count) for vid, s in summaries.items()])


def _update_venues(rows: list[tuple]) -> None:
    """Set Venue.rating_avg and review_count from (avg, count, id) rows (SQLite; see write_ratings)."""
    table = connection.ops.quote_name(Venue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET rating_avg = %s, review_count = %s WHERE id = %s", rows)  # noqa: S608


# The venue and treatment ratings of the reviewed venues in SQL, as ratings.summarise computes them: averages
# rounded half up to two places; the recency-weighted average in floating point (a weight halves every
# RECENCY_HALF_LIFE_DAYS before the venue's newest review), rounded from its shortest decimal form as to_stars does.
STARS_SQL = ", ".join(f"count(*) FILTER (WHERE overall = {n})" for n in range(1, 6))
VENUE_RATINGS_SQL = f"""
    INSERT INTO reviews_venuerating (venue_id, count, avg, stars_1, stars_2, stars_3, stars_4, stars_5, updated_at,
                                     recent_avg, ambience_avg, cleanliness_avg, staff_avg, value_avg)
    SELECT venue_id, count(*), round(avg(overall), 2), {STARS_SQL}, %(now)s,
           round((sum(overall * weight) / sum(weight))::text::numeric, 2),
           round(avg(ambience), 2), round(avg(cleanliness), 2), round(avg(staff_rating), 2), round(avg(value), 2)
    FROM (SELECT venue_id, overall, ambience, cleanliness, staff_rating, value,
                 power(0.5::float8, (extract(epoch FROM max(visited_at) OVER (PARTITION BY venue_id) - visited_at)
                                     ::float8 / 86400) / %(half_life)s) AS weight
          FROM reviews_review JOIN unnest(%(venues)s::bigint[]) AS chosen(id) ON venue_id = chosen.id
          WHERE hidden_at IS NULL) AS visible
    GROUP BY venue_id"""  # noqa: S608
TREATMENT_RATINGS_SQL = f"""
    INSERT INTO reviews_treatmentrating (venue_id, treatment_id, count, avg, stars_1, stars_2, stars_3, stars_4,
                                         stars_5, updated_at)
    SELECT venue_id, treatment_id, count(*), round(avg(overall), 2), {STARS_SQL}, %(now)s
    FROM reviews_review JOIN unnest(%(venues)s::bigint[]) AS chosen(id) ON venue_id = chosen.id
    WHERE hidden_at IS NULL AND treatment_id IS NOT NULL
    GROUP BY venue_id, treatment_id"""  # noqa: S608
VENUE_COLUMNS_SQL = """
    UPDATE venues_venue AS v SET rating_avg = r.avg, review_count = r.count
    FROM reviews_venuerating AS r JOIN unnest(%(venues)s::bigint[]) AS chosen(id) ON r.venue_id = chosen.id
    WHERE v.id = r.venue_id"""


def write_ratings(venue_ids: list[int], now: dt.datetime, update_search: bool, *, delete_old: bool) -> None:
    """PostgreSQL: the venue and treatment ratings of these venues (reviewed just now, by write_visits) from
    their reviews in three statements, then the Venue columns and (update_search) the search rows. SQLite wrote
    them chunk by chunk in Python already (write_aggregates)."""
    if connection.vendor != "postgresql" or not venue_ids:
        return
    if delete_old:
        delete_ratings(venue_ids)
    write_venue_ratings(venue_ids, now)
    write_treatment_ratings(venue_ids, now)
    if update_search:
        with connection.cursor() as cursor:
            cursor.execute("SELECT venue_id, avg, count FROM reviews_venuerating"
                           " JOIN unnest(%s::bigint[]) AS chosen(id) ON venue_id = chosen.id", [venue_ids])
            _push_all(cursor.fetchall())


def _params(venue_ids: list[int], now: dt.datetime) -> dict[str, object]:
    return {"now": now, "venues": venue_ids, "half_life": float(ratings.RECENCY_HALF_LIFE_DAYS)}


def write_venue_ratings(venue_ids: list[int], now: dt.datetime) -> None:
    """PostgreSQL: the venues' rating summaries from their reviews, then Venue.rating_avg and review_count.
    Independent of write_treatment_ratings, so the two may run at once on two connections."""
    _check_rating_columns(VenueRating)  # the SQL names every column: fail loudly when one is added
    with connection.cursor() as cursor:
        cursor.execute(VENUE_RATINGS_SQL, _params(venue_ids, now))
        cursor.execute(VENUE_COLUMNS_SQL, _params(venue_ids, now))


def write_treatment_ratings(venue_ids: list[int], now: dt.datetime) -> None:
    """PostgreSQL: the venues' per-treatment rating summaries from their reviews."""
    _check_rating_columns(TreatmentRating)
    with connection.cursor() as cursor:
        cursor.execute(TREATMENT_RATINGS_SQL, _params(venue_ids, now))


def _check_rating_columns(model: type[models.Model]) -> None:
    written = {"venue_id", "treatment_id", "id", *STAR_COLUMNS, "recent_avg", "ambience_avg", "cleanliness_avg",
               "staff_avg", "value_avg"}
    unknown = {f.column for f in model._meta.concrete_fields} - written
    if unknown:
        raise RuntimeError(f"{model.__name__}: the demo ratings SQL does not write {sorted(unknown)}")


def _push_all(rows: list[tuple[int, object, int]]) -> None:
    """Copy ratings to the search rows in one call."""
    set_ratings(rows)


def _rated(drafts: list[Draft]) -> list[ratings.RatedVisit]:
    return [
        ratings.RatedVisit(r.overall, d.end, r.ambience, r.cleanliness, r.staff, r.value)
        for d in drafts if (r := d.review) is not None
    ]


def _counts(s: ratings.Summary) -> tuple:
    return (s.count, s.avg, *(s.stars[n] for n in range(1, 6)))
