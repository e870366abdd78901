"""Writes on accounts, memberships and invitations: sign up, close an account, invite, accept, revoke, change
role, remove.

Each function owns its transaction. Refusals raise pamper.errors.Refusal with a
message meant for the person who asked (409 unless it is a matter of role, 403).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from functools import partial

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from pamper.errors import Refusal

from . import emails, hooks, signin, two_factor
from .models import (
    ADMIN_ROLES,
    CLINICAL_ROLES,
    INVITATION_DAYS,
    ApiToken,
    Invitation,
    Membership,
    Role,
    User,
    hash_token,
)

logger = logging.getLogger(__name__)


def roles_grantable_by(role: str) -> list[str]:
    """The roles a member with `role` may give: owners any, managers all but owner, others none."""
    if role == Role.OWNER:
        return [r.value for r in Role]
    if role == Role.MANAGER:
        return [Role.MANAGER, Role.PRACTITIONER, Role.RECEPTION]
    return []


def invite_member(*, venue, email: str, role: str, invited_by: User, now: dt.datetime) -> tuple[Invitation, str]:  # type: ignore[no-untyped-def]
    """Create an invitation and email its link once committed; returns (row, raw token).

    An earlier pending invitation for the same address at the venue is revoked,
    so only the newest link works. Refuses people who already belong to the venue.
    Inviting with a role that opens clinical records needs the second factor where there is one (TwoFactorRequired).
    """
    email = email.strip().lower()
    if role in CLINICAL_ROLES:
        two_factor.require_step_up(invited_by, venue=venue,
                                   doing=_("Inviting someone with a role that opens clinical records"))
    with transaction.atomic():
        if Membership.objects.filter(venue=venue, user__email__iexact=email).exists():
            raise Refusal(
                409,
                "already_member",
                gettext("%(email)s already belongs to %(venue_name)s.") % {"email": email, "venue_name": venue.name},
            )
        Invitation.objects.filter(venue=venue, email=email).pending(now).update(revoked_at=now)
        raw = "inv_" + secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            venue=venue,
            email=email,
            role=role,
            token_hash=hash_token(raw),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        )
        transaction.on_commit(partial(emails.send_invitation, invitation.pk, raw), robust=True)
    return invitation, raw


def find_invitation(raw: str) -> Invitation | None:
    """The invitation behind a raw token (in any state), or None."""
    return Invitation.objects.select_related("venue").filter(token_hash=hash_token(raw)).first()


def accept_invitation(*, raw: str, user: User, now: dt.datetime) -> Membership:
    """Turn a pending invitation into a membership for `user`.

    The signed-in address must be the invited one. Raises Refusal 409 when
    the link is unknown, used, revoked or expired, sent to another address, or the user already belongs;
    TwoFactorRequired for a clinical role taken by a two-factor account whose
    session has not given its code.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(raw)).first()
        if invitation is None:
            raise Refusal(409, "invalid_invitation", gettext("This invitation link is not valid."))
        state = invitation.state(now)
        if state != "pending":
            raise Refusal(
                409, "invitation_not_pending", gettext("This invitation has been %(state)s.") % {"state": state}
            )
        if invitation.role in CLINICAL_ROLES:  # a session that skipped the code does not take clinical access
            two_factor.require_step_up(
                user, venue=invitation.venue, venue_rule=False,
                doing=_("Joining with a role that opens clinical records"),
            )
        if invitation.email.lower() != user.email.lower():
            raise Refusal(
                409,
                "other_invitee",
                gettext("This invitation was sent to %(invitation_email)s. Sign in with that address to accept it.")
                % {"invitation_email": invitation.email},
            )
        if Membership.objects.filter(venue_id=invitation.venue_id, user=user).exists():
            raise Refusal(409, "already_member", gettext("You already belong to this venue."))
        membership = Membership.objects.create(
            user=user, venue_id=invitation.venue_id, role=invitation.role, created_at=now
        )
        invitation.accepted_at, invitation.accepted_by = now, user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        mark_confirmed(user=user, now=now)  # the link came to this address
    return membership


def revoke_invitation(*, invitation: Invitation, now: dt.datetime) -> None:
    if invitation.state(now) != "pending":
        raise Refusal(409, "invitation_not_pending", gettext("Only a pending invitation can be revoked."))
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now)


def _other_owners(membership: Membership) -> bool:
    return Membership.objects.filter(venue_id=membership.venue_id, role=Role.OWNER).exclude(pk=membership.pk).exists()


def change_role(*, membership: Membership, role: str, by_role: str, by: User) -> Membership:
    """Give a member another role. The last owner keeps the role; managers cannot touch owners.

    Giving a role that opens clinical records needs `by`'s second factor where there is one (TwoFactorRequired);
    taking such a role away does not.
    """
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role not in roles_grantable_by(by_role) or (membership.role == Role.OWNER and by_role != Role.OWNER):
            raise Refusal(403, "role_not_grantable", gettext("You cannot give or take that role."))
        if role in CLINICAL_ROLES and role != membership.role:
            two_factor.require_step_up(by, venue=membership.venue, doing=_("Giving a role that opens clinical records"))
        if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
            raise Refusal(
                409, "last_owner", gettext("A venue needs at least one owner: make someone else owner first.")
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, membership: Membership, by_role: str) -> None:
    """Take a person out of a venue. The last owner cannot be removed; managers cannot remove owners."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.OWNER and by_role != Role.OWNER:
            raise Refusal(403, "owner_required", gettext("Only an owner can remove an owner."))
        if membership.role == Role.OWNER and not _other_owners(membership):
            raise Refusal(
                409, "last_owner", gettext("A venue needs at least one owner: make someone else owner first.")
            )
        membership.delete()


def revoke_token(*, token: ApiToken, now: dt.datetime) -> None:
    """End one token: its next request is refused (the update forgets it in the lookup cache)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def revoke_all_tokens(*, user: User, now: dt.datetime) -> int:
    """End every API token of `user` (their password changed: a token taken with the old one must not outlive it).
    Returns how many were active."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def deactivate_accounts(*, users: QuerySet[User], keep: User) -> int:
    """Deactivate `users` (the admin's bulk action), `keep` (the operator doing it) excepted; returns how many.

    One bulk update: their sessions are refused (ModelBackend turns inactive users away) and their API tokens on
    the next request, since the update forgets them in the lookup cache (UserQuerySet.update). The tokens are not
    revoked: reactivating the account brings them back."""
    return users.exclude(pk=keep.pk).filter(is_active=True).update(is_active=False)


# Marked here and translated where it is said (gettext(EMAIL_TAKEN)): the form and the refusal both use it.
EMAIL_TAKEN = gettext_noop("An account with this email already exists. Sign in, or reset your password.")


def sign_up(*, email: str, name: str, password: str) -> User:
    """A new customer account, its email lower-cased, its password hashed, its address not yet confirmed; returns
    the user (not signed in). Once committed, the address is sent the link that confirms it, in the language
    active now (the page's, or the API request's Accept-Language).

    Refusal 409 email_taken (field email) when the address signed up a moment
    ago, between the form's check and the insert.
    """
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name, email_confirmed=False)
    except IntegrityError as exc:
        raise Refusal(409, "email_taken", gettext(EMAIL_TAKEN), field="email") from exc
    cache.set(_sent_key(user), 1, RESEND_AFTER)
    _send_link(user)
    return user


RESEND_AFTER = 60  # seconds between two confirmation links asked for by the same account


def resend_confirmation(*, user: User) -> bool:
    """Send the confirmation link again (in the language active now); False, sending nothing, when the address is
    confirmed already or a link went out (at sign-up or again) less than RESEND_AFTER seconds ago."""
    if user.email_confirmed or not cache.add(_sent_key(user), 1, RESEND_AFTER):
        return False
    _send_link(user)
    return True


def _sent_key(user: User) -> str:
    return f"accounts:confirm-sent:{user.pk}"


def _send_link(user: User) -> None:
    transaction.on_commit(partial(emails.send_confirmation, user.pk, translation.get_language() or ""), robust=True)


def confirm_email(*, token: str, now: dt.datetime) -> User:
    """Confirm the address a confirmation link was sent to; returns its account (confirmed already is fine).

    Refusal 400 bad_link when the link is forged, damaged or expired, or its account has since closed or changed
    address.
    """
    claim = emails.confirmation_claim(token) or {}
    user = User.objects.filter(pk=claim.get("user"), email=claim.get("email"), is_active=True,
                               closed_at__isnull=True).first() if claim else None
    if user is None:
        raise bad_confirmation_link()
    mark_confirmed(user=user, now=now)
    return user


def bad_confirmation_link() -> Refusal:
    return Refusal(400, "bad_link", gettext(
        "This link is not valid any more. Sign in and ask for a new one from the banner at the top of the page."))


def mark_confirmed(*, user: User, now: dt.datetime) -> None:
    """The account's address is shown to be its holder's (a link sent there was followed: the confirmation link,
    an invitation, a password reset). Once: the mail held for it is released (hooks.email_confirmed)."""
    if user.email_confirmed:
        return
    with transaction.atomic():
        if User.objects.filter(pk=user.pk, email_confirmed=False).update(email_confirmed=True):
            hooks.email_confirmed.send(sender=User, user=user, now=now)
    user.email_confirmed = True


def register(*, email: str, name: str, password: str) -> tuple[User, str]:
    """sign_up, and a bearer token for the new account (no second factor yet): both or neither.

    Returns (user, the raw token, shown once). Refusal 409 email_taken as sign_up.
    """
    with transaction.atomic():
        user = sign_up(email=email, name=name, password=password)
        _, raw = signin.issue_token(user, verified=False)
    return user, raw


def update_profile(*, user: User, name: str, phone: str, language: str | None = None) -> User:
    """The account holder's own name, phone number and (when given) language; returns the user."""
    user.name, user.phone = name, phone
    fields = ["name", "phone"]
    if language is not None:
        user.language = choose_language(language)
        fields.append("language")
    user.save(update_fields=fields)
    return user


def choose_language(language: str) -> str:
    """`language` when it is one Pamper speaks; a 400 Refusal otherwise."""
    if language not in dict(settings.LANGUAGES):
        raise Refusal(400, "unknown_language", _("Choose one of the languages offered."))
    return language


def set_language(*, user: User, language: str) -> User:
    """The language the account's emails and reminders are written in (the switcher and the profile set it)."""
    user.language = choose_language(language)
    user.save(update_fields=["language"])
    return user


# Closing an account ----------------------------------------------------------------------------------------------

# The domain of the addresses closed accounts get: `.invalid` is reserved (RFC 2606) and never delivers mail.
CLOSED_DOMAIN = "closed.invalid"


def closed_email(user_id: int) -> str:
    """The address a closed account keeps: unique (by id), never routable, so the old one can sign up again."""
    return f"closed-{user_id}@{CLOSED_DOMAIN}"


def check_closing(*, user: User, now: dt.datetime) -> None:
    """Refuse (409) when `user` cannot close their account yet; None when they can. Changes nothing.

    Accounts' own rule first: a person on a venue's team (owner or manager: hand the venue over or close it;
    practitioner or reception: be taken off the team) keeps their account, because the venue's diary, audit
    trail and clinical notes name them. Then every check the upper apps registered (bookings: upcoming visits).
    """
    memberships = list(Membership.objects.filter(user=user).select_related("venue").order_by("venue__name"))
    runs = [m.venue.name for m in memberships if m.role in ADMIN_ROLES]
    if runs:
        raise Refusal(409, "runs_a_venue", gettext(
            "You own or manage %(venues)s on Pamper. Hand the venue over to someone else, or close it, before "
            "closing your account.") % {"venues": ", ".join(runs)}, venues=runs)
    if memberships:
        names = [m.venue.name for m in memberships]
        raise Refusal(409, "works_at_a_venue", gettext(
            "You are on the team of %(venues)s on Pamper. Ask the venue to take you off its team before closing "
            "your account.") % {"venues": ", ".join(names)}, venues=names)
    hooks.run_closing_checks(user=user, now=now)


def close_account(*, user: User, password: str, code: str | None, address: str, now: dt.datetime) -> User:
    """Close the account of `user` for good, after their password (and code) check out; returns the scrubbed user.

    In one transaction: the checks (`check_closing`: 409 runs_a_venue, works_at_a_venue, upcoming_visits ...),
    then `hooks.account_closing` (health data erased; favourites, stored booking answers, waitlist entries, saved
    cards, gift-card addresses, feeds and preferences removed by their apps), then accounts' own rows go
    (`_forget_own_rows`: API tokens, two-factor devices, the address on invitations) and the row is scrubbed:
    a non-routable address, no name, phone or language, an unusable password (which ends every session), inactive.
    Reviews and past bookings keep pointing at the row. Once committed, the old address is told, in the
    person's language. The identity check's refusals (429, 403 wrong_password, two_factor_code_required,
    invalid_code) come before anything is read or changed.
    """
    signin.confirm_identity(user, password=password, code=code, address=address)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_closed:
            raise Refusal(409, "account_closed", gettext("This account is already closed."))
        check_closing(user=user, now=now)
        old_email, language, confirmed = user.email, user.language, user.email_confirmed
        hooks.announce_closing(user=user, now=now)
        _forget_own_rows(user=user, old_email=old_email, now=now)
        user.email, user.name, user.phone, user.language = closed_email(user.pk), "", "", ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.closed_at = now
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        if confirmed:  # an address nobody confirmed may not be the signer-up's: it is not written to
            transaction.on_commit(partial(emails.send_closed, old_email, language), robust=True)
    return user


def _forget_own_rows(*, user: User, old_email: str, now: dt.datetime) -> None:
    """Closing: what accounts keeps about the person besides the row goes. The API tokens are deleted, not just
    revoked (their names are the person's words; deleting forgets them in the lookup cache too), the two-factor
    devices likewise; invitations sent to the old address, or accepted by the account, keep the closed address
    instead (a pending one is revoked), so a new account made with the old address finds none of them. The admin's
    history of operators' edits to the account keeps the edits but names it by the closed address."""
    ApiToken.objects.filter(user=user).delete()
    two_factor.disable(user)
    theirs = Invitation.objects.filter(Q(email__iexact=old_email) | Q(accepted_by=user))
    theirs.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    theirs.update(email=closed_email(user.pk))
    rename_in_admin_history(user, closed_email(user.pk))


def rename_in_admin_history(obj: models.Model, label: str) -> int:
    """The Django admin's history of operators' edits to `obj` keeps the edits but names the object `label` (its
    name as it was is personal data the person asked to be forgotten). Returns how many entries changed."""
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)),
                                   object_id=str(obj.pk)).update(object_repr=label[:200])
