"""Keep secrets that travel in URLs out of the logs.

Calendar feeds, invitations and password resets carry their secret in the
path (a calendar app cannot send a header). Django logs the path of every 4xx
and 5xx ("Not Found: /calendar/<token>.ics") and gunicorn logs every request
line, so both pass through `redact()`: the value of every URL argument named
like a secret (token, key, secret, uidb64) becomes "[redacted]". The patterns
come from the URL resolver, so a new route with a `<token>` is covered without
a change here.

Django: the `RedactSecrets` filter on the request loggers (settings.LOGGING).
gunicorn: `--logger-class pamper.lib.redact.GunicornLogger`.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from gunicorn.glogging import Logger as _GunicornLogger

SECRET_ARGS = {"token", "key", "secret", "uidb64"}
MASK = "[redacted]"
PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
# Without Django's URL configuration: any long token-like path segment.
FALLBACK = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}(?=[/.?#\s\"]|$)")


def _route_regex(route: str) -> re.Pattern[str] | None:
    """A regex capturing the secret arguments of one route pattern, or None when it has none."""
    names = [m.group("name") for m in PARAM.finditer(route)]
    if not SECRET_ARGS & set(names):
        return None
    out, last = "", 0
    for m in PARAM.finditer(route):
        out += re.escape(route[last:m.start()])
        out += r"([^/?#\s\"]+)" if m.group("name") in SECRET_ARGS else r"[^/?#\s\"]+"
        last = m.end()
    return re.compile("/" + out + re.escape(route[last:]).replace(r"\^", "").replace(r"\$", ""))


def _routes(resolver: Any, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        # The language prefix ("de/") is left out, not read: str() of it is the language active at the first call,
        # and the patterns built then would not match any other language's URLs. Without it, a route's regex
        # (never anchored) matches its path under every prefix.
        own = "" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
        pattern = prefix + own
        found += _routes(entry, pattern) if isinstance(entry, URLResolver) else [pattern]
    return found


@cache
def secret_routes() -> tuple[re.Pattern[str], ...]:
    """A regex per route that has a secret argument (built once, from the URL resolver)."""
    regexes = (_route_regex(route) for route in _routes(get_resolver()))
    return tuple(r for r in regexes if r is not None)


def _mask_groups(match: re.Match[str]) -> str:
    text, start = "", match.start()
    for index in range(1, (match.lastindex or 0) + 1):
        text += match.string[start:match.start(index)] + MASK
        start = match.end(index)
    return text + match.string[start:match.end()]


def redact(text: str) -> str:
    """`text` with the secret parts of any site URL in it replaced by [redacted]."""
    try:
        patterns = secret_routes()
    except Exception:  # Django not configured (yet): fail closed on anything token-like
        return FALLBACK.sub(MASK, text)
    for pattern in patterns:
        text = pattern.sub(_mask_groups, text)
    return text


class RedactSecrets(logging.Filter):
    """A logging filter: formats the record's message, then redacts it (the record is always kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with the request line, path, query and referrer redacted in the access log."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        values = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in values.items()}
