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

from pamper.errors import Refusal, refusal_shown

T = TypeVar("T")


def refusal_page(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The refusal's sentence as a page with its status; an htmx request gets the fragment alone."""
    refusal_shown.send(sender=Refusal, refusal=refusal)
    context = {"code": refusal.code, "message": refusal.message, "errors": refusal.extra.get("errors") or []}
    template = "refused.html#refusal" if getattr(request, "htmx", False) else "refused.html"
    return render(request, template, context, status=refusal.status)


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
