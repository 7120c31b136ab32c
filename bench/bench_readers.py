"""Reading Word, web pages and PDF (not a test: run it by hand).

    python bench/bench_readers.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gklint.parse import parse
from gklint.readers import read_any

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT.parent / "shared/corpus/format-2021-template.docx", ROOT / "fixtures/003_17306181f9b38851.html",
         ROOT.parent / "shared/corpus/huaian-gov-2024.pdf"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for path in FILES:
        if not path.exists():
            print(f"{path.name}: missing")
            continue
        read_any(path)  # warm: imports
        start = time.perf_counter()
        for _ in range(args.repeat):
            source = read_any(path)
            parse(source)
        ms = (time.perf_counter() - start) * 1000 / args.repeat
        pages = len({loc.split("页")[0] for loc in source.locations or []}) if path.suffix == ".pdf" else 1
        per = f", {ms / pages:.0f} ms per page ({pages} pages)" if path.suffix == ".pdf" else ""
        print(f"{path.name}: {ms:.0f} ms per file{per}")


if __name__ == "__main__":
    main()
