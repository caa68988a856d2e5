"""From measured history and the team's inputs to a plan: fits, channel amounts, territories,
comparisons, backtest. Pure (no Django): the services gather the inputs and store the output.

Amounts are euros (floats) here; the services convert from and to cents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .model import (
    LEVEL,
    Fit,
    Series,
    daily_many,
    fingerprint,
    fit_channel,
    unit_stock,
)
from .optimize import ChannelBounds, Site, allocate_channels, allocate_units
from .territorial import TerritoryLevel, pool

TERRITORIAL = ("billboard", "events")
CURVE_POINTS = 24


@dataclass
class City:
    insee: str
    name: str
    department: str
    panels_last_wave: int


@dataclass
class Inputs:
    budget: float  # euros to allocate (fixed costs already taken out)
    days: int
    labels: dict[str, str]  # channel -> French name
    history: dict[str, Series]
    last_wave: dict[str, float]  # euros per channel of the last measured wave
    last_wave_measured: dict[str, float]  # registrations attributed per channel, same wave
    bounds: dict[str, ChannelBounds] = field(default_factory=dict)
    channel_weights: dict[str, float] = field(default_factory=dict)  # audience fit, default 1
    need_index: dict[str, float] = field(default_factory=dict)  # département -> index (mean 1)
    department_names: dict[str, str] = field(default_factory=dict)
    must_cover: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    labelled: dict[str, int] = field(default_factory=dict)  # département -> labelled events
    ambassadors: dict[str, int] = field(default_factory=dict)  # département -> members
    cities: list[City] = field(default_factory=list)
    panels_last_wave: int = 0
    events_last_wave: int = 0
    draws: int = 200
    seed: int = 0
    # Billboards per département over the measured waves: registrations on its city links,
    # panels bought there (territorial.py pools them toward the channel's level).
    territory_registrations: dict[str, float] = field(default_factory=dict)
    territory_panels: dict[str, float] = field(default_factory=dict)


def fit_all(
    inputs: Inputs, progress: Callable[[int, str], None], cache: dict[str, dict] | None = None
) -> dict[str, Fit]:
    """Each channel's fit; ``cache`` (fingerprint -> Fit.to_dict()) is read and filled in, so
    a second plan on the same history skips the fit."""
    fits = {}
    cache = {} if cache is None else cache
    channels = list(inputs.history)
    for i, channel in enumerate(channels):
        series = inputs.history[channel]
        key = fingerprint(series, draws=inputs.draws, seed=inputs.seed)
        if key in cache:
            fits[channel] = Fit.from_dict(cache[key])
            continue
        progress(5 + 70 * i // max(len(channels), 1), f"Courbe : {inputs.labels[channel]}")
        fits[channel] = fit_channel(series, draws=inputs.draws, seed=inputs.seed)
        cache[key] = fits[channel].to_dict()
    return fits


def landing_index(inputs: Inputs, channel: str) -> float:
    """Mean need index where a channel's registrations come from: 1 for national channels;
    for billboards and events, the départements they may go to (must-not left out)."""
    if channel not in TERRITORIAL or not inputs.need_index:
        return 1.0
    allowed = [v for d, v in inputs.need_index.items() if d not in inputs.must_not]
    return float(np.mean(allowed)) if allowed else 0.0


def value_of(inputs: Inputs, fits: dict[str, Fit], channel: str) -> Callable[[float], float]:
    weight = inputs.channel_weights.get(channel, 1.0) * landing_index(inputs, channel)
    beta, half, per_euro = _unit_curve(inputs, fits[channel])
    return lambda amount: weight * beta * _hill_sum(per_euro * max(amount, 0.0), half)


def slope_of(inputs: Inputs, fits: dict[str, Fit], channel: str) -> Callable[[float], float]:
    """Derivative of value_of (Hill slope 1): d/dA Σ h(A u) = Σ u half / (A u + half)²."""
    weight = inputs.channel_weights.get(channel, 1.0) * landing_index(inputs, channel)
    beta, half, per_euro = _unit_curve(inputs, fits[channel])

    def slope(amount: float) -> float:
        stock = per_euro * max(amount, 0.0)
        return weight * beta * float(np.sum(per_euro * half / (stock + half) ** 2))

    return slope


def _unit_curve(inputs: Inputs, fit: Fit) -> tuple[float, float, np.ndarray]:
    """beta, half and the adstocked spend per euro of the wave, in units of ``scale``: the
    optimizer asks for thousands of totals of the same wave length, computed once here.
    The Hill slope is 1 (model.SHAPE)."""
    params = fit.params
    units = unit_stock(params.as_array(), inputs.days)[0]
    return params.beta, params.half, units / (max(inputs.days, 1) * params.scale)


def _hill_sum(stock: np.ndarray, half: float) -> float:
    return float(np.sum(stock / (stock + half)))


def expected(fits, inputs, allocation: dict[str, float]) -> dict:
    """Registrations (point and LEVEL interval) and need reached for an allocation."""
    rows, total, low, high, need = {}, 0.0, 0.0, 0.0, 0.0
    for channel, amount in allocation.items():
        point, lo, hi = fits[channel].wave_total_interval(amount, inputs.days)
        weight = inputs.channel_weights.get(channel, 1.0) * landing_index(inputs, channel)
        rows[channel] = {
            "amount": amount,
            "registrations": point,
            "low": lo,
            "high": hi,
            "need": point * weight,
        }
        total, low, high, need = total + point, low + lo, high + hi, need + point * weight
    # Summing the channels' bounds overstates the total's interval (they are not all low at
    # once): a cautious reading, said as such on the page.
    return {"channels": rows, "registrations": total, "low": low, "high": high, "need": need}


def curves(fits: dict[str, Fit], inputs: Inputs) -> dict:
    """Per channel: points of the wave response (spend -> registrations) with the interval."""
    out = {}
    for channel, fit in fits.items():
        top = max(inputs.last_wave.get(channel, 0.0) * 2.5, inputs.budget * 0.3, 1.0)
        out[channel] = fit.curve(np.linspace(0, top, CURVE_POINTS), inputs.days).tolist()
    return out


def territory_levels(inputs: Inputs, fits: dict[str, Fit]) -> dict[str, TerritoryLevel]:
    """Billboards' level per département (partially pooled); empty without city data."""
    if "billboard" not in fits or not inputs.territory_panels:
        return {}
    levels, _ = pool(
        inputs.territory_registrations,
        inputs.territory_panels,
        dispersion=fits["billboard"].dispersion,
    )
    return levels


def territories(
    inputs: Inputs, allocation: dict[str, float], levels: dict[str, TerritoryLevel] | None = None
) -> dict:
    """Integer parts: panels per city within the billboard amount, events per département
    within the events amount (milp), and where the collective should mobilise."""
    need = inputs.need_index
    result = {"billboards": {}, "events": {}, "mobilise": []}
    if "billboard" in allocation and inputs.cities and inputs.panels_last_wave:
        unit = inputs.last_wave.get("billboard", 0.0) / inputs.panels_last_wave
        sites = []
        for city in inputs.cities:
            blocked = city.department in inputs.must_not
            sites.append(
                Site(
                    key=city.insee,
                    label=city.name,
                    # The need there × how well panels there respond (pooled level; 1 where
                    # the data is too thin to tell it from the channel's).
                    weight=need.get(city.department, 1.0) * _level(levels, city.department),
                    capacity=0 if blocked else city.panels_last_wave * 2,
                    minimum=min(20, city.panels_last_wave)
                    if city.department in inputs.must_cover
                    else 0,
                )
            )
        saturation = max(inputs.panels_last_wave // max(len(inputs.cities), 1), 1)
        result["billboards"] = allocate_units(
            sites,
            unit_cost=unit,
            budget=allocation["billboard"],
            what="affichage",
            saturation=saturation,
        )
        result["panel_cost"] = unit
        by_department: dict[str, int] = {}
        for city in inputs.cities:
            panels = result["billboards"].get(city.insee, 0)
            if panels:
                by_department[city.department] = by_department.get(city.department, 0) + panels
        result["billboards_by_department"] = by_department
        previous: dict[str, float] = {}
        for city in inputs.cities:
            previous[city.department] = (
                previous.get(city.department, 0.0) + city.panels_last_wave * unit
            )
        # What the last wave put in each département (its billboard cities; its events were
        # bought nationally, with no département).
        result["previous_by_department"] = previous
    if "events" in allocation and inputs.events_last_wave and need:
        unit = inputs.last_wave.get("events", 0.0) / inputs.events_last_wave
        sites = []
        for code, index in sorted(need.items()):
            # A département with labelled events already has the banner: a new one there is
            # worth half; one where members of the collective live can be staffed by them.
            weight = index * (0.5 if inputs.labelled.get(code) else 1.0)
            weight *= 1.25 if inputs.ambassadors.get(code) else 1.0
            sites.append(
                Site(
                    key=code,
                    label=inputs.department_names.get(code, code),
                    weight=weight,
                    capacity=0 if code in inputs.must_not else 20,
                    minimum=1 if code in inputs.must_cover else 0,
                )
            )
        result["events"] = allocate_units(
            sites, unit_cost=unit, budget=allocation["events"], what="événements", saturation=3
        )
        result["event_cost"] = unit
        result["mobilise"] = sorted(
            (c for c in result["events"] if inputs.ambassadors.get(c)),
            key=lambda c: -need.get(c, 0.0),
        )
    return result


def _level(levels: dict[str, TerritoryLevel] | None, department: str) -> float:
    level = (levels or {}).get(department)
    return level.multiplier if level else 1.0


def fit_summary(fit: Fit) -> dict:
    return {
        "params": {k: float(getattr(fit.params, k)) for k in ("beta", "half", "shape", "decay")},
        "scale": fit.params.scale,
        "intervals": {k: list(v) for k, v in fit.intervals.items()},
        "thin": fit.thin,
        "reasons": fit.reasons,
        "rmse": fit.rmse,
        "dispersion": fit.dispersion,
    }


def backtest(inputs: Inputs) -> dict | None:
    """Hold out the last measured wave: fit on the earlier ones, predict the held-out wave at
    the spend it really had, compare with what was measured, per channel."""
    rows = {}
    for channel, series in inputs.history.items():
        if len(series.spend) < 2:
            return None
        earlier = Series(spend=series.spend[:-1], registrations=series.registrations[:-1])
        fit = fit_channel(earlier, draws=inputs.draws, seed=inputs.seed)
        spend = series.spend[-1]
        predicted = float(fit.params.daily(spend).sum())
        draws = daily_many(fit.samples, fit.params.scale, spend).sum(axis=1)
        lo, hi = (
            np.quantile(draws, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
            if len(draws)
            else (predicted, predicted)
        )
        measured = float(series.registrations[-1].sum())
        rows[channel] = {
            "predicted": predicted,
            "low": float(lo),
            "high": float(hi),
            "measured": measured,
            "error": predicted - measured,
            "relative": (predicted - measured) / measured if measured else None,
            "inside": bool(lo <= measured <= hi),
            "thin": fit.thin,
        }
    return rows


def make_plan(
    inputs: Inputs,
    progress: Callable[[int, str], None] = lambda p, s: None,
    cache: dict[str, dict] | None = None,
) -> dict:
    fits = fit_all(inputs, progress, cache)
    progress(78, "Répartition du budget entre les canaux")
    values = {c: value_of(inputs, fits, c) for c in fits}
    total_last = sum(inputs.last_wave.get(c, 0.0) for c in fits)
    same_shares = {
        c: inputs.budget * inputs.last_wave.get(c, 0.0) / total_last if total_last else 0.0
        for c in fits
    }
    allocation = allocate_channels(
        values,
        inputs.budget,
        labels=inputs.labels,
        bounds=inputs.bounds,
        starts=[same_shares, inputs.last_wave],
        slope={c: slope_of(inputs, fits, c) for c in fits},
    )
    progress(85, "Panneaux par ville et événements par département")
    levels = territory_levels(inputs, fits)
    places = territories(inputs, allocation, levels)
    places["levels"] = {
        code: {**level.to_dict(), "name": inputs.department_names.get(code, code)}
        for code, level in levels.items()
    }
    progress(90, "Comparaisons et test sur la dernière vague")
    equal = dict.fromkeys(fits, inputs.budget / max(len(fits), 1))
    return {
        "level": LEVEL,
        "fits": {c: fit_summary(f) for c, f in fits.items()},
        "curves": curves(fits, inputs),
        "allocation": allocation,
        "plan": expected(fits, inputs, allocation),
        "same_as_last_wave": expected(fits, inputs, same_shares),
        "equal_split": expected(fits, inputs, equal),
        "previous_wave": {
            "amounts": {c: inputs.last_wave.get(c, 0.0) for c in fits},
            "measured": {c: inputs.last_wave_measured.get(c, 0.0) for c in fits},
            "predicted": expected(fits, inputs, {c: inputs.last_wave.get(c, 0.0) for c in fits}),
        },
        "territories": places,
        "backtest": backtest(inputs),
    }
