"""Checking an uploaded picture, stripping it, and making its responsive sizes.

An upload is accepted only when Pillow reads it as a JPEG, PNG or WebP (the
name and declared type are ignored) after `verify()`, it is at most 10 MB,
at most 40 megapixels (read from the header, before any decoding, so a
decompression bomb is never expanded) and at least MIN_SIDE pixels on each
side. The pixels are copied into a fresh image, so EXIF (GPS included), XMP,
ICC profiles and text chunks are gone, and stored as a JPEG through Django's
storage API (pamper.lib.storage). sorl-thumbnail then makes the sizes the
pages ask for, in WebP and JPEG, stored through the same storage.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from sorl.thumbnail import get_thumbnail

from pamper.errors import Refusal
from pamper.lib import storage

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200
WIDTHS = (480, 960, 1600)
JPEG_MAX_SIDE = 65_500  # libjpeg writes no side longer (the full-size original is a JPEG)
WEBP_MAX_SIDE = 16_383  # nor WebP (the sizes are WebP too)
FORMATS = {"webp": "WEBP", "jpeg": "JPEG"}
CONTENT_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
FOLDER = "venue-photos"


@dataclass(frozen=True)
class Stored:
    original: str
    width: int
    height: int
    renditions: dict[str, dict[str, str]]


def _not_image() -> Refusal:
    return Refusal(415, "photo_not_image", _("That file is not a picture we can read: upload a JPEG, PNG or WebP "
                                             "image."), field="file")


def _header(data: bytes) -> Image.Image:
    """The verified header of a JPEG, PNG or WebP within the pixel limit; Refusal otherwise."""
    # Pillow on first use (here and in clean): a web process that receives no picture never loads it.
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - see the comment above

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"]).verify()
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _not_image() from exc
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    if min(width, height) < MIN_SIDE:
        raise Refusal(422, "photo_too_small", _("That picture is too small: it needs at least %(side)d pixels on "
                                                "each side.") % {"side": MIN_SIDE}, field="file")
    if not storable(width, height):
        raise Refusal(422, "photo_too_narrow", _("That picture is too long and narrow for us to show: crop it, then "
                                                 "upload it again."), field="file")
    return image


def storable(width: int, height: int) -> bool:
    """True when the full-size JPEG and every size `store` writes fit the formats' limits: a strip within the
    pixel limit (200 x 66,000, or 250 x 20,000, whose sizes keep its height) would fail to encode, after the
    original was written."""
    tallest = height * min(width, WIDTHS[-1]) / width  # the largest size's height: WIDTHS scale the width only
    return max(width, height) <= JPEG_MAX_SIDE and tallest <= WEBP_MAX_SIDE


def _too_many_pixels() -> Refusal:
    return Refusal(422, "photo_too_many_pixels", _("That picture has too many pixels: at most %(mp)d megapixels.")
                   % {"mp": MAX_PIXELS // 1_000_000}, field="file")


def clean(data: bytes) -> Image.Image:
    """The upload's pixels, upright, in RGB, with no metadata at all; Refusal (413, 415, 422) when refused."""
    if len(data) > MAX_BYTES:
        raise Refusal(413, "photo_too_large", _("That file is too large: at most %(mb)d MB.")
                      % {"mb": MAX_BYTES // (1024 * 1024)}, field="file")
    if not data:
        raise _not_image()
    from PIL import Image, ImageOps  # noqa: PLC0415 - on first use, as in _header

    image = _header(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            upright = ImageOps.exif_transpose(image) or image
    except Exception as exc:  # any decoder failure: the content is not a usable picture
        raise _not_image() from exc
    rgb = upright.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())  # a fresh image from raw pixels carries nothing else


def store(pixels: Image.Image) -> Stored:
    """Write the clean full-size JPEG and its sizes (WIDTHS up to its own width) in WebP and JPEG."""
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    original = storage.unique_name(FOLDER, ".jpg")
    storage.write(original, out.getvalue())
    widths = [w for w in WIDTHS if w < pixels.width] + [min(pixels.width, WIDTHS[-1])]
    renditions: dict[str, dict[str, str]] = {}
    for key, fmt in FORMATS.items():
        for width in sorted(set(widths)):
            thumb = get_thumbnail(original, str(width), format=fmt, quality=80, upscale=False, progressive=False)
            renditions.setdefault(key, {})[str(width)] = thumb.name
    return Stored(original=original, width=pixels.width, height=pixels.height, renditions=renditions)


def remove(original: str, renditions: dict[str, dict[str, str]]) -> None:
    """Delete a picture's files (missing ones are fine)."""
    for sizes in renditions.values():
        for name in sizes.values():
            storage.delete(name)
    storage.delete(original)
