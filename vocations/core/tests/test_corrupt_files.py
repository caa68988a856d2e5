"""The importers' all-or-nothing check (tests/corrupt_files.py) catches what it must."""

from __future__ import annotations

import pytest

from tests.corrupt_files import all_or_nothing
from vocations.core.exceptions import ImportFileError
from vocations.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _state():
    return sorted(AuditEntry.objects.values_list("action", flat=True))


def test_a_half_written_import_is_caught():
    def half(report="1 ligne en erreur"):
        AuditEntry.objects.create(action="written before the check")
        return report

    with pytest.raises(AssertionError, match="a file with line errors wrote"):
        all_or_nothing(half, _state, refused=lambda report: True)
    assert _state() == []  # and the example's writes are rolled back


def test_a_crash_and_a_non_idempotent_import_are_caught():
    with pytest.raises(KeyError):
        all_or_nothing(lambda: {}["boom"], _state, refused=lambda r: True)

    def appends():
        AuditEntry.objects.create(action="one more each time")
        return "ok"

    with pytest.raises(AssertionError, match="twice changed"):
        all_or_nothing(appends, _state, refused=lambda r: False)


def test_a_refusal_that_wrote_is_caught():
    def refuses_late():
        AuditEntry.objects.create(action="oops")
        raise ImportFileError("Fichier illisible.")

    with pytest.raises(AssertionError, match="a refused file wrote"):
        all_or_nothing(refuses_late, _state, refused=lambda r: True)
