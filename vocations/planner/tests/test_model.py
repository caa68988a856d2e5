"""The response-curve fit on histories drawn from known curves (planner/synthetic.py)."""

from __future__ import annotations

import numpy as np
import pytest

from vocations.planner import model, synthetic

# The demo's planned amounts per wave (vocations/campaigns/demo.py), in euros.
WAVES = {
    "tv": [1_300_000] * 3,
    "billboard": [850_000] * 3,
    "social": [230_000] * 3,
    "events": [180_000] * 3,
    "cinema": [420_000] * 3,
}


def test_adstock_carries_over_geometrically():
    assert model.adstock(np.array([100.0, 0, 0, 0]), 0.5).tolist() == [100, 50, 25, 12.5]
    assert model.adstock(np.array([1.0, 1.0]), 0.0).tolist() == [1, 1]


def test_hill_is_half_at_half_and_saturates():
    assert model.hill(2.0, 2.0, 1.0) == pytest.approx(0.5)
    assert model.hill(0.0, 2.0, 1.0) == 0
    assert model.hill(1e6, 2.0, 1.0) == pytest.approx(1.0, abs=1e-5)


def test_wave_total_grows_less_than_spend():
    params = synthetic.truth("tv", scale=37_000)
    one, two = params.wave_total(1_000_000, 35), params.wave_total(2_000_000, 35)
    assert one < two < 2 * one


def test_the_fit_recovers_saturation_and_carry_over_within_its_intervals():
    """90 % bootstrap intervals; on these histories the measured coverage is about 70-85 %
    (docs/planner.md), so at least 7 of the 10 intervals must hold the truth."""
    inside = 0
    for i, (channel, totals) in enumerate(WAVES.items()):
        series, truth = synthetic.history(channel, totals, seed=10 + i)
        fit = model.fit_channel(series, draws=60, seed=1)
        assert not fit.thin, fit.reasons
        for name in ("half", "decay"):
            low, high = fit.intervals[name]
            assert low <= getattr(fit.params, name) <= high
            inside += low <= getattr(truth, name) <= high
    assert inside >= 7


def test_one_wave_is_too_thin_to_conclude():
    series, _ = synthetic.history("press", [90_000], days=10, tail=0, seed=3)
    fit = model.fit_channel(series, draws=20, seed=1)
    assert fit.thin
    assert any("vague mesurée" in r for r in fit.reasons)
    assert any("jours mesurés" in r for r in fit.reasons)


def test_wave_total_interval_brackets_the_point():
    series, _ = synthetic.history("social", WAVES["social"], seed=4)
    fit = model.fit_channel(series, draws=40, seed=2)
    point, low, high = fit.wave_total_interval(230_000, 35)
    assert low <= point <= high and high > low
