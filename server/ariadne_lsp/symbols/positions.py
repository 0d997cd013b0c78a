"""Conversion between tree-sitter points (row, UTF-8 byte column) and LSP positions.

tree-sitter reports columns as byte offsets into the UTF-8 encoded line; LSP
clients count ``character`` in the negotiated position encoding (UTF-16 code
units by default, or UTF-8 bytes / UTF-32 code points).  A line is whatever
lies between two ``\\n`` bytes, exactly like tree-sitter's rows; a ``\\r`` of a
CRLF line ending stays at the end of the line, so it is only ever counted by
a column that lies past it (which tree-sitter never produces for a node that
ends before the line break).
"""

from __future__ import annotations

from bisect import bisect_right

from .model import Position, PositionEncoding

__all__ = [
    "PositionConverter",
    "byte_column_to_character",
    "character_to_byte_column",
]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def _units(text: str, encoding: PositionEncoding) -> int:
    """Length of *text* in the code units of *encoding*."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    # UTF-16: characters outside the BMP take two code units.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def byte_column_to_character(line: bytes, byte_column: int, encoding: PositionEncoding) -> int:
    """Convert a UTF-8 byte offset within *line* to an LSP ``character``."""
    if byte_column <= 0:
        return 0
    if encoding == "utf-8":
        return byte_column
    prefix = line[:byte_column]
    if prefix.isascii():
        # Beyond the end of the line (should not happen) stay monotonic.
        return byte_column
    return _units(_decode(prefix), encoding) + max(0, byte_column - len(line))


def character_to_byte_column(line: bytes, character: int, encoding: PositionEncoding) -> int:
    """Inverse of :func:`byte_column_to_character` (clamped to the line length).

    A ``character`` that points into the middle of a multi-unit character
    (e.g. between the two halves of a surrogate pair) maps to the start of the
    character that follows it.
    """
    if character <= 0:
        return 0
    if encoding == "utf-8" or line.isascii():
        return min(character, len(line))
    text = _decode(line)
    units = 0
    for index, char in enumerate(text):
        if units >= character:
            return len(text[:index].encode("utf-8", "surrogatepass"))
        if encoding == "utf-32":
            units += 1
        else:
            units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


#: Lines longer than this get a checkpoint table so that a conversion never
#: re-reads more than one block of a (say, minified) line.
_BLOCK = 1024


def _checkpoints(line: bytes, encoding: PositionEncoding) -> tuple[list[int], list[int]]:
    """Byte offsets of block starts (on character boundaries) and the units before each."""
    starts = [0]
    units = [0]
    for offset in range(_BLOCK, len(line), _BLOCK):
        while offset > starts[-1] and (line[offset] & 0xC0) == 0x80:
            offset -= 1  # back to the first byte of the character
        if offset > starts[-1]:
            chunk = line[starts[-1] : offset]
            units.append(units[-1] + (len(chunk) if chunk.isascii() else _units(_decode(chunk), encoding)))
            starts.append(offset)
    return starts, units


class PositionConverter:
    """Converts tree-sitter points of one source text to LSP positions.

    The source is split into lines at most once, and only when a non-ASCII
    source is converted to UTF-16/UTF-32; ASCII sources and the UTF-8 encoding
    need no conversion at all.  Very long lines get a table of checkpoints, so
    converting many columns of one minified line stays linear.
    """

    __slots__ = ("_checkpoints", "_encoding", "_identity", "_lines", "_source")

    def __init__(self, source: bytes, encoding: PositionEncoding = "utf-16") -> None:
        if encoding not in ("utf-8", "utf-16", "utf-32"):
            encoding = "utf-16"
        self._source = source
        self._encoding: PositionEncoding = encoding
        self._identity = encoding == "utf-8" or source.isascii()
        self._lines: list[bytes] | None = None
        self._checkpoints: dict[int, tuple[list[int], list[int]]] = {}

    @property
    def encoding(self) -> PositionEncoding:
        return self._encoding

    @property
    def identity(self) -> bool:
        """True when byte columns are already the LSP characters (UTF-8 or ASCII-only text)."""
        return self._identity

    def _line(self, row: int) -> bytes:
        lines = self._lines
        if lines is None:
            lines = self._lines = self._source.split(b"\n")
        if 0 <= row < len(lines):
            return lines[row]
        return b""

    def character(self, row: int, byte_column: int) -> int:
        """LSP ``character`` of the UTF-8 *byte_column* on line *row*."""
        if self._identity or byte_column <= 0:
            return byte_column
        line = self._line(row)
        if byte_column <= _BLOCK or len(line) <= 2 * _BLOCK:
            return byte_column_to_character(line, byte_column, self._encoding)
        table = self._checkpoints.get(row)
        if table is None:
            table = self._checkpoints[row] = _checkpoints(line, self._encoding)
        starts, units = table
        index = bisect_right(starts, byte_column) - 1
        chunk = line[starts[index] : byte_column]
        return units[index] + (len(chunk) if chunk.isascii() else _units(_decode(chunk), self._encoding))

    def position(self, row: int, byte_column: int) -> Position:
        return Position(row, self.character(row, byte_column))

    def byte_column(self, row: int, character: int) -> int:
        """UTF-8 byte column of an LSP ``character`` on line *row*."""
        if self._identity:
            return character
        return character_to_byte_column(self._line(row), character, self._encoding)
