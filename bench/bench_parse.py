"""Parse time per report on the fixtures, warm (not a test: run it by hand).

    python bench/bench_parse.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gklint.parse import parse
from gklint.source import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(f"{'report':32} {'KB':>6} {'decode+parse ms':>16} {'ms per 30 KB':>13}")
    for path in sorted(FIXTURES.glob("*.txt")):
        data = path.read_bytes()
        parse(decode(data, path.name))  # warm
        batches = []
        for _ in range(5):  # best of five batches: this machine is shared and noisy
            start = time.perf_counter()
            for _ in range(args.repeat // 5 or 1):
                parse(decode(data, path.name))
            batches.append((time.perf_counter() - start) * 1000 / (args.repeat // 5 or 1))
        ms = min(batches)
        kb = len(data) / 1024
        print(f"{path.name:32} {kb:6.1f} {ms:16.3f} {ms * 30 / kb:13.3f}")


if __name__ == "__main__":
    main()
