import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.core.models import AuditEntry
from vocations.events.models import PressAccreditation
from vocations.events.services import (
    accreditation_accept,
    accreditation_refuse,
    accreditation_request,
)

pytestmark = pytest.mark.django_db

JOURNALIST = {
    "full_name": "Camille Presse",
    "email": "Camille@Journal.fr",
    "outlet": "L'Usine Nouvelle",
    "role": "Journaliste",
    "press_card_number": "12345",
}


def test_request_then_accept(draft_event, users):
    accreditation = accreditation_request(event=draft_event, **JOURNALIST)
    assert accreditation.status == "requested" and accreditation.email == "camille@journal.fr"
    accreditation_accept(actor=users["editor"], accreditation=accreditation)
    accreditation.refresh_from_db()
    assert accreditation.status == "accepted" and accreditation.decided_by == users["editor"]
    assert AuditEntry.objects.filter(action="accreditation.accepted").count() == 1
    with pytest.raises(ValidationError, match="déjà « Acceptée »"):
        accreditation_refuse(actor=users["editor"], accreditation=accreditation, message="Non")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Adresse e-mail invalide."),
        ({"outlet": "  "}, "outlet", "Indiquez votre média."),
        ({"full_name": ""}, "full_name", "Indiquez votre nom."),
        ({"press_card_number": "12<script>"}, "press_card_number", "chiffres et des lettres"),
    ],
)
def test_bad_requests_are_refused_in_french(draft_event, change, field, message):
    with pytest.raises(ValidationError) as exc:
        accreditation_request(event=draft_event, **{**JOURNALIST, **change})
    assert message in " ".join(exc.value.message_dict[field])
    assert not PressAccreditation.objects.exists()


def test_one_open_request_per_journalist_but_a_refused_one_may_retry(draft_event, users):
    first = accreditation_request(event=draft_event, **JOURNALIST)
    with pytest.raises(ValidationError, match="existe déjà"):
        accreditation_request(event=draft_event, **JOURNALIST)
    accreditation_refuse(actor=users["owner"], accreditation=first, message="Complet.")
    again = accreditation_request(event=draft_event, **JOURNALIST)
    assert again.pk != first.pk


@pytest.mark.parametrize("who", ["viewer", "other"])
def test_only_the_organizers_editors_decide(draft_event, users, who):
    accreditation = accreditation_request(event=draft_event, **JOURNALIST)
    with pytest.raises(PermissionDenied):
        accreditation_accept(actor=users[who], accreditation=accreditation)
    accreditation.refresh_from_db()
    assert accreditation.status == "requested"


def test_a_refusal_needs_a_reason(draft_event, users):
    accreditation = accreditation_request(event=draft_event, **JOURNALIST)
    with pytest.raises(ValidationError, match="raison du refus"):
        accreditation_refuse(actor=users["owner"], accreditation=accreditation, message=" ")
