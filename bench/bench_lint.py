"""Lint time per report (warm, all rules) and for 1,000 reports; cold start
of the command. Not a test: run it by hand.

    python bench/bench_lint.py [--repeat N] [--many 1000]
"""

from __future__ import annotations

import argparse
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


def _best(work, repeat: int) -> float:
    """Milliseconds per call, best of five batches (the machine is shared and noisy)."""
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(max(1, repeat // 5)):
            work()
        batches.append((time.perf_counter() - start) * 1000 / max(1, repeat // 5))
    return min(batches)


def warm(repeat: int) -> None:
    rules = ruleset.load_builtin()
    print(f"{'report':32} {'KB':>6} {'parse ms':>9} {'lint ms':>8} {'total ms':>9} {'ms/30KB':>8}")
    for path in sorted(FIXTURES.glob("*.txt")):
        data = path.read_bytes()
        engine.lint(parse(decode(data, path.name)), rules)
        parse_ms = _best(lambda data=data, name=path.name: parse(decode(data, name)), repeat)
        total_ms = _best(lambda data=data, name=path.name: engine.lint(parse(decode(data, name)), rules), repeat)
        kb = len(data) / 1024
        print(f"{path.name:32} {kb:6.1f} {parse_ms:9.2f} {total_ms - parse_ms:8.2f} {total_ms:9.2f} "
              f"{total_ms * 30 / kb:8.2f}")


def many(count: int) -> None:
    files = sorted(FIXTURES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count):
            source = files[k % len(files)]
            shutil.copy(source, Path(tmp) / f"{k:05d}_{source.name}")
        for jobs in (1, 2):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gklint", "--format", "json", "-j", str(jobs), "-o",
                            str(Path(tmp) / "out.json"), tmp], check=False)
            print(f"{count} reports, --jobs {jobs}: {time.perf_counter() - start:.2f} s (whole command)")


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
