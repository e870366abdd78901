"""The pages a customer reads, rendered in every language but English, are in that language throughout.

Each page a customer reads (home, search and its htmx list, a venue, the booking page with its day chips and
parts of the day, the treatments, a guide, the reviews, sign-in and sign-up, and, signed in, the checkout, their
bookings and their profile) is rendered from the shared test world in de, fr, es, it, nl and pt, and its
visible text and links are read. A page fails when
- English the catalogue translates shows through: a phrase of an English msgid whose translation differs, or a
  piece of text that reads the same as on the English page with a word the language never writes (neither in
  its catalogue nor in Babel's month, weekday and country names): text never marked for translation;
- a name is repeated after itself in brackets ('heure : Royaume-Uni (heure : Royaume-Uni)');
- a link to a page that has a language prefix drops it (a French reader following it lands on the English page).
The English plural "s" glued to a translated word ("33 Zeits", "8 aviss") is ruled out at its source: no
`pluralize` in templates or code people read, no catalogue entry whose placeholder is glued to the end of a word.

Names are not English: what the world's data holds (venue, service, treatment and staff names, addresses,
review texts, the treatment summaries written in English) is taken out of the text before it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from pamper.accounts.models import User
from pamper.bookings import actions
from pamper.bookings.models import Status
from pamper.catalog.models import Category, Contraindication, Treatment
from pamper.reviews.actions import Stars, submit_review
from pamper.reviews.models import Review
from pamper.search import queries, understand
from pamper.tests.factories import BookingFactory
from pamper.tests.i18n.unmarked import ALLOWED, ROOT, python_files, templates
from pamper.tests.world import World, at
from pamper.venues.actions.common import reindex
from pamper.venues.models import Service, Staff, Venue

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
LANGUAGE_NAMES = {str(name) for _code, name in settings.LANGUAGES}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")
WORD = re.compile(r"[^\W\d_]+")
LINK_ATTRIBUTES = {"href", "action", "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"}
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
REPEATED_IN_BRACKETS = re.compile(r"(?P<name>[^\W\d][^\n]{3,}?) \((?P=name)\)")


def repeated_in_brackets(texts: list[str]) -> list[str]:
    """Each text that repeats a name in brackets just after it ("heure : Royaume-Uni (heure : Royaume-Uni)").

    Searched text by text: on the whole page joined into one line the lazy name scans to the end of the line from
    every start, which took 1.8 s of each workspace language test.
    """
    return [f"repeated: {m.group(0)!r}" for text in texts for m in REPEATED_IN_BRACKETS.finditer(text)]


# --- what a page shows ---------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The visible text of a page (one string per text node or read attribute) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self.hidden += 1
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.texts.append(" ".join(value.split()))
            if value and name in LINK_ATTRIBUTES and tag != "link":  # <link rel=alternate> names the others
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def read_page(html: str, names: list[str]) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    pattern = _names_pattern(tuple(names))
    for i, text in enumerate(page.texts):
        page.texts[i] = " ".join(pattern.sub(" ", text).split()) if pattern else " ".join(text.split())
    return page


@cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all the names, longest first ('Harley Skin Clinic' before 'Clinic'): a substitution per
    name and text cost over a second per language test."""
    return re.compile("|".join(map(re.escape, names)), re.IGNORECASE) if names else None


def world_names() -> list[str]:
    """Everything the test world's data says in its own words: names, addresses, texts written by people."""
    values: set[str] = set()
    for venue in Venue.objects.all():
        values |= {venue.name, venue.address, venue.city}
    values |= set(Staff.objects.values_list("name", flat=True)) | set(Service.objects.values_list("name", flat=True))
    values |= set(User.objects.values_list("name", flat=True)) | set(User.objects.values_list("email", flat=True))
    values |= set(Category.objects.values_list("name", flat=True))
    values |= {text for review in Review.objects.all() for text in (review.text, review.author_name)}
    for treatment in Treatment.objects.all():
        values |= {treatment.name, treatment.summary, *treatment.aftercare, *treatment.side_effects}
    for flag in Contraindication.objects.all():
        values |= {flag.label, flag.question}
    return sorted((v for v in values if v and v.strip()), key=len, reverse=True)


# --- the catalogue -------------------------------------------------------------------------------------------


@cache
def catalogue(language: str) -> tuple[frozenset[str], str]:
    """(English phrases the catalogue translates into something else, all of the language's translations)."""
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        messages = [m for m in read_po(handle, locale=language) if m.id]
    translated = []
    phrases: set[str] = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated += strings
        if set(ids) & set(strings):
            continue  # the same in both languages ('Spa', 'Pamper')
        for text in ids:
            phrases |= {p for p in (_phrase(part) for part in PLACEHOLDER.split(text)) if p}
    return frozenset(phrases), "\n".join(translated)


def _phrase(part: str) -> str:
    """A fragment of a msgid worth looking for: two words or more, or one word of five letters or more."""
    part = " ".join(part.split()).strip(" .,:;!?()'\"·–-…‹›")
    words = WORD.findall(part)
    if len(words) >= 2 or (words and len(words[0]) >= 5):
        return part
    return ""


def used_by_language(text: str, language: str) -> bool:
    """True when the language's own translations use the text (as whole words): 'Salon', 'Online', 'Spa'."""
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", catalogue(language)[1]) is not None


@cache
def vocabulary(language: str) -> frozenset[str]:
    """The words the language itself writes (lower case): its catalogue's translations, and Babel's names of
    months, weekdays and countries (proper names: 'Canada', 'mar' for marzo)."""
    locale = Locale.parse(language)
    names = [catalogue(language)[1], *locale.territories.values()]
    for table in (locale.months, locale.days):
        for width in table.get("format", {}).values():
            names += width.values()
    return frozenset(word.lower() for text in names for word in WORD.findall(text))


def reads_as_the_language(words: list[str], language: str) -> bool:
    """True when every word is one the language writes: 'Spa', '2 mar', '(2 reviews)' in Dutch."""
    known = vocabulary(language)
    return all(word.lower() in known for word in words)


def english_left(texts: list[str], english_texts: set[str], language: str) -> list[str]:
    """The English in a page's text: catalogue phrases and text identical to the English page's."""
    phrases = catalogue(language)[0]
    found = []
    for text in texts:
        words = [w for w in WORD.findall(text) if w not in ALLOWED and w not in LANGUAGE_NAMES]
        if not words or text in LANGUAGE_NAMES or text in ALLOWED:
            continue
        if text in english_texts and not reads_as_the_language(words, language) and max(map(len, words)) > 2:
            found.append(text)
            continue
        found += [f"{phrase!r} in {text!r}" for phrase in phrases
                  if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
                  and not used_by_language(phrase, language)]
    return found


def links_without_prefix(links: list[str], language: str) -> list[str]:
    """Links to a page that lives under the language prefix, written without it."""
    wrong = []
    for link in links:
        parts = urlsplit(link)
        path = parts.path
        if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith(f"/{language}/"):
            continue
        with translation.override(language):
            try:
                resolve(f"/{language}{path}")
            except Resolver404:
                continue
        wrong.append(link)
    return wrong


# --- the world with something to show ------------------------------------------------------------------------


@pytest.fixture
def shown(world: World) -> World:
    """The world with two reviews (so counts are plural), both venues in the search index."""
    for who, hour, stars in (("customer", 10, 5), ("other_customer", 12, 4)):
        user = getattr(world, who)
        visit = BookingFactory(client=world.client_of(user), customer=user, service=world.facial_service,
                               staff=world.staff, start=at(1, hour), status=Status.ATTENDED)
        submit_review(user=user, booking_id=visit.pk, stars=Stars(overall=stars), text="Lovely.", now=at(2, 7))
    reindex(world.venue.pk)
    reindex(world.other_venue.pk)
    understand.reset()
    queries.medians.clear()
    return world


def pages(world: World) -> Iterator[tuple[str, dict[str, str], bool]]:
    """(address without the language prefix, extra request headers, signed in as the customer) for each page a
    customer reads: browsing as a visitor, then their own bookings (one held in checkout, one confirmed)."""
    results = "/search/?q=mesotherapy&near=London&limit=1"  # one venue a page: the pager shows
    yield "/", {}, False
    yield "/search/", {}, False
    yield results, {}, False
    yield results, {"HTTP_HX_REQUEST": "true"}, False
    yield "/search/?q=mesotherapy&near=London&kind=spa", {}, False  # nothing found, a filter to remove
    yield "/search/?q=zzzqqq&near=London", {}, False  # 422: no such treatment, popular ones offered
    yield "/search/?q=mesotherapy&near=London&radius_km=far", {}, False  # 400: a box to correct
    yield "/search/?q=mesotherapy&near=London&cursor=stale", {}, False  # 400: a page link out of date
    yield f"/venues/{world.venue.slug}/", {}, False
    yield f"/venues/{world.venue.slug}/book/?service={world.facial_service.pk}", {}, False  # 09:00-17:00: all parts
    yield "/treatments/", {}, False
    yield f"/treatments/{world.meso.slug}/", {}, False
    yield f"/venues/{world.venue.slug}/reviews/", {}, False
    yield "/accounts/login/", {}, False
    yield "/accounts/signup/", {}, False
    held = actions.hold_visit(venue=world.venue, services=[world.facial_service], start=at(3, 10),
                              customer=world.customer)
    confirmed = actions.book_visit(venue=world.venue, services=[world.facial_service], start=at(4, 11),
                                   customer=world.customer)
    yield f"/bookings/{held.pk}/checkout/", {}, True
    yield "/bookings/", {}, True
    yield f"/bookings/{confirmed.pk}/", {}, True
    yield "/accounts/profile/", {}, True


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_customer_reads_every_page_in_their_language(shown: World, language: str) -> None:
    visitor, customer, names, problems = Client(), shown.browser("customer"), world_names(), {}
    for address, headers, signed_in in pages(shown):
        client = customer if signed_in else visitor
        english = client.get(address, **headers)
        local = client.get(f"/{language}{address}", **headers)
        assert english.status_code == local.status_code < 500, address
        page = read_page(local.content.decode(), names)
        found = english_left(page.texts, set(read_page(english.content.decode(), names).texts), language)
        found += repeated_in_brackets(page.texts)
        found += [f"link without /{language}/: {link}" for link in links_without_prefix(page.links, language)]
        if found:
            problems[address + (" (htmx)" if headers else "")] = sorted(set(found))
    assert not problems, "\n".join(f"{where}:\n    " + "\n    ".join(found) for where, found in problems.items())


def test_the_checker_sees_english_repeats_and_links() -> None:
    """The reader is not blind: it catches an English phrase, text equal to the English page's, a repeated
    name, an unprefixed link; it lets through names, numbers and the language's own words."""
    phrases, _all = catalogue("fr")
    assert "Sign in" in phrases
    assert english_left(["Sign in"], set(), "fr") == ["'Sign in' in 'Sign in'"]
    assert english_left(["Morning"], {"Morning"}, "fr") == ["Morning"]
    assert english_left(["09:00", "Pamper", "Spa", "Français", "2 Mar", ", Canada"],
                        {"09:00", "Pamper", "Spa", "Français", "2 Mar", ", Canada"}, "fr") == []
    assert english_left(["15 min · Evening"], {"15 min · Evening"}, "fr") == ["15 min · Evening"]
    assert repeated_in_brackets(["Lundi", "heure : Royaume-Uni (heure : Royaume-Uni)."])
    assert not repeated_in_brackets(["heure : Royaume-Uni (GMT).", "Royaume-Uni"])
    assert links_without_prefix(["/search/?q=x", "/fr/search/", "/api/v1/docs", "/static/a.css", "?page=2",
                                 "/i18n/language/", "https://www.openstreetmap.org/?m=1", "/"], "fr") == [
        "/search/?q=x", "/"]


# --- plurals -------------------------------------------------------------------------------------------------

GLUED = re.compile(r"(?<!\))[^\W\d_]%\(\w+\)s")  # "review%(count2)s"; not the "s" closing a placeholder


def test_no_plural_is_an_english_s_glued_to_a_word() -> None:
    """`pluralize` adds an English "s" ("33 Zeits", "8 aviss"): plurals are {% blocktranslate count %} in
    templates and ngettext in Python, so each language writes its own."""
    in_templates = [str(p.relative_to(ROOT)) for p in templates() if "pluralize" in p.read_text()]
    in_python = [str(p.relative_to(ROOT)) for p in python_files() if re.search(r"\bpluralize\b", p.read_text())]
    glued = [m.id for m in read_po((LOCALE / "fr" / "LC_MESSAGES" / "django.po").open("rb"), locale="fr")
             if m.id and not isinstance(m.id, tuple) and GLUED.search(m.id)]
    assert (in_templates, in_python, glued) == ([], [], [])


# --- what makemessages can see -------------------------------------------------------------------------------

# The names makemessages (xgettext) extracts from Python: Django's keywords and xgettext's own.
KEYWORDS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
            "npgettext", "npgettext_lazy"}
ALIAS = re.compile(r"from django\.utils\.translation import[^\n]*\b\w*gettext\w* as (\w+)")


def test_translation_functions_go_by_names_makemessages_knows() -> None:
    """`gettext_lazy as _lazy` hid the search's sort and filter labels from makemessages: they never reached a
    catalogue and read in English in every language."""
    aliases = {str(p.relative_to(ROOT)): found for p in python_files()
               if (found := set(ALIAS.findall(p.read_text())) - KEYWORDS)}
    assert aliases == {}
