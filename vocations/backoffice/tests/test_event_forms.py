"""Create, edit, duplicate, publish and submit through the organizer's forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vocations.core.models import AuditEntry
from vocations.events.models import Event, Label, LabelTransition

from .conftest import at, form_payload, png_bytes, text

pytestmark = pytest.mark.django_db

CREATE = "/organisateur/evenements/nouveau/"


@pytest.fixture
def owner_client(login, users, org, places, sector, trades):
    return login(users["owner"])


@pytest.fixture
def post_create(owner_client, org):
    """POST the create form as the browser does (the organization is preselected)."""

    def post(**overrides):
        return owner_client.post(CREATE, form_payload(organization=org.pk, **overrides))

    return post


def test_create_happy_path(owner_client, org, sector, trades):
    payload = form_payload(
        organization=org.pk,
        sectors=[str(sector.pk)],
        trades=[str(trades["welder"].pk)],
        accepts_groups="on",
        max_group_size="30",
        image=SimpleUploadedFile("affiche.png", png_bytes(), content_type="image/png"),
        image_alt="Une soudeuse au travail",
    )
    response = owner_client.post(CREATE, payload)
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == f"/organisateur/evenements/{event.pk}/"
    assert event.organization == org
    assert event.title == "Journée découverte de la soudure"
    # datetime-local inputs are read as Paris time.
    assert event.starts_at == at(20, 9)
    assert timezone.localtime(event.starts_at).hour == 9
    assert event.commune.insee_code == "69123"
    assert event.region.code == "84"
    assert event.capacity == 40
    assert event.max_group_size == 30
    assert event.image.name.endswith(".png")
    assert sorted(event.audience_rows.values_list("audience", flat=True)) == [
        "parents",
        "young_people",
    ]
    assert list(event.sectors.all()) == [sector]
    assert list(event.trades.all()) == [trades["welder"]]
    assert Label.objects.get(event=event).state == Label.State.DRAFT
    assert AuditEntry.objects.filter(action="event.created", target_id=str(event.pk)).exists()

    page = text(owner_client.get(response["Location"]))
    assert "L'événement « Journée découverte de la soudure » est créé (brouillon)." in page
    assert "Brouillon" in page


def test_single_organization_is_preselected(owner_client, org):
    page = text(owner_client.get(CREATE))
    assert re.search(rf'<option value="{org.pk}" selected>Forges de Lyon</option>', page)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_at": "2027-03-20T08:00"},
            "ends_at",
            "La fin de l'événement doit être après son début.",
        ),
        ({"postal_code": "99999", "commune_insee": ""}, "postal_code", "Code postal inconnu"),
        ({"postal_code": "", "commune_insee": "00000"}, "commune_insee", "Commune inconnue"),
        (
            {"registration_closes_at": "2027-03-21T10:00"},
            "registration_closes_at",
            "Les inscriptions doivent fermer avant la fin de l'événement.",
        ),
        (
            {
                "registration_opens_at": "2027-03-19T10:00",
                "registration_closes_at": "2027-03-18T10:00",
            },
            "registration_closes_at",
            "La clôture des inscriptions doit suivre leur ouverture.",
        ),
        (
            {"image": "not-a-file", "image_alt": "Affiche"},
            "image",
            "Ce fichier n'est pas une image lisible",
        ),
        ({"is_free": None, "price_info": ""}, "price_info", "Indiquez le tarif"),
        ({"starts_at": "20 mars"}, "starts_at", "Saisissez une date et une heure valides."),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_shows_french_errors_and_creates_nothing(
    owner_client, post_create, overrides, field, message
):
    if overrides.get("image") == "not-a-file":
        overrides["image"] = SimpleUploadedFile(
            "photo.png", b"%PDF-1.4 pas une image", content_type="image/png"
        )
    response = post_create(**overrides)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    # The error summary is announced, and the message is tied to its field.
    assert 'role="alert"' in page
    assert f'href="#id_{field}"' in page
    assert f'id="id_{field}_error"' in page
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', page)
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action="event.created").exists()


def test_image_too_large_is_refused(owner_client, post_create, monkeypatch):
    monkeypatch.setattr("vocations.core.images.MAX_IMAGE_BYTES", 100)
    upload = SimpleUploadedFile("grande.png", png_bytes((400, 400)), content_type="image/png")
    response = post_create(image=upload, image_alt="Une affiche")
    assert response.status_code == 400
    assert "5 Mo au maximum" in text(response)
    assert not Event.objects.exists()


def test_image_needs_alternative_text(owner_client, post_create):
    upload = SimpleUploadedFile("affiche.png", png_bytes(), content_type="image/png")
    response = post_create(image=upload)
    assert response.status_code == 400
    assert "texte alternatif" in text(response)
    assert not Event.objects.exists()


def test_postal_code_with_several_communes_asks_to_choose(owner_client, post_create):
    response = post_create(postal_code="29860", commune_insee="", title="Salon de Plabennec")
    assert response.status_code == 400
    page = text(response)
    assert "Plusieurs communes ont le code postal 29860 : choisissez-en une." in page
    # Second step without JavaScript: the select now lists the communes of that code.
    assert '<option value="29160">Plabennec (29160)</option>' in page
    assert '<option value="29090">Kersaint-Plabennec (29090)</option>' in page

    response = post_create(postal_code="29860", commune_insee="29090", title="Salon de Plabennec")
    assert response.status_code == 302
    assert Event.objects.get().commune.name == "Kersaint-Plabennec"


def test_communes_lookup_answers_json(owner_client):
    response = owner_client.get("/organisateur/communes/?code_postal=29860")
    assert response.json() == {
        "communes": [
            {"insee": "29090", "name": "Kersaint-Plabennec"},
            {"insee": "29160", "name": "Plabennec"},
        ]
    }
    assert owner_client.get("/organisateur/communes/?code_postal=abc").json() == {"communes": []}


def test_trade_list_offers_featured_trades_only(owner_client, post_create, trades):
    page = text(owner_client.get(CREATE))
    assert "Soudeur / Soudeuse" in page
    assert "Métier rare" not in page
    response = post_create(trades=[str(trades["obscure"].pk)])
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)


def test_edit_keeps_chosen_non_featured_trade_and_updates(owner_client, draft_event, trades, users):
    draft_event.trades.add(trades["obscure"])
    url = reverse("backoffice:event_edit", args=[draft_event.pk])
    page = text(owner_client.get(url))
    assert "Métier rare" in page
    assert 'value="2027-03-20T09:00"' in page
    assert 'value="Portes ouvertes aux Forges"' in page

    response = owner_client.post(
        url,
        form_payload(
            title="Portes ouvertes (nouvelle version)",
            trades=[str(trades["obscure"].pk), str(trades["welder"].pk)],
            is_online="on",
            online_url="https://visio.example.fr/forges",
            postal_code="",
            commune_insee="",
        ),
    )
    assert response.status_code == 302
    draft_event.refresh_from_db()
    assert draft_event.title == "Portes ouvertes (nouvelle version)"
    assert draft_event.is_online and draft_event.commune is None
    assert set(draft_event.trades.all()) == {trades["obscure"], trades["welder"]}
    assert AuditEntry.objects.filter(action="event.updated").count() == 1


def test_edit_with_bad_input_changes_nothing(owner_client, draft_event):
    before = (draft_event.title, draft_event.ends_at)
    response = owner_client.post(
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        form_payload(title="Nouveau titre", ends_at="2027-03-19T08:00"),
    )
    assert response.status_code == 400
    assert "La fin de l'événement doit être après son début." in text(response)
    draft_event.refresh_from_db()
    assert (draft_event.title, draft_event.ends_at) == before


def test_duplicate_with_a_new_start_date(owner_client, draft_event):
    url = reverse("backoffice:event_duplicate", args=[draft_event.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, {"starts_at": "2027-03-27T10:00"})
    copy = Event.objects.exclude(pk=draft_event.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:event_edit", args=[copy.pk])
    assert copy.title == "Portes ouvertes aux Forges (copie)"
    assert copy.starts_at == at(27, 10)
    assert copy.ends_at == at(27, 18)
    assert copy.duplicated_from == draft_event
    assert Label.objects.get(event=copy).state == Label.State.DRAFT


def test_duplicate_needs_a_valid_date(owner_client, draft_event):
    response = owner_client.post(
        reverse("backoffice:event_duplicate", args=[draft_event.pk]), {"starts_at": ""}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in text(response)
    assert Event.objects.count() == 1


def test_publish_and_unpublish(owner_client, draft_event):
    publish = reverse("backoffice:event_publish", args=[draft_event.pk])
    unpublish = reverse("backoffice:event_unpublish", args=[draft_event.pk])
    response = owner_client.post(publish, follow=True)
    draft_event.refresh_from_db()
    assert draft_event.is_published and draft_event.published_at is not None
    page = text(response)
    assert "Événement publié" in page
    # Published but not labelled: the organizer is told it is not public yet.
    assert "seuls les événements labellisés apparaissent sur le site public" in page

    owner_client.post(unpublish)
    draft_event.refresh_from_db()
    assert not draft_event.is_published
    assert list(
        AuditEntry.objects.filter(target_id=str(draft_event.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["event.created", "event.published", "event.unpublished"]


def test_conditions_shown_then_submit(
    owner_client, draft_event, label_period, django_capture_on_commit_callbacks
):
    url = reverse("backoffice:event_detail", args=[draft_event.pk])
    page = text(owner_client.get(url))
    for condition in (
        "Gratuit",
        "Pendant la campagne",
        "Ouvert au public",
        "Fait découvrir l'industrie",
    ):
        assert condition in page
    assert "Soumettre pour le label" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("backoffice:event_submit", args=[draft_event.pk]), follow=True
        )
    label = Label.objects.get(event=draft_event)
    assert label.state == Label.State.SUBMITTED
    page = text(response)
    assert "Demande de label envoyée" in page
    assert "En attente de revue" in page
    assert "Soumettre pour le label" not in page
    assert len(mail.outbox) == 1
    assert f"/organisateur/evenements/{draft_event.pk}/" in mail.outbox[0].body

    # Submitting twice is refused with the service's French message.
    response = owner_client.post(
        reverse("backoffice:event_submit", args=[draft_event.pk]), follow=True
    )
    assert "Action impossible : le label est « En attente de revue »." in text(response)
    assert LabelTransition.objects.filter(label=label).count() == 1


def test_unmet_condition_is_shown_as_not_met(owner_client, make_event, org):
    event = make_event(
        org,
        is_free=False,
        price_info="10 €",
        starts_at=at(5, 9, month=6),
        ends_at=at(5, 17, month=6),
    )
    page = text(owner_client.get(reverse("backoffice:event_detail", args=[event.pk])))
    assert "Payant : 10 €" in page
    assert page.count("non rempli") == 2


def test_dashboard_filters_by_state(owner_client, org, make_event):
    make_event(org, title="Brouillon A")
    make_event(org, title="Labellisé B", state=Label.State.LABELLED)
    page = text(owner_client.get("/organisateur/?state=labelled"))
    assert "Labellisé B" in page and "Brouillon A" not in page
    page = text(owner_client.get("/organisateur/"))
    assert "Labellisé B" in page and "Brouillon A" in page
    assert "Forges de Lyon" in page and "propriétaire" in page
    # An unknown state is ignored rather than crashing.
    assert owner_client.get("/organisateur/?state=nimporte").status_code == 200


def test_every_page_has_one_h1(owner_client, draft_event):
    for url in (
        "/organisateur/",
        CREATE,
        reverse("backoffice:event_detail", args=[draft_event.pk]),
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        reverse("backoffice:event_duplicate", args=[draft_event.pk]),
    ):
        page = text(owner_client.get(url))
        assert page.count("<h1") == 1, url


def test_every_form_field_has_a_label(owner_client):
    page = text(owner_client.get(CREATE))
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page)
    assert len(ids) > 20
    for field_id in ids:
        assert f'for="{field_id}"' in page, field_id


def test_dates_are_kept_in_paris_time_across_dst(owner_client, post_create):
    # 28 March 2027 is the switch to summer time: 10:00 Paris is 08:00 UTC.
    response = post_create(
        starts_at="2027-03-28T10:00",
        ends_at="2027-03-28T12:00",
        registration_opens_at="",
        registration_closes_at="",
    )
    assert response.status_code == 302
    assert Event.objects.get().starts_at == dt.datetime(2027, 3, 28, 8, 0, tzinfo=dt.UTC)


def test_the_event_page_writes_times_the_french_way(owner_client, draft_event):
    """One time format across the product (issue 12, point 9): « 9 h », never « 09:00 »."""
    page = text(owner_client.get(reverse("backoffice:event_detail", args=[draft_event.pk])))
    assert " à 9 h au " in page and " à 17 h" in page
    assert "09:00" not in page and "17:00" not in page
