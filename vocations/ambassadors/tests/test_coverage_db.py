"""The coverage of a real mobilisation and of a département, from the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.ambassadors.coverage import GAP, REACHED
from vocations.ambassadors.coverage_inputs import department_coverage, mobilisation_coverage
from vocations.ambassadors.models import Mobilisation
from vocations.ambassadors.services import (
    MobilisationData,
    ambassador_network_set,
    mobilisation_create,
)
from vocations.campaigns.models import MediaFigure
from vocations.events.models import EventAudience

from .conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobilisation(collective, coordinator, world, departments, alice, bruno):
    world.event.department = departments["69"]
    world.event.region = departments["69"].region
    world.event.save()
    EventAudience.objects.create(event=world.event, audience="young_people")
    MediaFigure.objects.create(
        placement=world.tv,
        period_start=day(1),
        period_end=day(7),
        metric="impressions",
        value_milli=2_000_000 * 1000,
    )
    ambassador_network_set(
        actor=alice.user, ambassador=alice, network="linkedin", audience_size=3000
    )
    ambassador_network_set(
        actor=bruno.user, ambassador=bruno, network="linkedin", audience_size=8000
    )
    ambassador_network_set(
        actor=bruno.user, ambassador=bruno, network="tiktok", audience_size=20000
    )
    created = mobilisation_create(
        actor=coordinator,
        collective=collective,
        data=MobilisationData(
            title="Parents",
            goal="Parents",
            starts_on=day(1),
            ends_on=day(9),
            event=world.event,
            campaign=world.campaign,
            target_audiences=["young_people", "parents"],
        ),
    )
    return Mobilisation.objects.select_related(
        "collective", "event__department__region", "event__region", "wave"
    ).get(pk=created.pk)


def test_mobilisation_matrix_from_placements_and_event(mobilisation, world):
    # Queries: the placements (branch-message audiences are not fetched: none has a message);
    # their media figures; the event's audiences; the mobilisation's themes; the members'
    # networks; the members' themes.
    with CaptureQueriesContext(connection) as queries:
        matrix = mobilisation_coverage(mobilisation)
    assert len(queries) <= 7
    tv = matrix.cells[("parents", "tv")]
    assert tv.state == REACHED and tv.reach == 2_000_000 and "Spot TF1" in tv.explanation
    assert matrix.cells[("young_people", "events")].state == REACHED  # the event's audience
    # The wave-2 social placement does not run on the event's day: parents × social is a gap.
    gap = matrix.cells[("parents", "social")]
    assert gap.state == GAP
    # Alice (Rhône, 3 000 × 3 × 2 = 18 000) before Bruno (Finistère, 8 000 × 1 × 2 = 16 000).
    assert [s.name for s in gap.suggestions] == ["Alice Martin", "Bruno Le Goff"]
    assert [s.name for s in matrix.cells[("young_people", "social")].suggestions] == [
        "Bruno Le Goff"
    ]


def test_department_matrix_and_residents(collective, mobilisation, world, departments, alice):
    matrix, residents, events = department_coverage(
        collective, departments["69"], on=world.wave1.starts_on
    )
    assert residents == [alice]
    assert matrix.cells[("general_public", "billboard")].state == REACHED  # Affiches Lyon
    finistere, residents, _ = department_coverage(
        collective, departments["29"], on=world.wave1.starts_on
    )
    assert finistere.cells[("general_public", "billboard")].state != REACHED
    assert [r.display_name for r in residents] == ["Bruno Le Goff"]


def test_presence_shows_where_the_collective_is_absent(collective, departments, alice, world):
    from vocations.ambassadors.selectors import presence_by_department
    from vocations.territories.models import EmploymentArea, HiringNeed

    loire = EmploymentArea.objects.create(
        code="8401", name="Saint-Étienne", department=departments["42"]
    )
    for year, projects in ((2023, 999), (2024, 1200)):
        HiringNeed.objects.create(
            year=year,
            bmo_code="D1Z40",
            bmo_name="Soudeurs",
            employment_area=loire,
            department=departments["42"],
            projects=projects,
        )
    rows = {row.code: row for row in presence_by_department(collective)}
    assert (rows["69"].members, rows["69"].hiring_projects) == (1, 0)
    # Loire: recruitment projects of the latest year, and nobody of the collective there.
    assert (rows["42"].members, rows["42"].hiring_projects) == (0, 1200)
