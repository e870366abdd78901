"""Search understanding: autocomplete speed, one-box reading speed, and the phrase list's share per language.

In one child process on demo data (seed_demo, PAMPER_BENCH_SUGGEST_VENUES venues, default 300, SQLite):
- GET /api/v1/suggest through Django's test client (middleware, language, JSON) for what is typed key by
  key in seven languages ("m", "me", "mes" ...), what and where; target: p95 under 20 ms;
- the one-box reading of a search (search/intent.py: split, understand, place) for the phrase list;
- the share of pamper/search/tests/data/phrases.tsv understood, per language (the test asserts 95%).

Run alone with `python -m bench.bench_suggest`; `make bench` runs main().
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import write_section

VENUES = int(os.environ.get("PAMPER_BENCH_SUGGEST_VENUES", "300"))
TARGET_MS = 20.0
PHRASES = Path(__file__).resolve().parent.parent / "pamper" / "search" / "tests" / "data" / "phrases.tsv"
TYPED_WHAT = {
    "en": ["mesotherapy", "lip filler", "nails", "eyebrows"], "fr": ["épilation laser", "extension de cils"],
    "de": ["Wimpernverlängerung", "Maniküre"], "es": ["depilación", "masaje relajante"],
    "it": ["ceretta", "pulizia del viso"], "nl": ["gellak", "wenkbrauwen"], "pt": ["drenagem linfática", "unhas"],
}
TYPED_WHERE = ["London", "Manchester", "Paris", "Berlin", "Valencia", "Amsterdam", "Lisboa", "SW1A 1AA", "75001"]


def _keys(words: list[str]) -> list[str]:
    """What a person has typed after each key, from the second one."""
    return [word[:n] for word in words for n in range(2, len(word) + 1)]


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"n": len(ordered), "p50": statistics.median(ordered), "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "max": ordered[-1]}


def child() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from pamper.catalog.loader import load_catalogue
    from pamper.demo.generate import seed_demo
    from pamper.lib import clock
    from pamper.search import intent, suggest
    from pamper.search.params import SearchParams
    from pamper.search.tests.test_phrases import read_phrases, shares

    call_command("migrate", verbosity=0, interactive=False)
    load_catalogue()
    seed_demo(venues=VENUES, seed=1, now=clock.now(), log=lambda *a: None)
    client = Client()
    client.get("/api/v1/suggest", {"q": "warm", "kind": "what"})  # build the matcher, the place and postcode indexes
    client.get("/api/v1/suggest", {"q": "SW1A 1AA", "kind": "where"})  # reads the postcode table
    timings: dict[str, list[float]] = {"what": [], "where": []}
    for kind, typed in (("what", [(lang, t) for lang, ws in TYPED_WHAT.items() for t in _keys(ws)]),
                        ("where", [("en", t) for t in _keys(TYPED_WHERE)])):
        for language, text in typed:
            started = time.perf_counter()
            response = client.get("/api/v1/suggest", {"q": text, "kind": kind}, HTTP_ACCEPT_LANGUAGE=language)
            timings[kind].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (text, response.content)
    direct: dict[str, list[float]] = {"what_direct": [], "where_direct": []}
    for kind, call, typed in (("what_direct", suggest.what, [(lang, t) for lang, ws in TYPED_WHAT.items()
                                                              for t in _keys(ws)]),
                              ("where_direct", suggest.where, [("en", t) for t in _keys(TYPED_WHERE)])):
        for language, text in typed:
            started = time.perf_counter()
            call(text, 8, language)
            direct[kind].append((time.perf_counter() - started) * 1000)
    rows = read_phrases()
    reading = []
    for language, phrase, _ in rows:
        for text in (phrase, f"{phrase} London"):
            started = time.perf_counter()
            intent.read(SearchParams(q=text), language)
            reading.append((time.perf_counter() - started) * 1000)
    counts, misses = shares(rows)
    return {"venues": VENUES, "what": _percentiles(timings["what"]), "where": _percentiles(timings["where"]),
            "what_direct": _percentiles(direct["what_direct"]), "where_direct": _percentiles(direct["where_direct"]),
            "reading": _percentiles(reading), "shares": counts, "misses": misses, "load": os.getloadavg()[0]}


def report(r: dict[str, Any]) -> str:
    lines = [f"Demo data: {r['venues']} venues (seed_demo, seed 1) on SQLite; one process, warm; as typed key by key "
             f"in seven languages. Load average during the run: {r['load']:.1f} on this machine's cores (shared).", "",
             "| what | calls | p50 | p95 | max | target |", "| --- | --- | --- | --- | --- | --- |"]
    for key, label in (("what_direct", "suggest.what (in-process, the endpoint's work)"),
                       ("where_direct", "suggest.where (in-process, the endpoint's work)"),
                       ("what", "GET /api/v1/suggest?kind=what (test client, all middleware)"),
                       ("where", "GET /api/v1/suggest?kind=where (test client, all middleware)"),
                       ("reading", "one-box reading of a search (intent.read, in-process)")):
        p = r[key]
        target = f"p95 < {TARGET_MS:g} ms: {'meets' if p['p95'] < TARGET_MS else 'misses'}" if key != "reading" else ""
        lines.append(f"| {label} | {p['n']} | {p['p50']:.2f} ms | {p['p95']:.2f} ms | {p['max']:.2f} ms | {target} |")
    lines += ["", "Phrase list (pamper/search/tests/data/phrases.tsv) understood, per language:", "",
              "| language | understood | share |", "| --- | --- | --- |"]
    total_good = total = 0
    for language, (good, count) in sorted(r["shares"].items()):
        lines.append(f"| {language} | {good}/{count} | {100 * good / count:.1f}% |")
        total_good, total = total_good + good, total + count
    lines.append(f"| all | {total_good}/{total} | {100 * total_good / total:.1f}% |")
    if r["misses"]:
        lines += ["", "Misses: " + "; ".join(r["misses"])]
    return "\n".join(lines)


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pamper-bench-suggest-") as data_dir:
        env = {**os.environ, "PAMPER_DATA_DIR": data_dir, "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": "pamper.settings", "PAMPER_RATE_LIMITS": "0"}
        out = subprocess.run([sys.executable, "-m", "bench.bench_suggest", "--child"], env=env, check=True,
                             capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    write_section("search-suggest", "Search understanding: suggestions, one box, phrases per language", report(result))
    print(report(result))
    return result


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        main()
