"""Creating and editing events: every rule refuses bad input in French and changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vocations.core.models import AuditEntry
from vocations.events.models import Event, Label
from vocations.events.services import (
    EventData,
    event_create,
    event_duplicate,
    event_publish,
    event_unpublish,
    event_update,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def png_bytes(size=(20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def test_create_places_the_event_in_its_commune(draft_event, places, users):
    assert draft_event.commune == places["lyon"]
    assert draft_event.department == places["rhone"]
    assert draft_event.region == places["ara"]
    assert draft_event.postal_code == "69002"
    # No coordinates given: the commune's are used, so the event shows on the map.
    assert (draft_event.latitude, draft_event.longitude) == (45.758, 4.835)
    assert sorted(r.audience for r in draft_event.audience_rows.all()) == [
        "parents",
        "young_people",
    ]
    assert draft_event.label.state == Label.State.DRAFT
    assert not draft_event.is_published
    assert AuditEntry.objects.filter(action="event.created", target_id=str(draft_event.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": at(19)}, "ends_at", "La fin de l'événement doit être après son début."),
        (
            {"registration_opens_at": at(10), "registration_closes_at": at(9)},
            "registration_closes_at",
            "La clôture des inscriptions doit suivre leur ouverture.",
        ),
        (
            {"registration_closes_at": at(21)},
            "registration_closes_at",
            "Les inscriptions doivent fermer avant la fin de l'événement.",
        ),
        ({"capacity": 0}, "capacity", "La capacité doit être d'au moins une place."),
        (
            {"postal_code": "99999", "commune_insee": ""},
            "postal_code",
            "Code postal inconnu : 99999.",
        ),
        (
            {"postal_code": "6900", "commune_insee": ""},
            "postal_code",
            "« 6900 » n'est pas un code postal (5 chiffres).",
        ),
        ({"commune_insee": "00000"}, "commune_insee", "Commune inconnue : code INSEE « 00000 »."),
        ({"postal_code": "29200"}, "postal_code", "Le code postal 29200 ne correspond pas à Lyon."),
        (
            {"commune_insee": "", "postal_code": ""},
            "commune_insee",
            "Indiquez la commune de l'événement (ou cochez « en ligne »).",
        ),
        (
            {"is_online": True, "online_url": ""},
            "online_url",
            "Indiquez le lien de la session en ligne.",
        ),
        ({"audiences": ["martians"]}, "audiences", "Public inconnu : martians."),
        ({"kind": "rave"}, "kind", "Type d'événement inconnu."),
        ({"title": "  "}, "title", "Le titre est obligatoire."),
        (
            {"is_free": False, "price_info": ""},
            "price_info",
            "Indiquez le tarif d'un événement payant.",
        ),
        (
            {"accepts_groups": True, "max_group_size": 80},
            "max_group_size",
            "Un groupe ne peut pas dépasser la capacité de l'événement.",
        ),
        ({"latitude": 123.0, "longitude": 2.0}, "latitude", "Valeur hors limites (-90 à 90)."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(
    org, users, event_data, overrides, field, message
):
    with pytest.raises(ValidationError) as exc:
        event_create(actor=users["owner"], organization=org, data=event_data(**overrides))
    assert message in errors_of(exc.value)[field]
    assert not Event.objects.exists()
    assert not Label.objects.exists()


def test_a_postal_code_alone_finds_its_commune(org, users, event_data, places):
    event = event_create(
        actor=users["owner"],
        organization=org,
        data=event_data(commune_insee="", postal_code="29200"),
    )
    assert event.commune == places["brest"]


def test_an_online_event_has_no_place(org, users, event_data):
    event = event_create(
        actor=users["owner"],
        organization=org,
        data=event_data(
            kind="online_session", is_online=True, online_url="https://visio.exemple.fr/x"
        ),
    )
    assert event.commune is None and event.department is None and event.postal_code == ""


def test_images_must_be_real_and_small(org, users, event_data):
    not_an_image = SimpleUploadedFile(
        "photo.png", b"<?php echo 'hello'; ?>", content_type="image/png"
    )
    with pytest.raises(ValidationError) as exc:
        event_create(actor=users["owner"], organization=org, data=event_data(image=not_an_image))
    assert "n'est pas une image lisible" in errors_of(exc.value)["image"][0]
    huge = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        event_create(actor=users["owner"], organization=org, data=event_data(image=huge))
    assert "5 Mo au maximum" in errors_of(exc.value)["image"][0]
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationError) as exc:
        event_create(
            actor=users["owner"],
            organization=org,
            data=event_data(image=SimpleUploadedFile("a.gif", gif.getvalue())),
        )
    assert "Format GIF non accepté" in errors_of(exc.value)["image"][0]
    assert not Event.objects.exists()
    good = SimpleUploadedFile("affiche.png", png_bytes())
    event = event_create(
        actor=users["owner"], organization=org, data=event_data(image=good, image_alt="L'atelier")
    )
    assert event.image.name.endswith(".png")


@pytest.mark.parametrize("who", ["viewer", "other"])
def test_only_editors_of_the_organization_create_and_edit(org, users, event_data, draft_event, who):
    with pytest.raises(PermissionDenied):
        event_create(actor=users[who], organization=org, data=event_data())
    data = EventData.from_event(draft_event)
    data.title = "Piraté"
    with pytest.raises(PermissionDenied):
        event_update(actor=users[who], event=draft_event, data=data)
    draft_event.refresh_from_db()
    assert draft_event.title == "Portes ouvertes aux Forges"


def test_update_keeps_what_is_not_changed_and_refuses_bad_edits(draft_event, users):
    data = EventData.from_event(draft_event)
    data.title = "Portes ouvertes 2027"
    data.audiences = ["job_seekers"]
    event = event_update(actor=users["editor"], event=draft_event, data=data)
    assert event.title == "Portes ouvertes 2027"
    assert [r.audience for r in event.audience_rows.all()] == ["job_seekers"]
    assert event.sectors.count() == 1
    data.ends_at = at(1)
    with pytest.raises(ValidationError):
        event_update(actor=users["editor"], event=draft_event, data=data)
    event.refresh_from_db()
    assert event.ends_at == at(20, 17)


def test_duplicate_makes_a_new_draft_shifted_in_time(draft_event, users):
    copy = event_duplicate(actor=users["editor"], event=draft_event, starts_at=at(27, 9))
    assert copy.pk != draft_event.pk and copy.slug != draft_event.slug
    assert copy.title == "Portes ouvertes aux Forges (copie)"
    assert (copy.starts_at, copy.ends_at) == (at(27, 9), at(27, 17))
    assert copy.label.state == "draft" and not copy.is_published
    assert copy.duplicated_from == draft_event
    assert list(copy.sectors.all()) == list(draft_event.sectors.all())


def test_publish_and_unpublish(draft_event, users):
    event_publish(actor=users["editor"], event=draft_event)
    draft_event.refresh_from_db()
    assert draft_event.is_published and draft_event.published_at is not None
    with pytest.raises(PermissionDenied):
        event_unpublish(actor=users["viewer"], event=draft_event)
    event_unpublish(actor=users["editor"], event=draft_event)
    draft_event.refresh_from_db()
    assert not draft_event.is_published


def test_raising_the_capacity_promotes_the_waiting_list_and_lowering_below_taken_is_refused(
    draft_event, users
):
    from vocations.events.models import Registration
    from vocations.events.services import registration_create

    from .test_registrations_support import person

    data = EventData.from_event(draft_event)
    data.capacity = 1
    data.registration_opens_at = data.registration_closes_at = None
    event = event_update(actor=users["editor"], event=draft_event, data=data)
    first = registration_create(event=event, data=person("a@example.fr"))
    second = registration_create(event=event, data=person("b@example.fr"))
    assert (first.status, second.status) == ("confirmed", "waitlisted")

    data.capacity = 2
    event_update(actor=users["editor"], event=event, data=data)
    assert Registration.objects.get(pk=second.pk).status == "confirmed"

    data.capacity = 1
    with pytest.raises(ValidationError) as exc:
        event_update(actor=users["editor"], event=event, data=data)
    assert "aux 2 places déjà réservées" in exc.value.message_dict["capacity"][0]
