"""Response curves of one channel: geometric adstock (carry-over) then Hill saturation.

Pure NumPy/SciPy, no Django: the planner's services feed it daily series read from the
database, the tests and the benchmark feed it synthetic ones (``synthetic.py``).

For a channel, the registrations attributed to it on day t of a wave are

    y_t = beta * hill(a_t / scale; half, shape),   a_t = x_t + decay * a_{t-1}

where x_t is the day's spend, ``scale`` a fixed spend unit (the channel's mean spend on days
it spends, so ``half`` reads as "a multiple of the usual daily spend"), ``half`` the adstocked
spend giving half of ``beta`` and ``shape`` the Hill slope (fixed at 1 when fitting, below).
Each wave is one segment: the carry-over starts from zero at its first day (waves are months
apart, a spend's effect is gone long before the next one).

Fitting is least squares on Anscombe's square-root scale (variance-stabilising for counts) with
``scipy.optimize.least_squares`` and a few starting points; intervals come from a moving
block bootstrap of the residuals (blocks of a week, inside each wave), refitted from the point
estimate. See docs/planner.md and docs/decisions.md (why not PyMC-Marketing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares
from scipy.signal import lfilter

PARAMS = ("beta", "half", "shape", "decay")
# Bounds of half and decay; beta is bounded by the data (below).
HALF_BOUNDS = (0.05, 20.0)
# The Hill slope is fixed: with three or four waves an S-shaped curve's slope and its
# half-saturation point trade off against each other and neither can be read (the intervals
# span the whole range). Slope 1 is the concave Michaelis-Menten curve, the same family as
# PyMC-Marketing's default logistic saturation; it also keeps the budget problem concave.
SHAPE = 1.0
DECAY_BOUNDS = (0.0, 0.95)
LEVEL = 0.9  # the intervals' coverage
MIN_WAVES = 2
MIN_DAYS = 21
MIN_REGISTRATIONS = 30
# A half-saturation interval wider than this ratio (upper / lower) says little about where
# the curve bends.
MAX_HALF_RATIO = 8.0


def adstock(spend: np.ndarray, decay: float) -> np.ndarray:
    """Geometric carry-over of a daily series: a_t = x_t + decay * a_{t-1}, from zero."""
    return lfilter([1.0], [1.0, -decay], np.asarray(spend, dtype=float))


def hill(x: np.ndarray | float, half: float, shape: float) -> np.ndarray | float:
    """Hill saturation in [0, 1): 0 at 0, 1/2 at ``half``."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    xs = x**shape
    return xs / (xs + half**shape)


@dataclass(frozen=True)
class Params:
    beta: float
    half: float
    shape: float
    decay: float
    scale: float = 1.0  # spend unit of ``half`` (euros per day)

    def as_array(self) -> np.ndarray:
        return np.array([self.beta, self.half, self.shape, self.decay])

    def daily(self, spend: np.ndarray) -> np.ndarray:
        """Expected registrations per day of one wave for a daily spend series."""
        return self.beta * hill(
            adstock(np.asarray(spend, float), self.decay) / self.scale, self.half, self.shape
        )

    def wave_total(self, total_spend: float, days: int, tail: int = 14) -> float:
        """Expected registrations of a wave spending ``total_spend`` evenly over ``days``,
        counting the carry-over during ``tail`` days after it."""
        if days <= 0:
            return 0.0
        spend = np.zeros(days + tail)
        spend[:days] = max(total_spend, 0.0) / days
        return float(self.daily(spend).sum())


@dataclass
class Series:
    """One channel's history: one (spend, registrations) pair of daily arrays per wave."""

    spend: list[np.ndarray]
    registrations: list[np.ndarray]

    @property
    def days(self) -> int:
        return int(sum(len(s) for s in self.spend))

    @property
    def waves(self) -> int:
        return sum(1 for s in self.spend if float(np.sum(s)) > 0)

    @property
    def total_registrations(self) -> float:
        return float(sum(np.sum(r) for r in self.registrations))


@dataclass
class Fit:
    params: Params
    # LEVEL intervals of each parameter, from the bootstrap: name -> (low, high)
    intervals: dict[str, tuple[float, float]]
    samples: np.ndarray  # bootstrap draws, one row per draw: beta, half, shape, decay
    thin: bool
    reasons: list[str] = field(default_factory=list)
    rmse: float = 0.0

    def to_dict(self) -> dict:
        return {
            "params": [float(v) for v in self.params.as_array()],
            "scale": self.params.scale,
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "samples": self.samples.tolist(),
            "reasons": self.reasons,
            "rmse": self.rmse,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fit:
        return cls(
            params=Params(*data["params"], scale=data["scale"]),
            intervals={k: tuple(v) for k, v in data["intervals"].items()},
            samples=np.array(data["samples"]).reshape(-1, 4),
            thin=bool(data["reasons"]),
            reasons=data["reasons"],
            rmse=data["rmse"],
        )

    def draws(self) -> list[Params]:
        return [Params(*row, scale=self.params.scale) for row in self.samples]

    def wave_total_interval(self, total_spend: float, days: int) -> tuple[float, float, float]:
        """(point, low, high) of a wave's expected registrations at this spend."""
        point = self.params.wave_total(total_spend, days)
        values = [p.wave_total(total_spend, days) for p in self.draws()]
        if not values:
            return point, point, point
        low, high = np.quantile(values, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
        return point, float(low), float(high)


def _predict(theta: np.ndarray, spend: list[np.ndarray], scale: float) -> list[np.ndarray]:
    params = Params(*theta, scale=scale)
    return [params.daily(s) for s in spend]


def _root(counts: np.ndarray) -> np.ndarray:
    """Anscombe's transform: Poisson counts get a variance near 1/4 and almost no bias."""
    return np.sqrt(np.maximum(counts, 0.0) + 0.375)


def _unroot(roots: np.ndarray) -> np.ndarray:
    return np.maximum(np.maximum(roots, 0.0) ** 2 - 0.375, 0.0)


def _residuals(theta, spend, observed_sqrt, scale) -> np.ndarray:
    predicted = _predict(theta, spend, scale)
    return np.concatenate([_root(p) - o for p, o in zip(predicted, observed_sqrt, strict=True)])


def _solve(spend, observed, scale, starts) -> np.ndarray:
    """Least squares over (beta, half, decay), the Hill shape fixed at SHAPE."""
    observed_sqrt = [_root(o) for o in observed]
    peak = max((float(np.max(o)) for o in observed if len(o)), default=1.0)
    lower = [0.0, HALF_BOUNDS[0], DECAY_BOUNDS[0]]
    upper = [max(peak, 1.0) * 20, HALF_BOUNDS[1], DECAY_BOUNDS[1]]

    def residuals(free):
        return _residuals(_full(free), spend, observed_sqrt, scale)

    best, best_cost = None, np.inf
    for start in starts:
        free = np.clip(np.delete(np.asarray(start, float), 2), lower, upper)
        result = least_squares(residuals, free, bounds=(lower, upper), x_scale="jac", max_nfev=400)
        if result.cost < best_cost:
            best, best_cost = result.x, result.cost
    return _full(best)


def _full(free: np.ndarray) -> np.ndarray:
    return np.array([free[0], free[1], SHAPE, free[2]])


def _scale(series: Series) -> float:
    spending = np.concatenate([s[s > 0] for s in series.spend]) if series.spend else np.array([])
    return float(spending.mean()) if spending.size else 1.0


def _blocks(length: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of a moving block bootstrap of a series of ``length`` days."""
    if length <= block:
        return rng.integers(0, length, size=length)
    starts = rng.integers(0, length - block + 1, size=-(-length // block))
    return np.concatenate([np.arange(s, s + block) for s in starts])[:length]


def fit_channel(series: Series, *, draws: int = 200, seed: int = 0, block: int = 7) -> Fit:
    """Point estimate and bootstrap intervals of one channel's curve."""
    scale = _scale(series)
    peak = max((float(np.max(r)) for r in series.registrations if len(r)), default=0.0)
    starts = [
        np.array([max(peak, 1.0) * 2, 1.0, 1.0, 0.3]),
        np.array([max(peak, 1.0) * 1.2, 0.5, 1.5, 0.6]),
        np.array([max(peak, 1.0) * 4, 3.0, 1.0, 0.1]),
    ]
    theta = _solve(series.spend, series.registrations, scale, starts)
    predicted = _predict(theta, series.spend, scale)
    residuals = [_root(o) - _root(p) for o, p in zip(series.registrations, predicted, strict=True)]
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(draws):
        observed = []
        for p, r in zip(predicted, residuals, strict=True):
            resampled = r[_blocks(len(r), block, rng)] if len(r) else r
            observed.append(_unroot(_root(p) + resampled))
        samples.append(_solve(series.spend, observed, scale, [theta]))
    samples = np.array(samples) if samples else np.empty((0, 4))
    intervals = {}
    for i, name in enumerate(PARAMS):
        if len(samples):
            low, high = np.quantile(samples[:, i], [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
        else:
            low = high = theta[i]
        intervals[name] = (float(low), float(high))
    flat_residuals = np.concatenate(residuals) if residuals else np.array([0.0])
    fit = Fit(
        params=Params(*theta, scale=scale),
        intervals=intervals,
        samples=samples,
        thin=False,
        rmse=float(np.sqrt(np.mean(flat_residuals**2))),
    )
    fit.reasons = thin_data_reasons(series, fit)
    fit.thin = bool(fit.reasons)
    return fit


VERSION = "1"  # bump when the fit changes: cached fits of another version are not reused


def fingerprint(series: Series, *, draws: int, seed: int) -> str:
    """What a fit depends on: the data, the bootstrap's size and seed, the fit's version."""
    digest = hashlib.sha256(f"{VERSION}:{draws}:{seed}".encode())
    for spend, registrations in zip(series.spend, series.registrations, strict=True):
        digest.update(np.asarray(spend, float).tobytes())
        digest.update(np.asarray(registrations, float).tobytes())
        digest.update(b"|")
    return digest.hexdigest()


def thin_data_reasons(series: Series, fit: Fit) -> list[str]:
    """Why this channel's curve cannot be trusted (French, shown as is); empty when it can."""
    reasons = []
    if series.waves < MIN_WAVES:
        reasons.append(f"{series.waves} vague mesurée (il en faut au moins {MIN_WAVES})")
    if series.days < MIN_DAYS:
        reasons.append(f"{series.days} jours mesurés (il en faut au moins {MIN_DAYS})")
    if series.total_registrations < MIN_REGISTRATIONS:
        reasons.append(
            f"{series.total_registrations:.0f} inscriptions attribuées "
            f"(il en faut au moins {MIN_REGISTRATIONS})"
        )
    low, high = fit.intervals["half"]
    if low > 0 and high / low > MAX_HALF_RATIO:
        reasons.append("le point de saturation est très incertain (intervalle trop large)")
    return reasons
