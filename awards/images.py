"""Published copies of entrants' images: the pixels, nothing else.

A photograph from a phone carries the camera, the time and often the GPS
position of where it was taken (EXIF), and sometimes more (XMP, comments,
text chunks). Nothing of that is published: the copy shown on the winners
pages and put in the press pack is decoded and encoded again from its pixels
alone, turned upright first as its EXIF orientation said. The colour profile
goes too, so a wide-gamut photograph is shown in standard colours.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoding a picture takes about 4 bytes a pixel: 40 megapixels is a large
# camera's full size and about 160 MB while the copy is made.
MAX_PIXELS = 40_000_000


class ImageRefused(Exception):
    """The message says what is wrong in words an entrant understands."""


def metadata_free_copy(handle, kind: str) -> ContentFile:
    """A JPEG or PNG copy of the image in `handle` without any metadata."""
    try:
        image = Image.open(handle)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageRefused(
                f"The image is {width} × {height} pixels, too large to publish: upload a copy of at most "
                f"{MAX_PIXELS // 1_000_000} megapixels"
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise ImageRefused("The image could not be read: upload it again, saved as a JPEG or PNG") from None
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if kind == "jpeg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue())
