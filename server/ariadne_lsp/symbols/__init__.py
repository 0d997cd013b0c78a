"""Symbol extraction: functions, methods, classes and types found with tree-sitter."""

from __future__ import annotations

from .extract import extract_symbols
from .languages import SUPPORTED_LANGUAGES, language_for
from .model import (
    Position,
    PositionEncoding,
    Range,
    Symbol,
    SymbolContext,
    SymbolKind,
    content_hash,
)

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Position",
    "PositionEncoding",
    "Range",
    "Symbol",
    "SymbolContext",
    "SymbolKind",
    "content_hash",
    "extract_symbols",
    "language_for",
]
