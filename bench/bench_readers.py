"""Reading Word, web pages, PDF, scanned PDF (OCR) and .doc (not a test: run it by hand).

    python bench/bench_readers.py [--repeat N]

Prints the time per file (docx, html, doc through LibreOffice) and per page
(PDF, and OCR of the same PDF as a scan), each best of N after a warm-up.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from gklint.inputs import ocr, office
from gklint.parse import parse
from gklint.inputs import read_any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT.parent / "shared/corpus/format-2021-template.docx"
HTML = ROOT / "fixtures/003_17306181f9b38851.html"
PDF = ROOT.parent / "shared/corpus/huaian-gov-2024.pdf"


def best(path: Path, repeat: int) -> float:
    parse(read_any(path))  # warm: imports, and LibreOffice's first start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse(read_any(path))
        times.append(time.perf_counter() - start)
    return min(times)


def pages(path: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(path))


def scanned(work: Path) -> Path:
    import pypdfium2

    document = pypdfium2.PdfDocument(PDF)
    images = [document[i].render(scale=2).to_pil().convert("RGB") for i in range(len(document))]
    target = work / "scan.pdf"
    images[0].save(target, save_all=True, append_images=images[1:], resolution=144)
    return target


def as_doc(work: Path) -> Path:
    shutil.copy(TEMPLATE, work / "template.docx")
    subprocess.run([office.soffice(), f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "template.docx")],
                   check=True, capture_output=True, timeout=300)
    return work / "template.doc"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = [("docx (template)", TEMPLATE, None), ("html (seed 003)", HTML, None)]
        if PDF.exists():
            rows.append(("pdf (Huai'an, text layer)", PDF, pages(PDF)))
            if ocr.available():
                rows.append(("pdf scanned (OCR)", scanned(work), pages(PDF)))
        if office.soffice() and TEMPLATE.exists():
            rows.append(("doc via LibreOffice", as_doc(work), None))
        for name, path, page_count in rows:
            if not path.exists():
                print(f"{name:<28} missing")
                continue
            seconds = best(path, 1 if "OCR" in name else args.repeat)
            per = f"{1000 * seconds / page_count:8.0f} ms/page ({page_count} pages)" if page_count else ""
            print(f"{name:<28} {1000 * seconds:8.0f} ms/file {per}")


if __name__ == "__main__":
    main()
