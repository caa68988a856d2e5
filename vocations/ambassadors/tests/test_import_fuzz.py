"""Property test of the LinkedIn export import (issue 15, point 10): a corrupt export is
refused or reported line by line, never half imported (tests/corrupt_files.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from tests.corrupt_files import IMPORT_FUZZ, all_or_nothing, corrupted
from vocations.ambassadors.models import Post, PostMetric
from vocations.ambassadors.services.imports import linkedin_import

pytestmark = pytest.mark.django_db

EXPORT = (
    "URL du post;Date de publication;Impressions;Interactions;Clics;Réactions\n"
    "https://www.linkedin.com/posts/alice-1;02/03/2026;1 200;45;12;30\n"
    "https://www.linkedin.com/posts/alice-9;03/03/2026;800;10;;4\n"
    "https://www.linkedin.com/posts/alice-12;04/03/2026;15000;410;96;220\n"
).encode()


def _state():
    return (
        sorted(Post.objects.values_list("url", "ambassador_id", "network", "published_on")),
        sorted(PostMetric.objects.values_list("post__url", "metric", "value", "source")),
    )


@IMPORT_FUZZ
@given(data=corrupted(EXPORT))
def test_a_corrupt_linkedin_export_never_half_imports(alice, data):
    outcome = all_or_nothing(
        lambda: linkedin_import(
            actor=alice.user,
            ambassador=alice,
            content=data,
            filename="export.csv",
            today=dt.date(2026, 3, 20),
        ),
        _state,
        refused=lambda report: not report.imported,
    )
    assert outcome in {"unreadable", "line errors", "imported"}
