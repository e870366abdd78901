"""Landing pages: how many the demo data yields, and their server time against a venue page's.

A child process (`python -m bench.bench_landing --child`) gets a fresh data
directory with a SQLite database, loads the demo (the same
command `make run` uses: `seed --demo`, PAMPER_BENCH_LANDING_VENUES venues, default 3000),
counts the landing pages the sitemaps list, and times with Django's test
client (in one process, so the figures compare the application, not an HTTP
server):
- a venue page (GET /venues/<slug>/), the reference;
- a landing page whose cached entry was just dropped (a miss: the search
  query, the counts, the FAQ, the nearby towns and related treatments are
  built; the town list stays cached as it does between two page views);
- a landing page from its cache entry (a hit).
Target: a miss within 3x the venue page's median server time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.common import write_section

VENUES = int(os.environ.get("PAMPER_BENCH_LANDING_VENUES", "3000"))
SAMPLE = 40
REPEAT = 3
TARGET = 3.0


def _median_ms(client: Any, paths: list[str], before: Any = None) -> float:
    times = []
    for _ in range(REPEAT):
        for path in paths:
            if before:
                before(path)
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def child() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.utils.translation import override

    from pamper.catalog.models import Treatment
    from pamper.seo.sitemaps import CategoryLandingSitemap, LandingSitemap
    from pamper.venues.models import Venue

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # the hashed names, as in production
    started = time.monotonic()
    with open(os.devnull, "w") as quiet:  # what `make run` loads: venues, reviews, the index, next free slots
        call_command("seed", "--demo", "--venues", str(VENUES), stdout=quiet)
    seeded = time.monotonic() - started
    print(f"seeded {VENUES} venues in {seeded:.0f} s", file=sys.stderr, flush=True)
    landing = LandingSitemap().items()
    categories = CategoryLandingSitemap().items()
    step = max(1, len(landing) // SAMPLE)
    with override("en"):
        pages = [LandingSitemap().location(item) for item in landing[::step][:SAMPLE]]
    slugs = list(Venue.objects.filter(is_published=True).order_by("?").values_list("slug", flat=True)[:SAMPLE])
    venue_pages = [f"/venues/{slug}/" for slug in slugs]
    client = Client()
    for path in pages + venue_pages:  # warm the process: templates, the place index, the catalogue matcher
        client.get(path)

    def evict(path: str) -> None:
        treatment_slug, town_slug = path.split("/")[2], path.split("/")[4]
        treatment_id = Treatment.objects.filter(slug=treatment_slug).values_list("id", flat=True).first()
        cache.delete(f"seo:landing:en:t{treatment_id}:{town_slug}")

    venue_ms = _median_ms(client, venue_pages)
    miss_ms = _median_ms(client, pages, before=evict)
    hit_ms = _median_ms(client, pages)
    return {"venues": Venue.objects.count(), "seeded_s": round(seeded), "landing": len(landing),
            "categories": len(categories), "towns": len({item[1] for item in landing}), "sample": len(pages),
            "venue_ms": venue_ms, "miss_ms": miss_ms, "hit_ms": hit_ms, "languages": 7}


def report(r: dict[str, Any]) -> str:
    ratio = r["miss_ms"] / r["venue_ms"]
    verdict = "meets" if ratio <= TARGET else "misses"
    return "\n".join([
        f"Demo data: {r['venues']:,} venues (`seed --demo`) on SQLite; Django's test client, one process, "
        f"{r['sample']} pages of each kind, {REPEAT} rounds, medians.",
        "",
        f"Landing pages the demo yields: **{r['landing']:,}** treatment-in-town pages and {r['categories']:,} "
        f"category-in-town pages over {r['towns']:,} towns, each in {r['languages']} languages in the sitemaps.",
        "",
        "| page | median server time |",
        "| --- | --- |",
        f"| venue page (reference) | {r['venue_ms']:.1f} ms |",
        f"| landing page, cache miss (built: search, counts, FAQ, nearby, related) | {r['miss_ms']:.1f} ms |",
        f"| landing page, cache hit | {r['hit_ms']:.1f} ms |",
        f"| **miss / venue page** | **{ratio:.2f}x** (target at most {TARGET:g}x: {verdict}) |",
    ])


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pamper-bench-landing-") as data_dir:
        env = {**os.environ, "PAMPER_DATA_DIR": data_dir, "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": "pamper.settings", "PAMPER_RATE_LIMITS": "0"}
        out = subprocess.run([sys.executable, "-m", "bench.bench_landing", "--child"], env=env, check=True,
                             stdout=subprocess.PIPE, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    write_section("seo-landing", "Landing pages (seo)", report(result))
    print(report(result))
    return result


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        main()
