"""Demo collective: ~50 members across 30+ départements and five generations, the 5 themes,
3 mobilisations (the flagship, a campaign wave, a regional event), personal links, posts with
reported figures, visits through the links and registrations attributed to them.

Idempotent: a second run finds the collective and only prints the demo accounts. Members are
written directly (one shared unusable password, no hashing per member); joining a mobilisation
goes through the real service so each link is made exactly as in production. Visits and
attributions are inserted like the analytics demo's (vocations/analytics/demo.py), then rolled
up. Everything is drawn from a seeded generator.
"""

from __future__ import annotations

import base64
import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Membership, Organization, User
from vocations.analytics.models import Attribution, Visit
from vocations.analytics.services.rollups import rollup_visits
from vocations.campaigns.models import Campaign, Wave
from vocations.events.models import Event, Registration
from vocations.territories.models import Department

from .models import Ambassador, AmbassadorNetwork, Mobilisation, Post, PostMetric, Theme
from .networks import default_audiences
from .services import MobilisationData, mobilisation_create, mobilisation_join

COLLECTIVE_SLUG = "collectif-influstriels"
COORDINATOR_EMAIL = "coordination@vocations.demo"
MEMBER_EMAIL = "membre@vocations.demo"
DEMO_PASSWORD = "vocations-demo"  # noqa: S105 - printed to the developer, development only
MEMBERS = 50

# Outside Paris first ("partout"): 34 départements of 13 régions.
DEPARTMENTS = [
    "59", "62", "80", "02", "08", "51", "10", "57", "54", "88", "67", "90", "25", "21", "71",
    "69", "42", "38", "73", "63", "87", "86", "17", "33", "64", "31", "34", "13", "44", "49",
    "35", "29", "22", "14", "76", "45", "75",
]  # fmt: skip
FIRST_NAMES = [
    "Camille", "Lucas", "Inès", "Mathis", "Chloé", "Yanis", "Manon", "Théo", "Léa", "Hugo",
    "Sarah", "Nathan", "Émilie", "Karim", "Sophie", "Julien", "Nadia", "Olivier", "Isabelle",
    "Patrick", "Sandrine", "Laurent", "Valérie", "Thierry", "Christine", "Gérard", "Martine",
    "Bernard", "Aïcha", "Mehdi", "Clara", "Romain", "Océane", "Baptiste", "Fatou", "Antoine",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin",
    "Le Goff", "Kerhervé", "Benali", "Nguyen", "Diallo",
]  # fmt: skip
# (role, generation, networks most likely for that profile)
PROFILES = [
    ("Apprentie chaudronnière", "under_25", ["tiktok", "instagram"]),
    ("Apprenti soudeur", "under_25", ["tiktok", "youtube"]),
    ("Technicienne de maintenance", "25_34", ["instagram", "linkedin"]),
    ("Ingénieure méthodes", "25_34", ["linkedin", "instagram"]),
    ("Conducteur de ligne", "25_34", ["tiktok", "facebook"]),
    ("Responsable de production", "35_49", ["linkedin", "facebook"]),
    ("Directrice des ressources humaines", "35_49", ["linkedin", "in_person"]),
    ("Cheffe d'atelier", "35_49", ["linkedin", "local_press"]),
    ("Directeur d'usine", "50_64", ["linkedin", "local_press", "in_person"]),
    ("Dirigeante de PME", "50_64", ["linkedin", "x", "in_person"]),
    ("Enseignant en lycée professionnel", "50_64", ["facebook", "in_person", "blog"]),
    ("Ancien chef d'atelier, bénévole", "65_plus", ["facebook", "local_press", "in_person"]),
    ("Ingénieur retraité, mentor", "65_plus", ["linkedin", "blog"]),
]
SIZES = {
    "linkedin": (800, 12_000), "instagram": (300, 9_000), "tiktok": (500, 40_000),
    "youtube": (200, 15_000), "x": (200, 5_000), "facebook": (150, 3_000),
    "bluesky": (100, 2_000), "blog": (100, 4_000), "local_press": (5_000, 60_000),
    "in_person": (30, 400),
}  # fmt: skip
POST_DOMAINS = {
    "linkedin": "https://www.linkedin.com/posts/{slug}-{n}",
    "instagram": "https://www.instagram.com/p/{slug}{n}/",
    "tiktok": "https://www.tiktok.com/@{slug}/video/{n}",
    "youtube": "https://www.youtube.com/watch?v={slug}{n}",
    "x": "https://x.com/{slug}/status/{n}",
    "facebook": "https://www.facebook.com/{slug}/posts/{n}",
    "bluesky": "https://bsky.app/profile/{slug}/post/{n}",
    "blog": "https://{slug}.blog.example/{n}",
    "local_press": "https://presse-locale.example/{slug}-{n}",
}


def _key(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def build_ambassadors(stdout, *, seed: int = 1) -> dict[str, int]:
    """Build the demo collective once (development only), then print its demo accounts."""
    if not settings.DEBUG:
        # Members are accounts: like the other demo accounts, none outside development.
        stdout.write("DEBUG désactivé : aucun collectif de démonstration créé.")
        return {}
    collective = Organization.objects.filter(slug=COLLECTIVE_SLUG).first()
    counts: dict[str, int] = {}
    if collective is None:
        with transaction.atomic():
            counts = _build(random.Random(seed))
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        stdout.write(f"Collectif de démonstration créé : {summary}.")
    _print_accounts(stdout)
    return counts


def _build(rng: random.Random) -> dict[str, int]:
    # The public page's cache is told by the Ambassador save signal (vocations/web/signals.py).
    collective = Organization.objects.create(
        name="Les Influstriels", slug=COLLECTIVE_SLUG, kind=Organization.Kind.COLLECTIVE
    )
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    if not departments:
        raise ValueError("Aucun département : chargez d'abord les données de référence.")
    themes = list(Theme.objects.filter(collective__isnull=True).order_by("position"))
    companies = list(
        Organization.objects.filter(kind=Organization.Kind.COMPANY)
        .exclude(department__isnull=True)
        .values_list("name", "department__code")
    )
    companies_by_dep: dict[str, list[str]] = {}
    for name, code in companies:
        companies_by_dep.setdefault(code, []).append(name)
    password = make_password(None)  # unusable: demo people never sign in
    members = [_member(rng, collective, departments, companies_by_dep, themes, password, i)
               for i in range(MEMBERS)]  # fmt: skip
    coordinator = User.objects.create(
        email=COORDINATOR_EMAIL, full_name="Émilie Le Douaron (démo)", password=password
    )
    Membership.objects.create(user=coordinator, organization=collective, role=Membership.Role.OWNER)
    coordinator.password = make_password(DEMO_PASSWORD)
    coordinator.save(update_fields=["password"])
    members[0].user.password = coordinator.password
    members[0].user.save(update_fields=["password"])
    mobilisations = _mobilisations(coordinator, collective, themes)
    links = _participations(rng, members, mobilisations)
    posts = _posts(rng, collective, links)
    visits, attributed = _visits(rng, links)
    return {
        "membres": len(members),
        "départements": len({m.department_id for m in members}),
        "mobilisations": len(mobilisations),
        "liens personnels": len(links),
        "publications": posts,
        "visites par les liens": visits,
        "inscriptions attribuées": attributed,
    }


def _member(rng, collective, departments, companies_by_dep, themes, password, i) -> Ambassador:
    codes = sorted(departments)
    # The demo member (i = 0) lives in the Loire and has a credible profile.
    code = "42" if i == 0 and "42" in departments else codes[i % len(codes)]
    role, generation, networks = PROFILES[5 if i == 0 else rng.randrange(len(PROFILES))]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name = f"{first} {last}"
    email = MEMBER_EMAIL if i == 0 else f"{slugify(first)}.{slugify(last)}.{i}@membres.demo"
    user = User.objects.create(email=email, full_name=name, password=password)
    department = departments[code]
    company = rng.choice(companies_by_dep.get(code) or [f"Ateliers de {department.name}"])
    if "enseignant" in role.lower():
        company = f"Lycée professionnel de {department.name}"
    ambassador = Ambassador.objects.create(
        collective=collective,
        user=user,
        display_name=name,
        role=role,
        company=company,
        department=department,
        generation=generation,
        consent_at=timezone.now(),
        is_public=i == 0 or rng.random() < 0.6,
        bio=f"{role} dans le département {department.name}, je raconte mon métier.",
    )
    ambassador.themes.set(rng.sample(themes, k=min(len(themes), rng.randint(1, 3))))
    AmbassadorNetwork.objects.bulk_create(
        AmbassadorNetwork(
            ambassador=ambassador,
            network=network,
            handle=f"@{slugify(name)}" if network not in ("in_person", "local_press") else "",
            audience_size=rng.randint(*SIZES[network]),
            audiences=default_audiences(network),
        )
        for network in (networks[: rng.randint(1, len(networks))] if i else networks)
    )
    return ambassador


def _mobilisations(coordinator, collective, themes) -> list[Mobilisation]:
    today = timezone.localdate()
    campaign = Campaign.objects.order_by("pk").first()
    flagship = Event.objects.filter(kind=Event.Kind.FLAGSHIP).order_by("starts_at").first()
    regional = (
        Event.objects.filter(is_published=True, label__state="labelled")
        .exclude(kind=Event.Kind.FLAGSHIP)
        .exclude(region__code="11")
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )
    wave = None
    if campaign is not None:
        wave = (
            Wave.objects.filter(campaign=campaign, starts_on__lte=today)
            .order_by("-starts_on")
            .first()
        )
    specs = []
    if flagship is not None:
        specs.append((
            f"{flagship.title} : les parents de lycéens",
            "Les jeunes viennent en nombre ; leurs parents, beaucoup moins. Sur LinkedIn et "
            "Facebook, racontons nos métiers aux parents pour qu'ils viennent avec leurs enfants.",
            {"event": flagship}, ["parents", "advisers"], themes[:1] + themes[3:4],
            timezone.localdate(flagship.starts_at),
        ))  # fmt: skip
    if wave is not None:
        specs.append((
            f"{wave.name} : les personnes en reconversion",
            "La campagne passe à la télévision et sur les réseaux des jeunes : montrons aux "
            "adultes en reconversion que l'industrie recrute près de chez eux.",
            {"wave": wave}, ["career_changers", "job_seekers", "parents"], themes[1:3],
            wave.ends_on,
        ))  # fmt: skip
    if regional is not None:
        specs.append((
            f"{regional.title} : partout en région",
            "Un événement hors des grandes villes : les membres du territoire en parlent dans la "
            "presse locale et en personne.",
            {"event": regional}, ["young_people", "parents"], themes[4:5],
            timezone.localdate(regional.starts_at),
        ))  # fmt: skip
    result = []
    for title, goal, target, audiences, mobilisation_themes, ends in specs:
        starts = min(today - dt.timedelta(days=20), ends)
        result.append(
            mobilisation_create(
                actor=coordinator,
                collective=collective,
                data=MobilisationData(
                    title=title[:200], goal=goal, starts_on=starts, ends_on=max(ends, starts),
                    campaign=campaign if "event" in target else None,
                    target_audiences=audiences, themes=mobilisation_themes, **target,
                ),
            )
        )  # fmt: skip
    return result


def _participations(rng, members, mobilisations) -> list[tuple]:
    """(ambassador, mobilisation, participation) for ~60 % of members, the demo member in all."""
    links = []
    for i, member in enumerate(members):
        for mobilisation in mobilisations:
            regional = mobilisation is mobilisations[-1] and len(mobilisations) == 3
            near = (
                regional
                and mobilisation.event.region_id is not None
                and member.department.region_id == mobilisation.event.region_id
            )
            if i == 0 or near or rng.random() < (0.25 if regional else 0.45):
                participation = mobilisation_join(
                    actor=member.user, ambassador=member, mobilisation=mobilisation
                )
                links.append((member, mobilisation, participation))
    return links


def _posts(rng, collective, links) -> int:
    posts, metrics = [], []
    n = 0
    today = timezone.localdate()
    for member, mobilisation, _ in links:
        networks = [x.network for x in member.networks.all()]
        themes = list(mobilisation.themes.all()) or [None]
        for _ in range(rng.randint(1, 2)):
            network = rng.choice(networks)
            n += 1
            url = ""
            if network in POST_DOMAINS:
                url = POST_DOMAINS[network].format(slug=slugify(member.display_name), n=1000 + n)
            day = min(mobilisation.starts_on + dt.timedelta(days=rng.randrange(20)), today)
            posts.append(
                Post(
                    collective=collective, ambassador=member, mobilisation=mobilisation,
                    network=network, url=url, theme=rng.choice(themes), published_on=day,
                    text="Dans mon atelier, on fabrique l'avenir : venez voir !",
                    department=member.department,
                )
            )  # fmt: skip
    posts = Post.objects.bulk_create(posts)
    for post in posts:
        if post.network == "in_person":
            continue
        impressions = rng.randint(400, 25_000)
        engagements = impressions * rng.randint(2, 8) // 100
        clicks = impressions * rng.randint(1, 3) // 100
        metrics += [
            PostMetric(post=post, metric=name, value=value, source="import")
            for name, value in (
                ("impressions", impressions), ("engagements", engagements), ("clicks", clicks)
            )
        ]  # fmt: skip
    PostMetric.objects.bulk_create(metrics)
    return len(posts)


def _visits(rng, links) -> tuple[int, int]:
    """Visits through each personal link, then a share of the unattributed registrations of
    the mobilisation's event (or campaign) attributed to one of them (last touch)."""
    now = timezone.now()
    visits, attributions = [], []
    taken: set[int] = set()
    for member, mobilisation, participation in links:
        link = participation.link
        start = timezone.make_aware(dt.datetime.combine(mobilisation.starts_on, dt.time(8)))
        if start >= now:
            start = now - dt.timedelta(days=3)
        span = max(int((now - start).total_seconds()), 3600)
        mine = []
        for _ in range(rng.randint(4, 60) * (3 if member.user.email == MEMBER_EMAIL else 1)):
            at = start + dt.timedelta(seconds=rng.randrange(span))
            visit = Visit(
                visit_key=_key(rng), at=at, landing_path=link.landing_path,
                source="qr" if rng.random() < 0.1 else "click", link_id=link.pk,
                campaign_id=link.campaign_id, channel="influence",
                referrer=rng.choice(["social", "social", "none", "email"]),
                device=rng.choice(["mobile", "mobile", "desktop"]), is_bot=False,
                visitor_hash=f"{rng.getrandbits(64):016x}",
            )  # fmt: skip
            visits.append(visit)
            mine.append(visit)
        registrations = Registration.objects.filter(
            attribution__isnull=True, status="confirmed", created_at__gte=start
        ).exclude(pk__in=taken)
        if mobilisation.event_id:
            registrations = registrations.filter(event_id=mobilisation.event_id)
        wanted = max(1, len(mine) // 8)
        for registration in registrations.order_by("pk")[: wanted * 3]:
            if len([a for a in attributions if a.last_link_id == link.pk]) >= wanted:
                break
            earlier = [v for v in mine if v.at <= registration.created_at]
            if not earlier:
                # The visit that brought it: minutes before the registration.
                at = registration.created_at - dt.timedelta(minutes=rng.randint(2, 30))
                visit = Visit(
                    visit_key=_key(rng), at=at, landing_path=link.landing_path, source="click",
                    link_id=link.pk, campaign_id=link.campaign_id, channel="influence",
                    referrer="social", device="mobile", is_bot=False,
                    visitor_hash=f"{rng.getrandbits(64):016x}",
                )  # fmt: skip
                visits.append(visit)
                earlier = [visit]
            touch = max(earlier, key=lambda v: v.at)
            taken.add(registration.pk)
            fields = {
                "visit_key": touch.visit_key, "at": touch.at, "link_id": link.pk,
                "placement_id": None, "wave_id": None, "channel": "influence",
            }  # fmt: skip
            attributions.append(
                Attribution(
                    registration_id=registration.pk,
                    campaign_id=link.campaign_id,
                    **{f"first_{k}": v for k, v in fields.items()},
                    **{f"last_{k}": v for k, v in fields.items()},
                )
            )
    Visit.objects.bulk_create(visits, batch_size=2000)
    Attribution.objects.bulk_create(attributions, batch_size=2000)
    first = Visit.objects.filter(channel="influence").aggregate(first=Min("at"))["first"]
    if first is not None:
        rollup_visits(since=first)
    return len(visits), len(attributions)


def _print_accounts(stdout) -> None:
    member = Ambassador.objects.filter(user__email=MEMBER_EMAIL).first()
    stdout.write(
        f"Collectif d'ambassadeurs (mot de passe : {DEMO_PASSWORD}) : {COORDINATOR_EMAIL} "
        f"(coordinatrice, /organisateur/collectif/), {MEMBER_EMAIL} "
        f"(membre{f' : {member.display_name}' if member else ''}, /organisateur/ambassadeur/)."
    )
