"""Property test of the BMO importer (issue 15, point 10): a corrupt BMO file is refused or
reported line by line, and never half imported (tests/corrupt_files.py states the contract)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given

from tests.corrupt_files import IMPORT_FUZZ, all_or_nothing, corrupted
from vocations.territories.models import EmploymentArea
from vocations.territories.services import import_hiring_needs

from .conftest import BMO_SAMPLE
from .test_hiring_needs import _snapshot


@pytest.mark.django_db
@IMPORT_FUZZ
@given(data=corrupted(BMO_SAMPLE.read_bytes()))
# Found by this test on PostgreSQL: a NUL byte in a cell crashed the import (DataError).
@example(data=BMO_SAMPLE.read_bytes().replace(b"Lyon", b"Ly\x00on", 1))
def test_a_corrupt_bmo_file_never_half_imports(mini_geography, data):
    def state():
        return _snapshot(), sorted(EmploymentArea.objects.values_list("code", "name"))

    outcome = all_or_nothing(
        lambda: import_hiring_needs(file=io.BytesIO(data), filename="bmo.csv"),
        state,
        refused=lambda result: not result.written,
    )
    assert outcome in {"unreadable", "line errors", "imported"}
