"""In Chromium, desktop and 390 px: the owner adds a cover and a gallery photo with alt text, reorders; the cover
shows on search cards, the venue page and the booking page as a <picture> with a WebP srcset and a JPEG fallback."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from pamper.gallery.models import Photo, Role
from pamper.search.index import rebuild_index
from pamper.tests.browser import DESKTOP, PHONE, check_page, offline, sign_in
from pamper.tests.world import NOW, build_world

from .test_photos import jpeg


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_owner_adds_photos_and_customers_see_them_everywhere(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        rebuild_index()  # the search cards come from the index
        base = live_server.url
        offline(page, base)
        sign_in(page, base, world.owner)
        page.goto(f"{base}/partner/{world.venue.pk}/photos/")
        form = page.locator("#photo-upload")
        for alt, role, color in (("Treatment room with a reclining chair", "cover", (200, 120, 160)),
                                 ("Reception desk", "gallery", (90, 140, 180)),
                                 ("Waiting area", "gallery", (120, 180, 120))):
            form.locator("input[name=file]").set_input_files(
                files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1000, 700), color)}])
            form.get_by_label("Describe it").fill(alt)
            form.get_by_label("Use it as").select_option(role)
            form.get_by_role("button", name="Upload").click()
            expect(page.locator(".messages")).to_contain_text("Picture added")
            form = page.locator("#photo-upload")
        page.get_by_role("button", name="Move earlier (Waiting area)").click()
        gallery = list(Photo.objects.filter(role=Role.GALLERY).order_by("position").values_list("alt_text", flat=True))
        assert gallery == ["Waiting area", "Reception desk"]
        check_page(page, "photos-owner-desktop")

        page.context.clear_cookies()
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(f"{base}/venues/{world.venue.slug}/")
            cover = page.locator(".venue-photos picture").first
            webp = cover.locator("source[type='image/webp']")
            expect(webp).to_have_attribute("srcset", re.compile(r"/480\.webp 480w"))
            expect(cover.locator("img")).to_have_attribute("alt", "Treatment room with a reclining chair")
            assert page.evaluate("document.querySelector('.venue-photos img').naturalWidth") > 0
            check_page(page, f"photos-venue-{name}")
            page.goto(f"{base}/venues/{world.venue.slug}/book/?service={world.facial_service.pk}")
            expect(page.locator(".book-cover img")).to_have_attribute("alt", "Treatment room with a reclining chair")
            check_page(page, f"photos-book-{name}")
            page.goto(f"{base}/search/?q=facial&near=London")
            card = page.locator(f".search-result[data-venue-id='{world.venue.pk}']")
            expect(card).to_have_count(1)
            expect(card.locator("picture source[type='image/webp']")).to_have_count(1)
            check_page(page, f"photos-search-{name}")
