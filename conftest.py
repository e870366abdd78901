"""Suite-wide fixtures: the shared test world (pamper/tests/world.py) and its frozen clock, fast password
hashing, private media, in-process tasks, browser set-up on Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import caches
from django.utils import translation
from playwright.sync_api import expect

from pamper.catalog.loader import LoadReport
from pamper.search import understand
from pamper.tests.snapshot import replayed
from pamper.tests.world import NOW, World, build_world, real_catalogue

# s3_server / s3_storage: a real S3 server (moto); pg_replica: a PostgreSQL primary and streaming replica. Each
# starts once per session, and only when a test asks for it. database: each worker's test database copied from a
# migrated template. memo: TOML parsing and WhiteNoise's static-file scan done once per process.
pytest_plugins = ["pamper.tests.s3", "pamper.tests.replica", "pamper.tests.database", "pamper.tests.memo"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "var" / "test-artifacts"


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server", "admin_client", "admin_user", "django_user_model"}


def uses_no_database(item: pytest.Item) -> bool:
    """A test that cannot touch the test database: no django_db mark and no fixture that opens it (pytest-django
    refuses database access to any other test), and no skip condition that could depend on the database. A test
    marked own_servers (it starts its own PostgreSQL, as the scale test does) declares all of that itself."""
    if item.get_closest_marker("own_servers"):
        return True
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    return not any(item.iter_markers("skipif")) and not item.get_closest_marker("postgres_only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser journeys need Chromium; skip them without it unless it is required.

    With PAMPER_TEST_DATABASE_ONLY=1 (bin/test's second run, on PostgreSQL) the tests that use no database are
    left out: they ran a minute before in the SQLite run, and their result cannot depend on the database.
    """
    if os.environ.get("PAMPER_TEST_DATABASE_ONLY") == "1":
        kept = [item for item in items if not uses_no_database(item)]
        left_out = [item for item in items if uses_no_database(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
    _longest_first(items)
    if os.path.exists(CHROMIUM) or os.environ.get("PAMPER_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="chromium is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _is_long(item: pytest.Item) -> bool:
    """A browser journey, a test that starts its own servers, or one marked slow (several seconds each)."""
    return "browser" in item.keywords or any(item.get_closest_marker(m) for m in ("own_servers", "slow"))


def _longest_first(items: list[pytest.Item]) -> None:
    """Order the run for pytest-xdist's worksteal, which gives each worker one contiguous half of the list and lets
    an idle worker take the *end* of the other's queue: each half starts with its share of the long tests (browser
    journeys, tests that start their own servers, tests marked slow) and ends with short ones, so no worker is left
    with a long test while the other idles. The same order on every worker (it must be), the short tests' order
    unchanged."""
    long = [i for i in items if _is_long(i)]
    if not long:
        return
    short = [i for i in items if not _is_long(i)]
    middle = len(short) // 2
    items[:] = [*long[0::2], *short[:middle], *long[1::2], *short[middle:]]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations() -> None:
    """Playwright's expect() waits up to 15 s (not 5): on two cores shared by two test workers, a page's htmx
    answer can take longer than 5 s to arrive, and the assertion is about what shows, not how fast."""
    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def page(page, request: pytest.FixtureRequest) -> Iterator:  # type: ignore[no-untyped-def]
    """Playwright's page; a failing journey leaves a screenshot in var/test-artifacts/."""
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded files (progress photos) go to a folder of the test's own, never the developer's data dir."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks run in-process in tests unless a test chooses another backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_passwords(request: pytest.FixtureRequest, settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; tests that hash passwords are about something else (unless marked argon2).

    New passwords are hashed with MD5; the production hashers stay listed after it, so a password hashed
    with Argon2 before this fixture ran (module-scoped data, such as the demo seed) still signs in.
    """
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    """The clock stopped at the shared world's now (Monday 2 March 2026 08:00 UTC)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen) -> World:  # type: ignore[no-untyped-def]
    """The shared world (pamper/tests/world.py): a clinic, its people in every role, a second venue. Built by a
    worker's first test, its rows copied back for the next ones (pamper/tests/snapshot.py)."""
    return replayed("world", build_world)


@pytest.fixture
def catalogue(db) -> LoadReport:  # type: ignore[no-untyped-def]
    """The real catalogue in the test database (pamper/tests/world.py: real_catalogue)."""
    return real_catalogue()


@pytest.fixture(autouse=True)
def _catalogue_compared_once() -> None:
    """The search's query matcher compares the catalogue's rows with its own on a test's first search (the test
    before may have changed them and rolled back), then only after a treatment or category is saved or deleted."""
    understand.stale()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty in-process cache: entries kept by the test before (a venue's cover, rate
    limit counts, a landing page) describe rows that its rollback removed, under ids the next test may reuse."""
    for alias in django_settings.CACHES:
        if django_settings.CACHES[alias]["BACKEND"].endswith("LocMemCache"):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _english_to_start() -> Iterator[None]:
    """Each test starts in English: a request under /fr/ (or a test's activate()) leaves its language on the
    thread, and the next test on that worker would otherwise read French where it expects English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
