"""Demo organizations and accounts, generated in bulk from a seeded random generator.

Demo generators write with bulk_create on purpose: `large` must reach benchmark sizes,
and the rows they make are the same rows the services would make (see docs/decisions.md).
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Branch
from vocations.territories.models import Commune, Region

SCALES = {
    "small": {"companies": 300, "schools": 120, "communes_per_department": 4},
    "large": {"companies": 20_000, "schools": 3_000, "communes_per_department": 40},
}

COMPANY_PATTERNS = [
    "Forges de {c}",
    "Ateliers mécaniques de {c}",
    "Chaudronnerie de {c}",
    "{c} Usinage",
    "Plasturgie de {c}",
    "Textiles de {c}",
    "Laboratoires de {c}",
    "Conserverie de {c}",
    "Fonderie de {c}",
    "{c} Composites",
    "Électronique de {c}",
    "Papeterie de {c}",
    "Verrerie de {c}",
    "Biscuiterie de {c}",
    "{c} Aéro Précision",
    "Énergies de {c}",
]
SCHOOL_PATTERNS = [
    "Lycée professionnel de {c}",
    "Lycée polyvalent de {c}",
    "Collège de {c}",
    "CFA de l'industrie de {c}",
    "IUT de {c}",
]

# The branch whose editor the demo prints: metalworking, the largest industrial branch.
DEMO_BRANCH = "Métallurgie"
DEMO_PASSWORD = "vocations-demo"  # noqa: S105 - printed to the developer, development only


def pick_communes(rng: random.Random, per_department: int) -> list[Commune]:
    """The largest communes of every département, so the demo world covers the whole map."""
    by_department: dict[int, list[Commune]] = defaultdict(list)
    # Uninhabited territories (Clipperton, the Antarctic lands) have no population: no
    # company or school there.
    inhabited = Commune.objects.filter(population__gt=0)
    for commune in inhabited.order_by("department_id", "-population").only(
        "id", "name", "department_id", "population"
    ):
        if len(by_department[commune.department_id]) < per_department:
            by_department[commune.department_id].append(commune)
    communes = [c for group in by_department.values() for c in group]
    rng.shuffle(communes)
    return communes


def build_organizations(rng: random.Random, scale: str) -> dict[str, int]:
    sizes = SCALES[scale]
    communes = pick_communes(rng, sizes["communes_per_department"])
    if not communes:
        raise ValueError("Aucune commune : chargez d'abord les données de référence.")
    used_slugs = set(Organization.objects.values_list("slug", flat=True))

    def unique_slug(name: str) -> str:
        base = slugify(name)[:200] or "organisation"
        slug, n = base, 2
        while slug in used_slugs:
            slug, n = f"{base}-{n}", n + 1
        used_slugs.add(slug)
        return slug

    def make(name: str, kind: str, commune: Commune | None = None, **extra) -> Organization:
        return Organization(
            name=name,
            slug=unique_slug(name),
            kind=kind,
            commune=commune,
            department_id=commune.department_id if commune else None,
            **extra,
        )

    orgs: list[Organization] = [
        make("Avec l'industrie — équipe de campagne", Organization.Kind.CAMPAIGN_TEAM),
        make("Les Influstriels", Organization.Kind.COLLECTIVE),
    ]
    orgs += [
        make(f"Branche {b.short_name}", Organization.Kind.BRANCH, branch=b)
        for b in Branch.objects.order_by("slug")
    ]
    inhabited = Commune.objects.filter(population__gt=0).values("region_id")
    orgs += [
        make(f"Région {r.name}", Organization.Kind.LOCAL_BODY)
        for r in Region.objects.filter(pk__in=inhabited)
    ]
    for i in range(sizes["companies"]):
        commune = communes[i % len(communes)]
        orgs.append(make(rng.choice(COMPANY_PATTERNS).format(c=commune.name), "company", commune))
    for i in range(sizes["schools"]):
        commune = communes[(i * 7) % len(communes)]
        orgs.append(make(rng.choice(SCHOOL_PATTERNS).format(c=commune.name), "school", commune))
    Organization.objects.bulk_create(orgs, batch_size=2000)
    return {"organisations": len(orgs)}


def build_demo_accounts(
    stdout, *, organizer_organizations: list[Organization] | None = None
) -> None:
    """The demo staff account, one organizer and one branch editor, printed for the developer.

    `organizer_organizations`: her company first, then the other bodies whose events she runs
    (chosen by the project level, which knows the events); without it, the first company.
    """
    if not settings.DEBUG:
        stdout.write("DEBUG désactivé : aucun compte de démonstration créé.")
        return
    staff, created = User.objects.get_or_create(
        email=settings.DEMO_STAFF_EMAIL,
        defaults={
            "full_name": "Équipe de campagne (démo)",
            "is_staff": True,
            "is_superuser": True,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    organizer, _ = User.objects.get_or_create(
        email="organisateur@vocations.demo",
        defaults={"full_name": "Organisatrice (démo)", "password": make_password(DEMO_PASSWORD)},
    )
    organizations = organizer_organizations or [
        o for o in [Organization.objects.filter(kind="company").order_by("id").first()] if o
    ]
    # A re-run with another choice moves the organizer.
    Membership.objects.filter(user=organizer).exclude(organization__in=organizations).delete()
    for n, organization in enumerate(organizations):
        Membership.objects.get_or_create(
            user=organizer,
            organization=organization,
            defaults={"role": Membership.Role.OWNER if n == 0 else Membership.Role.EDITOR},
        )
    runs = " et de ".join(f"« {o} »" for o in organizations) or "aucune organisation"
    lines = [
        f"{staff.email} (équipe de campagne, /admin/)",
        f"{organizer.email} (organisatrice de {runs}, /organisateur/)",
    ]
    branches = Organization.objects.filter(
        kind=Organization.Kind.BRANCH, branch__isnull=False
    ).select_related("branch")
    branch_org = (
        branches.filter(branch__short_name=DEMO_BRANCH).first() or branches.order_by("name").first()
    )
    if branch_org is not None:
        editor, _ = User.objects.get_or_create(
            email="branche@vocations.demo",
            defaults={
                "full_name": "Rédactrice de branche (démo)",
                "password": make_password(DEMO_PASSWORD),
            },
        )
        Membership.objects.get_or_create(
            user=editor, organization=branch_org, defaults={"role": Membership.Role.EDITOR}
        )
        lines.append(
            f"{editor.email} (rédactrice de la « {branch_org} », "
            f"/organisateur/branches/{branch_org.branch.slug}/page/)"
        )
    stdout.write(
        f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) : " + ", ".join(lines) + "."
    )
