"""Times shown to people (issue 18, point 10): the venue's local time plainly; its zone named only for a reader
whose own zone differs, and then as people name it ('CET', 'British Time'), never an IANA id."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from pamper.lib import clock

SUMMER = dt.datetime(2026, 6, 10, 12, 30, tzinfo=dt.UTC)
LONDON, PARIS, LISBON = (zoneinfo.ZoneInfo(z) for z in ("Europe/London", "Europe/Paris", "Europe/Lisbon"))


def test_a_reader_in_the_venues_zone_or_an_unknown_one_reads_the_time_plainly() -> None:
    assert clock.format_local(SUMMER, "Europe/London", "en") == "Wed 10 Jun 2026, 13:30"
    assert clock.format_local(SUMMER, "Europe/London", "en", viewer=LONDON) == "Wed 10 Jun 2026, 13:30"
    # Lisbon's clocks read as London's: nothing to add.
    assert clock.format_local(SUMMER, "Europe/London", "en", viewer=LISBON) == "Wed 10 Jun 2026, 13:30"


def test_a_reader_elsewhere_reads_the_venues_zone_by_a_short_human_name() -> None:
    assert clock.format_local(SUMMER, "Europe/London", "en", viewer=PARIS) == "Wed 10 Jun 2026, 13:30 BST"
    assert clock.format_local(SUMMER, "Europe/Madrid", "en", viewer=LONDON) == "Wed 10 Jun 2026, 14:30 CEST"
    assert clock.format_local(SUMMER, "Europe/Berlin", "de", viewer=LONDON) == "Mi., 10. Juni 2026, 14:30 MESZ"
    # French has no abbreviation for London's zone: the country's time, in brackets, not '+0100'.
    assert (clock.format_local(SUMMER, "Europe/London", "fr", viewer=PARIS)
            == "mer. 10 juin 2026, 13:30 (heure britannique)")
    for language in ("en", "fr", "de", "es", "it", "nl", "pt"):
        text = clock.format_local(SUMMER, "Europe/Dublin", language, viewer=PARIS)
        assert "Europe/" not in text and "+0" not in text


def test_a_zone_in_a_note_is_named_as_people_name_it() -> None:
    assert clock.zone_name("Europe/London", language="en") == "British Time"
    assert clock.zone_name("Europe/Dublin", language="es") == "hora de Irlanda"
    with translation.override("en"):
        assert Template("{{ tz|zone_name }}").render(Context({"tz": "Europe/London"})) == "British Time"


def test_the_browsers_zone_comes_from_its_cookie_and_is_checked() -> None:
    seen = []

    def view(request):  # type: ignore[no-untyped-def]
        seen.append(clock.viewer_zone.get())
        return HttpResponse()

    middleware = clock.ViewerZoneMiddleware(view)
    for cookie, expected in (("Europe%2FParis", PARIS), ("Europe/Paris", PARIS), ("../../etc/passwd", None),
                             ("Mars/Olympus", None), ("", None)):
        request = RequestFactory().get("/")
        request.COOKIES[clock.VIEWER_ZONE_COOKIE] = cookie
        middleware(request)
        assert seen[-1] == expected, cookie
    assert clock.viewer_zone.get() is None  # reset after the request


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it", "nl", "pt"])
def test_a_zone_reads_inside_a_sentence_in_every_language(language: str) -> None:
    """The country's time is a label ('heure : Royaume-Uni', 'Vereinigtes Königreich (Ortszeit)'): inside the
    pages' sentences it read 'Heure locale en heure : Royaume-Uni' and 'Alle Zeiten sind Ortszeit des Betriebs
    (Vereinigtes Königreich (Ortszeit))'. The zone's generic name is a noun phrase that reads there."""
    with translation.override(language):
        for zone in ("Europe/London", "Europe/Berlin", "Atlantic/Canary"):
            name = clock.zone_name(zone)
            sentence = translation.gettext("All times are local to the venue (%(venue_timezone)s).") % {
                "venue_timezone": name}
            assert "((" not in sentence and "))" not in sentence and " : " not in name, sentence
