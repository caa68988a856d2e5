"""The event page /evenements/<slug>/ and the iCalendar files."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from vocations.api.tests.factories import (
    make_event,
    make_geography,
    make_organization,
    make_sector,
    make_trade,
    moment,
)
from vocations.events.models import (
    Event,
    EventPartner,
    Label,
    Partner,
    Session,
    Space,
    Universe,
)

from .html import find_all


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def org(db):
    return make_organization()


@pytest.fixture
def event(geo, org):
    return make_event(
        organization=org,
        title="Portes ouvertes aux Forges",
        commune=geo["Lyon"],
        starts_at=moment(12, 9),
        ends_at=moment(12, 12),
        summary="Visitez l'atelier de soudure & rencontrez les équipes.",
        description="Une matinée </script><b>pour</b> découvrir nos métiers.",
        access_info="Métro D, arrêt Grange Blanche.",
        accessibility_info="Accessible en fauteuil roulant.",
        audiences=("young_people", "parents"),
        sectors=(make_sector(),),
        trades=(make_trade(),),
        capacity=40,
        accepts_groups=True,
        max_group_size=30,
        registration_opens_at=moment(1, 8),
        registration_closes_at=moment(11, 18),
    )


def page(client, event) -> str:
    response = client.get(f"/evenements/{event.slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_event_page_shows_what_a_visitor_needs(client, event):
    html = page(client, event)

    assert find_all(html, "h1")[0].text == "Portes ouvertes aux Forges"
    facts = find_all(html, "section", class_="event-facts")[0].text
    for expected in (
        "Usine des Forges",
        "12 rue de l'Industrie",
        "69001 Lyon",
        "Métro D, arrêt Grange Blanche.",
        "Accessible en fauteuil roulant.",
        "Gratuit",
        "Jeunes, Parents",
        "40 places — 40 places restantes",
        "Acceptés (jusqu'à 30 personnes par groupe)",
        "Forges de Lyon",
        "Ouverture le",
        "Clôture le",
        ", 9 h – 12 h",
    ):
        assert expected in facts, expected
    assert "Soudeur / Soudeuse" in html and "H2913" in html
    assert "Métallurgie" in html
    # The trade links to its page in the trades explorer.
    links = [a for a in find_all(html, "a") if a.text == "Soudeur / Soudeuse"]
    assert [a.attrs["href"] for a in links] == ["/metiers/soudeur-soudeuse/"]
    ics = find_all(html, "a", href=f"/evenements/{event.slug}.ics")
    assert [a.text for a in ics] == ["Ajouter à mon agenda (.ics)"]


@pytest.mark.django_db
def test_event_page_json_ld_is_a_schema_org_event(client, event):
    html = page(client, event)

    scripts = find_all(html, "script", type="application/ld+json")
    assert len(scripts) == 1
    # The description's "</script>" cannot close the element early: it is escaped.
    assert "</script><b>" not in html
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Portes ouvertes aux Forges"
    assert dt.datetime.fromisoformat(data["startDate"]) == event.starts_at
    assert dt.datetime.fromisoformat(data["endDate"]) == event.ends_at
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue de l'Industrie",
        "postalCode": "69001",
        "addressLocality": "Lyon",
        "addressRegion": "Auvergne-Rhône-Alpes",
        "addressCountry": "FR",
    }
    assert data["organizer"] == {"@type": "Organization", "name": "Forges de Lyon"}
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == "0"
    assert data["description"] == "Visitez l'atelier de soudure & rencontrez les équipes."
    assert data["url"] == f"http://127.0.0.1:8000/evenements/{event.slug}/"
    assert "image" not in data


@pytest.mark.django_db
def test_online_event_json_ld_has_a_virtual_location(client, org):
    online = make_event(organization=org, title="Webinaire métiers")

    data = json.loads(find_all(page(client, online), "script", type="application/ld+json")[0].text)

    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://visio.example.org/session",
    }


@pytest.mark.django_db
def test_open_graph_canonical_and_share_links(client, event):
    html = page(client, event)
    url = f"http://127.0.0.1:8000/evenements/{event.slug}/"

    assert [link.attrs["href"] for link in find_all(html, "link", rel="canonical")] == [url]
    og = {
        m.attrs["property"]: m.attrs["content"]
        for m in find_all(html, "meta")
        if "property" in m.attrs
    }
    assert og["og:title"] == "Portes ouvertes aux Forges"
    assert og["og:url"] == url
    assert "Lyon" in og["og:description"]
    shares = {
        a.text.replace(" (nouvelle fenêtre)", ""): a.attrs["href"]
        for a in find_all(html, "a")
        if a.attrs.get("target") == "_blank"
    }
    assert set(shares) == {"E-mail", "LinkedIn", "Facebook", "X (Twitter)", "WhatsApp"}
    assert shares["E-mail"].startswith("mailto:?")
    assert parse_qs(urlsplit(shares["LinkedIn"]).query)["url"] == [url]
    assert parse_qs(urlsplit(shares["Facebook"]).query)["u"] == [url]
    assert parse_qs(urlsplit(shares["X (Twitter)"]).query)["url"] == [url]
    assert url in parse_qs(urlsplit(shares["WhatsApp"]).query)["text"][0]
    # Plain links: no third-party script on the page.
    assert all(not s.attrs.get("src", "").startswith("http") for s in find_all(html, "script"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state,published",
    [(Label.State.DRAFT, True), (Label.State.SUBMITTED, True), (Label.State.LABELLED, False)],
)
def test_non_public_event_is_a_french_404(client, geo, org, state, published):
    hidden = make_event(
        organization=org, commune=geo["Lyon"], label_state=state, is_published=published
    )

    for url in (f"/evenements/{hidden.slug}/", f"/evenements/{hidden.slug}.ics"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()
    assert client.get("/evenements/nexiste-pas/").status_code == 404


@pytest.mark.django_db
def test_flagship_programme_universes_spaces_sessions_by_day(client, geo, org):
    flagship = make_event(
        organization=org,
        title="L'Usine extraordinaire",
        commune=geo["Lyon"],
        kind=Event.Kind.FLAGSHIP,
        starts_at=moment(20, 9),
        ends_at=moment(23, 18),
    )
    sponsor = Partner.objects.create(name="Grand Groupe")
    EventPartner.objects.create(event=flagship, partner=sponsor, level="main_sponsor")
    EventPartner.objects.create(
        event=flagship, partner=Partner.objects.create(name="Radio Industrie"), level="media"
    )
    inventer = Universe.objects.create(event=flagship, name="Inventer", position=0)
    Universe.objects.create(event=flagship, name="Fabriquer", position=1)
    lab = Space.objects.create(universe=inventer, name="Le laboratoire", partner=sponsor)
    lab.trades.add(make_trade())
    Session.objects.create(
        event=flagship,
        space=lab,
        kind="slot",
        title="Visite des scolaires",
        starts_at=moment(20, 10),
        ends_at=moment(20, 11),
        school_groups_only=True,
    )
    Session.objects.create(
        event=flagship,
        space=lab,
        kind="demonstration",
        title="Démonstration robot",
        starts_at=moment(21, 14),
        ends_at=moment(21, 15),
    )
    Session.objects.create(
        event=flagship,
        kind="dinner",
        title="Dîner de l'industrie",
        starts_at=moment(22, 20),
        ends_at=moment(22, 23),
        invitation_only=True,
    )

    html = page(client, flagship)

    programme = find_all(html, "section", class_="programme")[0].text
    assert programme.index("Inventer") < programme.index("Le laboratoire")
    assert programme.index("Visite des scolaires") < programme.index("Démonstration robot")
    assert "Fabriquer" in programme
    assert "Réservé aux groupes scolaires" in programme
    assert "Sur invitation" in programme
    assert "Dîner de l'industrie" in programme
    days = [p.text for p in find_all(html, "p", class_="programme__day")]
    assert len(days) == 3  # one heading per day of sessions, per space
    partners = [h.text for h in find_all(html, "h3")]
    assert partners.index("Partenaire principal") < partners.index("Partenaire média")


@pytest.mark.django_db
def test_event_ics_is_a_valid_calendar(client, event):
    response = client.get(f"/evenements/{event.slug}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert "Vocations" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Portes ouvertes aux Forges"
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@vocations"
    assert str(vevent["SUMMARY"]) == "Portes ouvertes aux Forges"
    for name in ("DTSTART", "DTEND", "DTSTAMP"):
        value = vevent.decoded(name)
        assert value.utcoffset() == dt.timedelta(0), name
        assert vevent[name].to_ical().endswith(b"Z"), name
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert "12 rue de l'Industrie" in str(vevent["LOCATION"])
    assert str(vevent["URL"]) == f"http://127.0.0.1:8000/evenements/{event.slug}/"
    assert "Visitez l'atelier" in str(vevent["DESCRIPTION"])

    # The UID does not change when the event is edited, so calendars update the entry.
    Event.objects.filter(pk=event.pk).update(title="Nouveau titre", updated_at=timezone.now())
    again = Calendar.from_ical(client.get(f"/evenements/{event.slug}.ics").content)
    assert str(again.walk("VEVENT")[0]["UID"]) == f"event-{event.pk}@vocations"


@pytest.mark.django_db
def test_feed_applies_the_finder_filters(client, geo, org, django_assert_max_num_queries):
    near = make_event(organization=org, title="Forum Villeurbanne", commune=geo["Villeurbanne"])
    make_event(organization=org, title="Forum Grenoble", commune=geo["Grenoble"])
    make_event(organization=org, title="Passé", commune=geo["Lyon"], starts_at=moment(-5))
    make_event(
        organization=org, title="Brouillon", commune=geo["Lyon"], label_state=Label.State.DRAFT
    )

    everything = Calendar.from_ical(client.get("/evenements.ics").content)
    assert sorted(str(e["SUMMARY"]) for e in everything.walk("VEVENT")) == [
        "Forum Grenoble",
        "Forum Villeurbanne",
    ]
    # The postal code's communes (1), the radius candidates (1), the fingerprint of the
    # results (1), the events on a cache miss (1).
    with django_assert_max_num_queries(4):
        response = client.get("/evenements.ics", {"code_postal": "69002", "rayon": "30"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [f"event-{near.pk}@vocations"]
    assert str(cal["X-WR-CALNAME"]).startswith("Événements de l'industrie")
    # Nonsense filters are ignored, never a failure.
    assert client.get("/evenements.ics", {"du": "31/02", "type": "x" * 5000}).status_code == 200


@pytest.mark.django_db
def test_feed_is_capped(client, geo, org, monkeypatch):
    from vocations.web import ical

    monkeypatch.setattr(ical, "FEED_LIMIT", 2)
    for n in range(4):
        make_event(organization=org, title=f"E{n}", commune=geo["Lyon"], starts_at=moment(n + 1))

    cal = Calendar.from_ical(client.get("/evenements.ics").content)

    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["E0", "E1"]


@pytest.mark.django_db
def test_feed_cache_follows_changes(client, geo, org, django_assert_max_num_queries):
    event = make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])
    first = client.get("/evenements.ics").content
    # Served again from the cache: only the fingerprint query runs.
    with django_assert_max_num_queries(1):
        assert client.get("/evenements.ics").content == first

    Event.objects.filter(pk=event.pk).update(
        title="Forum Lyon (complet)", updated_at=timezone.now() + dt.timedelta(seconds=1)
    )
    changed = Calendar.from_ical(client.get("/evenements.ics").content)
    assert [str(e["SUMMARY"]) for e in changed.walk("VEVENT")] == ["Forum Lyon (complet)"]

    Label.objects.filter(event=event).update(state=Label.State.REFUSED)
    assert Calendar.from_ical(client.get("/evenements.ics").content).walk("VEVENT") == []


# --- shared and cheap (issue 14): cached like the finder, few queries when not cached -----------

VISIT_KEY = "AbCdEfGhIjKlMnOpQrStUv"


def test_event_page_is_shared_by_every_visitor_and_fresh_within_ten_seconds(client, event):
    first = client.get(f"/evenements/{event.slug}/?v={VISIT_KEY}&utm_source=tv")

    assert first.status_code == 200
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=5"}
    assert not first.cookies
    html = first.content.decode()
    # The visit key is not in the HTML: the page's script carries it (web/js/carry-visit.js).
    assert VISIT_KEY not in html
    assert find_all(html, "script", src="/static/web/js/carry-visit.js")
    # Another visitor, another key: the same stored page.
    again = client.get(f"/evenements/{event.slug}/?v={'z' * 22}")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content


def test_seats_left_on_the_cached_event_page_catch_up_within_seconds(client, event):
    assert "40 places restantes" in page(client, event)
    Event.objects.filter(pk=event.pk).update(seats_confirmed=3)  # a registration, no bump

    assert "40 places restantes" in page(client, event)  # Django's short copy
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=6)):
        assert "37 places restantes" in page(client, event)


def _ordinary(geo, org, n: int) -> Event:
    event = make_event(
        organization=org,
        title=f"Visite d'atelier {n}",
        commune=geo["Lyon"],
        audiences=("young_people", "parents")[: n % 2 + 1],
        sectors=tuple(make_sector(slug=f"secteur-{n}-{i}") for i in range(n)),
        trades=tuple(
            make_trade(rome_code=f"H{n}{i:03d}", title=f"Métier {n}-{i}") for i in range(n)
        ),
        capacity=40,
    )
    for i in range(n):
        partner = Partner.objects.create(name=f"Partenaire {n}-{i}")
        EventPartner.objects.create(event=event, partner=partner, level="media")
        Session.objects.create(
            event=event, kind="slot", title=f"Créneau {i}", starts_at=moment(12, 9 + i),
            ends_at=moment(12, 10 + i), school_groups_only=True,
        )  # fmt: skip
    return event


def test_uncached_ordinary_event_page_costs_five_queries_whatever_it_holds(
    client, geo, org, django_assert_num_queries
):
    # 1 the event with its organization, places, label and "has open school-group sessions"
    # (no sessions loaded), 2 audiences, 3 sectors, 4 trades, 5 partners. No universe, space or
    # session prefetch: those are a flagship's programme.
    small, large = _ordinary(geo, org, 1), _ordinary(geo, org, 4)
    for event in (small, large):
        cache.clear()
        with django_assert_num_queries(5):
            html = page(client, event)
        # The school-group sessions still open the class registration, without being loaded.
        assert find_all(html, "a", href=f"/evenements/{event.slug}/inscription/?type=groupe")


def test_flagship_page_adds_only_its_programme_queries(client, geo, org, django_assert_num_queries):
    flagship = make_event(
        organization=org, title="L'Usine extraordinaire", commune=geo["Lyon"],
        kind=Event.Kind.FLAGSHIP, starts_at=moment(20, 9), ends_at=moment(23, 18),
    )  # fmt: skip
    universe = Universe.objects.create(event=flagship, name="Inventer", position=0)
    Space.objects.create(universe=universe, name="Le laboratoire").trades.add(make_trade())
    # The five of an ordinary event, then universes, spaces, the spaces' trades, sessions.
    with django_assert_num_queries(9):
        page(client, flagship)
