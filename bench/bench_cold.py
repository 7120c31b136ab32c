"""Cold start: `gklint report.txt` against `python -c pass`, paired in one run
(the machine is shared and noisy: best of N each, interleaved). Not a test.

    python bench/bench_cold.py [--repeat 15]

Prints the ratio with the caches warm (rule set, compiled regexes), and
without them (GKLINT_NO_CACHE). gklint's bytecode is compiled first: an
installed package has it, and PYTHONDONTWRITEBYTECODE would otherwise have
every run compile the sources.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "fixtures" / "003_17306181f9b38851.txt"


def _run(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compileall.compile_dir(str(REPORT.parent.parent / "gklint"), quiet=1)
    env = dict(os.environ)
    cold = {**env, "GKLINT_NO_CACHE": "1"}
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "gklint report (cache)": ([sys.executable, "-m", "gklint", "--isolated", str(REPORT)], env),
        "gklint report (no cache)": ([sys.executable, "-m", "gklint", "--isolated", str(REPORT)], cold),
        "gklint --version": ([sys.executable, "-m", "gklint", "--version"], env),
    }
    _run(*commands["gklint report (cache)"])  # fill the cache
    best = {name: float("inf") for name in commands}
    for _ in range(args.repeat):
        for name, (cmd, run_env) in commands.items():
            best[name] = min(best[name], _run(cmd, run_env))
    floor = best["python -c pass"]
    for name, seconds in best.items():
        print(f"{name:<26} {seconds * 1000:7.1f} ms  {seconds / floor:5.2f}× python -c pass")


if __name__ == "__main__":
    main()
