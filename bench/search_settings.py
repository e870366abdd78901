"""Settings for the search benchmark's server: Pamper's own, plus a trivial view, rate limits off.

The per-client rate limits (pamper.throttles) would turn a load test from
one address away with 429s; settings.RATE_LIMITS is the switch they offer
for benchmarks. Everything else (middleware, cache, database) is as served.
"""

from pamper.settings import *  # noqa: F403

ROOT_URLCONF = "bench.search_urls"
RATE_LIMITS = False
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
