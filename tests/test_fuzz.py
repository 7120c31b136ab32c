"""Fuzzing with hypothesis: random bytes, random text and mutations of the
real reports (bench/fuzz.py's mutations) through decoding, parsing and every
built-in rule. No exception escapes, no internal error, every span lies in
the input, no rule runs out of time. bench/fuzz.py is the long run."""

import random
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import fuzz  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def assert_handled(data: bytes) -> None:
    found, _ = fuzz.problems(data)
    assert not found, found


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    assert_handled(data)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十（）()、。，,：:；件条个年月日共其中总计公开申请"
                                            "\n\t 0123456789%@.-—|*#＠０１")), max_size=3000))
def test_random_report_like_text(text):
    assert_handled(text.encode("utf-8"))


@SETTINGS
@given(st.text(max_size=2000), st.sampled_from(fuzz.ENCODINGS))
def test_random_unicode_in_any_encoding(text, encoding):
    assert_handled(text.encode(encoding, errors="replace"))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_real_reports(seed):
    assert_handled(fuzz.random_input(random.Random(seed)))


def test_every_mutation_runs_on_every_report():
    """Each mutation, alone, on each real report (so none is left untried)."""
    rng = random.Random(7)
    for report in fuzz.REPORTS:
        text = report.read_text(encoding="utf-8")
        for mutate in fuzz.MUTATIONS:
            assert_handled(mutate(rng, text).encode("utf-8"))
