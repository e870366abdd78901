"""The demo seed's cover pictures: generated illustrations (initials and kind), said to be so, stored like any
upload (WebP and JPEG sizes), drawn once per venue."""

from __future__ import annotations

import io

from PIL import Image

from pamper.demo.covers import add_covers, draw_cover, initials
from pamper.gallery.models import Photo, Role
from pamper.lib import storage
from pamper.tests.world import World
from pamper.venues.models import Venue


def test_initials_and_a_deterministic_picture() -> None:
    assert (initials("Rose & Thorn Beauty"), initials("glow"), initials("123 Spa")) == ("RT", "G", "1S")
    assert draw_cover("Rose", "salon", "Salon") == draw_cover("Rose", "salon", "Salon")
    assert draw_cover("Rose", "salon", "Salon") != draw_cover("Iris", "salon", "Salon")
    assert Image.open(io.BytesIO(draw_cover("Rose", "spa", "Spa"))).size == (960, 540)


def test_each_venue_gets_one_honest_generated_cover(world: World) -> None:
    venues = Venue.objects.order_by("id")
    assert add_covers(venues) == 2
    assert add_covers(venues) == 0  # already there
    covers = list(Photo.objects.filter(role=Role.COVER).order_by("venue_id"))
    assert [c.venue_id for c in covers] == [world.venue.pk, world.other_venue.pk]
    assert all(c.generated and "not a photo" in c.alt_text and c.alt_text.startswith("Illustration") for c in covers)
    assert Image.open(io.BytesIO(storage.read(covers[0].file_for("webp", 480)))).format == "WEBP"
