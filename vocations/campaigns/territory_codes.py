"""A placement's territory as a code, both ways: "national", "région 84", "département 69", an
INSEE code. Read by the media-plan import, the placement form and the exports (a module of its
own: the import, a service, and the selectors both need it)."""

from __future__ import annotations

import dataclasses
import re

from django.core.exceptions import ValidationError

from vocations.campaigns.models import Placement
from vocations.territories.models import Commune, Department, Region

_REGION_PREFIX = re.compile(r"^(?:r|reg|region|région)\s*[:\- ]?\s*(\w{2,3})$", re.IGNORECASE)
_DEPARTMENT_PREFIX = re.compile(
    r"^(?:d|dep|dép|dpt|departement|département)\s*[:\- ]?\s*(\w{2,3})$", re.IGNORECASE
)


@dataclasses.dataclass(frozen=True)
class Territory:
    scope: str
    region: Region | None = None
    department: Department | None = None
    commune: Commune | None = None

    @property
    def key(self) -> tuple:
        return (self.scope, self.region and self.region.pk, self.department and self.department.pk,
                self.commune and self.commune.pk)  # fmt: skip


def territory_from_code(raw: object) -> Territory:
    """ "national", a région ("R84", "région 84"), a département ("69", "2A", "974") or a
    commune (INSEE code, 5 characters). A bare code that is both a région and a département
    ("84") is refused: the prefix says which."""
    text = str(raw or "").strip()
    if not text:
        raise ValidationError("territoire manquant (national, code région, département ou INSEE)")
    if text.lower() in {"national", "france", "nationale"}:
        return Territory(Placement.Scope.NATIONAL)
    if match := _REGION_PREFIX.match(text):
        region = Region.objects.filter(code=match.group(1)).first()
        if region is None:
            raise ValidationError(f"région inconnue ({text})")
        return Territory(Placement.Scope.REGION, region=region)
    if match := _DEPARTMENT_PREFIX.match(text):
        department = Department.objects.filter(code=match.group(1).upper()).first()
        if department is None:
            raise ValidationError(f"département inconnu ({text})")
        return Territory(Placement.Scope.DEPARTMENT, department=department)
    code = text.upper()
    if len(code) == 5:
        commune = Commune.objects.filter(insee_code=code).first()
        if commune is None:
            raise ValidationError(f"commune inconnue (code INSEE {text})")
        return Territory(Placement.Scope.COMMUNE, commune=commune)
    if 2 <= len(code) <= 3:
        department = Department.objects.filter(code=code).first()
        region = Region.objects.filter(code=code).first()
        if department and region:
            raise ValidationError(
                f"code {text} ambigu : écrivez « région {text} » ou « département {text} »"
            )
        if department:
            return Territory(Placement.Scope.DEPARTMENT, department=department)
        if region:
            return Territory(Placement.Scope.REGION, region=region)
    raise ValidationError(f"territoire inconnu ({text})")


def territory_code(placement: Placement) -> str:
    """The code territory_from_code reads back (for forms and exports)."""
    if placement.scope == Placement.Scope.REGION and placement.region:
        return f"région {placement.region.code}"
    if placement.scope == Placement.Scope.DEPARTMENT and placement.department:
        return f"département {placement.department.code}"
    if placement.scope == Placement.Scope.COMMUNE and placement.commune:
        return placement.commune.insee_code
    return "national"


def territory_label(placement: Placement) -> str:
    for name in ("commune", "department", "region"):
        if value := getattr(placement, name):
            return str(value) if name != "commune" else value.name
    return "National"
