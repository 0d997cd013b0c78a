"""UTF-8 byte columns (tree-sitter) <-> LSP characters in every position encoding."""

from __future__ import annotations

import pytest

from ariadne_lsp.symbols.model import Position
from ariadne_lsp.symbols.positions import (
    PositionConverter,
    byte_column_to_character,
    character_to_byte_column,
)

# a (1 byte) é (2 bytes, BMP) 😀 (4 bytes, astral) 日 (3 bytes, BMP) b
LINE = "aé😀日b".encode()


@pytest.mark.parametrize(
    ("byte_column", "utf8", "utf16", "utf32"),
    [
        (0, 0, 0, 0),
        (1, 1, 1, 1),  # after "a"
        (3, 3, 2, 2),  # after "é"
        (7, 7, 4, 3),  # after "😀": two UTF-16 code units, one code point
        (10, 10, 5, 4),  # after "日"
        (11, 11, 6, 5),  # end of line
    ],
)
def test_byte_column_to_character(byte_column: int, utf8: int, utf16: int, utf32: int) -> None:
    assert byte_column_to_character(LINE, byte_column, "utf-8") == utf8
    assert byte_column_to_character(LINE, byte_column, "utf-16") == utf16
    assert byte_column_to_character(LINE, byte_column, "utf-32") == utf32
    assert character_to_byte_column(LINE, utf8, "utf-8") == byte_column
    assert character_to_byte_column(LINE, utf16, "utf-16") == byte_column
    assert character_to_byte_column(LINE, utf32, "utf-32") == byte_column


def test_character_inside_a_surrogate_pair_maps_to_the_next_character() -> None:
    # UTF-16 character 3 is between the two halves of 😀.
    assert character_to_byte_column(LINE, 3, "utf-16") == 7


def test_character_past_the_end_is_clamped() -> None:
    assert character_to_byte_column(LINE, 100, "utf-16") == len(LINE)
    assert character_to_byte_column(b"abc", 100, "utf-16") == 3


def test_converter_handles_rows_and_crlf() -> None:
    source = "x = 1\r\ns = '😀'; y\r\n日本 = 2\r\n".encode()
    conv = PositionConverter(source, "utf-16")
    assert not conv.identity
    assert conv.position(0, 5) == Position(0, 5)
    # "s = '" is 5 bytes, 😀 is 4 bytes / 2 UTF-16 units.
    assert conv.position(1, 9) == Position(1, 7)
    assert conv.position(1, 13) == Position(1, 11)  # the "y" before "\r"
    assert conv.position(2, 6) == Position(2, 2)  # after 日本
    # The "\r" is an ordinary character at the end of its line.
    assert conv.position(1, 14) == Position(1, 12)
    assert conv.byte_column(1, 7) == 9
    assert conv.byte_column(2, 2) == 6
    # Rows past the end of the text are empty lines.
    assert conv.position(10, 0) == Position(10, 0)
    assert PositionConverter(source, "utf-32").position(1, 9) == Position(1, 6)


def test_converter_identity_short_circuits() -> None:
    ascii_conv = PositionConverter(b"def f():\n    pass\n", "utf-16")
    assert ascii_conv.identity
    assert ascii_conv.position(1, 8) == Position(1, 8)
    utf8_conv = PositionConverter("é😀\n".encode(), "utf-8")
    assert utf8_conv.identity
    assert utf8_conv.position(0, 6) == Position(0, 6)


def test_unknown_encoding_falls_back_to_utf16() -> None:
    conv = PositionConverter("😀x".encode(), "latin-1")  # type: ignore[arg-type]
    assert conv.encoding == "utf-16"
    assert conv.position(0, 4) == Position(0, 2)


def test_invalid_utf8_does_not_raise() -> None:
    line = b"\xff\xfeab"
    assert byte_column_to_character(line, 4, "utf-16") == 4
    assert byte_column_to_character("\ud800x".encode("utf-8", "surrogatepass"), 4, "utf-16") == 2


def test_long_lines_use_checkpoints_consistently() -> None:
    # Longer than two blocks, with multi-byte characters straddling block boundaries.
    text = "".join(("é" if i % 3 else "😀") + "x" * (i % 7) for i in range(2000))
    line = text.encode()
    source = b"first\n" + line + b"\n"
    assert len(line) > 4096
    for encoding in ("utf-16", "utf-32"):
        conv = PositionConverter(source, encoding)
        boundaries = [i for i in range(len(line) + 1) if i == len(line) or (line[i] & 0xC0) != 0x80]
        for column in [*boundaries[::37], len(line)]:
            expected = byte_column_to_character(line, column, encoding)
            assert conv.character(1, column) == expected
    assert PositionConverter(source, "utf-16").character(1, len(line)) == len(text.encode("utf-16-le")) // 2
