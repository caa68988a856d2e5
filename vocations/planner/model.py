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

The counts are quasi-Poisson (variance = phi × mean, phi from the Pearson residuals, at least
1). The point estimate is the maximum likelihood (a coarse grid, then a fine one around its
best cell); the intervals come from the posterior of (half, decay) computed on that grid in one
vectorised pass, beta integrated out analytically, the likelihood tempered by 1/phi: no refit,
no bootstrap. See docs/planner.md and docs/decisions.md (why not PyMC-Marketing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
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
        return float(wave_totals(self.as_array(), self.scale, total_spend, days, tail)[0])


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
    # LEVEL intervals of each parameter, from the posterior: name -> (low, high)
    intervals: dict[str, tuple[float, float]]
    samples: np.ndarray  # posterior draws, one row per draw: beta, half, shape, decay
    thin: bool
    reasons: list[str] = field(default_factory=list)
    rmse: float = 0.0
    dispersion: float = 1.0  # quasi-Poisson phi: variance / mean of the daily counts
    # Unit adstock of the draws per wave length (the optimizer and the charts ask thousands
    # of totals of the same wave length): days -> array.
    _units: dict = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "params": [float(v) for v in self.params.as_array()],
            "scale": self.params.scale,
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "samples": self.samples.tolist(),
            "reasons": self.reasons,
            "rmse": self.rmse,
            "dispersion": self.dispersion,
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
            dispersion=data.get("dispersion", 1.0),
        )

    def draws(self) -> list[Params]:
        return [Params(*row, scale=self.params.scale) for row in self.samples]

    def totals(self, total_spend: np.ndarray, days: int) -> np.ndarray:
        """The draws' wave totals at one amount (draws,) or several (draws, amounts)."""
        if days not in self._units:
            self._units[days] = unit_stock(self.samples, days)
        daily = np.maximum(total_spend, 0.0) / days
        return totals_from_units(self.samples, self.params.scale, self._units[days], daily)

    def curve(self, amounts: np.ndarray, days: int) -> np.ndarray:
        """(amount, point, low, high) rows of the wave response at ``amounts``."""
        points = wave_totals(self.params.as_array(), self.params.scale, amounts, days)[0]
        if not len(self.samples):
            return np.column_stack([amounts, points, points, points])
        low, high = np.quantile(
            self.totals(np.asarray(amounts, float), days),
            [(1 - LEVEL) / 2, (1 + LEVEL) / 2],
            axis=0,
        )
        return np.column_stack([amounts, points, low, high])

    def wave_total_interval(self, total_spend: float, days: int) -> tuple[float, float, float]:
        """(point, low, high) of a wave's expected registrations at this spend."""
        point = self.params.wave_total(total_spend, days)
        if not len(self.samples) or days <= 0:
            return point, point, point
        values = self.totals(np.asarray(total_spend, float), days)
        low, high = np.quantile(values, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
        return point, float(low), float(high)


def adstock_many(spend: np.ndarray, decays: np.ndarray) -> np.ndarray:
    """Adstock of one daily series under many carry-overs at once: (len(decays), days).
    A loop over days, vectorised over decays (days are a few hundred, decays up to thousands)."""
    spend = np.asarray(spend, float)
    decays = np.asarray(decays, float)
    out = np.empty((decays.size, spend.size))
    carried = np.zeros(decays.size)
    for t, x in enumerate(spend):
        carried = x + decays * carried
        out[:, t] = carried
    return out


def daily_many(samples: np.ndarray, scale: float, spend: np.ndarray) -> np.ndarray:
    """Expected registrations per day of one wave, one row per parameter draw."""
    stock = adstock_many(spend, samples[:, 3]) / scale
    half, shape = samples[:, 1:2], samples[:, 2:3]
    xs = np.maximum(stock, 0.0) ** shape
    return samples[:, 0:1] * xs / (xs + half**shape)


def unit_stock(samples: np.ndarray, days: int, tail: int = 14) -> np.ndarray:
    """Adstock of one euro a day over ``days`` then nothing for ``tail`` days, one row per
    parameter draw: a_t = (1 - d^(t+1)) / (1 - d) during the wave, then a geometric decay
    (closed form; a wave spending s a day has s × these)."""
    decay = np.atleast_2d(np.asarray(samples, float))[:, 3:4]
    t = np.arange(days + tail)[None, :]
    during = (1 - decay ** (np.minimum(t, days - 1) + 1)) / (1 - decay)
    return np.where(t < days, during, during * decay ** np.maximum(t - days + 1, 0))


def totals_from_units(
    samples: np.ndarray, scale: float, units: np.ndarray, daily: np.ndarray | float
) -> np.ndarray:
    """Wave totals for daily spends ``daily`` (scalar: (draws,); vector: (draws, spends))."""
    samples = np.atleast_2d(np.asarray(samples, float))
    beta, half, shape = samples[:, 0:1], samples[:, 1:2], samples[:, 2:3]
    daily = np.asarray(daily, float)
    stock = units[:, None, :] * np.atleast_1d(daily)[None, :, None] / scale
    if np.all(shape == 1.0):
        response = stock / (stock + half[:, :, None])
    else:
        xs = stock ** shape[:, :, None]
        response = xs / (xs + half[:, :, None] ** shape[:, :, None])
    totals = beta * response.sum(axis=2)
    return totals[:, 0] if daily.ndim == 0 else totals


def wave_totals(
    samples: np.ndarray, scale: float, total_spend, days: int, tail: int = 14
) -> np.ndarray:
    """Expected registrations of a wave spending ``total_spend`` (one amount or an array)
    evenly over ``days`` (and its ``tail`` days of carry-over), one row per parameter draw."""
    samples = np.atleast_2d(np.asarray(samples, float))
    total_spend = np.asarray(total_spend, float)
    if days <= 0:
        return np.zeros((len(samples),) + total_spend.shape)
    units = unit_stock(samples, days, tail)
    return totals_from_units(samples, scale, units, np.maximum(total_spend, 0.0) / days)


# The posterior grid: carry-over on a regular grid, half-saturation on a geometric one (a flat
# prior on log half: "twice the usual spend" and "half of it" weigh the same).
DECAY_GRID = np.linspace(DECAY_BOUNDS[0], DECAY_BOUNDS[1], 58)
HALF_GRID = np.geomspace(HALF_BOUNDS[0], HALF_BOUNDS[1], 90)
FINE = 48  # points per axis of the fine grid
FLOOR = 1e-9  # a day with registrations but no adstocked spend is unlikely, not impossible


def _stack(series: Series, decays: np.ndarray, scale: float) -> np.ndarray:
    """Adstocked spend of every wave (carry-over from zero at each), concatenated:
    (len(decays), days), in units of ``scale``."""
    return np.concatenate([adstock_many(s, decays) for s in series.spend], axis=1) / scale


def _profile(y: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Poisson log-likelihood with beta at its maximum (beta = Σy / Σh), up to a constant,
    for shapes ``h`` (..., days)."""
    total = y.sum()
    mass = h.sum(axis=-1)
    return (y * np.log(np.maximum(h, FLOOR))).sum(axis=-1) - total * np.log(np.maximum(mass, FLOOR))


def _grid(series: Series, y: np.ndarray, scale: float, decays, halves) -> tuple:
    """Hill shapes (decays, halves, days) and the profile log-likelihood (decays, halves)."""
    stock = _stack(series, decays, scale)
    shapes = stock[:, None, :] / (stock[:, None, :] + halves[None, :, None])
    return shapes, _profile(y, shapes)


def _around(grid: np.ndarray, low: int, high: int, points: int, *, log: bool) -> np.ndarray:
    """``points`` values from grid[low] to grid[high] (indices clipped to the grid)."""
    low, high = max(low, 0), min(high, len(grid) - 1)
    if log:
        return np.geomspace(grid[low], grid[high], points)
    return np.linspace(grid[low], grid[high], points)


def _refine(series: Series, y: np.ndarray, scale: float, decays, halves, cell) -> tuple:
    """Maximum likelihood (Poisson, beta profiled) of (half, decay): a finer grid over the
    best cell and its neighbours, one vectorised pass (a fifth of a step)."""
    d, h = cell
    decays = _around(decays, d - 1, d + 1, 11, log=False)
    halves = _around(halves, h - 1, h + 1, 11, log=True)
    shapes, profile = _grid(series, y, scale, decays, halves)
    i, j = np.unravel_index(int(np.argmax(profile)), profile.shape)
    shape = shapes[i, j]
    beta = y.sum() / max(shape.sum(), FLOOR)
    return float(beta), float(halves[j]), float(decays[i]), shape


def _interval(grid: np.ndarray, mass: np.ndarray, *, log: bool) -> tuple[float, float]:
    """LEVEL interval of a parameter from its posterior mass on a grid, each cell's mass
    spread evenly over its width (so the bounds are not stuck to grid points)."""
    axis = np.log(grid) if log else grid
    step = np.diff(axis)
    edges = np.concatenate(
        [[axis[0] - step[0] / 2], (axis[:-1] + axis[1:]) / 2, [axis[-1] + step[-1] / 2]]
    )
    if not log:
        edges = np.clip(edges, grid[0], grid[-1])
    cdf = np.concatenate([[0.0], np.cumsum(mass) / mass.sum()])
    low, high = np.interp([(1 - LEVEL) / 2, (1 + LEVEL) / 2], cdf, edges)
    if log:
        low, high = np.clip(np.exp([low, high]), grid[0], grid[-1])
    return float(low), float(high)


def fit_channel(series: Series, *, draws: int = 200, seed: int = 0) -> Fit:
    """Point estimate (maximum likelihood) and LEVEL intervals of one channel's curve.

    The counts are modelled as quasi-Poisson: mean beta × hill(adstock), variance
    phi × mean, phi estimated from the Pearson residuals (at least 1: registrations are
    overdispersed counts, never less noisy than Poisson). The posterior of (half, decay) is
    computed on a grid, beta integrated out analytically (flat priors; the likelihood
    tempered by 1/phi), so the intervals need no refit: one vectorised pass. ``draws``
    parameter draws from that posterior feed the predictions' intervals."""
    scale = _scale(series)
    y = np.concatenate([np.asarray(r, float) for r in series.registrations])
    total = float(y.sum())
    # A coarse grid over the whole range finds where the likelihood lives...
    _, coarse = _grid(series, y, scale, DECAY_GRID, HALF_GRID)
    best = np.unravel_index(int(np.argmax(coarse)), coarse.shape)
    beta, half, decay, shape = _refine(series, y, scale, DECAY_GRID, HALF_GRID, best)
    mean = beta * shape
    used = mean > 1e-6
    freedom = max(int(used.sum()) - 3, 1)
    pearson = float(np.sum((y[used] - mean[used]) ** 2 / mean[used])) / freedom
    dispersion = max(pearson, 1.0)
    # ...then a fine grid over that region carries the posterior: with a lot of data the
    # posterior is narrower than a coarse cell and the coarse grid would misplace its bounds.
    alive = np.argwhere(coarse - coarse.max() > dispersion * np.log(1e-6))
    decays = _around(DECAY_GRID, alive[:, 0].min() - 1, alive[:, 0].max() + 1, FINE, log=False)
    halves = _around(HALF_GRID, alive[:, 1].min() - 1, alive[:, 1].max() + 1, FINE, log=True)
    shapes, profile = _grid(series, y, scale, decays, halves)
    # Beta integrated out under a flat prior on log beta: Γ(Y/φ) (φ / Σh)^(Y/φ), which is
    # the profile likelihood (beta = Σy / Σh) tempered by 1/φ (quasi-likelihood).
    log_post = profile / dispersion
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    intervals = {
        "half": _interval(halves, weights.sum(axis=0), log=True),
        "decay": _interval(decays, weights.sum(axis=1), log=False),
        "shape": (SHAPE, SHAPE),
    }
    rng = np.random.default_rng(seed)
    samples = np.empty((0, 4))
    intervals["beta"] = (float(beta), float(beta))
    if draws:
        cells = rng.choice(weights.size, size=draws, p=weights.ravel())
        di, hi = np.unravel_index(cells, weights.shape)
        # Spread inside the cell, as the intervals do.
        log_step = np.log(halves[1] / halves[0])
        drawn_halves = halves[hi] * np.exp(rng.uniform(-0.5, 0.5, draws) * log_step)
        drawn_decays = decays[di] + rng.uniform(-0.5, 0.5, draws) * (decays[1] - decays[0])
        mass = np.maximum(shapes.sum(axis=-1)[di, hi], FLOOR)
        betas = rng.gamma(max(total / dispersion, 1e-3), dispersion / mass)
        samples = np.column_stack(
            [
                betas,
                np.clip(drawn_halves, *HALF_BOUNDS),
                np.full(draws, SHAPE),
                np.clip(drawn_decays, *DECAY_BOUNDS),
            ]
        )
        intervals["beta"] = tuple(
            float(v) for v in np.quantile(betas, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
        )
    root_residuals = np.sqrt(y + 0.375) - np.sqrt(mean + 0.375)
    fit = Fit(
        params=Params(beta=float(beta), half=half, shape=SHAPE, decay=decay, scale=scale),
        intervals=intervals,
        samples=samples,
        thin=False,
        rmse=float(np.sqrt(np.mean(root_residuals**2))) if y.size else 0.0,
        dispersion=dispersion,
    )
    fit.reasons = thin_data_reasons(series, fit)
    fit.thin = bool(fit.reasons)
    return fit


def _scale(series: Series) -> float:
    spending = np.concatenate([s[s > 0] for s in series.spend]) if series.spend else np.array([])
    return float(spending.mean()) if spending.size else 1.0


VERSION = "2"  # bump when the fit changes: cached fits of another version are not reused


def fingerprint(series: Series, *, draws: int, seed: int) -> str:
    """What a fit depends on: the data, the number of draws and their seed, the fit's version."""
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
