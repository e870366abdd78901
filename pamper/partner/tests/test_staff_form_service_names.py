"""The staff form lists the venue's services by their names, not by their admin label ("Rose Facial at Rose Studio":
English words on a German page, and the venue's name on every line of its own form)."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from .factories import Salon

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_the_services_a_team_member_performs_are_listed_by_name(client: Browser, rose: Salon, prefix: str) -> None:
    client.force_login(rose.owner)
    base = f"{prefix}/partner/{rose.venue.pk}/staff/"
    for url in (base + "new/", f"{base}{rose.ana.pk}/"):
        page = client.get(url)
        choices = [label for _, label in page.context["form"].fields["services"].choices]
        assert choices == ["Rose Facial"], url
        assert f" at {rose.venue.name}" not in page.content.decode()
