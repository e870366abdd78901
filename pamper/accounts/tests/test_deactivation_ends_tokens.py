"""A deactivated account's API token (or a revoked token) is refused on its very next request, however the change
was made: saved, bulk-updated (an admin action, a management command, a shell), or committed while another
request was reading the token.

The token lookup is kept in the cache for a minute (ApiToken.lookup: no SQL on most requests). Saving the user or
the token forgot it, but a bulk QuerySet.update sends no signal: before, a token of a user deactivated that way
kept working for up to a minute.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken, User, _cache_key, hash_token
from pamper.tests.factories import UserFactory
from pamper.tests.world import NOW, World

pytestmark = pytest.mark.django_db


def status(raw: str) -> int:
    return HttpClient().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def kept(user: User) -> str:
    """A token of `user` that has just been used, so its lookup is in the cache."""
    raw = ApiToken.issue(user)[1]
    assert status(raw) == 200
    assert cache.get(_cache_key(hash_token(raw))) is not None
    return raw


def test_a_bulk_update_deactivating_the_user_refuses_the_next_request(world: World) -> None:
    raw, others = kept(world.customer), kept(world.other_customer)
    assert User.objects.filter(pk=world.customer.pk).update(is_active=False) == 1
    assert status(raw) == 401
    assert status(others) == 200


def test_bulk_update_of_user_objects_refuses_the_next_request(world: World) -> None:
    raw = kept(world.customer)
    world.customer.is_active = False
    User.objects.bulk_update([world.customer], ["is_active"])
    assert status(raw) == 401


def test_a_bulk_revocation_refuses_the_next_request(world: World) -> None:
    raw, second = kept(world.customer), kept(world.customer)
    ApiToken.objects.filter(key_hash=hash_token(raw)).update(revoked_at=NOW)
    assert status(raw) == 401
    assert status(second) == 200


def test_signing_in_does_not_forget_the_tokens(world: World) -> None:
    raw = kept(world.customer)
    User.objects.filter(pk=world.customer.pk).update(last_login=NOW)
    assert cache.get(_cache_key(hash_token(raw))) is not None


@pytest.mark.django_db(transaction=True)
def test_a_request_that_read_the_token_before_the_deactivation_committed_does_not_keep_it(world: World) -> None:
    raw = kept(world.customer)
    before = ApiToken.lookup(raw)
    with transaction.atomic():
        User.objects.filter(pk=world.customer.pk).update(is_active=False)
        # Another process, still reading the row as it was (not yet committed), puts it back in the cache.
        cache.set(_cache_key(hash_token(raw)), before, 60)
    assert status(raw) == 401


def operator() -> HttpClient:
    browser = HttpClient()
    browser.force_login(UserFactory(email="ops@example.com", is_staff=True, is_superuser=True))
    return browser


def test_the_admins_deactivate_action_refuses_the_next_request(world: World) -> None:
    raw, others = kept(world.customer), kept(world.other_customer)
    browser = operator()
    done = browser.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [world.customer.pk]})
    assert done.status_code == 302, done.content
    assert not User.objects.get(pk=world.customer.pk).is_active
    assert status(raw) == 401
    assert status(others) == 200
    # The operator is never among those deactivated, even when selected.
    me = User.objects.get(email="ops@example.com")
    browser.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [me.pk]})
    assert User.objects.get(pk=me.pk).is_active


def test_a_new_password_set_in_the_admin_ends_the_tokens(world: World) -> None:
    raw = kept(world.customer)
    new = "moss-garden-77"
    done = operator().post(f"/admin/accounts/user/{world.customer.pk}/password/",
                           {"password1": new, "password2": new, "usable_password": "true"})
    assert done.status_code == 302, done.content
    assert User.objects.get(pk=world.customer.pk).check_password(new)
    assert status(raw) == 401
    assert not ApiToken.objects.active().filter(user=world.customer).exists()
