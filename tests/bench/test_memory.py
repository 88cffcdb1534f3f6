"""Peak memory of a process tree from /proc (a fake /proc here)."""

from __future__ import annotations

import os

from bench.memory import descendants, peak_rss


def process(proc, pid: int, parent: int, peak_kb: int | None) -> None:
    (proc / str(pid)).mkdir()
    lines = ["Name:\tpython", f"PPid:\t{parent}"]
    if peak_kb is not None:
        lines.append(f"VmHWM:\t{peak_kb} kB")
    (proc / str(pid) / "status").write_text("\n".join(lines) + "\n")


def test_peak_rss_adds_up_the_process_and_its_descendants(tmp_path):
    process(tmp_path, 10, 1, 1000)
    process(tmp_path, 11, 10, 200)
    process(tmp_path, 12, 11, 30)
    process(tmp_path, 20, 1, 999999)
    process(tmp_path, 13, 10, None)  # a kernel thread or a zombie has no VmHWM
    assert sorted(descendants(10, proc=tmp_path)) == [11, 12, 13]
    assert peak_rss(10, proc=tmp_path) == (1000 + 200 + 30) * 1024


def test_a_gone_process_has_no_memory(tmp_path):
    assert peak_rss(4242, proc=tmp_path) == 0


def test_this_process_has_a_peak_on_linux():
    assert peak_rss(os.getpid()) > 1024 * 1024
