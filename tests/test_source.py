"""Reading bytes: encodings, line ends, bad input, width folding."""

import pytest
from conftest import SEEDS, assert_spans_inside
from hypothesis import given, settings
from hypothesis import strategies as st

from gklint.parse import parse
from gklint.source import InputError, decode, fold, read

SAMPLE = "吴忠市 2017 年政府信息公开工作年度报告\r\n\r\n一、概述\r\n本年度主动公开政府信息 120 条。\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_decode_to_the_same_text(encoding):
    data = SAMPLE.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # no BOM: only the NUL pattern tells
        data = SAMPLE.encode(encoding)
    src = decode(data, "r.txt")
    assert src.text == SAMPLE.replace("\r\n", "\n")
    assert src.lines[2] == "一、概述"


def test_real_report_as_gb18030_parses_like_utf8(tmp_path):
    text = SEEDS["002"].read_text(encoding="utf-8")
    path = tmp_path / "r.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    gb = parse(read(path))
    utf = parse(read(SEEDS["002"]))
    assert gb.encoding == "gb18030"
    assert [s.title.text for s in gb.all_sections()] == [s.title.text for s in utf.all_sections()]
    assert gb.tables("stats")[0].span == utf.tables("stats")[0].span


def test_lone_cr_line_ends():
    src = decode("一、概述\r本年度公开。\r".encode(), "r.txt")
    assert src.lines[:2] == ["一、概述", "本年度公开。"]


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"  \n\n \t\n", "empty"),
    (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00\x10" * 20, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
    (b"\x81\x30\x81", "undecodable"),
    (b"\xff\xff\xff\xff\x80\x80", "undecodable"),
])
def test_bad_input_is_one_clear_error(data, needle):
    with pytest.raises(InputError) as err:
        decode(data, "bad.txt")
    message = str(err.value)
    assert message.startswith("bad.txt: ") and "\n" not in message
    assert needle in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read(tmp_path)


def test_fold_keeps_length_and_folds_forms():
    text = "（一）主动公开：１２３条，ＡＢＣ　〔2021〕“引号”——"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == '(一)主动公开:123条,ABC [2021]"引号"--'


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二三四、（）()1234567890.。，\t |#*-—年月日报告表\n 主动公开总计件")), max_size=400))
def test_parser_never_raises_and_spans_stay_inside(text):
    try:
        src = decode(text.encode("utf-8"), "h.txt")
    except InputError:
        return
    assert_spans_inside(parse(src))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_reader_on_arbitrary_bytes_raises_only_input_error(data):
    try:
        src = decode(data, "b.txt")
    except InputError:
        return
    parse(src)
