"""Was the machine busy with something else? (bench/harness.py refuses to report then)

Before the run: the 1-minute load average per CPU. During it: the CPU time spent by processes
that are not ours (the harness, wrk, and every process of the stack, found from its pid files
and their descendants), read from /proc, as a share of the machine's capacity over the run;
and the CPU steal of a virtual machine (time the hypervisor gave to someone else).
Linux only (/proc).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1


def _stat() -> tuple[int, int, int]:
    """(busy, steal, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal


def _processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, CPU jiffies used so far, children that exited included)."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2 :].split()
        # fields after the command: state ppid … utime(12) stime(13) cutime(14) cstime(15)
        table[int(entry.name)] = (int(rest[1]), sum(int(x) for x in rest[11:15]))
    return table


def _descendants(table: dict[int, tuple[int, int]], roots: set[int]) -> set[int]:
    ours = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in table.items():
            if parent in ours and pid not in ours:
                ours.add(pid)
                changed = True
    return ours


class Watch:
    """``Watch(pid_dir).start()`` … ``.stop()`` → the verdict and its figures."""

    def __init__(self, pid_dir: Path, *, max_load: float = 0.5, max_foreign: float = 0.15,
                 max_steal: float = 0.05) -> None:  # fmt: skip
        self.pid_dir = pid_dir
        self.max_load, self.max_foreign, self.max_steal = max_load, max_foreign, max_steal

    def _roots(self) -> set[int]:
        roots = {os.getpid()}
        for path in self.pid_dir.glob("*.pid"):
            try:
                roots.add(int(path.read_text().split()[0]))
            except (ValueError, IndexError, OSError):
                continue
        return roots

    def start(self) -> Watch:
        self.load_before = os.getloadavg()[0] / CPUS
        self.t0 = time.monotonic()
        self.stat0 = _stat()
        self.procs0 = _processes()
        return self

    def stop(self) -> dict:
        stat1, procs1 = _stat(), _processes()
        elapsed = time.monotonic() - self.t0
        ours = _descendants(procs1, self._roots()) | _descendants(self.procs0, self._roots())
        ours_jiffies = sum(
            used - self.procs0.get(pid, (0, 0))[1]
            for pid, (_, used) in procs1.items()
            if pid in ours
        )
        busy = stat1[0] - self.stat0[0]
        steal = stat1[1] - self.stat0[1]
        total = max(stat1[2] - self.stat0[2], 1)
        foreign = max(busy - ours_jiffies, 0) / total
        result = {
            "cpus": CPUS,
            "load_per_cpu_before": round(self.load_before, 2),
            "foreign_cpu_share_during": round(foreign, 3),
            "steal_share_during": round(steal / total, 3),
            "seconds": round(elapsed, 1),
            "limits": {
                "load_per_cpu_before": self.max_load,
                "foreign_cpu_share_during": self.max_foreign,
                "steal_share_during": self.max_steal,
            },
        }
        reasons = []
        if self.load_before > self.max_load:
            reasons.append(f"load average {self.load_before:.2f} per CPU before the run")
        if foreign > self.max_foreign:
            reasons.append(f"{foreign:.0%} of the CPU used by other processes during the run")
        if steal / total > self.max_steal:
            reasons.append(f"{steal / total:.0%} CPU steal during the run")
        result["busy"] = bool(reasons)
        result["reasons"] = reasons
        return result
