"""Pictures made in memory for the upload tests: real files of each format, with or without EXIF."""

import io

from PIL import Image


def picture(
    *, fmt: str = "JPEG", size: tuple[int, int] = (640, 480), exif: bool = False, mode: str = "RGB"
) -> bytes:
    """A picture whose left half is red and right half blue (so a crop can be checked)."""
    image = Image.new(mode, size, (255, 0, 0) if mode == "RGB" else (255, 0, 0, 128))
    image.paste((0, 0, 255) if mode == "RGB" else (0, 0, 255, 255), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # a GPS position
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
