"""The supervisor's sheet at a province's scale (not a test: run it by hand).

    python bench/bench_sheet.py [--count 1000 10000] [--jobs 2]

Makes COUNT distinct reports of as many agencies from the 2024 city report
in fixtures/: its headings and tables, the agency's own name, and narrative
sentences drawn from every shared report with their characters shuffled (so
no two agencies share text by chance, while the letters stay Chinese); one
agency in a hundred pastes five paragraphs of another's. Then, in the same
run and as ratios to a plain lint of the same folder:

- `gklint summary --roster` (lint + sheet + JSON), wall time and peak memory;
- the similarity pass alone (fingerprints of parsed reports, then the pairs);
- `gklint summary` of the SARIF log the lint wrote.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def sentences() -> list[str]:
    pool = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            # prose only: a sentence with digits, spaces or tabs may be a table row pasted as text
            pool += [s for s in re.split(r"(?<=[。；])", line.strip())
                     if len(s) > 25 and re.fullmatch(r"[\u4e00-\u9fff，、；。：“”《》（）]+", s)]
    return pool


def make_batch(folder: Path, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """COUNT reports; returns the (copier, source) agency pairs planted."""
    rng = random.Random(seed)
    skeleton = (FIXTURES / "huaian-gov-2024.txt").read_text(encoding="utf-8").splitlines()
    pool = sentences()
    narratives, planted = [], []
    for k in range(count):
        paragraphs = []
        for _ in range(rng.randint(8, 16)):
            text = "".join(rng.sample(pool, 3))
            chars = list(text)
            rng.shuffle(chars)
            paragraphs.append("".join(c for c in chars if c not in "（）") + "。")
        narratives.append(paragraphs)
    for k in range(0, count, 100):
        source = (k + 37) % count
        narratives[k][2:2] = narratives[source][:5]
        planted.append((name(k), name(source)))
    for k in range(count):
        out = []
        for line in skeleton:
            out.append(line.replace("淮安市人民政府", name(k)).replace("淮安市", name(k)))
            if line.strip().startswith("一、"):
                out += narratives[k]
        (folder / f"{k:05d}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
    return planted


def name(k: int) -> str:
    return f"第{k // 20 + 1}县第{k % 20 + 1}局"


_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds, and the peak resident memory (MB) of the command's
    largest process (it or a worker), measured by a fresh parent."""
    start = time.perf_counter()
    peak = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True).stdout
    return time.perf_counter() - start, int(peak.strip() or 0) / 1024


def similarity_alone(folder: Path) -> tuple[float, float, int]:
    from gklint.parse import parse
    from gklint.similarity import copied_pairs, fingerprints
    from gklint.source import read

    docs = [parse(read(str(p))) for p in sorted(folder.glob("*.txt"))]
    start = time.perf_counter()
    items = [(d.agency, fingerprints(d)) for d in docs]
    middle = time.perf_counter()
    pairs = copied_pairs(items)
    return middle - start, time.perf_counter() - middle, len(pairs)


_TIMING = """<script>
window.addEventListener("load", function () {
  var ready = performance.now();
  var th = document.querySelector('#sheet-table th[data-key="score"]');
  var start = performance.now(); th.click(); var sorted = performance.now() - start;
  start = performance.now(); document.querySelector('.pager[data-for="sheet"] button[data-step="1"]').click();
  var paged = performance.now() - start;
  document.body.setAttribute("data-timing", [ready, sorted, paged, document.body.dataset.errors].join(","));
});
</script></body>"""


def page_timing(page: Path) -> str:
    """Load, sort-by-score and next-page times of the page in headless Chromium (ms)."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return "Chromium not installed"
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _TIMING, 1), encoding="utf-8")
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          "--window-size=1366,900", probe.as_uri()], capture_output=True, text=True).stdout
    found = re.search(r'data-timing="([^"]*)"', dom)
    if not found:
        return "no timing"
    ready, sort, page_step, errors = found.group(1).split(",")
    return f"ready {float(ready):.0f} ms, sort {float(sort):.0f} ms, next page {float(page_step):.0f} ms, " \
           f"script errors {errors}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    gk = [sys.executable, "-m", "gklint"]
    for count in args.count:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "reports"
            folder.mkdir()
            planted = make_batch(folder, count)
            roster = Path(tmp) / "roster.csv"
            roster.write_text("名称,类型\n" + "".join(f"{name(k)},部门\n" for k in range(count + count // 50)),
                              encoding="utf-8")
            log = Path(tmp) / "all.sarif"
            lint, lint_mb = timed([*gk, "--isolated", "-j", str(args.jobs), "--format", "sarif", "-o", str(log),
                                   str(folder)])
            sheet, sheet_mb = timed([*gk, "summary", "--isolated", "-j", str(args.jobs), "--roster", str(roster),
                                     "--format", "json", "-o", str(Path(tmp) / "sheet.json"), str(folder)])
            from_log, log_mb = timed([*gk, "summary", "--roster", str(roster), "--format", "json", "-o",
                                      str(Path(tmp) / "log.json"), str(log)])
            page, _ = timed([*gk, "summary", "--roster", str(roster), "--format", "html", "--no-snippets", "-o",
                             str(Path(tmp) / "page.html"), str(log)])
            import json

            found = json.loads((Path(tmp) / "sheet.json").read_text(encoding="utf-8"))["sheet"]["agencies"]
            copied = {(a["agency"], c["other"]) for a in found for c in a["copies"]}
            hits = sum(1 for pair in planted if pair in copied)
            prints, pairs_time, pairs = similarity_alone(folder)
            size = (Path(tmp) / "page.html").stat().st_size / 1e6
            print(f"{count} reports, -j{args.jobs}:")
            print(f"  lint to one SARIF log (baseline)   {lint:7.1f} s   peak {lint_mb:6.0f} MB   "
                  f"log {log.stat().st_size / 1e6:.0f} MB")
            print(f"  summary --roster of the reports    {sheet:7.1f} s   peak {sheet_mb:6.0f} MB   "
                  f"{sheet / lint:.2f}x lint")
            print(f"  summary --roster of the SARIF log  {from_log:7.1f} s   peak {log_mb:6.0f} MB   "
                  f"{from_log / lint:.2f}x lint")
            print(f"  summary page (html, no snippets)   {page:7.1f} s   {size:.1f} MB page; in Chromium: "
                  f"{page_timing(Path(tmp) / 'page.html')}")
            print(f"  similarity alone: fingerprints {prints:.2f} s, pairs {pairs_time:.2f} s "
                  f"({pairs} pairs; planted {len(planted)}, found {hits})")


if __name__ == "__main__":
    main()
