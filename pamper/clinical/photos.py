"""Progress photos: checking an upload, stripping its metadata, storing it encrypted.

An upload is accepted only when Pillow decodes it as JPEG, PNG or WebP (the
file name and the declared content type are ignored), it is at most 10 MB
and at most 40 megapixels. The pixel count is read from the header before
any decoding, so a decompression bomb is refused without being expanded.
The pixels are then copied into a fresh image and re-encoded: EXIF (GPS
included), XMP, ICC profiles and text chunks do not survive. The result is
encrypted with the health keys and written through Django's storage API
(pamper.lib.storage: the private local folder, or an S3-compatible bucket);
only clinical views read it back.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from pamper.clinical import crypto
from pamper.lib import storage

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class PhotoRejected(ValueError):
    """An upload that is not accepted; status, code and message go to the person."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    """The image header, refusing anything that is not a JPEG/PNG/WebP or has too many pixels."""
    # Pillow on first use (here and in _decoded): a web process that receives no photo never loads it.
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - see the comment above

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise PhotoRejected(415, "photo_not_image", gettext("That file is not a photo we can read: upload a "
                                                                "JPEG, PNG or WebP image.")) from exc
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _too_many_pixels() -> PhotoRejected:
    return PhotoRejected(422, "photo_too_many_pixels",
                         gettext("That image has too many pixels: at most %(count)d megapixels are accepted.")
                         % {"count": MAX_PIXELS // 1_000_000})


def _decoded(image: Image.Image) -> Image.Image:
    """The first frame fully decoded and turned upright; a truncated or corrupt file is refused."""
    from PIL import Image, ImageOps  # noqa: PLC0415 - on first use, as in _open

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            upright = ImageOps.exif_transpose(image) or image
    except Exception as exc:  # any decoder failure means the content is not a usable image
        raise PhotoRejected(415, "photo_not_image", gettext("That image is damaged or incomplete: it could not "
                                                                "be read in full.")) from exc
    if upright.mode not in ("RGB", "RGBA", "L"):
        has_alpha = upright.mode in ("LA", "PA", "RGBa") or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    # A new image from the raw pixels carries no metadata at all.
    return Image.frombytes(upright.mode, upright.size, upright.tobytes())


def clean(data: bytes) -> CleanPhoto:
    """Check and re-encode an upload. Raises PhotoRejected with a clear message."""
    if len(data) > MAX_BYTES:
        message = gettext("That file is too large: photos may be at most %(count)d MB.")
        raise PhotoRejected(413, "photo_too_large", message % {"count": MAX_BYTES // (1024 * 1024)})
    if not data:
        raise PhotoRejected(415, "photo_not_image", gettext("The file is empty."))
    image = _open(data)
    fmt = image.format or "JPEG"
    pixels = _decoded(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels = pixels.convert("RGB") if pixels.mode != "L" else pixels
        pixels.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        pixels.save(out, "WEBP", quality=90)
    else:
        pixels.save(out, "PNG", optimize=True)
    return CleanPhoto(data=out.getvalue(), content_type=FORMATS[fmt], width=pixels.width, height=pixels.height)


# ---------------------------------------------------------------- encrypted files
# Through Django's storage API (pamper.lib.storage): the local folder or an S3-compatible bucket. Only Fernet
# tokens reach it: the photo is encrypted with the health keys before it leaves the process.

FOLDER = "clinical-photos"


def name_for(storage_name: str) -> str:
    """The file's name in the storage, e.g. "clinical-photos/3f/3fa9....fernet"; ValueError for a bad name."""
    if not storage_name.isalnum():
        raise ValueError("bad storage name")
    return f"{FOLDER}/{storage_name[:2]}/{storage_name}.fernet"


def new_storage_name() -> str:
    return secrets.token_hex(20)


def store(storage_name: str, data: bytes) -> None:
    """Encrypt and write the photo bytes."""
    storage.write(name_for(storage_name), crypto.encrypt(data))


def load(storage_name: str) -> bytes:
    """The decrypted photo bytes; FileNotFoundError when the file is gone."""
    return crypto.decrypt(storage.read(name_for(storage_name)))


def load_token(storage_name: str) -> bytes:
    """The encrypted file as stored (a Fernet token); FileNotFoundError when the file is gone."""
    return storage.read(name_for(storage_name))


def destroy(storage_name: str) -> None:
    """Overwrite with random bytes, then remove the encrypted file (missing files are fine).

    The overwrite matters on a local disk; on object storage it is one more write of noise.
    """
    name = name_for(storage_name)
    files = storage.files()
    if not files.exists(name):
        return
    storage.write(name, secrets.token_bytes(files.size(name)))
    storage.delete(name)


def rotate_file(storage_name: str) -> bool:
    """Re-encrypt one file under the newest key; False when the file is missing."""
    try:
        token = load_token(storage_name)
    except FileNotFoundError:
        return False
    storage.write(name_for(storage_name), crypto.rotate(token))
    return True
