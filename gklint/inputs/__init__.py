"""Reports as they are kept: Word (.docx, and .doc/.wps/.odt/.rtf through LibreOffice), saved web pages (.html) and PDF.

Each reader turns the file into a plain-text rendition in the conventions the
parser already reads (one paragraph or heading per line, tables as
tab-separated rows with merged cells left blank after their first
occurrence), and records for every rendition line where it came from in the
original: 第N段 / 表N第R行 for docx, 第N行第M列 of the source for HTML, 第P页第L行
for PDF. So every rule works on every format, and findings point at a place
a user can find.

The libraries are optional extras: gklint[docx], gklint[html], gklint[pdf].

One module per format (docx, html, pdf; office converts the old word
processor formats, ocr reads scanned pages); gklint.source stays the byte
decoder for text files. Each hands the parser text plus a position map.
"""

from __future__ import annotations

from pathlib import Path

from .. import limits
from ..source import OFD_MESSAGE, InputError, Source, check_size, is_ofd, read_bytes

READERS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_PACKAGES = {"docx": ("docx", "python-docx"), "html": ("bs4", "beautifulsoup4"), "pdf": ("pdfplumber", "pdfplumber")}


def read_any(path: str | Path, max_chars: int = limits.MAX_REPORT_CHARS) -> Source:
    """Read a report of any supported kind, at most `max_chars` characters of
    text once extracted; text files as before."""
    from .office import CONVERTIBLE, to_docx

    name = str(path)
    suffix = Path(name).suffix.lower()
    kind = "docx" if suffix in CONVERTIBLE else READERS.get(suffix)
    if kind is None and suffix != ".ofd":
        from ..source import read

        return read(path, max_chars)
    data = read_bytes(path, max(4 * max_chars, 50_000_000))
    if not data:
        raise InputError(f"{name}: 文件为空 (empty file)")
    if suffix == ".ofd" or is_ofd(data):  # also one saved under another name (.pdf, .docx)
        raise InputError(OFD_MESSAGE.format(path=name))
    _require(kind, name)  # before a conversion that would be wasted without it
    if suffix in CONVERTIBLE:
        data = to_docx(name, data)
    lines, locations = _module(kind).read(data, name)
    if not any(line.strip() for line in lines):
        raise InputError(f"{name}: 没有找到正文文字 (no text)")
    check_size("\n".join(lines), name, max_chars)
    source = Source(path=name, text="\n".join(lines), encoding=kind)
    source.locations = locations
    return source


def _require(kind: str, name: str) -> None:
    module, package = _PACKAGES[kind]
    try:
        __import__(module)
    except ImportError:
        raise InputError(f"{name}: 读取 .{kind} 需要 {package}：pip install {package}"
                         f"（或在 gklint 源码目录中 pip install '.[{kind}]'）(missing {package})") from None


def _module(kind: str):
    from importlib import import_module

    return import_module(f"{__name__}.{kind}")

