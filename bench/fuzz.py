"""Fuzzing gklint: random bytes, random Unicode and mutations of the real
reports through decoding, parsing and every built-in rule.

Each input must give a result, never an exception (an internal error is a
crash here), keep every finding's span inside the input, and finish within
a time bound. `tests/test_fuzz.py` drives the same mutations with
hypothesis; this script is the long run:

    python bench/fuzz.py                # 100,000 inputs on every CPU
    python bench/fuzz.py -n 2000 -j 1   # a short run

It prints the crashes (with the seed that rebuilds each input) and the
slowest inputs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REPORTS = sorted(FIXTURES.glob("*.txt"))
SECONDS_PER_INPUT = 10.0


# ---------------------------------------------------------------- mutations

def _lines(rng, text):
    return text.split("\n")


def delete_lines(rng, text):
    lines = _lines(rng, text)
    for _ in range(rng.randint(1, 8)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_lines(rng, text):
    lines = _lines(rng, text)
    for _ in range(rng.randint(1, 8)):
        if lines:
            at = rng.randrange(len(lines))
            lines[at:at] = [lines[at]] * rng.randint(1, 20)
    return "\n".join(lines)


def change_digits(rng, text):
    chars = list(text)
    digits = [i for i, ch in enumerate(chars) if ch.isdigit()]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 30))):
        chars[i] = rng.choice("0123456789")
    return "".join(chars)


def swap_tabs_and_spaces(rng, text):
    if rng.random() < 0.5:
        return text.replace("\t", " " * rng.randint(1, 4))
    return text.replace("  ", "\t")


def truncate(rng, text):
    return text[:rng.randrange(len(text) + 1)]


def control_characters(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 20)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice("\x00\x07\x1b\r\x0b\x0c\x7f\x85\u2028\u202e\ufeff"))
    return "".join(chars)


def long_line(rng, text):
    run = rng.choice(["1", "a", "公", "其中", "、", "（", "12 ", "@", " ", "—"]) * rng.randint(1_000, 60_000)
    lines = _lines(rng, text)
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = [run]
    return "\n".join(lines)


def huge_numbers(rng, text):
    import re

    def replace(match):
        choice = rng.random()
        if choice < 0.3:
            return "9" * rng.randint(20, 5000)
        if choice < 0.6:
            return "-" + match.group()
        if choice < 0.8:
            return match.group() + ".5e308"
        return "1" + "0" * rng.randint(300, 400)
    return re.sub(r"\d+", lambda m: replace(m) if rng.random() < 0.1 else m.group(), text)


def full_width_digits(rng, text):
    table = str.maketrans("0123456789", "０１２３４５６７８９")
    return "".join(line.translate(table) if rng.random() < 0.5 else line for line in text.split("\n"))


def shuffle_blocks(rng, text):
    lines = _lines(rng, text)
    at, size = rng.randrange(len(lines) + 1), rng.randint(1, 40)
    block = lines[at:at + size]
    del lines[at:at + size]
    where = rng.randrange(len(lines) + 1)
    lines[where:where] = block
    return "\n".join(lines)


MUTATIONS = [delete_lines, duplicate_lines, change_digits, swap_tabs_and_spaces, truncate, control_characters,
             long_line, huge_numbers, full_width_digits, shuffle_blocks]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


def encode(rng, text: str) -> bytes:
    encoding = rng.choice(ENCODINGS)
    return text.encode(encoding, errors="replace")


def random_input(rng: random.Random) -> bytes:
    """One fuzz input: mostly mutated reports, some random bytes or text."""
    kind = rng.random()
    if kind < 0.1:
        return rng.randbytes(rng.randint(0, 4000))
    if kind < 0.2:
        alphabet = "一二三四五六七八九十（）、。，：；件条个年月日共其中总计公开申请\n\t 0123456789%@.-—"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4000))).encode("utf-8")
    text = rng.choice(REPORTS).read_text(encoding="utf-8")
    for _ in range(rng.randint(1, 4)):
        text = rng.choice(MUTATIONS)(rng, text)
    return encode(rng, text)


# ---------------------------------------------------------------- one input

_linter = None


def problems(data: bytes) -> tuple[list[str], float]:
    """What is wrong with gklint's handling of `data` (empty: nothing), and the seconds it took."""
    global _linter
    from gklint import source
    from gklint.run import Linter, Options

    if _linter is None:
        _linter = Linter(Options(isolated=True))
    started = time.perf_counter()
    result = _linter.lint("-", data)
    seconds = time.perf_counter() - started
    found = []
    if result.error:
        if "(internal error)" in result.error:
            found.append(result.error)
        return found, seconds
    lines = source.decode(data).lines
    for f in result.findings:
        span = f.span
        if not (1 <= span.line <= span.end_line <= max(len(lines), 1)):
            found.append(f"{f.rule}: line {span.line}-{span.end_line} outside 1..{len(lines)}")
        elif span.column < 1 or (lines and span.end_column > len(lines[span.end_line - 1]) + 1):
            found.append(f"{f.rule}: column {span.column}-{span.end_column} outside line {span.end_line}")
        if f.name == "rule-timeout":
            found.append(f"{f.rule}: a rule ran out of time")
    if seconds > SECONDS_PER_INPUT:
        found.append(f"took {seconds:.1f}s")
    return found, seconds


def _one(seed: int) -> tuple[int, list[str], float, int]:
    data = random_input(random.Random(seed))
    try:
        found, seconds = problems(data)
    except Exception as err:  # the linter let one escape: the worst kind
        found, seconds = [f"escaped: {type(err).__name__}: {err}"], 0.0
    return seed, found, seconds, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="inputs to try")
    parser.add_argument("-j", type=int, default=multiprocessing.cpu_count(), help="processes")
    parser.add_argument("--start", type=int, default=0, help="first seed")
    args = parser.parse_args()
    started = time.perf_counter()
    crashes, slowest = [], []
    with multiprocessing.Pool(args.j) as pool:
        for done, (seed, found, seconds, size) in enumerate(
                pool.imap_unordered(_one, range(args.start, args.start + args.n), chunksize=20), 1):
            if found:
                crashes.append((seed, found))
                print(f"seed {seed}: {found[0][:200]}", flush=True)
            slowest = sorted([*slowest, (seconds, seed, size)], reverse=True)[:5]
            if done % 5000 == 0:
                print(f"… {done} inputs, {len(crashes)} with problems, {time.perf_counter() - started:.0f}s",
                      file=sys.stderr, flush=True)
    print(f"{args.n} inputs in {time.perf_counter() - started:.0f}s: {len(crashes)} with problems")
    for seconds, seed, size in slowest:
        print(f"  slowest: seed {seed}, {size} bytes, {seconds:.2f}s")
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
