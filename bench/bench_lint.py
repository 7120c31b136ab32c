"""Lint time per report (warm, all rules) and for 1,000 reports; cold start
of the command. Not a test: run it by hand.

    python bench/bench_lint.py [--repeat N] [--many 1000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gklint import engine, ruleset
from gklint.parse import parse
from gklint.source import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _best(works: dict, repeat: int) -> dict:
    """Milliseconds per call of each work, best of five rounds; the works take
    turns within a round, so a slow spell of the shared machine hits them all."""
    best = {name: float("inf") for name in works}
    for _ in range(5):
        for name, work in works.items():
            start = time.perf_counter()
            for _ in range(max(1, repeat // 5)):
                work()
            best[name] = min(best[name], (time.perf_counter() - start) * 1000 / max(1, repeat // 5))
    return best


# The floor a linter cannot beat by much: 20 plain regexes over the report's text.
FLOOR = [re.compile(p) for p in (
    r"\d+\s*件", r"\d+\s*条", r"申请", r"公开", r"[一二三四五六七八九十]+、", r"（[一二三四五六七八九十]+）",
    r"\d{4}\s*年", r"\d+\s*月\s*\d+\s*日", r"其中", r"总计", r"[,;:?!]", r"“[^”]{0,20}”", r"\d+(?:\.\d+)?%",
    r"电话", r"@", r"https?://\S+", r"(.)\1", r"\t", r"\s{2,}", r"[A-Za-z]+",
)]


def _floor(text: str) -> None:
    for pattern in FLOOR:
        for _ in pattern.finditer(text):
            pass


def warm(repeat: int) -> None:
    rules = ruleset.load_builtin()
    print(f"{'report':32} {'KB':>6} {'parse ms':>9} {'lint ms':>8} {'total ms':>9} {'floor ms':>9} {'× floor':>8}")
    ratios = []
    for path in sorted(FIXTURES.glob("*.txt")):
        data = path.read_bytes()
        engine.lint(parse(decode(data, path.name)), rules)
        text = decode(data, path.name).text
        times = _best({"parse": lambda data=data, name=path.name: parse(decode(data, name)),
                       "total": lambda data=data, name=path.name: engine.lint(parse(decode(data, name)), rules),
                       "floor": lambda text=text: _floor(text)}, repeat)
        parse_ms, total_ms, floor_ms = times["parse"], times["total"], times["floor"]
        kb = len(data) / 1024
        ratios.append(total_ms / floor_ms)
        print(f"{path.name:32} {kb:6.1f} {parse_ms:9.2f} {total_ms - parse_ms:8.2f} {total_ms:9.2f} "
              f"{floor_ms:9.2f} {total_ms / floor_ms:8.1f}")
    print(f"warm lint / 20-regex floor: median {sorted(ratios)[len(ratios) // 2]:.1f}×")


def many(count: int) -> None:
    files = sorted(FIXTURES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count):
            source = files[k % len(files)]
            shutil.copy(source, Path(tmp) / f"{k:05d}_{source.name}")
        seconds = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gklint", "--format", "json", "-j", str(jobs), "-o",
                            str(Path(tmp) / "out.json"), tmp], check=False)
            seconds[jobs] = time.perf_counter() - start
            print(f"{count} reports, --jobs {jobs}: {seconds[jobs]:.2f} s (whole command)")
        print(f"-j 2 / -j 1: {seconds[2] / seconds[1]:.2f}")


def cold() -> None:
    gklint = shutil.which("gklint") or "gklint"
    for label, args in (("gklint --version", ["--version"]),
                        ("gklint one report", [str(FIXTURES / "002_dd5128862733eacb.txt")])):
        times = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([gklint, *args], capture_output=True)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"cold start, {label}: median {times[5]:.0f} ms, best {times[0]:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--many", type=int, default=1000)
    args = parser.parse_args()
    warm(args.repeat)
    cold()
    if args.many:
        many(args.many)


if __name__ == "__main__":
    main()
