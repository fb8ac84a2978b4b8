"""Uploaded pictures are decoded, checked and re-encoded before they are kept: the bytes a browser
sent (with their EXIF, GPS position or hidden payload) are never stored or served as they came."""

import io
import math
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 40-megapixel photo is larger than any phone takes; above that a small file that decodes to a
# huge bitmap (a "decompression bomb") is refused before it is decoded.
MAX_PIXELS = 40_000_000
AVATAR_SIZE = 256
AWARD_PHOTO_LONG_SIDE = 1600
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
NOT_A_PICTURE = "This file is not a picture csweek can read: choose a JPEG, PNG or WebP photo."
OUTPUT_EXTENSION = "jpg"
OUTPUT_CONTENT_TYPE = "image/jpeg"


def _decoded(data: bytes, *, needed: int, side: str) -> Image.Image:
    """The picture in `data`, fully decoded and upright, in RGB; ValidationError otherwise. A JPEG
    is decoded at the smallest scale that keeps its `side` ("short" or "long") at least `needed`
    pixels: several times faster for a phone's 12-megapixel photo."""
    if not data:
        raise ValidationError("The file is empty: choose a photo.", code="empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The photo is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. Choose a smaller one.",
            code="too_large",
        )
    max_pixels = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_A_PICTURE, code="format")
                if probe.width * probe.height > max_pixels:
                    raise ValidationError(
                        f"This picture is {probe.width}×{probe.height} pixels, more than csweek accepts; "
                        "choose a smaller one.",
                        code="too_many_pixels",
                    )
                probe.verify()
            # verify() leaves the image unusable: open it again and decode every pixel.
            image = Image.open(io.BytesIO(data))
            if image.format == "JPEG":
                reference = min(image.size) if side == "short" else max(image.size)
                scale = min(1.0, needed / max(reference, 1))
                image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "This picture is too large in pixels; choose a smaller one.", code="too_many_pixels"
        ) from error
    # A damaged or hostile file makes Pillow raise almost anything (OSError, SyntaxError,
    # struct.error, IndexError...): every one of them means "not a picture we keep".
    except Exception as error:
        raise ValidationError(NOT_A_PICTURE, code="invalid") from error
    # Turn it the way the camera meant (EXIF orientation) before the EXIF is dropped.
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    """JPEG bytes with no metadata at all: only the pixels are written."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def avatar_encode(data: bytes) -> bytes:
    """A profile photo: centre-cropped to a square AVATAR_SIZE pixels wide, as a JPEG."""
    image = _decoded(data, needed=2 * AVATAR_SIZE, side="short")
    square = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
    return _jpeg(square)


def award_photo_encode(data: bytes) -> bytes:
    """An award's photo: at most AWARD_PHOTO_LONG_SIDE pixels on its long side, as a JPEG."""
    image = _decoded(data, needed=AWARD_PHOTO_LONG_SIDE, side="long")
    image.thumbnail((AWARD_PHOTO_LONG_SIDE, AWARD_PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(image)
