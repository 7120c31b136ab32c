"""Summarising many SARIF logs (not a test: run it by hand).

    python bench/bench_summary.py [--count 1000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        logs = []
        for path in sorted(FIXTURES.glob("*.txt")):
            log = Path(tmp) / f"{path.stem}.sarif"
            subprocess.run([sys.executable, "-m", "gklint", "--format", "sarif", "-o", str(log), str(path)])
            logs.append(log)
        folder = Path(tmp) / "many"
        folder.mkdir()
        for k in range(args.count):
            shutil.copy(logs[k % len(logs)], folder / f"{k:05d}.sarif")
        for fmt in ("text", "json", "html"):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gklint", "summary", "--format", fmt, "-o",
                            str(Path(tmp) / f"out.{fmt}"), str(folder)], check=False)
            print(f"summary of {args.count} SARIF logs, --format {fmt}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
