"""The access log is read page by page, newest first, however long it grows: the venue owner's and the customer's.

Before, the owner's endpoint answered at most 1,000 rows with no way to the older ones, and the customer had no
endpoint at all (the health page shows the latest 20 staff reads).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as HttpClient

from pamper.clinical.models import AccessLog
from pamper.venues.models import Client

from .conftest import NOW, World

pytestmark = pytest.mark.django_db


def fill_log(world: World, client: Client, count: int) -> list[int]:
    """`count` reads of `client`'s record by the practitioner, several to a second (ties broken by id); their ids."""
    rows = [AccessLog(user=world.practitioner, role="practitioner", venue=world.venue, client=client,
                      record_type="client_record", record_id=client.pk, at=NOW - dt.timedelta(seconds=i // 3))
            for i in range(count)]
    AccessLog.objects.bulk_create(rows)
    return list(AccessLog.objects.filter(client=client).values_list("pk", flat=True))


def walk(http: HttpClient, url: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Every item the endpoint gives, following next_cursor to the end; and how many pages it took."""
    items: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        answer = http.get(url, {"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages
        assert pages < 100


def newest_first(items: list[dict[str, Any]]) -> bool:
    moments = [dt.datetime.fromisoformat(i["at"]) for i in items]
    return moments == sorted(moments, reverse=True)


def test_the_owner_reaches_all_1200_entries_page_by_page_newest_first(world: World) -> None:
    ids = fill_log(world, world.client_of(world.customer), 1200)
    owner = world.api("owner")
    url = f"/api/v1/clinical/venues/{world.venue.pk}/access-log"

    items, pages = walk(owner, url, 500)
    assert pages == 3 and len(items) == 1200
    assert sorted(i["record_id"] for i in items) == [world.client_of(world.customer).pk] * 1200
    assert newest_first(items)
    # each row once: the ids behind the answers, read back in the same order
    expected = list(AccessLog.objects.filter(pk__in=ids).order_by("-at", "-id").values_list("at", flat=True))
    assert [dt.datetime.fromisoformat(i["at"]) for i in items] == expected

    first = owner.get(url).json()  # the default page size
    assert len(first["items"]) == 200 and first["next_cursor"]
    everything, _ = walk(owner, url, 1000)
    assert len(everything) == 1200


def test_a_tampered_or_foreign_cursor_is_refused(world: World) -> None:
    fill_log(world, world.client_of(world.customer), 30)
    owner, customer = world.api("owner"), world.api("customer")
    venue_url = f"/api/v1/clinical/venues/{world.venue.pk}/access-log"
    mine_url = "/api/v1/me/health/access-log"
    cursor = owner.get(venue_url, {"limit": 10}).json()["next_cursor"]
    theirs = customer.get(mine_url, {"limit": 10}).json()["next_cursor"]
    assert cursor and theirs

    head, _, signature = cursor.rpartition(":")
    tampered = [cursor[:-1] + ("A" if cursor[-1] != "A" else "B"), head + ":" + signature[::-1], "not-a-cursor",
                cursor.replace(cursor[2], "x" if cursor[2] != "x" else "y", 1)]
    for bad in tampered:
        answer = owner.get(venue_url, {"cursor": bad})
        assert answer.status_code == 400 and answer.json()["code"] == "bad_cursor", bad
    # a cursor is bound to the log it came from: the customer's opens no page of the venue's, nor another's
    assert owner.get(venue_url, {"cursor": theirs}).status_code == 400
    assert customer.get(mine_url, {"cursor": cursor}).status_code == 400
    assert world.api("other_customer").get(mine_url, {"cursor": theirs}).status_code == 400
    assert customer.get(mine_url, {"cursor": theirs}).status_code == 200


def test_the_customer_reaches_every_read_of_their_records_and_nobody_elses(world: World) -> None:
    fill_log(world, world.client_of(world.customer), 1200)
    fill_log(world, world.client_of(world.other_customer), 5)
    items, pages = walk(world.api("customer"), "/api/v1/me/health/access-log", 400)
    assert pages == 3 and len(items) == 1200
    assert {i["record_id"] for i in items} == {world.client_of(world.customer).pk}
    assert {(i["by"], i["role"], i["venue"]) for i in items} == {
        (world.practitioner.get_full_name(), "practitioner", world.venue.name)}
    assert newest_first(items)
    others, _ = walk(world.api("other_customer"), "/api/v1/me/health/access-log", 400)
    assert len(others) == 5
    assert world.api("customer").get("/api/v1/me/health/access-log", {"limit": 0}).status_code == 422
    assert HttpClient().get("/api/v1/me/health/access-log").status_code == 401


def page_walk(http: HttpClient, url: str) -> tuple[list[str], int]:
    """Every table row of a log page, following its Older link to the end; and how many pages it took."""
    import re
    from html import unescape

    rows: list[str] = []
    query, pages = "", 0
    while True:
        answer = http.get(url + query)
        assert answer.status_code == 200, answer.content[:500]
        text = answer.content.decode()
        rows += re.findall(r"<tr><td>(.*?)</tr>", text, re.S)
        pages += 1
        older = re.search(r'<a href="(\?cursor=[^"]+)" rel="next">', text)
        if older is None:
            return rows, pages
        query = unescape(older.group(1))
        assert pages < 100


def test_the_customer_reads_every_staff_read_on_a_page_of_their_own(world: World) -> None:
    """The health page lists the latest 20 reads at each venue; the reads page has them all, 50 to a page, newest
    first, without the customer's own visits and without anyone else's record."""
    fill_log(world, world.client_of(world.customer), 120)
    fill_log(world, world.client_of(world.other_customer), 5)
    customer = world.browser("customer")
    assert customer.get("/account/health/").status_code == 200  # the customer's own read, logged: not listed
    health = customer.get("/account/health/").content.decode()
    assert 'href="/account/health/reads/"' in health

    rows, pages = page_walk(customer, "/account/health/reads/")
    assert (len(rows), pages) == (120, 3)
    assert all(world.practitioner.get_full_name() in r and "Practitioner" in r and "the clinical record" in r
               for r in rows)
    assert all(world.venue.name in r for r in rows)
    others, _ = page_walk(world.browser("other_customer"), "/account/health/reads/")
    assert len(others) == 5

    # a cursor is the customer's own: a tampered one or another person's is refused, not a wrong page
    cursor = customer.get("/account/health/reads/").content.decode().split('?cursor=')[1].split('"')[0]
    assert world.browser("other_customer").get(f"/account/health/reads/?cursor={cursor}").status_code == 400
    assert customer.get("/account/health/reads/?cursor=not-a-cursor").status_code == 400
    assert HttpClient().get("/account/health/reads/").status_code == 302  # signed out: to the sign-in page


def test_the_owner_pages_through_a_long_access_log_by_keyset(world: World) -> None:
    fill_log(world, world.client_of(world.customer), 250)
    rows, pages = page_walk(world.browser("owner"), f"/partner/clinical/{world.venue.pk}/access-log/")
    assert (len(rows), pages) == (250, 3)
    assert all(world.practitioner.email in r and "Practitioner" in r for r in rows)


def test_log_lines_speak_the_readers_language(world: World) -> None:
    fill_log(world, world.client_of(world.customer), 1)
    AccessLog.objects.filter(client=world.client_of(world.customer)).update(user=None)  # the reader's account gone
    page = world.browser("customer").get("/de/account/health/reads/").content.decode()
    assert "former member of staff" not in page and "clinical record" not in page and "Practitioner" not in page
    owner = world.browser("owner").get(f"/de/partner/clinical/{world.venue.pk}/access-log/").content.decode()
    assert "account removed" not in owner and ">practitioner<" not in owner


def test_a_photo_opened_reads_once_not_twice(world: World) -> None:
    client = world.client_of(world.customer)
    AccessLog.objects.create(user=world.practitioner, role="practitioner", venue=world.venue, client=client,
                             record_type="photo", record_id=7, action=AccessLog.Action.DOWNLOAD, at=NOW)
    rows, _ = page_walk(world.browser("customer"), "/account/health/reads/")
    assert len(rows) == 1 and "Opened a photo" in rows[0] and "a photo</td>" not in rows[0].replace(
        "Opened a photo</td>", "")
    owner, _ = page_walk(world.browser("owner"), f"/partner/clinical/{world.venue.pk}/access-log/")
    assert any("Opened a photo #7" in r for r in owner)


def test_a_log_line_without_a_venue_still_shows(world: World) -> None:
    """The log's venue column may be empty (log_read takes venue=None): such a line's time is shown in UTC and
    said so, not a server error for the whole page."""
    AccessLog.objects.create(user=world.practitioner, role="practitioner", venue=None,
                             client=world.client_of(world.customer), record_type="client_record", at=NOW)
    rows, _ = page_walk(world.browser("customer"), "/account/health/reads/")
    assert len(rows) == 1 and "UTC" in rows[0]
