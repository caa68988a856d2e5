"""P2 registration rush: 2,000 concurrent attempts on 200 seats, confirmed per second until
sell-out, exactly the capacity. Measured by the registration benchmark's ``run()`` (the
``perf`` work of issue 14: ``bench/registration.py``), called here with the running stack."""

from __future__ import annotations

import importlib

from .stack import Stack

TITLE = "P2 registration rush"
MODULES = ("bench.registration", "bench.registration_rush")


def run(stack: Stack) -> dict:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if hasattr(module, "run"):
            return module.run(stack)
    return {"absent": f"no registration benchmark module ({' or '.join(MODULES)}) in this tree"}
