"""How pages show a Refusal (pamper.errors): one page for a refusal no view handles, one form adapter.

The API's translation is pamper.api's exception handler. On pages, a Refusal
that leaves a view is answered by `refusal_page` (pamper.middleware's
RefusalPageMiddleware calls it), with the refusal's status. A view that shows
a form hands its write to `form_attempt`, which puts the refusal's messages
next to the fields they are about and lets the view render the form again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from pamper.errors import Refusal, refusal_shown

T = TypeVar("T")

# What a page says for an error that arrives without a sentence of its own (Django's bare 400 and 403, a view's
# 405 for a form address opened directly): status -> (code, sentence).
PAGE_ERRORS = {
    400: ("bad_request", gettext_lazy("Something in that request could not be read. Go back and try again.")),
    403: ("forbidden", gettext_lazy("You do not have access to this page.")),
    405: ("method_not_allowed", gettext_lazy(
        "This address only takes a form sent from one of Pamper's pages: open the page the form is on instead.")),
}
# Headers of a bare answer that describe its (empty) body rather than the error.
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-language"})


def refusal_page(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The refusal's sentence as a page with its status; an htmx request gets the fragment alone."""
    refusal_shown.send(sender=Refusal, refusal=refusal)
    context = {"code": refusal.code, "message": refusal.message, "errors": refusal.extra.get("errors") or []}
    template = "refused.html#refusal" if getattr(request, "htmx", False) else "refused.html"
    return render(request, template, context, status=refusal.status)


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The site's page for an error `status` that came with no sentence of its own."""
    code, message = PAGE_ERRORS.get(status, ("error", gettext_lazy("The request failed.")))
    return refusal_page(request, Refusal(status, code, str(message)))


def page_for_bare_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response` itself, unless it is an error with an empty body (a 405 from require_POST ...): then the site's
    error page with the same status and headers (Allow, Retry-After)."""
    if response.status_code < 400 or response.streaming or response.content or request.method == "HEAD":
        return response
    page = error_page(request, response.status_code)
    for name, value in response.items():
        if name.lower() not in _BODY_HEADERS:
            page[name] = value
    page.cookies = response.cookies
    return page


def form_attempt(form: forms.BaseForm, write: Callable[[], T], field: str | None = None) -> T | None:
    """Run the write and return what it returns; None when it raised a Refusal, which is then on the form.

    Each of the refusal's `errors` goes next to its field, and so does its
    message when it names a `field` the form has; otherwise the message goes
    next to `field` (this form's name for what the write refuses on) when the
    form has it, else at the top of the form. Anything else the write raises
    is not caught.
    """
    try:
        return write()
    except Refusal as refusal:
        refusal_shown.send(sender=Refusal, refusal=refusal)
        _add_errors(form, refusal, field)
        return None


def _add_errors(form: forms.BaseForm, refusal: Refusal, fallback: str | None) -> None:
    def place(name: str | None) -> str | None:
        return name if name in form.fields else None

    if refusal.extra.get("errors"):
        for error in refusal.extra["errors"]:
            form.add_error(place(error["field"]), error["message"])
    elif place(refusal.extra.get("field")):
        form.add_error(refusal.extra["field"], refusal.message)
    else:
        form.add_error(place(fallback), refusal.message)
