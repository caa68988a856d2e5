"""Property tests of the campaign imports (issue 15, point 10): whatever a corrupt media plan
or media-figures file holds, it is refused or reported line by line and nothing is half
written (tests/corrupt_files.py states the contract)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.corrupt_files import IMPORT_FUZZ, all_or_nothing, corrupted
from vocations.campaigns.models import Placement, Wave
from vocations.campaigns.services.imports import media_figures_import, media_plan_import

from .test_imports import PLAN, figures_snapshot, figures_text, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def placements(users, campaign, waves, geo):
    media_plan_import(actor=users["staff"], campaign=campaign, content=PLAN.encode())
    return {p.channel: p for p in Placement.objects.all()}


def _refused(report) -> bool:
    return not report.imported


@IMPORT_FUZZ
@given(data=corrupted(PLAN.encode("utf-8")))
def test_a_corrupt_media_plan_never_half_imports(users, campaign, waves, geo, data):
    def state():
        return snapshot(), list(Wave.objects.values_list("number", "name"))

    outcome = all_or_nothing(
        lambda: media_plan_import(
            actor=users["staff"], campaign=campaign, content=data, filename="plan.csv"
        ),
        state,
        refused=_refused,
    )
    assert outcome in {"unreadable", "line errors", "imported"}


@IMPORT_FUZZ
@given(draw=st.data())
def test_a_corrupt_figures_file_never_half_imports(users, campaign, placements, draw):
    # The good file names this test's placements: it is corrupted once they exist.
    data = draw.draw(corrupted(figures_text(placements).encode("utf-8")), label="file")
    outcome = all_or_nothing(
        lambda: media_figures_import(
            actor=users["staff"], campaign=campaign, content=data, filename="chiffres.csv"
        ),
        figures_snapshot,
        refused=_refused,
    )
    assert outcome in {"unreadable", "line errors", "imported"}
