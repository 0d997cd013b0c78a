"""Plain data types shared by every layer: positions, ranges, symbols.

Nothing here imports pygls or tree-sitter, so the cache, the scheduler and the
LLM client can all be used (and tested) without a language server.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

#: LSP position encodings (``general.positionEncodings``); UTF-16 is the LSP default.
PositionEncoding = Literal["utf-8", "utf-16", "utf-32"]


class SymbolKind(str, Enum):
    FUNCTION = "function"
    METHOD = "method"
    CLASS = "class"
    INTERFACE = "interface"
    STRUCT = "struct"
    ENUM = "enum"
    TRAIT = "trait"
    IMPL = "impl"
    TYPE = "type"
    NAMESPACE = "namespace"


@dataclass(frozen=True, order=True)
class Position:
    """Zero-based line and character offset in the negotiated position encoding."""

    line: int
    character: int


@dataclass(frozen=True)
class Range:
    start: Position
    end: Position

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end


@dataclass(frozen=True)
class SymbolContext:
    """What the summariser is told besides the code itself."""

    language: str
    file_name: str
    #: Header line of the enclosing declaration (``class Shape:``), if any.
    enclosing_header: str | None = None


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: SymbolKind
    #: Dotted path through enclosing declarations, e.g. ``Shape.area``.
    qualified_name: str
    #: The whole declaration (decorators included).
    range: Range
    #: The declaration's name.
    selection_range: Range
    #: Source text of the whole declaration.
    code: str
    context: SymbolContext
    #: Comment block immediately above the declaration (comment markers stripped), or "".
    leading_comment: str = ""
    #: Docstring (Python) with quotes stripped, or "".
    docstring: str = ""
    #: The declaration's header: everything before its body, on one line.
    signature: str = ""
    #: Parameter list as written (names with their types), without parentheses' content split.
    parameters: tuple[str, ...] = ()
    return_type: str | None = None
    decorators: tuple[str, ...] = ()
    content_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self))


def content_hash(symbol: Symbol) -> str:
    """Hash of everything the summariser sees for this symbol.

    Positions are deliberately left out: moving a function down a file does not
    change what it does, so it must not cost a new summary.
    """
    payload = json.dumps(
        [
            symbol.context.language,
            symbol.context.file_name,
            symbol.context.enclosing_header,
            symbol.kind.value,
            symbol.qualified_name,
            symbol.leading_comment,
            symbol.code,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
