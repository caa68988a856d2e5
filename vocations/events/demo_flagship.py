"""The demo flagship event, modelled on L'Usine extraordinaire: universes → spaces → sessions,
partners, school-only slots and an invitation-only dinner.
Built once by vocations.events.demo (build_events).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.core.audiences import Audience
from vocations.events.demo_world import (
    ACCESSIBILITY,
    STREETS,
    K,
    State,
    World,
    _table,
    at,
    de,
    in_periods,
    label_for,
    save_labels,
)
from vocations.events.models import (
    Event,
    EventAudience,
    EventPartner,
    LabelPeriod,
    Partner,
    Session,
    SessionInvitation,
    Space,
    Universe,
)
from vocations.territories.models import Commune, PostalCode

# ---------------------------------------------------------------------------------------------
# The flagship event: universes → spaces → sessions, partners, an invitation-only dinner


UNIVERSES = _table(
    """
    Inventer | Comment l'usine et celles et ceux qui y travaillent inventent chaque jour des \
    réponses aux défis de notre société : énergie, santé, mobilité, matériaux.
    Fabriquer | L'ingéniosité des procédés et des savoir-faire, en vrai : des machines qui \
    tournent, des gestes de professionnels, des pièces qui prennent forme sous vos yeux.
    Partager | Un lieu d'échange, d'information et de découverte : conférences, témoignages, \
    conseils d'orientation pour les jeunes, leurs parents et leurs enseignants.
    Connecter | Le trait d'union entre les entreprises, les territoires et les institutions : \
    emplois, alternance, formations et filières près de chez vous.
    """
)
# (universe index, name, description, ROME codes of the trades shown), one space a line.
SPACES = _table(
    """
    0 | Laboratoire des matériaux de demain | Touchez fibres recyclées et composites. \
        | H3203 H3201 H1235
    0 | Bureau d'études en réalité virtuelle | Concevez une pièce en 3D avec un casque. \
        | H1203 H1235 H1238
    0 | Atelier d'impression 3D | Regardez une imprimante 3D métal bâtir une pièce. | H2906 H1235
    0 | Usine à hydrogène miniature | Suivez l'hydrogène de l'électrolyse au réservoir. \
        | H2710 H1237
    0 | Salle blanche des semi-conducteurs | Enfilez la combinaison et entrez en salle blanche. \
        | H2604 H2605 H1209
    0 | Studio de design industriel | Dessinez l'objet de demain avec des designers. | H1205 H1203
    0 | Cockpit de l'avion électrique | Prenez place dans un cockpit et écoutez les mécaniciens. \
        | I1602 I1334
    0 | Batteries et mobilité électrique | Assemblez une cellule de batterie, étape par étape. \
        | H2705 H2701
    0 | De la molécule au médicament | Suivez un médicament du laboratoire au flacon. \
        | H1217 H2302 H2303
    0 | Laboratoire de formulation cosmétique | Formulez une crème avec une technicienne. \
        | H2304 H1217
    0 | Textiles intelligents | Des tissus qui chauffent, éclairent ou mesurent le cœur. \
        | H2403 H2412
    0 | Éolienne grandeur nature | Montez dans une nacelle d'éolienne reconstituée. | I1321 H1237
    1 | Atelier de soudure virtuelle | Tenez une torche et soudez sur simulateur. \
        | H2913 H2917 H2916
    1 | Ligne de production connectée | Pilotez une ligne où chaque machine parle aux autres. \
        | H2507 H2912 I1302
    1 | Forge et fonderie en direct | Voyez le métal en fusion devenir une pièce. \
        | H2904 H2907 H2509
    1 | Cellule d'usinage à commande numérique | Programmez un tour et une fraiseuse. | H2903 H2912
    1 | Chaudronnerie : du plan à la pièce | Pliez, roulez et assemblez la tôle. | H2902 H2914
    1 | Cobots en action | Travaillez en duo avec un robot collaboratif. | I1302 H1208
    1 | Ligne de conditionnement alimentaire | Suivez un biscuit du four au carton. \
        | H2102 H3301 H2105
    1 | Atelier de couture industrielle | Coupez et assemblez un vêtement en série. | H2402 H2409
    1 | Menuiserie numérique | Une machine à commande numérique taille le bois. | H2206 H2202
    1 | Verre soufflé et verre technique | Du verre en fusion aux fibres optiques. | H2801 H2805
    1 | Peinture et traitement de surface | Peignez une carrosserie au pistolet virtuel. \
        | H3404 H3402
    1 | Montage d'un moteur | Assemblez un moteur électrique en équipe. | H2909 H2901
    1 | Papier recyclé : de la fibre à la bobine | Fabriquez une feuille de papier recyclé. \
        | H3101 H3105
    1 | Contrôle qualité et métrologie | Mesurez au micron et trouvez le défaut caché. \
        | H1508 H1516 H1522
    2 | Grand amphithéâtre | Conférences et tables rondes sur l'industrie. | H2510 H2502
    2 | Scène des métiers | Des professionnels racontent leur journée de travail. | H2504 H2503
    2 | Espace orientation | Des conseillers aident à choisir une formation. | H2906 I1304
    2 | Café des apprentis | Discutez avec des apprentis de votre âge. | H2913 I1310
    2 | Parcours femmes et industrie | Des ingénieures et techniciennes témoignent. | H1402 H2510
    2 | Studio radio des jeunes reporters | Des élèves interviewent les exposants en direct. | H1102
    2 | Espace des parents | Salaires, études, débouchés : les réponses aux parents. | H2504 I1304
    2 | Bibliothèque des métiers | Fiches, vidéos et quiz sur plus de cent métiers. | H1404 H1401
    2 | Mur des fiertés industrielles | Des objets du quotidien et celles et ceux qui les font. \
        | H2507
    2 | Espace enseignants et prescripteurs | Ressources pour organiser une visite avec sa classe. \
        | H1303
    2 | Atelier de reconversion | Bilan express et conseils pour changer de métier. \
        | N1101 H2906 I1309
    2 | Simulateur de chariot élévateur | Conduisez un chariot en toute sécurité sur simulateur. \
        | N1101
    3 | Carte des usines de France | Trouvez les usines qui recrutent près de chez vous. | H1405
    3 | Village des régions | Chaque région présente ses filières et ses formations. | H2502
    3 | Espace emploi et alternance | Offres d'emploi et de contrats en alternance. | H2906 H2105
    3 | Job dating express | Dix minutes pour convaincre un recruteur. | H2913 I1304
    3 | Pôle des branches professionnelles | Les branches présentent leurs métiers. | H1406
    3 | Jumeau numérique d'une usine | Pilotez une usine virtuelle en temps réel. | H1401 H1403
    3 | Réseaux d'énergie | Supervisez le réseau électrique d'une ville. | F1605 H2708
    3 | L'usine circulaire : eau et recyclage | Trier, traiter, réutiliser : l'usine sans déchet. \
        | K2317 K2322 K2308
    3 | Maintenance prédictive | Des capteurs annoncent la panne avant qu'elle arrive. \
        | I1102 I1335 I1304
    3 | Le train du futur | Entretenez un bogie de train avec les techniciens. | I1323 I1313
    3 | Chantier naval connecté | Visitez la coque d'un navire en réalité augmentée. | I1605 H2914
    3 | Entrepôt automatisé | Robots et préparateurs de commandes travaillent ensemble. \
        | N1103 N1101
    """
)
# Invented names (no real company), by level on the flagship.
PARTNERS = [
    (name, level)
    for level, names in _table(
        """
        main_sponsor | Groupe Méridia Industries ; Aciéries du Val d'Argent ; Novalto Énergie
        sponsor | Fonderies de la Vallée Bleue ; Composites de l'Atlantique Sud
        sponsor | Vectoria Aéronautique ; Lumenor Électronique ; Textiles des Deux Rives
        sponsor | Papeteries du Haut-Vivier ; Verreries de Clairval ; Chimie verte de l'Estuaire
        sponsor | Mécanique alpine de précision ; Ferrovial Systèmes du Nord
        sponsor | Chantiers navals de la Pointe
        partner | Biscuiterie des Quatre Saisons ; Cosmétiques Belvédère ; Robotique Hexalis
        partner | Bois et Forêts d'Argonne ; Recyclage Circulor ; Laboratoires Sérénis
        partner | Hydrogène du Plateau ; Câbleries de la Loire ; Moteurs électriques Orval
        partner | Emballages du Ried
        media | Radio Métiers FM ; Le Magazine de la fabrication ; Chaîne Découverte Industrie
        institutional | Fondation pour les vocations industrielles
        institutional | Réseau des lycées des métiers de l'industrie
        institutional | Observatoire des compétences industrielles
        """
    )
    for name in names.split(" ; ")
]
# Who presents each space: the partner whose trade it shows (a foundry the forge, a radio the
# reporters' studio), so a visitor meets the company that does what the space shows.
SPACE_PARTNERS = dict(
    line.split(" → ")
    for line in """
Laboratoire des matériaux de demain → Composites de l'Atlantique Sud
Bureau d'études en réalité virtuelle → Vectoria Aéronautique
Atelier d'impression 3D → Mécanique alpine de précision
Usine à hydrogène miniature → Hydrogène du Plateau
Salle blanche des semi-conducteurs → Lumenor Électronique
Studio de design industriel → Groupe Méridia Industries
Cockpit de l'avion électrique → Vectoria Aéronautique
Batteries et mobilité électrique → Moteurs électriques Orval
De la molécule au médicament → Laboratoires Sérénis
Laboratoire de formulation cosmétique → Cosmétiques Belvédère
Textiles intelligents → Textiles des Deux Rives
Éolienne grandeur nature → Novalto Énergie
Atelier de soudure virtuelle → Aciéries du Val d'Argent
Ligne de production connectée → Groupe Méridia Industries
Forge et fonderie en direct → Fonderies de la Vallée Bleue
Cellule d'usinage à commande numérique → Mécanique alpine de précision
Chaudronnerie : du plan à la pièce → Aciéries du Val d'Argent
Cobots en action → Robotique Hexalis
Ligne de conditionnement alimentaire → Biscuiterie des Quatre Saisons
Atelier de couture industrielle → Textiles des Deux Rives
Menuiserie numérique → Bois et Forêts d'Argonne
Verre soufflé et verre technique → Verreries de Clairval
Peinture et traitement de surface → Chimie verte de l'Estuaire
Montage d'un moteur → Moteurs électriques Orval
Papier recyclé : de la fibre à la bobine → Papeteries du Haut-Vivier
Contrôle qualité et métrologie → Mécanique alpine de précision
Grand amphithéâtre → Fondation pour les vocations industrielles
Scène des métiers → Chaîne Découverte Industrie
Espace orientation → Réseau des lycées des métiers de l'industrie
Café des apprentis → Réseau des lycées des métiers de l'industrie
Parcours femmes et industrie → Fondation pour les vocations industrielles
Studio radio des jeunes reporters → Radio Métiers FM
Espace des parents → Le Magazine de la fabrication
Bibliothèque des métiers → Observatoire des compétences industrielles
Mur des fiertés industrielles → Le Magazine de la fabrication
Espace enseignants et prescripteurs → Réseau des lycées des métiers de l'industrie
Atelier de reconversion → Observatoire des compétences industrielles
Simulateur de chariot élévateur → Emballages du Ried
Carte des usines de France → Observatoire des compétences industrielles
Village des régions → Fondation pour les vocations industrielles
Espace emploi et alternance → Groupe Méridia Industries
Job dating express → Aciéries du Val d'Argent
Pôle des branches professionnelles → Fondation pour les vocations industrielles
Jumeau numérique d'une usine → Groupe Méridia Industries
Réseaux d'énergie → Câbleries de la Loire
L'usine circulaire : eau et recyclage → Recyclage Circulor
Maintenance prédictive → Novalto Énergie
Le train du futur → Ferrovial Systèmes du Nord
Chantier naval connecté → Chantiers navals de la Pointe
Entrepôt automatisé → Robotique Hexalis
""".strip().splitlines()
)
# Conferences (no space: they take the amphitheatre or the stage) and demonstrations, in the
# space named after the title.
TALKS = _table(
    """
    L'industrie, un avenir à fabriquer |
    Ingénieures et techniciennes racontent leur métier |
    Transition écologique : les usines se réinventent |
    Apprentissage : les clés pour se lancer |
    Se reconvertir dans l'industrie à 40 ans |
    L'hydrogène, une filière qui recrute |
    Quels salaires dans l'industrie ? |
    Le numérique à l'usine |
    Parents : comprendre les métiers de vos enfants |
    Relocaliser : la France qui fabrique |
    Les métiers de la maintenance |
    Intelligence artificielle et production |
    Enseignants : faire découvrir l'entreprise à sa classe |
    Le nucléaire recrute |
    Santé : fabriquer les médicaments de demain |
    Table ronde : l'industrie dans les territoires |
    Soudure robotisée en direct | Atelier de soudure virtuelle
    Coulée de bronze | Forge et fonderie en direct
    Pilotage d'une ligne connectée | Ligne de production connectée
    Usinage d'une pièce d'avion | Cellule d'usinage à commande numérique
    Tissage sur métier numérique | Textiles intelligents
    Impression 3D métal | Atelier d'impression 3D
    Un cobot et un opérateur en duo | Cobots en action
    Contrôle par ultrasons | Contrôle qualité et métrologie
    Une planche de surf en composite | Laboratoire des matériaux de demain
    Soufflage de verre | Verre soufflé et verre technique
    Montage express d'un moteur électrique | Montage d'un moteur
    Pliage de tôle en chaudronnerie | Chaudronnerie : du plan à la pièce
    Formuler une crème | Laboratoire de formulation cosmétique
    Maintenance d'une éolienne en réalité virtuelle | Éolienne grandeur nature
    """
)
CONFERENCE_TEXT = (
    "Des professionnels et des jeunes en formation en débattent, puis répondent aux questions du "
    "public."
)
DEMONSTRATION_TEXT = (
    "Une démonstration commentée par celles et ceux qui font ce métier, au plus près des machines."
)
CONFERENCE_AUDIENCES = ["general_public", "parents", "advisers", "young_people", "career_changers"]
DINNER_GUESTS = ["direction", "presidence", "rh", "communication", "partenariats", "usine"]


def flagship_days(now: dt.datetime, periods: list[LabelPeriod]) -> dt.date:
    """Four days from now; if that falls outside every label period, the next period's start."""
    first = timezone.localdate(now) + dt.timedelta(days=4)
    if in_periods(periods, first, first + dt.timedelta(days=3)):
        return first
    later = [p.starts_on for p in periods if p.starts_on > first]
    return min(later) if later else first


def build_flagship(
    rng: random.Random,
    now: dt.datetime,
    periods: list[LabelPeriod],
    world: World,
    slugs,
    *,
    first: dt.date | None = None,
    partners: list[Partner] | None = None,
) -> dict[str, int]:
    """The flagship four days from now (or from ``first``: the previous edition, whose outcome
    report the demo fills in — vocations/events/demo_outcomes.py)."""
    organizer = (
        Organization.objects.filter(kind=Organization.Kind.CAMPAIGN_TEAM).order_by("id").first()
        or Organization.objects.order_by("id").first()
    )
    commune = (
        Commune.objects.filter(insee_code="75056").first()
        or Commune.objects.order_by("-population", "id").first()
    )
    codes = sorted(PostalCode.objects.filter(commune=commune).values_list("code", flat=True))
    paris = commune.insee_code == "75056"
    past = first is not None
    first = first or flagship_days(now, periods)
    days = [first + dt.timedelta(days=n) for n in range(4)]
    title = f"L'Usine en grand {first.year}"
    if past:
        title = f"L'Usine en grand — édition de {date_format(first, 'F Y')}"
    event = Event(
        organization=organizer,
        kind=K.FLAGSHIP,
        title=title,
        slug=slugs(title),
        summary="Quatre jours gratuits pour inventer, fabriquer, partager et connecter : "
        "l'industrie comme vous ne l'avez jamais vue.",
        description="Sous une grande nef, quatre univers et une cinquantaine d'espaces "
        "expérientiels font vivre l'usine de l'intérieur : on y soude, on y pilote une ligne "
        "de production, on y rencontre celles et ceux qui fabriquent. Conférences, "
        "démonstrations et créneaux réservés aux classes rythment les quatre jours. "
        "L'entrée est gratuite, sur inscription ; les groupes scolaires ont leurs créneaux.",
        starts_at=at(days[0], 9),
        ends_at=at(days[3], 19),
        commune=commune,
        department_id=commune.department_id,
        region_id=commune.region_id,
        venue_name="Grand Palais" if paris else f"Parc des expositions {de(commune.name)}",
        address="Avenue Winston-Churchill" if paris else f"1 {STREETS[4]}",
        postal_code="75008" if "75008" in codes else (codes[0] if codes else ""),
        latitude=commune.latitude,
        longitude=commune.longitude,
        access_info="Navettes depuis les gares. Consigne à l'entrée.",
        accessibility_info=ACCESSIBILITY + " Boucles magnétiques dans le grand amphithéâtre.",
        capacity=40_000,
        registration_opens_at=at(days[0], 9) - dt.timedelta(days=64),
        registration_closes_at=at(days[3], 16),
        accepts_groups=True,
        max_group_size=35,
    )
    label, steps = label_for(rng, now, event, State.LABELLED)
    event.save()
    save_labels([(event, label, steps)])
    EventAudience.objects.bulk_create(
        EventAudience(event=event, audience=x) for x in Audience.values if x != Audience.PRESS
    )
    event.sectors.set(world.sector_ids)

    if partners is None:
        partners = Partner.objects.bulk_create(
            Partner(name=name, website=f"https://{slugify(name)}.example.org")
            for name, _ in PARTNERS
        )
    EventPartner.objects.bulk_create(
        EventPartner(event=event, partner=partner, level=level, position=n)
        for n, (partner, (_, level)) in enumerate(zip(partners, PARTNERS, strict=True))
    )
    universes = Universe.objects.bulk_create(
        Universe(event=event, name=name, description=text, position=n)
        for n, (name, text) in enumerate(UNIVERSES)
    )
    featured = sorted(world.featured_by_code.values())
    spaces, space_trades = [], []
    partner_by_name = {p.name: p for p in partners}
    for n, (universe, name, text, trade_codes) in enumerate(SPACES):
        partner = partner_by_name[SPACE_PARTNERS[name]]
        spaces.append(
            Space(universe=universes[int(universe)], name=name, description=text, position=n)
        )
        spaces[-1].partner = partner
        trades = [
            world.featured_by_code[c] for c in trade_codes.split() if c in world.featured_by_code
        ]
        if not trades and featured:
            trades = rng.sample(featured, min(len(featured), rng.randint(1, 3)))
        space_trades.append(trades[:3])
    Space.objects.bulk_create(spaces)
    Space.trades.through.objects.bulk_create(
        Space.trades.through(space_id=space.pk, trade_id=t)
        for space, trades in zip(spaces, space_trades, strict=True)
        for t in trades
    )
    event.trades.set(sorted({t for trades in space_trades for t in trades}))
    sessions = build_flagship_sessions(rng, event, days, {space.name: space for space in spaces})
    if past:
        return {"espaces": len(spaces), "séances": sessions}
    return {
        "espaces": len(spaces),
        "séances": sessions,
        "partenaires": len(partners),
        "_partners": partners,
    }


def build_flagship_sessions(
    rng: random.Random, event: Event, days: list[dt.date], spaces: dict[str, Space]
) -> int:
    """Talks over the four days, school-only visit slots on two days, the industry dinner."""
    hours = [(10, 0), (11, 30), (14, 0), (15, 30), (17, 0)]
    talks = list(TALKS)
    rng.shuffle(talks)
    sessions = []
    for n, (title, space_name) in enumerate(talks):
        start = at(days[n % 4], *hours[(n // 4) % len(hours)])
        session = Session(event=event, title=title, starts_at=start, audience="young_people")
        if space_name:
            session.kind, session.capacity = Session.Kind.DEMONSTRATION, rng.choice([30, 40, 60])
            session.space, session.ends_at = spaces[space_name], start + dt.timedelta(minutes=45)
            session.description = DEMONSTRATION_TEXT
        else:
            big = n % 2 == 1
            session.kind, session.capacity = Session.Kind.CONFERENCE, 400 if big else 150
            session.space = spaces["Grand amphithéâtre" if big else "Scène des métiers"]
            session.ends_at = start + dt.timedelta(hours=1)
            session.audience = rng.choice(CONFERENCE_AUDIENCES)
            session.description = CONFERENCE_TEXT
        sessions.append(session)
    for day in days[:2]:
        for part, (start, end) in (("matin", (9, 12)), ("après-midi", (13, 16))):
            sessions.append(
                Session(
                    event=event,
                    kind=Session.Kind.SLOT,
                    title=f"Visite des classes — {part}",
                    description="Créneau réservé aux groupes scolaires et à leurs enseignants, "
                    "avec un parcours guidé dans les quatre univers.",
                    starts_at=at(day, start),
                    ends_at=at(day, end),
                    capacity=2500,
                    audience=Audience.YOUNG_PEOPLE,
                    school_groups_only=True,
                )
            )
    dinner = Session(
        event=event,
        kind=Session.Kind.DINNER,
        title="Dîner de l'industrie",
        description="Sous la nef, dirigeants d'entreprises industrielles, partenaires et élus "
        "se retrouvent pour un dîner autour de l'avenir des métiers de l'industrie.",
        starts_at=at(days[1], 20),
        ends_at=at(days[1], 23, 30),
        capacity=700,
        invitation_only=True,
    )
    Session.objects.bulk_create([*sessions, dinner])
    SessionInvitation.objects.bulk_create(
        SessionInvitation(session=dinner, email=f"{who}@{slugify(name)}.example.org")
        for name, _ in PARTNERS[:12:2]
        for who in DINNER_GUESTS[:2]
    )
    return len(sessions) + 1
