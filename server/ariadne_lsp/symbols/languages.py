"""Language identification and lazily loaded tree-sitter grammars.

Canonical language names are the LSP ``languageId`` values.  Grammar modules
(``tree_sitter_python`` …) are imported only when a language is first parsed,
so starting the server does not pay for nine native extensions.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from tree_sitter import Language, Parser

__all__ = [
    "SUPPORTED_LANGUAGES",
    "get_language",
    "get_parser",
    "grammar_family",
    "language_for",
]

log = logging.getLogger(__name__)

#: Canonical language names (LSP language identifiers) that can be parsed.
SUPPORTED_LANGUAGES: Final[tuple[str, ...]] = (
    "python",
    "javascript",
    "javascriptreact",
    "typescript",
    "typescriptreact",
    "go",
    "rust",
    "java",
    "c",
    "cpp",
)

#: canonical name -> (grammar module, function returning the language pointer)
_GRAMMARS: Final[dict[str, tuple[str, str]]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "javascriptreact": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "typescriptreact": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "java": ("tree_sitter_java", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
}

#: canonical name -> family of extraction rules
_FAMILIES: Final[dict[str, str]] = {
    "python": "python",
    "javascript": "javascript",
    "javascriptreact": "javascript",
    "typescript": "typescript",
    "typescriptreact": "typescript",
    "go": "go",
    "rust": "rust",
    "java": "java",
    "c": "c",
    "cpp": "cpp",
}

#: lower-cased language ids and common aliases -> canonical name
_IDS: Final[dict[str, str]] = {
    **{name: name for name in SUPPORTED_LANGUAGES},
    "py": "python",
    "python3": "python",
    "js": "javascript",
    "node": "javascript",
    "jsx": "javascriptreact",
    "ts": "typescript",
    "tsx": "typescriptreact",
    "golang": "go",
    "rs": "rust",
    "c++": "cpp",
    "cxx": "cpp",
    "cc": "cpp",
}

#: lower-cased file extension -> canonical name
_EXTENSIONS: Final[dict[str, str]] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascriptreact",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescriptreact",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cpp": "cpp",
    ".cc": "cpp",
    ".cxx": "cpp",
    ".c++": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".h++": "cpp",
}


def _extension(path: str) -> str:
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def language_for(language_id: str | None, path: str | None = None) -> str | None:
    """Canonical language name for an LSP ``languageId`` and/or a file path.

    A known *language_id* wins; otherwise the extension of *path* decides.
    Returns ``None`` when neither is recognised.
    """
    if language_id:
        canonical = _IDS.get(language_id.strip().lower())
        if canonical is not None:
            return canonical
    if path:
        return _EXTENSIONS.get(_extension(path))
    return None


def grammar_family(language: str) -> str | None:
    """Name of the rule set used for a canonical language (``tsx`` → ``typescript``)."""
    return _FAMILIES.get(language)


_lock = threading.Lock()
_languages: dict[tuple[str, str], Language] = {}
_failed: set[tuple[str, str]] = set()
_local = threading.local()


def get_language(language: str) -> Language | None:
    """The tree-sitter ``Language`` for a canonical name, importing its grammar on first use."""
    key = _GRAMMARS.get(language)
    if key is None:
        return None
    cached = _languages.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _languages.get(key)
        if cached is not None or key in _failed:
            return cached
        try:
            from tree_sitter import Language

            module = importlib.import_module(key[0])
            loaded = Language(getattr(module, key[1])())
        except Exception:
            log.exception("cannot load the tree-sitter grammar %s.%s", *key)
            _failed.add(key)
            return None
        _languages[key] = loaded
        return loaded


def get_parser(language: str) -> Parser | None:
    """A parser for *language*; parsers are not thread-safe, so each thread gets its own."""
    key = _GRAMMARS.get(language)
    if key is None:
        return None
    parsers: dict[tuple[str, str], Parser] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get(key)
    if parser is None:
        grammar = get_language(language)
        if grammar is None:
            return None
        from tree_sitter import Parser

        parser = parsers[key] = Parser(grammar)
    return parser
