"""A new password ends the account's API tokens, whichever way it was set. And keep the bearer-token lookup cache
(ApiToken.lookup) true: a token saved or deleted, or its user saved or
deleted (deactivated, details changed), is read afresh on its next request. Bulk updates send no signal: the
querysets forget those themselves (models.UserQuerySet.update, ApiTokenQuerySet.update)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pamper.lib import clock

from . import actions
from .models import ApiToken, User, forget_tokens


@receiver([post_save, post_delete], sender=ApiToken)
def _token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    forget_tokens([instance.key_hash])


@receiver([post_save, post_delete], sender=User)
def _user_changed(sender: Any, instance: User, created: bool = False, **kwargs: Any) -> None:
    if created:
        return
    if kwargs.get("signal") is post_save and getattr(instance, "_password", None) is not None:
        # A new password, by whichever path (the person's change or reset, the admin, `manage.py changepassword`):
        # set_password() keeps it on the instance until save() is done. It ends the API tokens taken with the old
        # one, as it ends the other sessions; the update forgets them in the lookup cache (ApiTokenQuerySet).
        actions.revoke_all_tokens(user=instance, now=clock.now())
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a token request reads
    forget_tokens(list(ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True)))
