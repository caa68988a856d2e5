"""The budget problem: channel amounts (continuous, SLSQP) then the integer parts (billboard
panels per city, an event or not per département) with ``scipy.optimize.milp`` (HiGHS).

Pure NumPy/SciPy, no Django. Infeasible inputs raise ``Infeasible`` with a French sentence
naming the constraint that blocks, checked before any solver runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp, minimize


class Infeasible(ValueError):
    """The constraints cannot all hold; the message (French) says which one blocks."""


def euros(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") + "\u00a0€"


@dataclass(frozen=True)
class ChannelBounds:
    minimum: float = 0.0  # euros
    max_share: float = 1.0  # of the budget


def check_channels(
    budget: float, labels: dict[str, str], bounds: dict[str, ChannelBounds]
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper amounts per channel, or Infeasible naming the blocking constraint."""
    names = list(labels)
    lower = np.array([bounds.get(c, ChannelBounds()).minimum for c in names], float)
    upper = np.array([bounds.get(c, ChannelBounds()).max_share * budget for c in names], float)
    for i, channel in enumerate(names):
        if lower[i] > upper[i] + 0.5:
            raise Infeasible(
                f"Le minimum du canal {labels[channel]} ({euros(lower[i])}) dépasse sa part "
                f"maximale ({euros(upper[i])}, soit "
                f"{bounds[channel].max_share * 100:.0f} % du budget)."
            )
    if lower.sum() > budget + 0.5:
        raise Infeasible(
            f"La somme des minimums par canal ({euros(lower.sum())}) dépasse le budget à "
            f"répartir ({euros(budget)})."
        )
    if upper.sum() < budget - 0.5:
        raise Infeasible(
            f"Les parts maximales par canal ne permettent d'engager que {euros(upper.sum())} "
            f"sur {euros(budget)} : relevez une part maximale ou baissez le budget."
        )
    return lower, upper


def allocate_channels(
    value: dict[str, Callable[[float], float]],
    budget: float,
    *,
    labels: dict[str, str] | None = None,
    bounds: dict[str, ChannelBounds] | None = None,
    starts: list[dict[str, float]] | None = None,
    slope: dict[str, Callable[[float], float]] | None = None,
) -> dict[str, float]:
    """Amounts per channel maximising the sum of ``value[c](amount)`` with the whole budget
    spent, each channel between its minimum and its maximum share. ``value`` should be
    concave (the fitted curves are); several starting points guard against flat regions.
    ``slope`` (the derivatives of ``value``, optional) spares SLSQP its finite differences."""
    names = list(value)
    labels = labels or {c: c for c in names}
    bounds = bounds or {}
    lower, upper = check_channels(budget, labels, bounds)
    if budget <= 0:
        return dict.fromkeys(names, 0.0)
    unit = budget  # solve in shares of the budget: well-scaled for SLSQP

    def objective(x):
        return -sum(value[c](x[i] * unit) for i, c in enumerate(names))

    def gradient(x):
        return -np.array([slope[c](x[i] * unit) * unit for i, c in enumerate(names)])

    candidates = [np.clip(np.full(len(names), 1 / len(names)), lower / unit, upper / unit)]
    for start in starts or []:
        candidates.append(
            np.clip(np.array([start.get(c, 0.0) for c in names]) / unit, lower / unit, upper / unit)
        )
    best, best_value = None, np.inf
    for x0 in candidates:
        result = minimize(
            objective,
            x0,
            jac=gradient if slope else None,
            method="SLSQP",
            bounds=list(zip(lower / unit, upper / unit, strict=True)),
            constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1.0}],
            options={"maxiter": 300, "ftol": 1e-10},
        )
        x = np.clip(result.x, lower / unit, upper / unit)
        if abs(x.sum() - 1.0) > 1e-6:
            continue
        if result.fun < best_value:
            best, best_value = x, result.fun
    if best is None:
        raise Infeasible("Aucune répartition ne respecte toutes les contraintes par canal.")
    return {c: float(best[i] * unit) for i, c in enumerate(names)}


@dataclass(frozen=True)
class Site:
    """A place that can receive integer units (a city's panels, a département's event)."""

    key: str
    label: str
    weight: float  # value of one unit there (hiring need index)
    capacity: int  # at most this many units
    minimum: int = 0  # at least this many (a must-cover territory)


def allocate_units(
    sites: list[Site], *, unit_cost: float, budget: float, what: str, saturation: int = 0
) -> dict[str, int]:
    """Integer units per site maximising the weighted units within the budget (milp/HiGHS).

    With ``saturation`` > 0 a site's units beyond that count are worth half (two linear
    segments): panels in one city reach the same people again. Raises Infeasible when the
    required minimums alone cost more than the budget."""
    if not sites:
        return {}
    if unit_cost <= 0:
        raise Infeasible(f"Le coût unitaire ({what}) doit être positif.")
    required = sum(s.minimum for s in sites) * unit_cost
    if required > budget + 0.5:
        names = ", ".join(s.label for s in sites if s.minimum)
        raise Infeasible(
            f"Couvrir les territoires imposés ({names}) demande {euros(required)} de {what}, "
            f"plus que les {euros(budget)} que la répartition par canal lui laisse."
        )
    for s in sites:
        if s.minimum > s.capacity:
            raise Infeasible(f"{s.label} : le minimum imposé dépasse ce qui est possible.")
    n = len(sites)
    first = np.array([min(saturation, s.capacity) if saturation else s.capacity for s in sites])
    second = np.array([s.capacity for s in sites]) - first
    weights = np.array([s.weight for s in sites], float)
    # Variables: first-segment units per site, then second-segment units per site.
    c = -np.concatenate([weights, weights * 0.5])
    cost = np.full(2 * n, unit_cost)
    pair = np.hstack([np.eye(n), np.eye(n)])
    minimums = np.array([s.minimum for s in sites], float)
    constraints = [
        LinearConstraint(cost.reshape(1, -1), -np.inf, budget),
        LinearConstraint(pair, minimums, np.inf),
    ]
    result = milp(
        c,
        integrality=np.ones(2 * n),
        bounds=Bounds(np.zeros(2 * n), np.concatenate([first, second])),
        constraints=constraints,
        options={"time_limit": 20},
    )
    if result.x is None:
        raise Infeasible(f"Aucune répartition entière ({what}) ne tient dans le budget.")
    units = np.round(result.x[:n] + result.x[n:]).astype(int)
    return {s.key: int(units[i]) for i, s in enumerate(sites) if units[i] > 0}
