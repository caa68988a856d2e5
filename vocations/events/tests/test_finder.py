"""The finder's filter rules (vocations.events.finder), shared by the site, the feed and the API."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.utils import timezone

from vocations.api.tests.factories import (
    make_event,
    make_geography,
    make_organization,
    make_sector,
    make_trade,
    moment,
)
from vocations.events import finder
from vocations.events.finder import find_events, haversine_km, parse_filters
from vocations.events.models import Event, Label, Registration
from vocations.events.selectors import seats_left
from vocations.events.services import registration_cancel, registration_create

from .test_registrations_support import person


def titles(query: str) -> list[str]:
    results = find_events(parse_filters(QueryDict(query)))
    return [e.title for e in results[:1000]]


def filters_of(query: str):
    return parse_filters(QueryDict(query))


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def org(db):
    return make_organization()


@pytest.fixture
def around_lyon(geo, org):
    """One event in each of five communes at known distances from Lyon, and one online."""
    events = {}
    for offset, name in enumerate(["Grenoble", "Saint-Étienne", "Vienne", "Villeurbanne", "Lyon"]):
        events[name] = make_event(
            organization=org, title=f"Forum {name}", commune=geo[name], starts_at=moment(5 + offset)
        )
    events["online"] = make_event(organization=org, title="Webinaire", starts_at=moment(3))
    return events


def test_haversine_matches_known_distances():
    lyon, grenoble = (45.7578, 4.8320), (45.1885, 5.7245)
    assert haversine_km(lyon, grenoble) == pytest.approx(94.5, abs=1.5)
    assert haversine_km(lyon, lyon) == 0


@pytest.mark.django_db
def test_no_filter_lists_upcoming_public_events_by_date(around_lyon):
    assert titles("") == [
        "Webinaire",
        "Forum Grenoble",
        "Forum Saint-Étienne",
        "Forum Vienne",
        "Forum Villeurbanne",
        "Forum Lyon",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state,published",
    [
        (Label.State.DRAFT, True),
        (Label.State.SUBMITTED, True),
        (Label.State.CHANGES_REQUESTED, True),
        (Label.State.REFUSED, True),
        (Label.State.LABELLED, False),
    ],
)
def test_only_labelled_and_published_events_appear(geo, org, state, published):
    make_event(organization=org, title="Visible", commune=geo["Lyon"])
    make_event(
        organization=org,
        title="Caché",
        commune=geo["Lyon"],
        label_state=state,
        is_published=published,
    )

    assert titles("") == ["Visible"]
    assert titles("code_postal=69002&rayon=50") == ["Visible"]
    assert titles("q=Caché") == []


@pytest.mark.django_db
def test_region_department_and_commune(around_lyon, geo, org):
    make_event(organization=org, title="Forum Brest", commune=geo["Brest"])

    assert titles("region=53") == ["Forum Brest"]
    assert set(titles("region=84")) == {f"Forum {n}" for n in around_lyon if n != "online"}
    assert titles("departement=38") == ["Forum Grenoble", "Forum Vienne"]
    assert titles("commune=69266") == ["Forum Villeurbanne"]


@pytest.mark.django_db
def test_postal_code_alone_searches_30_km_around_its_commune(around_lyon):
    result = filters_of("code_postal=69002")
    assert result.radius_km == 30
    assert result.center == (45.7578, 4.8320)
    # Ordered by distance: Lyon 0 km, Villeurbanne ~5 km, Vienne ~27 km.
    assert titles("code_postal=69002") == ["Forum Lyon", "Forum Villeurbanne", "Forum Vienne"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "radius,expected",
    [
        ("10", ["Forum Lyon", "Forum Villeurbanne"]),
        ("30", ["Forum Lyon", "Forum Villeurbanne", "Forum Vienne"]),
        ("60", ["Forum Lyon", "Forum Villeurbanne", "Forum Vienne", "Forum Saint-Étienne"]),
        (
            "200",
            [
                "Forum Lyon",
                "Forum Villeurbanne",
                "Forum Vienne",
                "Forum Saint-Étienne",
                "Forum Grenoble",
            ],
        ),
    ],
)
def test_postal_code_and_radius_orders_by_distance(around_lyon, radius, expected):
    assert titles(f"code_postal=69002&rayon={radius}") == expected


@pytest.mark.django_db
def test_radius_results_carry_their_distance(around_lyon):
    results = find_events(filters_of("code_postal=69100&rayon=30"))
    events = results[0:10]
    assert [e.title for e in events] == ["Forum Villeurbanne", "Forum Lyon", "Forum Vienne"]
    assert events[0].distance_km == pytest.approx(0, abs=0.01)
    assert events[1].distance_km == pytest.approx(4.7, abs=0.5)
    assert results.count() == 3


@pytest.mark.django_db
def test_radius_zero_means_this_postal_code_only(around_lyon):
    assert titles("code_postal=69100&rayon=0") == ["Forum Villeurbanne"]


@pytest.mark.django_db
def test_radius_is_capped_at_200_km(around_lyon):
    result = filters_of("code_postal=69002&rayon=5000")
    assert result.radius_km == 200
    assert result.warnings == ("Rayon limité à 200 km.",)


@pytest.mark.django_db
def test_postal_code_without_coordinates_says_so_and_keeps_the_code(geo, org):
    make_event(organization=org, title="Forum Brest", commune=geo["Brest"])

    result = filters_of("code_postal=29200&rayon=20")

    assert result.center is None
    assert len(result.warnings) == 1
    assert "position inconnue pour ce code postal" in result.warnings[0]
    assert titles("code_postal=29200&rayon=20") == ["Forum Brest"]


@pytest.mark.django_db
def test_dates_default_to_today_and_include_running_events(geo, org):
    make_event(organization=org, title="Passé", commune=geo["Lyon"], starts_at=moment(-3))
    make_event(
        organization=org,
        title="En cours",
        commune=geo["Lyon"],
        starts_at=moment(-1),
        ends_at=moment(1),
    )
    make_event(organization=org, title="Dans 5 jours", commune=geo["Lyon"], starts_at=moment(5))
    make_event(organization=org, title="Dans 20 jours", commune=geo["Lyon"], starts_at=moment(20))
    day = timezone.localdate()

    assert titles("") == ["En cours", "Dans 5 jours", "Dans 20 jours"]
    end = (day + dt.timedelta(days=5)).isoformat()
    assert titles(f"au={end}") == ["En cours", "Dans 5 jours"]
    start = (day + dt.timedelta(days=4)).strftime("%d/%m/%Y")
    assert titles(f"du={start}") == ["Dans 5 jours", "Dans 20 jours"]
    past = (day - dt.timedelta(days=10)).isoformat()
    assert titles(f"du={past}&au={(day - dt.timedelta(days=2)).isoformat()}") == ["Passé"]


@pytest.mark.django_db
def test_reversed_dates_are_swapped_with_a_warning(geo, org):
    make_event(organization=org, title="Dans 5 jours", commune=geo["Lyon"], starts_at=moment(5))
    day = timezone.localdate()
    query = f"du={(day + dt.timedelta(9)).isoformat()}&au={(day + dt.timedelta(1)).isoformat()}"

    assert titles(query) == ["Dans 5 jours"]
    assert "inversées" in filters_of(query).warnings[0]


@pytest.mark.django_db
def test_kind_accepts_several_values(geo, org):
    make_event(organization=org, title="Salon", kind=Event.Kind.ORIENTATION_FAIR)
    make_event(organization=org, title="Forum", kind=Event.Kind.RECRUITMENT_FORUM)
    make_event(organization=org, title="Visite", kind=Event.Kind.COMPANY_VISIT)

    assert titles("type=orientation_fair") == ["Salon"]
    assert sorted(titles("type=orientation_fair&type=company_visit")) == ["Salon", "Visite"]
    assert sorted(titles("type=recruitment_forum,company_visit")) == ["Forum", "Visite"]


@pytest.mark.django_db
def test_audience_lists_each_event_once(geo, org):
    make_event(organization=org, title="Famille", audiences=("young_people", "parents"))
    make_event(organization=org, title="Emploi", audiences=("job_seekers",))

    assert titles("public=parents") == ["Famille"]
    assert titles("public=parents&public=young_people") == ["Famille"]
    assert sorted(titles("public=parents,job_seekers")) == ["Emploi", "Famille"]


@pytest.mark.django_db
def test_sector_and_trade(geo, org):
    metal = make_sector()
    food = make_sector("agroalimentaire", "Agroalimentaire")
    welder = make_trade()
    make_event(organization=org, title="Métal", sectors=(metal,), trades=(welder,))
    make_event(organization=org, title="Agro", sectors=(food,))

    assert titles("filiere=metallurgie") == ["Métal"]
    assert sorted(titles("filiere=metallurgie&filiere=agroalimentaire")) == ["Agro", "Métal"]
    assert titles("metier=H2913") == ["Métal"]
    assert titles("metier=h2913") == ["Métal"]
    assert titles("metier=soudeur-soudeuse") == ["Métal"]


@pytest.mark.django_db
def test_places_left_follows_real_registrations(geo, org):
    # Seats are taken through the registration service (no stand-in for the seat count):
    # the small event fills up and leaves the "places left" results; a waitlisted person
    # takes no seat.
    small = make_event(organization=org, title="Petit", capacity=2)
    make_event(organization=org, title="Grand", capacity=50)
    make_event(organization=org, title="Illimité", capacity=None)
    assert sorted(titles("places=1")) == ["Grand", "Illimité", "Petit"]

    statuses = [
        registration_create(event=small, data=person(f"p{i}@example.fr")).status for i in range(3)
    ]

    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert sorted(titles("places=1")) == ["Grand", "Illimité"]
    assert sorted(titles("places=0")) == ["Grand", "Illimité", "Petit"]
    registration_cancel(registration=Registration.objects.filter(event=small).first())
    # The waiting list moved up: still full.
    assert sorted(titles("places=1")) == ["Grand", "Illimité"]


@pytest.mark.django_db
def test_full_event_leaves_places_left_results(geo, org):
    make_event(organization=org, title="Complet", capacity=10, seats_confirmed=10)
    make_event(organization=org, title="Presque", capacity=10, seats_confirmed=9)

    assert titles("places=1") == ["Presque"]
    events = find_events(filters_of(""))[0:10]
    assert [seats_left(e) for e in events] == [0, 1]


@pytest.mark.django_db
def test_online_and_text(around_lyon):
    assert titles("en_ligne=1") == ["Webinaire"]
    assert "Webinaire" not in titles("en_ligne=0")
    assert len(titles("en_ligne=non")) == 5
    assert titles("q=villeur") == ["Forum Villeurbanne"]
    assert titles("q=  forum   LYON ") == ["Forum Lyon"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,warning",
    [
        ("du=31/02", "Date ignorée : « 31/02 » n'est pas une date."),
        ("au=demain", "Date ignorée : « demain » n'est pas une date."),
        ("type=barbecue", "Type inconnu ignoré : « barbecue »."),
        ("public=martiens", "Public inconnu ignoré : « martiens »."),
        ("filiere=nope", "Filière inconnue ignorée : « nope »."),
        ("metier=Z9999", "Métier inconnu ignoré : « Z9999 »."),
        ("region=99", "Région inconnue ignorée : « 99 »."),
        ("departement=ZZ", "Département inconnu ignoré : « ZZ »."),
        ("commune=00000", "Commune inconnue ignorée : code INSEE « 00000 »."),
        (
            "code_postal=abc",
            "Code postal ignoré : « abc » n'est pas un code postal (5 chiffres).",
        ),
        ("code_postal=99999", "Code postal inconnu ignoré : 99999."),
        (
            "code_postal=69002&rayon=loin",
            "Rayon ignoré : « loin » n'est pas un nombre de kilomètres ; 30 km utilisés.",
        ),
        (
            "places=peut-être",
            "Filtre « places restantes » ignoré : « peut-être » n'est ni oui ni non.",
        ),
        ("en_ligne=2", "Filtre « en ligne » ignoré : « 2 » n'est ni oui ni non."),
    ],
)
def test_nonsense_values_are_ignored_with_a_french_warning(around_lyon, query, warning):
    result = filters_of(query)

    assert result.warnings == (warning,)
    assert titles(query)  # the rest of the search still answers


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["x" * 10_000, "🏭🔧" * 500, "\x00nul", "'; DROP TABLE events_event; --", "%", "_"],
)
def test_huge_emoji_and_hostile_values_never_fail(around_lyon, value):
    for name in finder.PARAMS.values():
        query = QueryDict(mutable=True)
        query[name] = value
        result = parse_filters(query)
        events = find_events(result)[0:20]
        assert isinstance(events, list)
        for warning in result.warnings:
            assert len(warning) < 200  # the value is quoted back shortened
    assert Event.objects.count() == 6


@pytest.mark.django_db
def test_long_text_is_cut_with_a_warning(around_lyon):
    result = filters_of("q=" + "forum " * 100)
    assert len(result.text) <= 100
    assert result.warnings == ("Recherche limitée aux 100 premiers caractères.",)


@pytest.mark.django_db
def test_query_items_round_trip(around_lyon):
    make_sector()
    query = (
        "code_postal=69002&rayon=60&type=open_day&public=parents&filiere=metallurgie"
        "&places=oui&en_ligne=0&q=forum&du=2030-01-02&au=2030-02-03"
    )
    first = filters_of(query)
    again = parse_filters(QueryDict(urlencode(first.query_items())))
    assert again == first
    assert dict(first.query_items())["rayon"] == "60"
