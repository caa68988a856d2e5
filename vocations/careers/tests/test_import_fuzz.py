"""Property test of the ROME referential import (issue 15, point 10): a corrupt codes or
appellations file is refused or reported, never half imported (tests/corrupt_files.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given

from tests.corrupt_files import IMPORT_FUZZ, all_or_nothing, corrupted
from vocations.careers.services import import_rome_referential

from .conftest import APPELLATIONS_SAMPLE, CODES_SAMPLE
from .test_rome_import import _state

pytestmark = pytest.mark.django_db


def _run(data: bytes, name: str):
    return lambda: import_rome_referential(file=io.BytesIO(data), filename=name)


@IMPORT_FUZZ
@given(data=corrupted(CODES_SAMPLE.read_bytes()))
# Found by this test on PostgreSQL: a NUL byte in a cell crashed the import (DataError).
@example(data=CODES_SAMPLE.read_bytes().replace(b"Soudeur", b"Sou\x00deur", 1))
def test_a_corrupt_codes_file_never_half_imports(data):
    outcome = all_or_nothing(
        _run(data, CODES_SAMPLE.name), _state, refused=lambda report: not report.ok
    )
    assert outcome in {"unreadable", "line errors", "imported"}


@IMPORT_FUZZ
@given(data=corrupted(APPELLATIONS_SAMPLE.read_bytes()))
def test_a_corrupt_appellations_file_never_half_imports(data):
    import_rome_referential(file=io.BytesIO(CODES_SAMPLE.read_bytes()), filename="codes.csv")
    outcome = all_or_nothing(
        _run(data, APPELLATIONS_SAMPLE.name), _state, refused=lambda report: not report.ok
    )
    assert outcome in {"unreadable", "line errors", "imported"}
