"""Per-territory response of a channel bought city by city (billboards), partially pooled
toward the channel's curve. Pure NumPy/SciPy, no Django.

A département d's registrations on the channel's city links are modelled as its share of
the channel's panels × the channel's curve × a multiplier m_d (how much better or worse a
panel there brings registrations than the channel's average panel). With one to three waves
bought mostly the same way in each city, the saturation cannot be read territory by territory:
the curve's shape (half-saturation, carry-over) is the channel's, only its level is local.

Partial pooling (empirical Bayes, gamma-Poisson): m_d ~ Gamma(k, k) (mean 1, the channel's
average), Y_d | m_d ~ Poisson(m_d × E_d), so m_d | Y_d ~ Gamma(k + Y_d, k + E_d): a
département with a lot of data gets its own level, one with little stays near the channel's.
k comes from the spread of the raw ratios beyond what Poisson noise explains (method of
moments), counts divided by the channel's dispersion (quasi-Poisson, as the channel fit).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import gamma

from .model import LEVEL

# Below this many expected registrations a département's own level cannot be told from
# the channel's: "données insuffisantes", its multiplier stays pooled (near 1).
MIN_EXPECTED = 20.0
# An interval wider than this ratio says little about the département's own level.
MAX_RATIO = 3.0
PRIOR_FLOOR, PRIOR_CEILING = 2.0, 1000.0  # bounds of k: at most ±70 %, at least ±3 % spread


@dataclass
class TerritoryLevel:
    multiplier: float  # posterior mean of m_d
    low: float
    high: float
    registrations: float  # attributed to the département's city links
    expected: float  # what its panel share of the channel would give
    thin: bool

    def to_dict(self) -> dict:
        return asdict(self)


def pool(
    registrations: dict[str, float],
    shares: dict[str, float],
    *,
    dispersion: float = 1.0,
) -> tuple[dict[str, TerritoryLevel], float]:
    """Multipliers per département from its registrations and its panel share of the
    channel (both summed over the measured waves: shares as the expected count's weights).
    Returns the levels and the pooling strength k."""
    codes = sorted(c for c in shares if shares[c] > 0)
    if not codes:
        return {}, PRIOR_CEILING
    total = sum(registrations.get(c, 0.0) for c in codes)
    weight = sum(shares[c] for c in codes)
    phi = max(dispersion, 1.0)
    y = np.array([registrations.get(c, 0.0) for c in codes]) / phi
    e = np.array([total * shares[c] / weight for c in codes]) / phi
    k = _strength(y, e)
    levels = {}
    for i, code in enumerate(codes):
        shape, rate = k + y[i], k + e[i]
        low, high = gamma.ppf([(1 - LEVEL) / 2, (1 + LEVEL) / 2], shape, scale=1 / rate)
        expected = float(e[i] * phi)
        levels[code] = TerritoryLevel(
            multiplier=float(shape / rate),
            low=float(low),
            high=float(high),
            registrations=float(y[i] * phi),
            expected=expected,
            thin=bool(expected < MIN_EXPECTED or (low > 0 and high / low > MAX_RATIO)),
        )
    return levels, k


def _strength(y: np.ndarray, e: np.ndarray) -> float:
    """k of the Gamma(k, k) prior: 1 / (variance of the true multipliers), the raw ratios'
    variance minus the Poisson part (method of moments, weighted by the expected counts)."""
    used = e > 0
    if used.sum() < 2:
        return PRIOR_CEILING
    ratio = y[used] / e[used]
    w = e[used] / e[used].sum()
    mean = float(np.sum(w * ratio))
    spread = float(np.sum(w * (ratio - mean) ** 2)) - mean * int(used.sum()) / float(e[used].sum())
    if spread <= 1 / PRIOR_CEILING:
        return PRIOR_CEILING
    return float(np.clip(1 / spread, PRIOR_FLOOR, PRIOR_CEILING))
