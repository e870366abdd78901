"""Work a test process would otherwise repeat with the same answer, done once per process.

- TOML parsing: the catalogue loader reads about fifty TOML files per load, and the suite loads the real catalogue
  a few hundred times (the `catalogue` fixtures): a fifth of the search, SEO and catalogue tests' time was
  tomllib. `tomllib.loads` keeps what each text parsed to and hands out a fresh copy (pickle), so a caller may
  change what it gets; a text that is not valid TOML still raises every time (errors are not kept).
- WhiteNoise's scan of the static files: every new test Client builds the middleware chain, and
  WhiteNoiseMiddleware (WHITENOISE_USE_FINDERS in tests) walks and stats every static file in its constructor,
  about 20 ms per client. The scan's result is kept per static-file configuration and copied into each new
  middleware; what it serves is the same StaticFile it would have built.
- The search matcher (pamper.search.understand): the search tests start each test with a fresh one, and building
  it from the real catalogue takes about 0.1 s. The last few matchers are kept by the exact catalogue rows and the
  vocabulary they were built from, so the same rows (the same ids: SQLite rolls its id counters back with each
  test) give the same matcher without building it again.

Registered in the root conftest.py (pytest_plugins).
"""

from __future__ import annotations

import hashlib
import pickle
import tomllib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

from pamper.catalog.vocabulary import Vocabulary, vocabulary
from pamper.search import understand


@contextmanager
def toml_parsed_once() -> Iterator[None]:
    parse = tomllib.loads
    parsed: dict[str, bytes] = {}

    def loads(text: str, /, **options: Any) -> dict[str, Any]:
        if options:
            return parse(text, **options)
        if text not in parsed:
            parsed[text] = pickle.dumps(parse(text), protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(parsed[text])

    tomllib.loads = loads
    try:
        yield
    finally:
        tomllib.loads = parse


def _static_key(middleware: WhiteNoiseMiddleware) -> tuple:
    """What the scan depends on: where static files are found, under which URL, with which headers."""
    extra = ("WHITENOISE_ADD_HEADERS_FUNCTION", "WHITENOISE_IMMUTABLE_FILE_TEST", "WHITENOISE_MIMETYPES",
             "WHITENOISE_MAX_AGE", "WHITENOISE_CHARSET", "WHITENOISE_ALLOW_ALL_ORIGINS", "WHITENOISE_INDEX_FILE")
    return (middleware.static_prefix, middleware.max_age, middleware.allow_all_origins, middleware.charset,
            middleware.index_file, repr(settings.STATICFILES_DIRS), repr(settings.STATICFILES_FINDERS),
            repr(settings.STORAGES.get("staticfiles")), *(repr(getattr(settings, name, None)) for name in extra))


@contextmanager
def static_files_scanned_once() -> Iterator[None]:
    scan = WhiteNoiseMiddleware.add_files_from_finders
    scanned: dict[tuple, dict[str, Any]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = _static_key(self)
        if key not in scanned:
            before = dict(self.files)
            scan(self)
            scanned[key] = {url: found for url, found in self.files.items() if before.get(url) is not found}
        self.files.update(scanned[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    try:
        yield
    finally:
        WhiteNoiseMiddleware.add_files_from_finders = scan  # type: ignore[method-assign]


@contextmanager
def matchers_kept() -> Iterator[None]:
    build = understand.build_catalogue
    built: OrderedDict[tuple[str, int], understand.Catalogue] = OrderedDict()

    def build_catalogue(rows: list[understand.CatalogueRow], words: Vocabulary | None = None) -> understand.Catalogue:
        words = vocabulary() if words is None else words
        key = (hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest(), id(words))
        if key not in built:
            built[key] = build(rows, words)
            while len(built) > 8:
                built.popitem(last=False)
        built.move_to_end(key)
        return built[key]

    understand.build_catalogue = build_catalogue
    try:
        yield
    finally:
        understand.build_catalogue = build


@pytest.fixture(scope="session", autouse=True)
def _parse_scan_and_build_once() -> Iterator[None]:
    with toml_parsed_once(), static_files_scanned_once(), matchers_kept():
        yield
