"""Reading report bytes into text: encodings, line ends, width folding.

Reports arrive as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK
(common for files saved on Chinese Windows). Line ends are normalised to "\n"
by removing the CR of CRLF (or turning a lone CR into LF), so every column of
a line is the column of the original line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import regexes
from .limits import MAX_REPORT_CHARS


class InputError(Exception):
    """Input gklint cannot read; the CLI prints it as one line and exits 2."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP（可能是 .docx）"),
    (b"\xd0\xcf\x11\xe0", "OLE（可能是 .doc）"),
)

OFD_MESSAGE = ("{path}: 这是 OFD 版式文件（GB/T 33190），gklint 暂不能直接读取：请用 OFD 阅读器另存为 PDF，"
               "或改用 Word 原稿后再检查 (OFD)")


def is_ofd(data: bytes) -> bool:
    """An OFD package: a zip whose first entry is OFD.xml (its name sits at offset 30)."""
    return data.startswith(b"PK\x03\x04") and b"OFD.xml" in data[30:200]


_CONTROL = regexes.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class Source:
    """Decoded text of one report, split into lines (without line ends)."""

    path: str
    text: str
    encoding: str
    lines: list[str] = field(default_factory=list)
    # For .docx/.html/.pdf: where each line of this text rendition came from
    # in the original file (第3段, 源文件第12行第5列, 第2页第7行); None for text files.
    locations: list[str] | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = self.text.split("\n")

    def line(self, number: int) -> str:
        """The 1-based line `number`, or '' past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


def decode(data: bytes, path: str = "<bytes>") -> Source:
    """Decode report bytes; raise InputError for empty, binary or undecodable input."""
    if not data.strip():
        raise InputError(f"{path}: 文件为空 (empty file)")
    text, encoding = _decode_bytes(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: 文件为空 (empty file)")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise InputError(f"{path}: 看起来是二进制文件，不是文本报告 (binary file)")
    return Source(path=path, text=text, encoding=encoding)


def read(path: str | Path, max_chars: int = MAX_REPORT_CHARS) -> Source:
    """Read and decode a report file of at most `max_chars` characters."""
    name = str(path)
    source = decode(read_bytes(path, 4 * max_chars), name)
    check_size(source.text, name, max_chars)
    return source


def read_bytes(path: str | Path, limit: int) -> bytes:
    """A file's bytes, refused past `limit` without reading the rest. A pipe
    named on the command line (`<(…)`) is read like standard input."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: 文件不存在 (no such file)") from None
    except IsADirectoryError:
        raise InputError(f"{name}: 是目录，不是文件 (is a directory)") from None
    except OSError as err:
        raise InputError(f"{name}: 无法读取 ({err.strerror or err})") from None
    if len(data) > limit:
        raise InputError(f"{name}: 文件过大（超过 {limit // 1_000_000} MB），未检查；可用 --max-size 调整 (file too large)")
    return data


def check_size(text: str, name: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise InputError(f"{name}: 文字过多（{len(text)} 字，上限 {max_chars} 字），未检查；"
                         "可用 --max-size 调整 (report too large)")


def _decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise InputError(_undecodable(path, encoding, err)) from None
    if is_ofd(data):
        raise InputError(OFD_MESSAGE.format(path=path))
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{path}: 是 {kind} 文件，不是文本报告 (binary file)")
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16:
            return data.decode(utf16), utf16
        raise InputError(f"{path}: 含有空字节，看起来是二进制文件 (binary file)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(_undecodable(path, "utf-8", utf8_error)) from None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (digits, line ends) leave NULs
    mostly on one side of each code unit."""
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    for encoding, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if nuls and nuls >= 4 * other:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text):
                return encoding
    return None


def _undecodable(path: str, encoding: str, err: UnicodeDecodeError) -> str:
    return (
        f"{path}: 无法解码：字节 {err.start} 处不是 UTF-8、UTF-16 或 GB18030 文本"
        f" (undecodable bytes as {encoding})"
    )


# Full-width and typographic forms folded to one form for matching. Every entry
# maps one character to one character, so folded text keeps the columns of the
# original and a match in folded text is a match at the same place in the source.
_FOLD_PAIRS = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FOLD_PAIRS.update({
    "\u3000": " ", "\u00a0": " ",
    "（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]",
    "［": "[", "］": "]", "“": '"', "”": '"', "‘": "'", "’": "'",
    "—": "-", "–": "-", "－": "-", "―": "-", "﹣": "-",
    "，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "．": ".",
})
_FOLDABLE = regexes.compile("[" + "".join(map(re.escape, _FOLD_PAIRS)) + "]")


def fold(text: str) -> str:
    """Fold full-width forms to half-width; same length as `text`. (One
    replace per form the text holds: str.translate looks every character
    up in a dict and took a tenth of a lint.)"""
    if text.isascii():
        return text
    for char in set(_FOLDABLE.findall(text)):
        text = text.replace(char, _FOLD_PAIRS[char])
    return text
