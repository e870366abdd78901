"""A line break inside a name does not stop the emails that carry it.

The workspace's forms keep a line break typed or pasted into a venue's, service's or staff member's name, and
email subjects are built from those names: Django refuses a header with a line break (BadHeaderError), so every
confirmation, cancellation and reminder of such a venue failed and was retried, and its team invitations,
waitlist offers, refund notes and credential warnings never left. Every subject now goes through
pamper.lib.headers.one_line; a source walk finds any email sent without it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import time_machine
from django.core import mail

from pamper.accounts.actions import invite_member
from pamper.lib.headers import one_line
from pamper.notifications.models import Message
from pamper.notifications.models import Status as MessageStatus

from .helpers import book, utc

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2]  # the pamper package
SENDERS = {"send_mail", "EmailMultiAlternatives", "EmailMessage", "send_mass_mail", "mail_admins", "mail_managers"}


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_venue_and_service_named_over_two_lines_still_get_their_mail(smtp, world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    world.venue.name = "Glow\r\nBcc: someone@example.com"
    world.venue.save(update_fields=["name"])
    world.service.name = "Glow\npeel"
    world.service.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 10, 13, 30))
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    [confirmation] = smtp.inbox.to(world.customer.email)
    assert confirmation["Subject"] == "Booking confirmed: Glow Bcc: someone@example.com on Wed 10 Jun 2026, 14:30 BST"
    assert confirmation["Bcc"] is None
    [venue_mail] = smtp.inbox.to(world.venue.email)
    assert venue_mail["Subject"].startswith("New booking: Glow peel on Wed 10 Jun 2026")


def test_a_team_invitation_from_a_venue_named_over_two_lines_is_sent(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    world.venue.name = "Glow\nStudio"
    world.venue.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        invite_member(venue=world.venue, email="tess@example.com", role="reception", invited_by=world.owner,
                      now=utc(2026, 6, 1, 9, 0))
    [sent] = mail.outbox
    assert sent.subject == "Join Glow Studio on Pamper"


def test_one_line_folds_every_line_break() -> None:
    assert one_line(" a\r\nb\u2028c\x0bd\te \n") == "a b c d e"


def _hands_on_to_django(call: ast.Call) -> bool:
    """super().send_mail(subject_template_name, ...) in a password-reset form: Django's PasswordResetForm renders
    the subject from its template and joins its lines itself (accounts.forms.LimitedPasswordResetForm)."""
    target = getattr(call.func, "value", None)
    return isinstance(target, ast.Call) and getattr(target.func, "id", None) == "super"


def _subject(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "subject":
            return keyword.value
    return call.args[0] if call.args else None


def _is_one_line(node: ast.expr | None, function: ast.AST) -> bool:
    def folded(value: ast.expr | None) -> bool:
        return isinstance(value, ast.Call) and getattr(value.func, "id", None) == "one_line"
    if isinstance(node, ast.Name):  # subject = one_line(...) earlier in the same function
        return any(isinstance(n, ast.Assign) and folded(n.value)
                   and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
                   for n in ast.walk(function))
    return folded(node)


def test_every_email_subject_is_folded_onto_one_line() -> None:
    unfolded = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(function):
                name = getattr(getattr(call, "func", None), "id", None) or getattr(getattr(call, "func", None),
                                                                                   "attr", None)
                if (isinstance(call, ast.Call) and name in SENDERS and not _hands_on_to_django(call)
                        and not _is_one_line(_subject(call), function)):
                    unfolded.append(f"{path.relative_to(SOURCE)}:{call.lineno}")
    assert unfolded == []
