"""How `--format html` grows with the findings of one paragraph.

Renders one report whose single paragraph carries n and 4n findings and
prints the growth exponent (1.0 is linear). Text rendering of the same
findings is timed alongside as the baseline.

    python bench/bench_html.py
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from gklint.engine import lint
from gklint.formats import render
from gklint.parse import parse
from gklint.ruleset import load_builtin
from gklint.run import FileResult
from gklint.source import decode

SENTENCE = "本机关,依法公开政府信息,"


def findings_for(n: int):
    """A one-paragraph report and n findings spread over it (copies of the
    real ones, moved along the line), beyond the per-rule cap a lint applies."""
    text = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + SENTENCE * n + "。\n"
    doc = parse(decode(text.encode(), "bench.txt"))
    found = lint(doc, load_builtin())
    sample = next(f for f in found if f.span.line == 3)
    spread = []
    for i in range(n):
        column = 1 + i * len(SENTENCE) + 3
        spread.append(replace(sample, span=sample.span._replace(column=column, end_column=column + 1)))
    return doc, spread


def seconds(fmt: str, doc, findings) -> float:
    result = FileResult(path="bench.txt", findings=findings, document=doc)
    start = time.perf_counter()
    render(fmt, [result], [])
    return time.perf_counter() - start


def main() -> None:
    n = 5_000
    for fmt in ("text", "html"):
        small, large = (seconds(fmt, *findings_for(size)) for size in (n, 4 * n))
        exponent = math.log(max(large, 1e-9) / max(small, 1e-9)) / math.log(4)
        print(f"{fmt:5} n={n}: {small:.3f}s  4n: {large:.3f}s  exponent {exponent:.2f}")


if __name__ == "__main__":
    main()
