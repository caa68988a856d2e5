"""Per-territory levels of the billboards, partially pooled toward the channel's."""

from __future__ import annotations

import numpy as np
import pytest

from vocations.planner.territorial import MIN_EXPECTED, pool


def _draw(truths: dict[str, float], panels: dict[str, float], total: int, seed: int):
    """Registrations per département: its panels × its true multiplier, Poisson."""
    rng = np.random.default_rng(seed)
    weights = {c: panels[c] * truths[c] for c in truths}
    norm = sum(weights.values())
    return {c: float(rng.poisson(total * w / norm)) for c, w in weights.items()}


def test_well_measured_departments_get_their_own_level_within_the_interval():
    truths = {"69": 1.6, "38": 0.6, "13": 1.2, "33": 0.8}
    panels = dict.fromkeys(truths, 300.0)
    mean = np.mean(list(truths.values()))
    levels, _ = pool(_draw(truths, panels, 4000, seed=1), panels)
    for code, truth in truths.items():
        level = levels[code]
        assert not level.thin
        # Relative to the channel's average panel.
        assert level.low <= truth / mean <= level.high, code
    assert levels["69"].multiplier > levels["13"].multiplier > levels["33"].multiplier


def test_thin_departments_are_pooled_toward_the_channel_and_said_so():
    truths = {"69": 1.0, "38": 1.0, "01": 3.0}
    panels = {"69": 1000.0, "38": 1000.0, "01": 4.0}
    registrations = _draw(truths, panels, 3000, seed=2)
    levels, k = pool(registrations, panels)
    small = levels["01"]
    assert small.expected < MIN_EXPECTED and small.thin
    raw = registrations["01"] / small.expected if small.expected else 0
    # Shrunk: between its raw ratio and the channel's 1.
    assert abs(small.multiplier - 1) <= abs(raw - 1) + 1e-9


def test_no_spread_between_departments_pools_everyone_to_one():
    panels = {"69": 500.0, "38": 500.0, "13": 500.0}
    levels, k = pool({"69": 500.0, "38": 500.0, "13": 500.0}, panels)
    assert k >= 100
    for level in levels.values():
        assert level.multiplier == pytest.approx(1.0, abs=0.01)


def test_overdispersion_widens_the_territories_intervals():
    panels = {"69": 300.0, "38": 300.0}
    registrations = {"69": 800.0, "38": 400.0}
    narrow, _ = pool(registrations, panels, dispersion=1.0)
    wide, _ = pool(registrations, panels, dispersion=4.0)
    assert wide["69"].high - wide["69"].low > narrow["69"].high - narrow["69"].low


def test_no_city_data_means_no_levels():
    assert pool({}, {}) == ({}, 1000.0)
