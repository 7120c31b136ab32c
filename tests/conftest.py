from pathlib import Path

import pytest

from gklint import source
from gklint.parse import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = {
    "000": FIXTURES / "000_d4a4c63b053b2ba0.txt",
    "001": FIXTURES / "001_325d4b06f5d7184b.txt",
    "002": FIXTURES / "002_dd5128862733eacb.txt",
    "003": FIXTURES / "003_17306181f9b38851.txt",
    "004": FIXTURES / "004_639ca9d31b5b13cc.txt",
    "huaian": FIXTURES / "huaian-gov-2024.txt",
}


@pytest.fixture(scope="session")
def docs():
    """Every real report parsed once."""
    return {name: parse(source.read(path)) for name, path in SEEDS.items()}


def assert_spans_inside(doc) -> None:
    """Every node's span, and every table cell's, lies inside the input."""
    from gklint.document import Table

    n = len(doc.lines)
    for node in doc.walk():
        spans = [node.span]
        if isinstance(node, Table):
            spans += [c.span for r in node.rows for c in r.cells]
        for span in spans:
            assert 1 <= span.line <= span.end_line <= n
            assert span.column >= 1 and span.end_column <= len(doc.lines[span.end_line - 1]) + 1
