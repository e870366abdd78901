"""Users who log in by email, their venue memberships and API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.cache import cache
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pamper.lib.fields import validate_phone
from pamper.lib.names import NameField


class UserQuerySet(models.QuerySet["User"]):
    def update(self, **kwargs: Any) -> int:
        """Django's bulk update, which also forgets the changed users' tokens in the lookup cache (ApiToken.lookup).

        A bulk update sends no post_save, so receivers._user_changed never hears of it: without this, a user
        deactivated by `.update(is_active=False)` or `bulk_update` (an admin action, a management command, a
        shell) kept a working token for up to a minute. It costs the update one SELECT of the token hashes; the
        request path never bulk-updates users. Signing in (`last_login`) changes nothing a token request reads."""
        if set(kwargs) <= {"last_login"}:
            return super().update(**kwargs)
        tokens = ApiToken.objects.using(self._db or router.db_for_write(User)).filter(user__in=self.values("pk"))
        hashes = list(tokens.values_list("key_hash", flat=True))  # read where the update writes: no replica lag
        count = super().update(**kwargs)
        forget_tokens(hashes)
        return count


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: customer, venue staff or platform operator. Logs in by email."""

    email = models.EmailField(unique=True, max_length=254)
    name = NameField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    # Emails and reminders are written in it; blank: the venue's language (pamper.lib.languages.message_language).
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    is_staff = models.BooleanField(default=False, help_text=gettext_lazy("Can use the Django admin."))
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person closed their account (accounts.actions.close_account): the row stays, scrubbed, so the
    # reviews and past bookings that point at it keep their shape.
    closed_at = models.DateTimeField(null=True, blank=True)
    # False from a self-made sign-up until the emailed link is followed (accounts.actions.confirm_email), or until
    # another link sent to the address is used (an invitation, a password reset). Meanwhile Pamper holds the mail it
    # would send the address (notifications.outbox), so nobody can sign a stranger's address up and fill their inbox.
    # Accounts made any other way (the admin, the demo, an invitation) start confirmed.
    email_confirmed = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]


class Role(models.TextChoices):
    OWNER = "owner", gettext_lazy("Owner")
    MANAGER = "manager", gettext_lazy("Manager")
    PRACTITIONER = "practitioner", gettext_lazy("Practitioner")
    RECEPTION = "reception", gettext_lazy("Reception")


# Roles that may read a client's health data at their venue (never reception).
CLINICAL_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.PRACTITIONER})
# Roles that may change the venue's set-up (services, staff, hours, policies).
ADMIN_ROLES = frozenset({Role.OWNER, Role.MANAGER})


class Membership(models.Model):
    """A user's role at one venue. A person may belong to several venues."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "venue"], name="one_membership_per_venue")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.venue}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def update(self, **kwargs: Any) -> int:
        """Django's bulk update, which also forgets the changed tokens in the lookup cache (a bulk revocation is
        refused at once). The lookup's own `last_used_at` stamp costs nothing more: it changes nothing it reads."""
        if set(kwargs) <= {"last_used_at"}:
            return super().update(**kwargs)
        hashes = list(self.using(self._db or router.db_for_write(ApiToken)).values_list("key_hash", flat=True))
        count = super().update(**kwargs)
        forget_tokens(hashes)
        return count


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = NameField(max_length=100, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=gettext_lazy("First characters, to tell tokens apart."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    two_factor = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Issued after a second-factor check, so it may open clinical records where a venue "
            "requires two-factor sign-in."
        ),
    )

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str = "api", *, two_factor: bool = False) -> tuple[ApiToken, str]:
        """Create a token for user; returns the row and the raw token (shown once)."""
        raw = "pmp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=hash_token(raw), prefix=raw[4:12], two_factor=two_factor
        )
        return token, raw

    @classmethod
    def lookup(cls, raw: str, now: datetime.datetime | None = None) -> ApiToken | None:
        """The active token (with its user) for a raw value, or None.

        A found token is kept in the shared cache for LAST_USED_PRECISION, so a busy client costs no SQL on
        most requests; every ORM change to the token or its user (saved, deleted, revoked or deactivated in bulk)
        forgets it at once (`forget_tokens`), so the next request of a deactivated user is refused. `last_used_at`
        is written when the token is read from the database and the stamp is older than LAST_USED_PRECISION: at
        most once a minute, never on a request answered from the cache.
        """
        key_hash = hash_token(raw)
        token = cache.get(_cache_key(key_hash))
        if token is not None:
            return token  # type: ignore[no-any-return]
        token = cls.objects.active().select_related("user").filter(key_hash=key_hash).first()
        if token is None:
            return None
        moment = now or timezone.now()
        if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_PRECISION:
            cls.objects.filter(pk=token.pk).update(last_used_at=moment)
            token.last_used_at = moment
        cache.set(_cache_key(key_hash), token, LAST_USED_PRECISION.total_seconds())
        return token


def _cache_key(key_hash: str) -> str:
    return f"apitoken:{key_hash}"


def forget_tokens(key_hashes: list[str]) -> None:
    """Drop these tokens from the lookup cache: the next request reads them (revoked, user changed) afresh.

    Every change a token request reads forgets the token through here: saving or deleting the token or its user
    (receivers.py), and bulk updates of either (UserQuerySet.update, ApiTokenQuerySet.update). The cache is kept
    rather than checked, so the booking path spends no statement on it. Inside a transaction the entries are
    forgotten again once it commits: a request that read the row meanwhile saw it unchanged (not yet committed) and
    may have put it back. Only a write that bypasses the ORM (raw SQL) waits out the minute."""
    keys = [_cache_key(k) for k in key_hashes]
    if not keys:
        return
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(cache.delete_many, keys), robust=True)


# last_used_at is written at most this often, so a busy token does not cost a write per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


INVITATION_DAYS = 7


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Invitations not yet accepted or revoked and not expired at `now` (default: the current time)."""
        moment = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=moment)


class Invitation(models.Model):
    """An emailed offer to join a venue with a role. Only the token's SHA-256 is stored."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["venue", "email"])]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} at {self.venue}"

    def state(self, now: datetime.datetime | None = None) -> str:
        """'accepted', 'revoked', 'expired' or 'pending'."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "pending"
