"""update_rows: many rows' fields set in one statement per batch, the others untouched."""

import datetime as dt

import pytest
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.core.db import update_rows


@pytest.mark.django_db
def test_update_rows_sets_each_row_its_own_values_and_leaves_the_others():
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Org {i}", slug=f"org-{i}", kind=Organization.Kind.COMPANY)
        for i in range(5)
    )
    when = timezone.make_aware(dt.datetime(2026, 11, 3, 14, 30))
    rows = [(o.pk, f"Nouveau {i}", when + dt.timedelta(days=i)) for i, o in enumerate(orgs[:3])]

    update_rows(Organization, ["name", "created_at"], rows, batch_size=2)

    by_pk = {o.pk: o for o in Organization.objects.filter(pk__in=[o.pk for o in orgs])}
    for i, org in enumerate(orgs[:3]):
        assert by_pk[org.pk].name == f"Nouveau {i}"
        assert by_pk[org.pk].created_at == when + dt.timedelta(days=i)
    for org in orgs[3:]:
        assert by_pk[org.pk].name == org.name
        assert by_pk[org.pk].created_at == org.created_at
