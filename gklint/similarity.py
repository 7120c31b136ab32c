"""Copying across agencies (与其他单位雷同): passages two agencies' reports
share that are not the phrasing every report shares.

A report's narrative (its paragraphs: not tables, not headings) is reduced to
letters — no digits, spaces or punctuation, since figures change and the
sentences around them should too — and cut into runs of K letters that start
at an *anchor*: one letter in eight of the alphabet, chosen by a hash of the
code point (content-defined sampling, as in Manber 1994's "0 mod p"
fingerprints, but deciding by one letter so that only the kept runs are
hashed: ten times faster). The same runs are kept in every report, so two
reports sharing a passage share its fingerprints; an ordinary report keeps
7–9 % of its runs, a passage of 100 letters ~8 of them. One sorted array of
(fingerprint, report) then gives every pair of reports sharing fingerprints
in O(n log n) — 10,000 reports in 4 s, with no pair compared blindly.

Text shared by many agencies is the phrasing of the 条例, the national
format and the political preamble, not copying: runs made of the phrases in
`data/boilerplate.txt` (shipped with gklint) and fingerprints found in more
agencies than `common_above` are not counted as copied.

The share of a report copied from another is the share of its fingerprints
found in the other's (a sample of its runs, so a ±3-point estimate on an
ordinary report); the passages are the lines holding them.
"""

from __future__ import annotations

import base64
import bisect
import re
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from . import regexes

K = 16  # letters in a run: a clause, longer than the stock phrases
HALF = K // 2
STOCK = 0  # the hash a stock run gets: counted in the narrative, never matched
ANCHORS = "crc32-knuth8"  # names the sampling, so logs made otherwise are not compared
_DROP = regexes.compile(r"[\W\d_]+")
BOILERPLATE = Path(__file__).with_name("data") / "boilerplate.txt"


@dataclass
class Prints:
    """A report's narrative fingerprints and the line each starts on."""

    hashes: array = field(default_factory=lambda: array("I"))
    lines: array = field(default_factory=lambda: array("I"))
    letters: int = 0  # letters in the narrative

    def to_json(self) -> dict:
        return {"k": K, "anchors": ANCHORS, "letters": self.letters,
                "hashes": _pack(self.hashes), "lines": _pack(self.lines)}

    @classmethod
    def from_json(cls, data) -> "Prints | None":
        """None when the log was made with other settings (not comparable) or is malformed."""
        if not isinstance(data, dict) or data.get("k") != K or data.get("anchors") != ANCHORS:
            return None
        try:
            prints = cls(_unpack(data["hashes"]), _unpack(data["lines"]), int(data["letters"]))
        except (KeyError, TypeError, ValueError, UnicodeEncodeError):
            return None
        return prints if len(prints.hashes) == len(prints.lines) else None


def _pack(values: array) -> str:
    """Base64 of little-endian 32-bit values: a log made on one machine reads on any."""
    values = array("I", values)
    if sys.byteorder != "little":
        values.byteswap()
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unpack(text: str) -> array:
    values = array("I")
    values.frombytes(base64.b64decode(text.encode("ascii"), validate=True))
    if sys.byteorder != "little":
        values.byteswap()
    return values


def letters_of(text: str) -> str:
    return _DROP.sub("", text)


@lru_cache(maxsize=1)
def _anchors() -> re.Pattern:
    """The letters a run may start at: one in eight of the CJK and Latin
    letters, chosen by a multiplicative hash of the code point."""
    codes = [*range(0x30, 0x7B), *range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]
    chosen = "".join(chr(c) for c in codes if ((c * 2654435761) & 0xFFFFFFFF) >> 29 == 0)
    return regexes.compile("[" + re.escape(chosen) + "]")


def fingerprint_runs(pieces) -> Prints:
    """Fingerprints of (line, text) pieces in reading order."""
    letters, starts, lines, offset = [], [], [], 0
    for line, text in pieces:
        kept = letters_of(text)
        if kept:
            letters.append(kept)
            starts.append(offset)
            lines.append(line)
            offset += len(kept)
    joined = "".join(letters)
    prints = Prints(letters=len(joined))
    stock = _stock_halves()
    for match in _anchors().finditer(joined, 0, max(0, len(joined) - K + 1)):
        i = match.start()
        common = _is_stock(joined, i, stock)
        prints.hashes.append(STOCK if common else zlib.crc32(joined[i:i + K].encode("utf-8")) or 1)
        prints.lines.append(lines[bisect.bisect_right(starts, i) - 1])
    return prints


def fingerprints(doc) -> Prints:
    """A parsed report's narrative fingerprints; its own name is left out, so
    a copy that only changed the agency's name still matches."""
    names = [n for n in {doc.agency, getattr(doc.signature, "agency", None)} if n]
    pieces = []
    for paragraph in doc.paragraphs():
        for piece in paragraph.text.pieces:
            text = piece.text
            for name in names:
                text = text.replace(name, "")
            pieces.append((piece.line, text))
    return fingerprint_runs(pieces)


def _is_stock(letters: str, i: int, stock: frozenset[str]) -> bool:
    """Whether the run at i is stock phrasing: all but two of its letters lie
    inside pieces of HALF letters found in boilerplate.txt, even where it
    straddles two stock sentences ("…为例外，推进…"). Such a run has its
    first or its second half in stock, so most runs are settled by two look-ups."""
    if letters[i:i + HALF] not in stock and letters[i + HALF:i + K] not in stock:
        return False
    covered = [False] * K
    for start in range(max(0, i - HALF + 1), i + K):
        if letters[start:start + HALF] in stock:
            for j in range(max(start, i), min(start + HALF, i + K)):
                covered[j - i] = True
    return sum(covered) >= K - 2


@lru_cache(maxsize=1)
def _stock_halves() -> frozenset[str]:
    """Every run of HALF letters in boilerplate.txt."""
    halves = set()
    for line in BOILERPLATE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            kept = letters_of(line)
            halves.update(kept[i:i + HALF] for i in range(len(kept) - HALF + 1))
    return frozenset(halves)


# ---------------------------------------------------------------- pairs

@dataclass
class Shared:
    """Two reports of different agencies sharing passages."""

    a: int  # indexes into the compared list
    b: int
    share_a: float  # share of a's narrative found in b
    share_b: float
    prints: int  # fingerprints in common
    lines_a: list[tuple[int, int]]  # passages: (first line, last line)
    lines_b: list[tuple[int, int]]

    @property
    def share(self) -> float:
        return max(self.share_a, self.share_b)


def copied_pairs(items: list[tuple[str, Prints | None]], common_above: int | None = None,
                 min_prints: int = 8, min_share: float = 0.1) -> list[Shared]:
    """Pairs of reports of different agencies (`items`: agency key, prints)
    sharing at least `min_prints` fingerprints and `min_share` of either
    narrative, most copied first."""
    agencies = {key for key, prints in items if prints}
    cap = common_above if common_above is not None else max(3, len(agencies) // 100)
    keyed = sorted((h << 32) | k for k, (_, prints) in enumerate(items) if prints for h in set(prints.hashes)
                   if h != STOCK)
    counts: dict[tuple[int, int], int] = {}
    start = 0
    for end in range(1, len(keyed) + 1):
        if end < len(keyed) and keyed[end] >> 32 == keyed[start] >> 32:
            continue
        holders = [v & 0xFFFFFFFF for v in keyed[start:end]]
        start = end
        if len(holders) < 2 or len({items[k][0] for k in holders}) > cap:
            continue
        for i, a in enumerate(holders):
            for b in holders[i + 1:]:
                if items[a][0] != items[b][0]:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
    pairs = [_pair(items, a, b, n) for (a, b), n in counts.items() if n >= min_prints]
    pairs = [p for p in pairs if p.share >= min_share]
    return sorted(pairs, key=lambda p: (-p.share, -p.prints, p.a, p.b))


def _pair(items, a: int, b: int, count: int) -> Shared:
    pa, pb = items[a][1], items[b][1]
    common = (set(pa.hashes) & set(pb.hashes)) - {STOCK}
    return Shared(a, b, _share(pa, common), _share(pb, common), count, _passages(pa, common), _passages(pb, common))


def _share(prints: Prints, common: set[int]) -> float:
    return round(sum(1 for h in prints.hashes if h in common) / len(prints.hashes), 3) if prints.hashes else 0.0


def _passages(prints: Prints, common: set[int], gap: int = 1) -> list[tuple[int, int]]:
    """Runs of lines holding shared fingerprints (a line between two such lines joins them)."""
    lines = sorted({line for h, line in zip(prints.hashes, prints.lines) if h in common})
    runs: list[list[int]] = []
    for line in lines:
        if runs and line - runs[-1][1] <= gap + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return [(first, last) for first, last in runs]
