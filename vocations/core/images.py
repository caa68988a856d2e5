"""Uploaded images: decoded and re-encoded by Pillow, stored under a random name.

An upload is never stored as it came. Its bytes may be a polyglot (a valid PNG followed by
HTML), its name may end in `.html` or `.svg`: served from the site's own origin, either would
run script. So every image is decoded, re-encoded to PNG, JPEG or WebP without metadata, and
saved as `<random>.<png|jpg|webp>`; anything Pillow cannot decode (SVG included) is refused.
This module must never import another app: events, careers and campaigns all use it.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Pillow format -> (extension of the stored file, what the French error calls it).
SAFE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAFE_EXTENSIONS = frozenset(SAFE_FORMATS.values())

NOT_AN_IMAGE = "Ce fichier n'est pas une image lisible : envoyez un JPEG, un PNG ou un WebP."
SVG_REFUSED = (
    "Les images SVG ne sont pas acceptées (elles peuvent contenir du code) : "
    "envoyez un JPEG, un PNG ou un WebP."
)


def _looks_like_svg(name: str, content_type: str, head: bytes) -> bool:
    if name.lower().endswith((".svg", ".svgz")) or "svg" in content_type.lower():
        return True
    start = head.lstrip()[:512].lower()
    return start.startswith(b"<?xml") or b"<svg" in start


def clean_image(upload, *, max_bytes: int | None = None) -> ContentFile:
    """Decode `upload` and return a re-encoded copy under a random safe name.

    Raises ValidationError with a French message for anything that is not a JPEG, PNG or WebP
    Pillow can fully decode within the size and pixel bounds.
    """
    max_bytes = MAX_IMAGE_BYTES if max_bytes is None else max_bytes
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"L'image pèse {size / 1_048_576:.1f} Mo : {max_bytes / 1_048_576:.0f} Mo au maximum."
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte more than allowed: a file without a size cannot slip past the bound.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"L'image dépasse {max_bytes / 1_048_576:.0f} Mo.")
    name = os.path.basename(getattr(upload, "name", "") or "")
    content_type = getattr(upload, "content_type", "") or ""
    if _looks_like_svg(name, content_type, data[:1024]):
        raise ValidationError(SVG_REFUSED)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in SAFE_FORMATS:
                raise ValidationError(
                    f"Format {image_format} non accepté : envoyez un JPEG, un PNG ou un WebP."
                )
            # Checked before decoding the pixels: a decompression bomb never expands.
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError("L'image est trop grande (40 mégapixels au maximum).")
            image.load()
            clean = _re_encodable(ImageOps.exif_transpose(image), image_format)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE) from None
    out = io.BytesIO()
    # No exif, icc_profile or text chunks are passed on: metadata is dropped.
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif image_format == "WEBP":
        clean.save(out, "WEBP", quality=88)
    else:
        clean.save(out, "PNG", optimize=True)
    result = ContentFile(
        out.getvalue(), name=f"{secrets.token_hex(16)}.{SAFE_FORMATS[image_format]}"
    )
    result.vocations_clean = True  # SafeImageField.pre_save does not re-encode it again
    return result


def _re_encodable(image: Image.Image, image_format: str) -> Image.Image:
    """A copy of the pixels alone, in a mode the target format can write."""
    if image_format == "JPEG":
        wanted = "L" if image.mode in ("1", "L") else "RGB"
    elif image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        wanted = "RGBA"
    else:
        wanted = "RGB" if image.mode not in ("1", "L") else "L"
    converted = image.convert(wanted)
    # A fresh image holds pixels only: no info dict, no chunks from the upload.
    bare = Image.new(converted.mode, converted.size)
    bare.paste(converted)
    return bare


def validate_image(upload) -> None:
    """Form-field validator: the same checks as clean_image, result discarded."""
    clean_image(upload)


class SafeImageField(models.ImageField):
    """An ImageField that stores only re-encoded images under random, safe names.

    Services assign the output of clean_image (validated, with French errors); any other path
    that assigns a raw upload (the admin, a shell) is re-encoded here before it is written.
    """

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators.append(validate_image)
        return field

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed and not getattr(file.file, "vocations_clean", False):
            clean = clean_image(file.file)
            file.save(clean.name, clean, save=False)
        return super().pre_save(model_instance, add)

    def generate_filename(self, instance, filename):
        directory = timezone.now().strftime(str(self.upload_to)) if self.upload_to else ""
        extension = os.path.splitext(filename)[1].lower().lstrip(".")
        if extension not in SAFE_EXTENSIONS:
            raise ValueError(f"Refusing to store an image as .{extension}")
        name = f"{secrets.token_hex(16)}.{extension}"
        return self.storage.generate_filename(os.path.join(directory, name))


SAFE_NAME = re.compile(r"(^|/)[0-9a-f]{32}\.(png|jpg|webp)$")


@dataclasses.dataclass
class ReencodeReport:
    kept: int = 0
    reencoded: int = 0
    removed: list[str] = dataclasses.field(default_factory=list)


def reencode_stored_images(*, dry_run: bool = False) -> ReencodeReport:
    """Re-encode every stored image of every SafeImageField whose file predates the upload fix
    (its name is not `<32 hex>.<png|jpg|webp>`): decoded, re-encoded, renamed; a file that is
    not a safe image (a polyglot, an SVG) is deleted and the field emptied. Audited; idempotent.
    Models are found through the app registry, so this module still imports no other app."""
    from django.apps import apps
    from django.db import transaction

    from .services import audit_log

    report = ReencodeReport()
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, SafeImageField):
                continue
            for obj in model._default_manager.exclude(**{field.name: ""}).iterator():
                stored = getattr(obj, field.attname)
                if SAFE_NAME.search(stored.name):
                    report.kept += 1
                    continue
                old_name = stored.name
                try:
                    with stored.storage.open(old_name, "rb") as handle:
                        clean = clean_image(handle)
                except (ValidationError, OSError):
                    clean = None
                if dry_run:
                    report.reencoded += clean is not None
                    report.removed += [] if clean is not None else [old_name]
                    continue
                with transaction.atomic():
                    if clean is None:
                        setattr(obj, field.attname, "")
                        report.removed.append(old_name)
                    else:
                        stored.save(clean.name, clean, save=False)
                        report.reencoded += 1
                    obj.save(update_fields=[field.attname])
                    audit_log(
                        action="media.reencoded" if clean else "media.removed",
                        target=obj,
                        data={"field": field.name, "old": old_name},
                    )
                    name = old_name
                    transaction.on_commit(lambda n=name, s=stored.storage: s.delete(n))
    return report
