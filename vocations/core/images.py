"""Uploaded images: real images only, of a sensible size."""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def validate_event_image(upload) -> None:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(f"L'image pèse {size / 1_048_576:.1f} Mo : 5 Mo au maximum.")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            "Ce fichier n'est pas une image lisible : envoyez un JPEG, un PNG ou un WebP."
        ) from None
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"Format {image_format} non accepté : envoyez un JPEG, un PNG ou un WebP."
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError("L'image est trop grande (40 mégapixels au maximum).")
