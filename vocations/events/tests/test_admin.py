import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, users):
    users["staff"].is_superuser = True
    users["staff"].save()
    client.force_login(users["staff"])
    return client


@pytest.mark.parametrize(
    "model", ["event", "label", "labelperiod", "universe", "space", "session", "partner"]
)
def test_staff_changelists_load_with_search(staff_client, draft_event, model):
    url = reverse(f"admin:events_{model}_changelist")
    response = staff_client.get(url, {"q": "Forges"})
    assert response.status_code == 200


def test_event_change_page_and_labels_are_read_only(staff_client, draft_event):
    response = staff_client.get(reverse("admin:events_event_change", args=[draft_event.pk]))
    assert response.status_code == 200
    label_url = reverse("admin:events_label_change", args=[draft_event.label.pk])
    staff_client.post(label_url, {"state": "labelled"})
    draft_event.label.refresh_from_db()
    assert draft_event.label.state == "draft"
    assert staff_client.get(reverse("admin:events_label_add")).status_code == 403


def test_domain_admins_are_read_only_so_no_capacity_change_bypasses_the_services(
    staff_client, draft_event
):
    from vocations.events.models import Session

    session = Session.objects.create(
        event=draft_event,
        kind="slot",
        title="Créneau",
        starts_at=draft_event.starts_at,
        ends_at=draft_event.ends_at,
        capacity=5,
    )
    change = reverse("admin:events_session_change", args=[session.pk])
    assert staff_client.get(change).status_code == 200  # staff can still look
    response = staff_client.post(change, {"capacity": 50, "title": "Créneau"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.capacity == 5
    for model in ("event", "session", "universe", "space", "partner"):
        assert staff_client.get(reverse(f"admin:events_{model}_add")).status_code == 403
    event_change = reverse("admin:events_event_change", args=[draft_event.pk])
    assert staff_client.post(event_change, {"capacity": 999}).status_code == 403
    draft_event.refresh_from_db()
    assert draft_event.capacity != 999
