"""The first item, in a fixed order, whose window holds a time: a segment tree over the
items' windows (earliest opening, latest closing per node), so that picking and removing
thousands of items among 100,000 does not rescan the list each time (the large demo)."""

from __future__ import annotations

import math


class FirstFit:
    """``FirstFit([(opens, closes), …])``; ``take(t)`` → index of the first item still there
    with ``opens <= t < closes``, removed; None when there is none."""

    def __init__(self, windows: list[tuple[float, float]]) -> None:
        self.size = 1
        while self.size < max(len(windows), 1):
            self.size *= 2
        self.lo = [math.inf] * (2 * self.size)
        self.hi = [-math.inf] * (2 * self.size)
        for i, (opens, closes) in enumerate(windows):
            self.lo[self.size + i], self.hi[self.size + i] = opens, closes
        for node in range(self.size - 1, 0, -1):
            self.lo[node] = min(self.lo[2 * node], self.lo[2 * node + 1])
            self.hi[node] = max(self.hi[2 * node], self.hi[2 * node + 1])

    def _fits(self, node: int, t: float) -> bool:
        return self.lo[node] <= t < self.hi[node]

    def take(self, t: float) -> int | None:
        stack = [1]
        while stack:
            node = stack.pop()
            if not self._fits(node, t):
                continue
            if node >= self.size:
                self._remove(node)
                return node - self.size
            stack.append(2 * node + 1)  # right after left: left is searched first
            stack.append(2 * node)
        return None

    def _remove(self, node: int) -> None:
        self.lo[node], self.hi[node] = math.inf, -math.inf
        node //= 2
        while node:
            self.lo[node] = min(self.lo[2 * node], self.lo[2 * node + 1])
            self.hi[node] = max(self.hi[2 * node], self.hi[2 * node + 1])
            node //= 2
