"""Scanned PDF pages (no text layer) read by OCR: the `gklint[ocr]` extra.

RapidOCR's wheel carries its Chinese detection and recognition models
(ONNX), so nothing is downloaded at run time. A page is rendered with
pypdfium2 (which pdfplumber already brings), recognised, and its text
boxes put back into lines: boxes on one line joined, a wide gap between
them a tab (a table's columns). A line whose figures were read with low
confidence is marked doubtful: checks of arithmetic do not judge it.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIDENT = 0.9  # below this a line with figures is not assessable
SCALE = 2.0  # 144 dpi: enough for 小四 body text, ~4 s a page on one core

_engine = None


@dataclass
class OcrLine:
    text: str
    doubtful: bool  # holds a figure read with low confidence


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _recogniser():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def page_lines(document, index: int) -> list[OcrLine]:
    """The recognised lines of page `index` of a pypdfium2 document, top to bottom."""
    import numpy

    image = numpy.array(document[index].render(scale=SCALE).to_pil().convert("RGB"))
    found, _ = _recogniser()(image)
    return lines_from_boxes(found or [])


def lines_from_boxes(found) -> list[OcrLine]:
    """[(box, text, score)] → lines: boxes whose vertical centres are within half a
    line height share a line, left to right; a gap wider than two characters is a tab."""
    boxes = []
    for box, text, score in found:
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        boxes.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(xs), max(xs), text.strip(), float(score)))
    boxes.sort(key=lambda b: (b[0], b[2]))
    rows: list[list] = []
    for box in boxes:
        if rows and abs(rows[-1][0][0] - box[0]) <= max(rows[-1][0][1], box[1]) / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[2])
        text, doubtful = "", False
        for k, (_, height, left, right, piece, score) in enumerate(row):
            if k:
                gap = left - row[k - 1][3]
                text += "\t" if gap > 2 * height else ""
            text += piece
            doubtful |= score < CONFIDENT and any(ch.isdigit() for ch in piece)
        if text.strip():
            lines.append(OcrLine(text, doubtful))  # the reader marks its place with document.UNSURE_OCR
    return lines
