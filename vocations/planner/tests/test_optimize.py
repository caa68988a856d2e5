"""The budget optimizer: beats an equal split and "same as last wave" on the known curves,
explains infeasible constraints in French, integer parts with HiGHS."""

from __future__ import annotations

import pytest

from vocations.planner import optimize, synthetic
from vocations.planner.optimize import ChannelBounds, Infeasible, Site

LAST_WAVE = {  # the demo's amounts per wave, euros
    "tv": 1_300_000,
    "replay": 320_000,
    "cinema": 420_000,
    "billboard": 850_000,
    "web": 150_000,
    "social": 230_000,
    "events": 180_000,
    "press": 90_000,
    "influence": 60_000,
}
DAYS = 35


def _value(channel):
    params = synthetic.truth(channel, scale=LAST_WAVE[channel] / 27)
    return lambda amount: params.wave_total(amount, DAYS)


def _total(allocation):
    return sum(_value(c)(amount) for c, amount in allocation.items())


def test_the_optimum_beats_equal_split_and_same_as_last_wave():
    budget = sum(LAST_WAVE.values())
    values = {c: _value(c) for c in LAST_WAVE}
    best = optimize.allocate_channels(values, budget, starts=[LAST_WAVE])
    assert sum(best.values()) == pytest.approx(budget)
    equal = dict.fromkeys(LAST_WAVE, budget / len(LAST_WAVE))
    assert _total(best) > _total(equal) * 1.02
    assert _total(best) > _total(LAST_WAVE) * 1.02


def test_bounds_hold():
    budget = 3_000_000
    values = {c: _value(c) for c in LAST_WAVE}
    bounds = {"tv": ChannelBounds(minimum=1_000_000), "social": ChannelBounds(max_share=0.05)}
    best = optimize.allocate_channels(values, budget, bounds=bounds)
    assert best["tv"] >= 1_000_000 - 1
    assert best["social"] <= 150_000 + 1


def test_minimums_over_budget_are_explained():
    values = {c: _value(c) for c in ("tv", "web")}
    bounds = {"tv": ChannelBounds(minimum=800_000), "web": ChannelBounds(minimum=300_000)}
    with pytest.raises(Infeasible, match="somme des minimums par canal .* dépasse le budget"):
        optimize.allocate_channels(
            values, 1_000_000, bounds=bounds, labels={"tv": "TV", "web": "Web"}
        )


def test_minimum_above_max_share_names_the_channel():
    bounds = {"tv": ChannelBounds(minimum=600_000, max_share=0.5)}
    with pytest.raises(Infeasible, match="Le minimum du canal Télévision"):
        optimize.check_channels(1_000_000, {"tv": "Télévision", "web": "Web"}, bounds)


def test_max_shares_too_small_to_spend_the_budget():
    bounds = {"tv": ChannelBounds(max_share=0.3), "web": ChannelBounds(max_share=0.3)}
    with pytest.raises(Infeasible, match="parts maximales"):
        optimize.check_channels(1_000_000, {"tv": "TV", "web": "Web"}, bounds)


def test_units_go_where_the_need_is_and_respect_must_and_must_not():
    sites = [
        Site("69", "Rhône", weight=3.0, capacity=10),
        Site("75", "Paris", weight=2.0, capacity=10),
        Site("23", "Creuse", weight=0.5, capacity=10, minimum=2),
        Site("13", "Bouches-du-Rhône", weight=5.0, capacity=0),  # must not
    ]
    units = optimize.allocate_units(sites, unit_cost=100, budget=1_500, what="affichage")
    assert units == {"69": 10, "75": 3, "23": 2}


def test_saturation_spreads_units():
    sites = [Site("a", "A", weight=3.0, capacity=10), Site("b", "B", weight=2.0, capacity=10)]
    units = optimize.allocate_units(sites, unit_cost=1, budget=8, what="affichage", saturation=4)
    # beyond 4 panels, A's are worth 1.5 < B's 2: B gets its first 4.
    assert units == {"a": 4, "b": 4}


def test_required_territories_over_budget_are_explained():
    sites = [Site("23", "Creuse", weight=1, capacity=3, minimum=3)]
    with pytest.raises(Infeasible, match="Couvrir les territoires imposés \\(Creuse\\)"):
        optimize.allocate_units(sites, unit_cost=1_000, budget=2_000, what="événements")
