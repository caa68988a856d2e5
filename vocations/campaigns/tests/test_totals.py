"""Totals add up: placements == channels == waves == grand total (Hypothesis)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vocations.campaigns.models import Channel, Placement
from vocations.campaigns.selectors import campaign_totals, totals_from_rows

from .conftest import placement_data

pytestmark = pytest.mark.django_db

line = st.tuples(
    st.integers(min_value=0, max_value=3),  # wave index
    st.sampled_from(Channel.values),
    st.integers(min_value=0, max_value=10**11),  # planned cents
    st.integers(min_value=0, max_value=10**9),  # committed cents (stays under the budget)
)


class Rollback(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(line, max_size=12))
def test_totals_add_up_over_placements_channels_and_waves(campaign, waves, lines):
    try:
        with transaction.atomic():
            Placement.objects.bulk_create(
                Placement(
                    campaign=campaign,
                    **vars(placement_data(waves[w], channel=c, name=f"L{i}"))
                    | {
                        "planned_cents": p,
                        "committed_cents": m,
                        "branch_message": None,
                    },
                )  # fmt: skip
                for i, (w, c, p, m) in enumerate(lines)
            )
            totals = campaign_totals(campaign)
            planned = sum(p for _, _, p, _ in lines)
            committed = sum(m for _, _, _, m in lines)
            assert totals.total.planned_cents == planned
            assert totals.total.committed_cents == committed
            assert sum(a.planned_cents for _, a in totals.by_wave) == planned
            assert sum(a.committed_cents for _, _, a in totals.by_channel) == committed
            for index, (_wave, amounts) in enumerate(totals.by_wave):
                assert amounts.planned_cents == sum(p for w, _, p, _ in lines if w == index)
                row = totals.matrix[index][2]
                assert sum(c.planned_cents for c in row if c) == amounts.planned_cents
            for value, _, amounts in totals.by_channel:
                assert amounts.committed_cents == sum(m for _, c, _, m in lines if c == value)
            assert (planned > campaign.budget_cents) == any(
                w.startswith("Prévu") for w in totals.warnings
            )
            raise Rollback
    except Rollback:
        pass


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([1, 2]),
            st.sampled_from(Channel.values),
            st.integers(min_value=0, max_value=10**12),
            st.integers(min_value=0, max_value=10**12),
        )
    )
)
def test_pure_totals_are_consistent(rows):
    class W:
        def __init__(self, pk):
            self.pk = self.number = pk

    totals = totals_from_rows(rows, [W(1), W(2)], budget_cents=10**12)
    grand = sum(r[2] for r in rows)
    assert totals.total.planned_cents == grand
    assert sum(a.planned_cents for _, a in totals.by_wave) == grand
    assert sum(a.planned_cents for _, _, a in totals.by_channel) == grand
    assert sum(c.planned_cents for c in totals.cells.values()) == grand
