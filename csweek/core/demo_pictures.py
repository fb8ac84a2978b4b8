"""Pictures for the demo data, drawn with Pillow from a number: the same number, the same picture,
on every machine, with nothing downloaded."""

import io
import random

from PIL import Image, ImageDraw

PALETTE = [
    ((29, 78, 216), (147, 197, 253)),
    ((4, 120, 87), (167, 243, 208)),
    ((190, 24, 93), (251, 207, 232)),
    ((109, 40, 217), (221, 214, 254)),
    ((154, 52, 18), (254, 215, 170)),
    ((15, 118, 110), (153, 246, 228)),
]


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def portrait(number: int) -> bytes:
    """A head-and-shoulders silhouette on a soft gradient (a stand-in for a profile photo)."""
    dark, light = PALETTE[number % len(PALETTE)]
    image = _gradient((320, 320), light, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((110, 60, 210, 170), fill=dark)
    draw.ellipse((60, 180, 260, 380), fill=dark)
    return _png(image)


def ceremony(number: int) -> bytes:
    """A stage with a trophy and confetti (a stand-in for a photo taken at the ceremony)."""
    dark, light = PALETTE[number % len(PALETTE)]
    image = _gradient((1200, 800), dark, light)
    draw = ImageDraw.Draw(image)
    pick = random.Random(number)  # decoration only, never security
    for _ in range(120):
        x, y, r = pick.randrange(1200), pick.randrange(800), pick.randrange(4, 14)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=PALETTE[pick.randrange(len(PALETTE))][1])
    draw.rectangle((0, 640, 1200, 800), fill=(40, 40, 48))
    draw.polygon([(520, 330), (680, 330), (640, 470), (560, 470)], fill=(234, 179, 8))
    draw.rectangle((585, 470, 615, 560), fill=(234, 179, 8))
    draw.rectangle((540, 560, 660, 600), fill=(161, 98, 7))
    return _png(image)
