"""Local formats through Babel: money, dates, numbers and distances as each language writes them."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from pamper.clinical.views.checkout import _by_day
from pamper.lib import clock, formats
from pamper.lib.money import rough_convert
from pamper.tests.factories import TreatmentFactory
from pamper.tests.i18n.unmarked import DATE_NAMES, english_date_names

NBSP, NNBSP = "\xa0", "\u202f"


def plain(text: str) -> str:
    """The text with the no-break spaces Babel writes turned into plain spaces."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(("language", "amount", "currency", "expected"), [
    ("en", 70, "GBP", "£70"),
    ("en", 70, "EUR", "€70"),
    ("en", Decimal("37.5"), "EUR", "€37.50"),
    ("en", 1250, "GBP", "£1,250"),
    ("de", 70, "EUR", "70 €"),
    ("fr", 70, "EUR", "70 €"),
    ("fr", Decimal("45.5"), "EUR", "45,50 €"),
    ("de", 1250, "EUR", "1.250 €"),
    ("fr", 1250, "EUR", "1 250 €"),
    ("es", 70, "EUR", "70 €"),
    ("it", 70, "EUR", "70 €"),
    ("nl", 70, "EUR", "€ 70"),
    ("pt", 70, "EUR", "70 €"),
])
def test_money_as_each_language_writes_it(language: str, amount: Decimal, currency: str, expected: str) -> None:
    assert plain(formats.money(amount, currency, language)) == expected
    with translation.override(language):
        assert plain(formats.money(amount, currency)) == expected


def test_dates_weekdays_and_months_are_in_the_language() -> None:
    day = dt.date(2026, 3, 3)
    assert formats.day(day, "long", "en") == "Tuesday, 3 March 2026"
    assert formats.day(day, "long", "fr") == "mardi 3 mars 2026"
    assert formats.day(day, "long", "de") == "Dienstag, 3. März 2026"
    assert formats.day(day, "long", "es") == "martes, 3 de marzo de 2026"
    assert formats.day(day, "long", "it") == "martedì 3 marzo 2026"
    assert formats.day(day, "long", "nl") == "dinsdag 3 maart 2026"
    assert formats.day(day, "medium", "de") == "3. März 2026"
    assert formats.day(day, "day_name", "fr") == "mar."
    assert formats.day(None) == ""


def test_an_instant_reads_in_the_venue_zone_and_the_readers_language() -> None:
    instant = dt.datetime(2026, 6, 10, 12, 30, tzinfo=dt.UTC)
    assert clock.format_local(instant, "Europe/London", "en") == "Wed 10 Jun 2026, 13:30"
    assert clock.format_local(instant, "Europe/Berlin", "de") == "Mi., 10. Juni 2026, 14:30"
    assert clock.format_local(instant, "Europe/Paris", "fr") == "mer. 10 juin 2026, 14:30"


def test_decimals_and_distances_use_the_languages_separator_and_miles_only_when_asked() -> None:
    assert formats.number(Decimal("4.5"), 1, "de") == "4,5"
    assert formats.number(Decimal("4.5"), 1, "en") == "4.5"
    assert formats.distance(3.2, False, "fr") == "3,2 km"
    assert formats.distance(16.1, True, "en") == "10 mi"
    assert formats.distance(1.609344, True, "en") == "1.0 mi"
    assert formats.distance(25, False, "de") == "25 km"


def test_remembered_numbers_read_exactly_as_babel_writes_them() -> None:
    """format_number remembers Babel's text by the value rounded first: halves, negatives, floats that print
    long, big numbers with separators and the odd infinity all read as Babel alone writes them."""
    from babel import numbers

    from pamper.lib.locales import LANGUAGE_LOCALE, format_number

    values = [0.05, 0.15, 0.25, 2.5, 3.5, -0.04, -1.25, 9.95, 9.96, 1234567.891, 0.1 + 0.2, Decimal("4.45"),
              Decimal("4.55"), Decimal("-0"), 12, 1500, float("inf")]
    for language, locale in LANGUAGE_LOCALE.items():
        for digits in (0, 1, 2):
            for value in values:
                pattern = "#,##0" + ("." + "0" * digits if digits else "")
                expected = numbers.format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)
                assert format_number(value, digits, language) == expected, (language, digits, value)
                assert format_number(value, digits, language) == expected  # and again, from memory


def test_guide_prices_follow_the_visitors_currency() -> None:
    assert formats.visitor_currency("en", "en-GB,en;q=0.9") == "GBP"
    assert formats.visitor_currency("en", "en-IE,en;q=0.9") == "EUR"
    assert formats.visitor_currency("de", "") == "EUR"
    assert formats.visitor_currency("en", "") == "GBP"
    assert rough_convert(Decimal("75"), "GBP", "EUR") == Decimal("90")
    assert rough_convert(Decimal("75"), "GBP", "GBP") == Decimal("75")
    assert plain(formats.money_range(Decimal(90), Decimal(410), "EUR", "de")) == "90 €–410 €"


def test_template_filters_are_built_in_and_follow_the_active_language() -> None:
    template = Template('{{ price|money:"EUR" }} | {{ day|day:"long" }} | {{ start|when:"Europe/Madrid" }} | '
                        '{{ start|local_time:"Europe/Madrid" }} | {{ rating|number:1 }}')
    context = Context({"price": Decimal("70"), "day": dt.date(2026, 3, 3), "rating": Decimal("4.75"),
                       "start": dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)})
    with translation.override("es"):
        assert plain(template.render(context)) == ("70 € | martes, 3 de marzo de 2026 | "
                                                   "mar, 3 mar 2026, 10:00 | 10:00 | 4,8")


@pytest.mark.django_db
def test_guide_prices_read_in_the_visitors_currency_and_language(client) -> None:  # type: ignore[no-untyped-def]
    treatment = TreatmentFactory(price_from=Decimal("75"), price_to=Decimal("350"))
    english = client.get(f"/treatments/{treatment.slug}/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "£75–£350 a session" in english
    german = plain(client.get(f"/de/treatments/{treatment.slug}/").content.decode())
    assert "etwa 90 €–410 € pro Sitzung" in german
    irish = client.get(f"/treatments/{treatment.slug}/", HTTP_ACCEPT_LANGUAGE="en-IE,en;q=0.8").content.decode()
    assert "€90–€410 a session" in irish


def test_email_times_and_the_pathway_days_name_days_and_months_in_the_readers_language() -> None:
    """These were written with strftime (%a, %b, %A, %B): English names in every language."""
    ten = dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC)  # 10:00 in London (BST)
    with translation.override("en"):
        assert formats.short_when(ten, "Europe/London") == "Tue 5 May, 10:00 BST"
    with translation.override("de"):
        assert plain(formats.short_when(ten, "Europe/London")) == "Di., 5. Mai, 10:00 BST"
    venue = SimpleNamespace(tz=zoneinfo.ZoneInfo("Europe/Paris"))
    with translation.override("fr"):
        [(heading, slots)] = _by_day([{"start": ten.isoformat()}], venue)  # type: ignore[arg-type]
    assert plain(heading) == "mar. 5 mai" and slots[0]["label"] == "11:00"


def test_no_code_names_days_or_months_with_strftime() -> None:
    assert english_date_names() == {}
    assert DATE_NAMES.search("{local:%a} {local.day} {local:%b, %H:%M}")
    assert not DATE_NAMES.search("%(name)s at %H:%M on %Y-%m-%d")
