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
