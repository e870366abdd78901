"""Where a page sends a person back to: a `next` address they brought with them, kept only when it is a path on
this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_path(request: HttpRequest, default: str, target: str | None = None) -> str:
    """`target` (else the posted `next`, else ?next=) when it is a path on this site, else `default`.

    Only a path that starts with "/" is kept: another site ("//evil.example", "https://...") is refused, and so
    is a bare word ("?next=id"), which Django's redirect() would read as a URL name and fail on with a 500.
    """
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
