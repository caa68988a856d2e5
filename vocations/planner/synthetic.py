"""The known curves behind the demo's history, and the generator that draws from them.

The demo campaign's measured waves (vocations/setup/demo_planner.py) get daily spend and
attributed registrations drawn from these curves plus Poisson noise, so the planner can be
checked against the truth: the tests fit the generated history and expect the parameters
below inside the fitted intervals, and expect the optimizer to beat an equal split and "same
as last wave" on these curves. Pure NumPy, no Django.
"""

from __future__ import annotations

import numpy as np

from .model import Params, Series

# channel -> (beta: registrations per day at saturation, half: multiple of the usual daily
# spend giving half of it, shape, decay: carry-over kept from one day to the next)
TRUTH = {
    "tv": (60.0, 1.2, 1.0, 0.55),
    "replay": (14.0, 0.8, 1.0, 0.35),
    "cinema": (9.0, 1.0, 1.0, 0.45),
    "billboard": (40.0, 0.9, 1.0, 0.5),
    "web": (18.0, 0.7, 1.0, 0.2),
    "social": (30.0, 0.6, 1.0, 0.3),
    "events": (12.0, 1.5, 1.0, 0.6),
    "press": (3.0, 1.0, 1.0, 0.3),
    "influence": (8.0, 0.7, 1.0, 0.25),
}
# Weekly spend level relative to the wave's mean, one factor per week: waves are bought
# unevenly (a launch burst, a reminder), which is what lets a fit see the curve bend.
WEEK_PATTERNS = (
    (1.8, 1.2, 0.7, 0.3, 0.0),
    (0.5, 1.5, 1.0, 0.8, 0.2),
    (1.0, 0.4, 1.9, 0.7, 0.0),
)


# How much more (or less) a billboard panel brings in a département than the channel's
# average panel; the demo and the tests draw the city links' registrations from it, the
# planner's per-territory fit (territorial.py) must find it again.
TERRITORY_TRUTH = {"69": 1.6, "38": 0.6, "13": 1.4, "75": 0.8, "59": 1.3, "33": 0.7}


def territory_truth(department: str) -> float:
    """A département's known multiplier: listed above, else 0.7-1.3 from its code."""
    if department in TERRITORY_TRUTH:
        return TERRITORY_TRUTH[department]
    digits = sum(ord(c) for c in department)
    return 0.7 + (digits % 7) / 10


def truth(channel: str, scale: float) -> Params:
    beta, half, shape, decay = TRUTH[channel]
    return Params(beta=beta, half=half, shape=shape, decay=decay, scale=scale)


def daily_spend(total: float, days: int, wave_index: int, rng: np.random.Generator) -> np.ndarray:
    """A wave's daily spend summing to ``total`` (to the cent), uneven week to week."""
    pattern = WEEK_PATTERNS[wave_index % len(WEEK_PATTERNS)]
    weights = np.array([pattern[min(d // 7, len(pattern) - 1)] for d in range(days)], float)
    weights *= rng.uniform(0.85, 1.15, size=days)
    if weights.sum() <= 0:
        weights = np.ones(days)
    cents = np.floor(weights / weights.sum() * round(total * 100))
    cents[int(np.argmax(weights))] += round(total * 100) - cents.sum()
    return cents / 100


def registrations(
    params: Params, spend: np.ndarray, rng: np.random.Generator, dispersion: float = 1.0
) -> np.ndarray:
    """Counts around the curve's daily expectation: Poisson, or negative binomial with
    variance ``dispersion`` × mean when ``dispersion`` > 1 (overdispersed, as real
    registrations are: a school trip registers thirty at once)."""
    mean = params.daily(spend)
    if dispersion <= 1.0:
        return rng.poisson(mean).astype(float)
    # Gamma-Poisson mixture: variance = mean + mean^2 / k; k chosen per day so that the
    # variance is dispersion × mean (quasi-Poisson), the model the fit assumes.
    k = np.maximum(mean, 1e-12) / (dispersion - 1.0)
    return rng.poisson(rng.gamma(k, np.maximum(mean, 1e-12) / k)).astype(float)


def history(
    channel: str,
    wave_totals: list[float],
    *,
    days: int = 35,
    tail: int = 14,
    seed: int = 0,
    dispersion: float = 1.0,
) -> tuple[Series, Params]:
    """A channel's measured waves drawn from its true curve: (series, true params)."""
    rng = np.random.default_rng(seed)
    spends = []
    for i, total in enumerate(wave_totals):
        spend = np.zeros(days + tail)
        spend[:days] = daily_spend(total, days, i, rng)
        spends.append(spend)
    spending = np.concatenate([s[s > 0] for s in spends])
    params = truth(channel, float(spending.mean()))
    regs = [registrations(params, s, rng, dispersion) for s in spends]
    return Series(spend=spends, registrations=regs), params
