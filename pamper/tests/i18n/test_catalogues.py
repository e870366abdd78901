"""The six translation catalogues are complete, and the code leaves no text unmarked for translation.

When one fails: run bin/messages (it extracts every marked string into pamper/locale/<lang>/LC_MESSAGES/django.po),
translate the new entries, drop any "#, fuzzy" flag once checked, and run these tests again.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation

from pamper.lib.catalogues import compile_catalogue
from pamper.tests.i18n.unmarked import (
    labels_in_python,
    marked_in_python,
    script_texts,
    sentences_in_python,
    template_texts,
    translations_in_caches,
    unmarked_in_python,
    unmarked_in_scripts,
    unmarked_in_templates,
    untranslated_labels,
    untranslated_sentences,
)

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    missing, fuzzy = [], []
    for message in catalogue(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{len(missing)} untranslated in {language}, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    """Babel's checkers: a translation keeps the python-format placeholders of its original."""
    problems = [(message.id, errors) for message, errors in catalogue(language).check()
                if errors and "no-python-format" not in message.flags]  # e.g. "100% of the price"
    assert not problems, problems[:5]


def test_the_six_catalogues_hold_the_same_entries() -> None:
    ids = {language: {(m.id, m.context) for m in catalogue(language) if m.id} for language in LANGUAGES}
    reference = ids["fr"]
    for language, found in ids.items():
        assert found == reference, f"{language} differs from fr: run bin/messages"


def test_the_compiled_catalogue_is_what_django_reads(tmp_path: Path) -> None:
    compile_catalogue(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    with translation.override("de"):
        assert translation.gettext("Sign in") == "Anmelden"
        assert translation.ngettext("%(count)d hour", "%(count)d hours", 2) % {"count": 2} == "2 Stunden"


# Files other people were still changing when the languages arrived: their text goes through the same review.
# The list may only shrink: a file that is clean must leave it (test_pending_files_still_need_marking).
PENDING: set[str] = set()


def test_no_template_text_is_left_unmarked() -> None:
    found = {path: texts for path, texts in unmarked_in_templates().items() if path not in PENDING}
    assert found == {}


def test_no_user_facing_python_string_is_left_unmarked() -> None:
    found = {path: texts for path, texts in unmarked_in_python().items() if path not in PENDING}
    assert found == {}


def test_every_text_the_python_code_translates_is_in_the_catalogues() -> None:
    """A message wrapped in gettext but never added to the catalogues reads in English in every language, and the
    tests above cannot see it (they read the catalogues). Eight error messages of one session were found so."""
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue("fr") if m.id}
    missing = {text: where for text, where in marked_in_python().items() if text not in known}
    assert missing == {}


def test_no_sentence_in_python_is_left_untranslated() -> None:
    """Messages handed on through a helper, a dict or a render context (the workspace's "Booked Ana for ...", a
    new owner's checklist) are sentences too."""
    assert sentences_in_python() == {}


def test_no_label_in_python_is_left_untranslated() -> None:
    """Labels handed to pages (the workspace calendar's "Time off", "Closed" and "Held: Ana", a review's "Ambience"
    and "Value", the invitation email's subject) were English on every page: 20 found when this test came."""
    assert labels_in_python() == {}


def test_no_cache_keeps_the_words_of_the_first_language_it_saw() -> None:
    """clinical.suitability cached the fallback reason in the language of the first reader (and
    pamper.lib.redact cached its URL patterns with the first request's language prefix, letting secrets into the
    logs): a process-wide cache must not translate or read the active language unless keyed by it."""
    assert translations_in_caches() == {}


def test_the_label_finder_sees_labels_and_leaves_codes_alone() -> None:
    source = '''
def calendar(off, booking, headers):
    """A docstring."""
    blocks = [Block("timeoff", off.start, "Time off"), Block("hold", f"Held: {booking.client}")]
    if booking.status == "Confirmed" or headers["Content-Type"]:
        closed = off.reason or "Closed"
    aspects = [("Ambience", 4), (gettext("Value"), 5)]
    return {"@type": "Organization", "Label": "Staff", "Idempotency-Key": 1}, blocks, closed, aspects
'''
    assert sorted(untranslated_labels(ast.parse(source))) == [
        (4, "Held:"), (4, "Time off"), (6, "Closed"), (7, "Ambience"), (8, "Staff")]


def test_the_sentence_finder_sees_messages_wherever_they_stand() -> None:
    source = '''
def view(request, booking):
    """A docstring is no message."""
    logger.warning("Database unavailable for this request.")
    if booking is None:
        raise Http404("No such booking here.")
    messages.success(request, {1: "You're booked with us."}.get(booking.status, gettext("Your booking is saved.")))
    context = {"error": "This invitation link is not valid."}
    cancel(booking, reason="The customer erased their data.")
    return done(booking, f"Booked {booking.client} for {booking.start}."), invalid("A price cannot be negative.")
'''
    assert sorted(untranslated_sentences(ast.parse(source))) == [
        (7, "You're booked with us."), (8, "This invitation link is not valid."),
        (9, "The customer erased their data."), (10, "A price cannot be negative."), (10, "Booked {x} for {x}.")]


def test_no_script_writes_its_own_words() -> None:
    """The site's scripts take their words from the page ({% script_texts %}); 14 English sentences were found in
    five of them (the location finder, a failed payment, the map pin)."""
    assert unmarked_in_scripts() == {}
    assert script_texts('''
        // "Use my location" in a comment is not shown
        say("Finding your location…"); var mode = "use strict"; marker.title = \'Your venue\';
        label.textContent = window.pamperText("hold_left");''') == ["Finding your location…", "Your venue"]


@pytest.mark.django_db
def test_the_pages_carry_the_scripts_words_in_their_language(client: Client) -> None:
    page = client.get("/de/").content.decode()
    start = page.index('<script id="pamper-texts" type="application/json">') + len(
        '<script id="pamper-texts" type="application/json">')
    texts = json.loads(page[start:page.index("</script>", start)])
    assert texts["locating"] == "Ihr Standort wird ermittelt…"
    assert texts["hold_left"] == "(noch %(time)s)"
    assert set(texts) >= {"no_location", "payment_failed", "your_venue", "hold_over"}


def test_pending_files_still_need_marking() -> None:
    still = set(unmarked_in_templates()) | set(unmarked_in_python())
    assert still >= PENDING, f"{sorted(PENDING - still)} are marked now: take them off PENDING"


def test_the_finder_itself_sees_unmarked_text() -> None:
    """The finder is not blind: plain text, attributes people read and variables in sentences are caught;
    translated text, CSS classes and non-words are not."""
    assert template_texts('<p>Book now</p><img alt="A salon">') == ["Book now", "A salon"]
    assert template_texts('<p>Hello {{ name }}</p>') == ["Hello \x00"]
    assert template_texts('{% translate "Book now" %}<p>{{ price }} · 2 km</p>') == []
    assert template_texts('{% block main_class %}wrap wide{% endblock %}<p>Pamper</p>') == []


@pytest.mark.django_db
def test_pages_answer_in_french_and_german(client: Client) -> None:
    french = client.get("/fr/treatments/").content.decode()
    assert "Soins de A à Z" in french and "Se connecter" in french
    german = client.get("/de/accounts/login/").content.decode()
    assert "Anmelden" in german and "Passwort vergessen?" in german


@pytest.mark.django_db
def test_api_messages_are_translated_and_codes_are_not(client: Client) -> None:
    body = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").json()
    assert body["code"] == "not_found"
    assert body["message"] == "Introuvable."
