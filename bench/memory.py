"""Peak memory of the servers under test, read from Linux's ``/proc``.

``VmHWM`` in ``/proc/<pid>/status`` is the process's peak resident set size (its "high
water mark") since it started, so one reading after the load run gives the peak without
sampling. A server that forks workers is counted with its descendants.
"""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def peak_rss(pid: int, *, proc: Path = PROC) -> int:
    """Peak resident memory in bytes of ``pid`` and its descendants; 0 if it is gone."""
    return sum(_high_water_mark(each, proc) for each in [pid, *descendants(pid, proc=proc)])


def descendants(pid: int, *, proc: Path = PROC) -> list[int]:
    children: dict[int, list[int]] = {}
    for status in proc.glob("[0-9]*/status"):
        parent = _field(status, "PPid")
        if parent is not None:
            children.setdefault(parent, []).append(int(status.parent.name))
    found: list[int] = []
    pending = list(children.get(pid, []))
    while pending:
        child = pending.pop()
        found.append(child)
        pending.extend(children.get(child, []))
    return found


def _high_water_mark(pid: int, proc: Path) -> int:
    kilobytes = _field(proc / str(pid) / "status", "VmHWM")
    return 0 if kilobytes is None else kilobytes * 1024


def _field(status: Path, name: str) -> int | None:
    try:
        lines = status.read_text().splitlines()
    except OSError:  # the process ended while we looked
        return None
    for line in lines:
        key, _, value = line.partition(":")
        if key == name:
            return int(value.split()[0])
    return None
