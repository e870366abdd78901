"""The emails accounts sends itself: an invitation to join a venue, the link that confirms a new account's address,
the notice that an account is closed.

Each is written in its reader's language, sent once the transaction that called for it has committed, and a mail
failure is logged, never raised (the change it reports stands). The confirmation link is signed, not stored: it
carries the account's id and address, so it stops working when either changes (a closed account's address does),
and it lasts CONFIRM_DAYS.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from pamper.lib.headers import one_line
from pamper.lib.languages import message_language

from .models import INVITATION_DAYS, Invitation, User

logger = logging.getLogger(__name__)

CONFIRM_DAYS = 7
CONFIRM_SALT = "pamper.accounts.confirm-email"


def invitation_url(raw: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", args=[raw])


def confirmation_token(user: User) -> str:
    """A signed token naming the account and the address it confirms."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRM_SALT, compress=True)


def confirmation_claim(token: str) -> dict[str, Any] | None:
    """What a confirmation token says ({"user", "email"}), or None when it is forged, damaged or older than
    CONFIRM_DAYS."""
    try:
        claim = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return claim if isinstance(claim, dict) else None


def _send(subject: str, template: str, context: dict[str, Any], to: str, what: str) -> None:
    try:
        send_mail(one_line(subject), render_to_string(template, context), None, [to])
    except Exception:
        logger.exception("could not send %s", what)


def send_confirmation(user_id: int, language: str) -> None:
    """Email the account's address the link that confirms it, in `language` (the page or request it signed up
    from) unless the account has chosen one since."""
    user = User.objects.filter(pk=user_id, email_confirmed=False, is_active=True).first()
    if user is None:  # confirmed (or closed) before the email went out
        return
    with translation.override(message_language(user.language or language)):
        path = reverse("accounts:confirm_email", args=[confirmation_token(user)])  # under the email's language
        subject = gettext("Confirm your email address for Pamper")
        context = {"user": user, "url": settings.SITE_URL + path, "days": CONFIRM_DAYS, "site_url": settings.SITE_URL}
        _send(subject, "accounts/email/confirm_email.txt", context, user.email, f"the confirmation link of {user_id}")


def send_invitation(invitation_id: int, raw: str) -> None:
    invitation = Invitation.objects.select_related("venue", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "url": invitation_url(raw), "days": INVITATION_DAYS}
    # In the language of the person invited when they have an account, else the venue's (not the inviter's page).
    theirs = User.objects.filter(email__iexact=invitation.email).values_list("language", flat=True).first()
    with translation.override(message_language(theirs, invitation.venue.message_language)):
        subject = gettext("Join %(venue)s on Pamper") % {"venue": invitation.venue.name}
        _send(subject, "accounts/email/invitation.txt", context, invitation.email, f"invitation {invitation_id}")


def send_closed(email: str, language: str) -> None:
    """Tell the old address its account is closed (in the account's language; it had no venue to fall back on)."""
    with translation.override(message_language(language)):
        subject = gettext("Your Pamper account is closed")
        _send(subject, "accounts/email/account_closed.txt", {"email": email, "site_url": settings.SITE_URL}, email,
              "the account-closed email")
