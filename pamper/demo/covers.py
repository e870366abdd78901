"""Honest cover pictures for demo venues: abstract gradients and circles with the venue's initials and kind,
drawn with Pillow. They are illustrations, never photos of a real place, and say so in their alt text
(Photo.generated is set). Deterministic: the same venue gets the same picture."""

from __future__ import annotations

import colorsys
import hashlib
import io
from collections.abc import Callable, Iterable

from PIL import Image, ImageDraw, ImageFont

from pamper.gallery import actions as gallery_actions
from pamper.gallery.models import Photo, Role
from pamper.venues.models import Venue

SIZE = (960, 540)
DEMO_COVERS = 150  # the seed draws covers for the demo clinic and the first venues; the rest show initials
HUES = {"salon": 0.88, "clinic": 0.55, "spa": 0.42, "barber": 0.08}


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def _colour(hue: float, light: float, sat: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, light, sat)
    return int(r * 255), int(g * 255), int(b * 255)


def draw_cover(name: str, kind: str, label: str) -> bytes:
    """A JPEG: a diagonal gradient in the kind's hue (nudged per venue), soft circles, the initials and the kind."""
    digest = hashlib.sha256(name.encode()).digest()
    hue = HUES.get(kind, 0.75) + (digest[0] - 128) / 2048
    top, bottom = _colour(hue, 0.78, 0.45), _colour(hue + 0.06, 0.42, 0.5)
    width, height = SIZE
    big_ramp = Image.linear_gradient("L").resize((width * 2, height * 2)).rotate(-25)  # no corner left unfilled
    ramp = big_ramp.crop((width // 2, height // 2, width // 2 + width, height // 2 + height))
    image = Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), ramp)
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i in range(4):
        x, y, r = digest[1 + i] * width // 255, digest[5 + i] * height // 255, 60 + digest[9 + i] // 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 38 + i * 8))
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.load_default(size=190), ImageFont.load_default(size=38)
    draw.text((width / 2, height / 2 - 20), initials(name), font=big, fill=(255, 255, 255, 235), anchor="mm")
    draw.text((width / 2, height - 70), label.upper(), font=small, fill=(255, 255, 255, 220), anchor="mm")
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def add_covers(venues: Iterable[Venue], log: Callable[[str], None] = lambda _: None) -> int:
    """Give each venue without a cover a generated one; returns how many were added."""
    added = 0
    have = set(Photo.objects.filter(role=Role.COVER).values_list("venue_id", flat=True))
    for venue in venues:
        if venue.pk in have:
            continue
        label = venue.get_kind_display()
        gallery_actions.add_photo(
            venue=venue, data=draw_cover(venue.name, venue.kind, label), role=Role.COVER, generated=True,
            alt_text=f"Illustration for {venue.name}: its initials on a {label.lower()} colour pattern, "
                     "not a photo of the venue")
        added += 1
    log(f"  {added} generated cover pictures")
    return added
