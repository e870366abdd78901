"""Settings for the search benchmark's server: Pamper's own, plus a trivial view and no rate limit.

The API's rate limit keeps its counters in the cache; the dummy cache keeps
none, so a load test is not turned away with 429s.
"""

from pamper.settings import *  # noqa: F403

ROOT_URLCONF = "bench.search_urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
