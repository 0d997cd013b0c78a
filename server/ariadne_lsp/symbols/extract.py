"""Extract functions, methods, classes and type declarations with tree-sitter.

One tree-sitter query per grammar finds every declaration node (and every
comment) in C; Python code only looks at the matched nodes, so the cost is
proportional to the number of declarations rather than to the size of the
syntax tree.  Nesting (and so qualified names and enclosing headers) is
recovered from byte ranges with a stack, which also works for declarations
that tree-sitter recovered inside ``ERROR`` nodes.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tree_sitter import Language, Node, Query, QueryCursor

from .languages import get_language, get_parser, grammar_family, language_for
from .model import Position, PositionEncoding, Range, Symbol, SymbolContext, SymbolKind
from .positions import PositionConverter

__all__ = ["extract_symbols"]

log = logging.getLogger(__name__)

_COMMENT_TYPES = frozenset({"comment", "line_comment", "block_comment"})
#: Children skipped when looking for where a declaration's header starts.
_DECORATION_TYPES = _COMMENT_TYPES | {
    "decorator",
    "annotation",
    "marker_annotation",
    "attribute_item",
    "attribute_declaration",
}

# --------------------------------------------------------------------------- queries

#: ``{value}`` is replaced by an alternation of the function-like expression node
#: types the grammar has (``arrow_function``, ``function_expression`` …).
_JS_PATTERNS: tuple[str, ...] = (
    "(function_declaration) @decl",
    "(generator_function_declaration) @decl",
    "(class_declaration) @decl",
    "(method_definition) @decl",
    "(variable_declarator name: (identifier) value: [{value} {class}]) @decl",
    "(field_definition property: (_) value: [{value}]) @decl",
    "(expression_statement [{value}] @decl)",
    "(comment) @comment",
)
_TS_PATTERNS: tuple[str, ...] = (
    *_JS_PATTERNS,
    "(public_field_definition name: (_) value: [{value}]) @decl",
    "(abstract_class_declaration) @decl",
    "(interface_declaration) @decl",
    "(type_alias_declaration) @decl",
    "(enum_declaration) @decl",
    "(internal_module) @decl",
)
_C_PATTERNS: tuple[str, ...] = (
    "(function_definition) @decl",
    "(struct_specifier body: (_)) @decl",
    "(union_specifier body: (_)) @decl",
    "(enum_specifier body: (_)) @decl",
    "(comment) @comment",
)
_PATTERNS: dict[str, tuple[str, ...]] = {
    "python": ("(function_definition) @decl", "(class_definition) @decl", "(comment) @comment"),
    "javascript": _JS_PATTERNS,
    "typescript": _TS_PATTERNS,
    "go": (
        "(function_declaration) @decl",
        "(method_declaration) @decl",
        "(type_spec) @decl",
        "(type_alias) @decl",
        "(comment) @comment",
    ),
    "rust": (
        "(function_item) @decl",
        "(function_signature_item) @decl",
        "(struct_item) @decl",
        "(enum_item) @decl",
        "(union_item) @decl",
        "(trait_item) @decl",
        "(impl_item) @decl",
        "(mod_item body: (_)) @decl",
        "(type_item) @decl",
        "(line_comment) @comment",
        "(block_comment) @comment",
    ),
    "java": (
        "(class_declaration) @decl",
        "(interface_declaration) @decl",
        "(enum_declaration) @decl",
        "(record_declaration) @decl",
        "(annotation_type_declaration) @decl",
        "(method_declaration) @decl",
        "(constructor_declaration) @decl",
        "(compact_constructor_declaration) @decl",
        "(line_comment) @comment",
        "(block_comment) @comment",
    ),
    "c": _C_PATTERNS,
    "cpp": (
        *_C_PATTERNS,
        "(class_specifier body: (_)) @decl",
        "(namespace_definition) @decl",
    ),
}
_FUNCTION_VALUES = ("arrow_function", "function_expression", "function", "generator_function")

_query_lock = threading.Lock()
_queries: dict[str, Query | None] = {}


def _build_query(family: str, grammar: Language) -> Query | None:
    def alternation(kinds: Iterable[str]) -> str:
        return " ".join(f"({k})" for k in kinds if grammar.id_for_node_kind(k, True) is not None)

    values = alternation(_FUNCTION_VALUES)
    classes = alternation(("class",))
    valid: list[str] = []
    for pattern in _PATTERNS[family]:
        source = pattern.replace("{value}", values).replace("{class}", classes)
        if "[]" in source or "[ ]" in source:
            continue
        try:  # grammar versions differ; drop what this one does not know
            Query(grammar, source)
        except Exception:
            log.debug("skipping query pattern %r for %s", source, family)
            continue
        valid.append(source)
    if not valid:
        return None
    query: Query = Query(grammar, "\n".join(valid))
    return query


def _query_for(language: str, family: str) -> Query | None:
    if language in _queries:
        return _queries[language]
    with _query_lock:
        if language not in _queries:
            grammar = get_language(language)
            query: Query | None = None
            if grammar is not None:
                try:
                    query = _build_query(family, grammar)
                except Exception:
                    log.exception("cannot build the symbol query for %s", language)
            _queries[language] = query
        return _queries[language]


# --------------------------------------------------------------------------- helpers


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _content_start(node: Node) -> int:
    """Byte where *node*'s own text starts once decorators/annotations are skipped."""
    for child in node.children:
        kind = child.type
        if kind in _DECORATION_TYPES:
            continue
        if kind == "modifiers":  # Java: annotations live among the modifiers
            for modifier in child.children:
                if modifier.type not in _DECORATION_TYPES:
                    return modifier.start_byte
            continue
        return child.start_byte
    return node.start_byte


def _cleandoc(doc: str) -> str:
    """Like :func:`inspect.cleandoc` (without importing :mod:`inspect`)."""
    lines = doc.expandtabs().split("\n")
    margin = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()),
        default=0,
    )
    cleaned = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]]
    return _trim_blank("\n".join(cleaned))


def _trim_blank(text: str) -> str:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _strip_quotes(literal: str) -> str:
    index = 0
    while index < len(literal) and literal[index] in "rRuUbBfFtT":
        index += 1
    body = literal[index:]
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote) and body.endswith(quote) and len(body) >= 2 * len(quote):
            return body[len(quote) : -len(quote)]
    return body


def _clean_comment(text: str) -> list[str]:
    """Comment text without its markers, one entry per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("/*"):
        body = text[2:]
        if body.endswith("*/"):
            body = body[:-2]
        body = body.lstrip("*!")
        lines: list[str] = []
        for line in body.split("\n"):
            stripped = line.lstrip()
            if stripped.startswith("*"):
                stripped = stripped[1:]
                if stripped.startswith(" "):
                    stripped = stripped[1:]
            elif lines:
                stripped = line.strip()
            lines.append(stripped.rstrip())
        return _trim_blank("\n".join(lines)).split("\n")
    lines = []
    for line in text.strip("\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("//"):
            stripped = stripped.lstrip("/")
            if stripped.startswith("!"):
                stripped = stripped[1:]
        elif stripped.startswith("#"):
            stripped = stripped.lstrip("#")
        if stripped.startswith(" "):
            stripped = stripped[1:]
        lines.append(stripped.rstrip())
    return lines


# --------------------------------------------------------------------------- declarations


@dataclass(slots=True)
class _Decl:
    kind: SymbolKind
    name: str
    name_node: Node
    start_byte: int
    start_point: tuple[int, int]
    end_byte: int
    end_point: tuple[int, int]
    sig_start: int
    header_start: int
    body: Node | None
    scope: tuple[str, ...] = ()
    child_segment: str | None = None
    parameters: tuple[str, ...] = ()
    return_type: str | None = None
    decorators: tuple[str, ...] = ()
    docstring: str = ""
    strip_colon: bool = False
    sig_prefix: str = ""
    sig_suffix: str = ""
    out_of_line: bool = False
    path: tuple[str, ...] = ()
    header: str | None = None
    child_context: SymbolContext | None = None


class _Ctx:
    __slots__ = ("_ascii", "family", "source")

    def __init__(self, source: bytes, family: str, text: str | None = None) -> None:
        self.source = source
        self.family = family
        # For ASCII text byte offsets are string offsets: slice the str, skip decoding.
        self._ascii = text if text is not None and len(text) == len(source) else None

    def span(self, start: int, end: int) -> str:
        if self._ascii is not None:
            return self._ascii[start:end]
        return _decode(self.source[start:end])

    def text(self, node: Node) -> str:
        if self._ascii is not None:
            return self._ascii[node.start_byte : node.end_byte]
        return _decode(self.source[node.start_byte : node.end_byte])

    def params(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(
            _collapse(self.text(child)) for child in node.named_children if child.type not in _COMMENT_TYPES
        )

    def make(
        self,
        kind: SymbolKind,
        name_node: Node,
        top: Node,
        *,
        body: Node | None,
        first: Node | None = None,
        name: str | None = None,
        header_node: Node | None = None,
        scope: tuple[str, ...] = (),
        child_segment: str | None = None,
        parameters: tuple[str, ...] = (),
        return_type: str | None = None,
        decorators: tuple[str, ...] = (),
        docstring: str = "",
        strip_colon: bool = False,
        sig_prefix: str = "",
        sig_suffix: str = "",
        out_of_line: bool = False,
    ) -> _Decl:
        """Build a declaration whose range spans *first* (or *top*) to *top*."""
        start = first if first is not None else top
        sig_start = _content_start(top)
        return _Decl(
            kind=kind,
            name=name if name is not None else self.text(name_node),
            name_node=name_node,
            start_byte=start.start_byte,
            start_point=start.start_point,
            end_byte=top.end_byte,
            end_point=top.end_point,
            sig_start=sig_start,
            header_start=sig_start if header_node is None else _content_start(header_node),
            body=body,
            scope=scope,
            child_segment=child_segment,
            parameters=parameters,
            return_type=return_type,
            decorators=decorators,
            docstring=docstring,
            strip_colon=strip_colon,
            sig_prefix=sig_prefix,
            sig_suffix=sig_suffix,
            out_of_line=out_of_line,
        )


_Handler = Callable[[_Ctx, Node], "_Decl | None"]


# Python ----------------------------------------------------------------------


def _py_docstring(ctx: _Ctx, body: Node | None) -> str:
    if body is None or body.named_child_count == 0:
        return ""
    child: Node | None = body.named_child(0)
    while child is not None and child.type in _COMMENT_TYPES:
        child = child.next_named_sibling
    if child is None or child.type != "expression_statement" or child.named_child_count != 1:
        return ""
    literal = child.named_child(0)
    if literal.type == "string":
        return _cleandoc(_strip_quotes(ctx.text(literal)))
    if literal.type == "concatenated_string":
        parts = (_strip_quotes(ctx.text(p)) for p in literal.named_children if p.type == "string")
        return _cleandoc("".join(parts))
    return ""


def _py_definition(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    top = node
    parent = node.parent
    decorators: tuple[str, ...] = ()
    if parent is not None and parent.type == "decorated_definition":
        top = parent
        decorators = tuple(_collapse(ctx.text(c)) for c in parent.named_children if c.type == "decorator")
        parent = parent.parent
    body = node.child_by_field_name("body")
    docstring = _py_docstring(ctx, body)
    if node.type == "class_definition":
        return ctx.make(
            SymbolKind.CLASS,
            name_node,
            top,
            body=body,
            decorators=decorators,
            docstring=docstring,
            strip_colon=True,
        )
    in_class = (
        parent is not None
        and parent.type == "block"
        and parent.parent is not None
        and parent.parent.type == "class_definition"
    )
    returns = node.child_by_field_name("return_type")
    return ctx.make(
        SymbolKind.METHOD if in_class else SymbolKind.FUNCTION,
        name_node,
        top,
        body=body,
        decorators=decorators,
        docstring=docstring,
        strip_colon=True,
        parameters=ctx.params(node.child_by_field_name("parameters")),
        return_type=_collapse(ctx.text(returns)) if returns is not None else None,
    )


# JavaScript / TypeScript --------------------------------------------------------

_JS_WRAPPERS = frozenset({"export_statement", "ambient_declaration"})
_JS_KINDS: dict[str, SymbolKind] = {
    "function_declaration": SymbolKind.FUNCTION,
    "generator_function_declaration": SymbolKind.FUNCTION,
    "function_expression": SymbolKind.FUNCTION,
    "function": SymbolKind.FUNCTION,
    "generator_function": SymbolKind.FUNCTION,
    "class_declaration": SymbolKind.CLASS,
    "abstract_class_declaration": SymbolKind.CLASS,
    "class": SymbolKind.CLASS,
    "interface_declaration": SymbolKind.INTERFACE,
    "type_alias_declaration": SymbolKind.TYPE,
    "enum_declaration": SymbolKind.ENUM,
    "internal_module": SymbolKind.NAMESPACE,
    "method_definition": SymbolKind.METHOD,
}


def _js_wrap(node: Node) -> Node:
    top = node
    parent = node.parent
    while parent is not None and parent.type in _JS_WRAPPERS:
        top = parent
        parent = parent.parent
    return top


def _js_decorators(ctx: _Ctx, *nodes: Node, first: Node | None = None) -> tuple[str, ...]:
    found: list[Node] = []
    sibling = first
    while sibling is not None and sibling.type == "decorator":
        found.append(sibling)
        sibling = sibling.next_named_sibling
    for node in nodes:
        for index in range(node.child_count):  # decorators come first
            child = node.child(index)
            if child.type != "decorator":
                break
            found.append(child)
    found.sort(key=lambda n: n.start_byte)
    return tuple(_collapse(ctx.text(n)) for n in found)


def _js_return_type(ctx: _Ctx, function: Node) -> str | None:
    annotation = function.child_by_field_name("return_type")
    if annotation is None:
        return None
    text = _collapse(ctx.text(annotation))
    return text[1:].lstrip() if text.startswith(":") else text


def _js_params(ctx: _Ctx, function: Node) -> tuple[str, ...]:
    params = function.child_by_field_name("parameters")
    if params is not None:
        return ctx.params(params)
    single = function.child_by_field_name("parameter")
    return (_collapse(ctx.text(single)),) if single is not None else ()


def _js_function_info(ctx: _Ctx, function: Node) -> tuple[tuple[str, ...], str | None]:
    """Parameters and return type of a function-like node (nothing for classes)."""
    if function.type in ("class", "class_declaration", "abstract_class_declaration"):
        return (), None
    return _js_params(ctx, function), _js_return_type(ctx, function)


def _js_declaration(ctx: _Ctx, node: Node) -> _Decl | None:
    kind = _JS_KINDS.get(node.type)
    name_node = node.child_by_field_name("name")
    if kind is None or name_node is None:
        return None
    top = _js_wrap(node)
    first: Node | None = None
    if kind is SymbolKind.METHOD:
        sibling = node.prev_named_sibling  # TypeScript keeps member decorators beside the member
        while sibling is not None and sibling.type == "decorator":
            first = sibling
            sibling = sibling.prev_named_sibling
    body = node.child_by_field_name("body")
    if kind is SymbolKind.NAMESPACE:
        return ctx.make(kind, name_node, top, body=body, child_segment=ctx.text(name_node))
    parameters, return_type = (
        _js_function_info(ctx, node) if kind in (SymbolKind.FUNCTION, SymbolKind.METHOD) else ((), None)
    )
    return ctx.make(
        kind,
        name_node,
        top,
        body=body,
        first=first,
        decorators=_js_decorators(ctx, *((top, node) if top is not node else (node,)), first=first),
        parameters=parameters,
        return_type=return_type,
    )


def _js_variable(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    if name_node is None or value is None:
        return None
    kind = SymbolKind.CLASS if value.type == "class" else SymbolKind.FUNCTION
    parameters, return_type = _js_function_info(ctx, value)
    top = node
    statement = node.parent
    if statement is not None and statement.type in ("lexical_declaration", "variable_declaration"):
        declarators = sum(1 for c in statement.named_children if c.type == "variable_declarator")
        if declarators == 1:
            top = _js_wrap(statement)
    return ctx.make(
        kind,
        name_node,
        top,
        body=value.child_by_field_name("body"),
        decorators=_js_decorators(ctx, value) if kind is SymbolKind.CLASS else (),
        parameters=parameters,
        return_type=return_type,
    )


def _js_field(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name") or node.child_by_field_name("property")
    value = node.child_by_field_name("value")
    if name_node is None or value is None:
        return None
    first: Node | None = None
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "decorator":
        first = sibling
        sibling = sibling.prev_named_sibling
    parameters, return_type = _js_function_info(ctx, value)
    return ctx.make(
        SymbolKind.METHOD,
        name_node,
        node,
        first=first,
        body=value.child_by_field_name("body"),
        decorators=_js_decorators(ctx, node, first=first),
        parameters=parameters,
        return_type=return_type,
    )


def _js_statement_function(ctx: _Ctx, node: Node) -> _Decl | None:
    # A named function expression used as a statement: usually a declaration that
    # tree-sitter re-interpreted while recovering from a syntax error.
    if node.child_by_field_name("name") is None:
        return None
    return _js_declaration(ctx, node)


# Go ---------------------------------------------------------------------------


def _go_receiver(ctx: _Ctx, node: Node) -> str | None:
    receiver = node.child_by_field_name("receiver")
    if receiver is None:
        return None
    for param in receiver.named_children:
        if param.type != "parameter_declaration":
            continue
        rtype = param.child_by_field_name("type")
        while rtype is not None and rtype.type in ("pointer_type", "parenthesized_type", "generic_type"):
            if rtype.type == "generic_type":
                rtype = rtype.child_by_field_name("type")
            else:
                rtype = rtype.named_child(0) if rtype.named_child_count else None
        return ctx.text(rtype) if rtype is not None else None
    return None


def _go_function(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    kind = SymbolKind.FUNCTION
    scope: tuple[str, ...] = ()
    if node.type == "method_declaration":
        kind = SymbolKind.METHOD
        receiver = _go_receiver(ctx, node)
        if receiver:
            scope = (receiver,)
    result = node.child_by_field_name("result")
    return ctx.make(
        kind,
        name_node,
        node,
        body=node.child_by_field_name("body"),
        scope=scope,
        parameters=ctx.params(node.child_by_field_name("parameters")),
        return_type=_collapse(ctx.text(result)) if result is not None else None,
    )


def _go_type(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    type_node = node.child_by_field_name("type")
    kind = SymbolKind.TYPE
    if node.type == "type_spec" and type_node is not None:
        if type_node.type == "struct_type":
            kind = SymbolKind.STRUCT
        elif type_node.type == "interface_type":
            kind = SymbolKind.INTERFACE
    top = node
    parent = node.parent
    if parent is not None and parent.type == "type_declaration":
        specs = sum(1 for c in parent.named_children if c.type in ("type_spec", "type_alias"))
        if specs == 1:
            top = parent
    return ctx.make(kind, name_node, top, body=None, sig_prefix="" if top is not node else "type ")


# Rust -------------------------------------------------------------------------

_RUST_KINDS: dict[str, SymbolKind] = {
    "function_item": SymbolKind.FUNCTION,
    "function_signature_item": SymbolKind.FUNCTION,
    "struct_item": SymbolKind.STRUCT,
    "union_item": SymbolKind.STRUCT,
    "enum_item": SymbolKind.ENUM,
    "trait_item": SymbolKind.TRAIT,
    "mod_item": SymbolKind.NAMESPACE,
    "type_item": SymbolKind.TYPE,
}


def _rust_attributes(node: Node) -> Node | None:
    first: Node | None = None
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "attribute_item":
        first = sibling
        sibling = sibling.prev_named_sibling
    return first


def _rust_attribute_texts(ctx: _Ctx, first: Node | None, node: Node) -> tuple[str, ...]:
    texts: list[str] = []
    while first is not None and first.start_byte < node.start_byte:
        texts.append(_collapse(ctx.text(first)))
        first = first.next_named_sibling
    return tuple(texts)


def _rust_item(ctx: _Ctx, node: Node) -> _Decl | None:
    kind = _RUST_KINDS.get(node.type)
    name_node = node.child_by_field_name("name")
    if kind is None or name_node is None:
        return None
    first = _rust_attributes(node)
    parameters: tuple[str, ...] = ()
    return_type: str | None = None
    if kind is SymbolKind.FUNCTION:
        parent = node.parent
        if (
            parent is not None
            and parent.type == "declaration_list"
            and parent.parent is not None
            and parent.parent.type in ("impl_item", "trait_item")
        ):
            kind = SymbolKind.METHOD
        returns = node.child_by_field_name("return_type")
        parameters = ctx.params(node.child_by_field_name("parameters"))
        return_type = _collapse(ctx.text(returns)) if returns is not None else None
    return ctx.make(
        kind,
        name_node,
        node,
        first=first,
        body=node.child_by_field_name("body"),
        decorators=_rust_attribute_texts(ctx, first, node),
        parameters=parameters,
        return_type=return_type,
    )


def _rust_type_base(ctx: _Ctx, node: Node | None) -> str | None:
    while node is not None:
        kind = node.type
        if kind in ("generic_type", "reference_type", "pointer_type"):
            node = node.child_by_field_name("type")
        elif kind == "scoped_type_identifier":
            node = node.child_by_field_name("name")
        else:
            return ctx.text(node)
    return None


def _rust_impl(ctx: _Ctx, node: Node) -> _Decl | None:
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return None
    trait = node.child_by_field_name("trait")
    name = "impl "
    if trait is not None:
        name += _collapse(ctx.text(trait)) + " for "
    name += _collapse(ctx.text(type_node))
    first = _rust_attributes(node)
    return ctx.make(
        SymbolKind.IMPL,
        type_node,
        node,
        first=first,
        name=name,
        body=node.child_by_field_name("body"),
        child_segment=_rust_type_base(ctx, type_node),
        decorators=_rust_attribute_texts(ctx, first, node),
    )


# Java -------------------------------------------------------------------------

_JAVA_KINDS: dict[str, SymbolKind] = {
    "class_declaration": SymbolKind.CLASS,
    "record_declaration": SymbolKind.CLASS,
    "interface_declaration": SymbolKind.INTERFACE,
    "annotation_type_declaration": SymbolKind.INTERFACE,
    "enum_declaration": SymbolKind.ENUM,
    "method_declaration": SymbolKind.METHOD,
    "constructor_declaration": SymbolKind.METHOD,
    "compact_constructor_declaration": SymbolKind.METHOD,
}


def _java_declaration(ctx: _Ctx, node: Node) -> _Decl | None:
    kind = _JAVA_KINDS.get(node.type)
    name_node = node.child_by_field_name("name")
    if kind is None or name_node is None:
        return None
    annotations: tuple[str, ...] = ()
    for child in node.children:
        if child.type == "modifiers":
            annotations = tuple(
                _collapse(ctx.text(m))
                for m in child.named_children
                if m.type in ("annotation", "marker_annotation")
            )
            break
    returns = node.child_by_field_name("type") if node.type == "method_declaration" else None
    return ctx.make(
        kind,
        name_node,
        node,
        body=node.child_by_field_name("body"),
        decorators=annotations,
        parameters=ctx.params(node.child_by_field_name("parameters")),
        return_type=_collapse(ctx.text(returns)) if returns is not None else None,
    )


# C / C++ ----------------------------------------------------------------------

_DECLARATOR_WRAPPERS = frozenset(
    {"pointer_declarator", "reference_declarator", "parenthesized_declarator", "attributed_declarator"}
)
_DECLARATOR_NOISE = frozenset(
    {
        "type_qualifier",
        "ms_pointer_modifier",
        "ms_based_modifier",
        "attribute_specifier",
        "attribute_declaration",
    }
)


def _cpp_template_top(node: Node) -> Node:
    top = node
    parent = node.parent
    while parent is not None and parent.type == "template_declaration":
        top = parent
        parent = parent.parent
    return top


def _cpp_unqualify(ctx: _Ctx, name_node: Node) -> tuple[Node | None, tuple[str, ...]]:
    scope: list[str] = []
    current: Node | None = name_node
    while current is not None and current.type == "qualified_identifier":
        part = current.child_by_field_name("scope")
        if part is not None:
            if part.type == "template_type":
                part = part.child_by_field_name("name") or part
            scope.append(ctx.text(part))
        current = current.child_by_field_name("name")
    return current, tuple(scope)


def _c_function(ctx: _Ctx, node: Node) -> _Decl | None:
    declarator = node.child_by_field_name("declarator")
    function: Node | None = None
    current = declarator
    while current is not None:
        kind = current.type
        if kind == "function_declarator":
            function = current
            current = current.child_by_field_name("declarator")
        elif kind in _DECLARATOR_WRAPPERS:
            inner = current.child_by_field_name("declarator")
            if inner is None:
                named = [c for c in current.named_children if c.type not in _DECLARATOR_NOISE]
                inner = named[-1] if named else None
            current = inner
        else:
            break
    if function is None or current is None or declarator is None:
        return None
    name_node, scope = _cpp_unqualify(ctx, current)
    if name_node is None:
        return None
    top = _cpp_template_top(node) if ctx.family == "cpp" else node
    in_class = top.parent is not None and top.parent.type == "field_declaration_list"
    kind = SymbolKind.METHOD if in_class or scope else SymbolKind.FUNCTION

    return_type: str | None = None
    type_node = node.child_by_field_name("type")
    if type_node is not None:
        start = type_node.start_byte
        for child in node.children:
            if child.start_byte >= type_node.start_byte:
                break
            if child.type == "type_qualifier":
                start = child.start_byte
                break
        inner_name = function.child_by_field_name("declarator")
        cut = inner_name.start_byte if inner_name is not None else function.start_byte
        return_type = _collapse(ctx.span(start, cut) + ctx.span(function.end_byte, declarator.end_byte))

    return ctx.make(
        kind,
        name_node,
        top,
        body=node.child_by_field_name("body"),
        header_node=node if top is not node else None,
        scope=scope,
        out_of_line=bool(scope),
        parameters=ctx.params(function.child_by_field_name("parameters")),
        return_type=return_type or None,
    )


_C_TYPE_KINDS: dict[str, SymbolKind] = {
    "struct_specifier": SymbolKind.STRUCT,
    "union_specifier": SymbolKind.STRUCT,
    "enum_specifier": SymbolKind.ENUM,
    "class_specifier": SymbolKind.CLASS,
}


def _c_type(ctx: _Ctx, node: Node) -> _Decl | None:
    kind = _C_TYPE_KINDS.get(node.type)
    body = node.child_by_field_name("body")
    if kind is None or body is None:
        return None
    name_node = node.child_by_field_name("name")
    top = node
    suffix = ""
    parent = node.parent
    if parent is not None and parent.type == "type_definition":
        top = parent
        if name_node is None:
            for candidate in parent.children_by_field_name("declarator"):
                if candidate.type == "type_identifier":
                    name_node = candidate
                    suffix = " " + ctx.text(candidate)
                    break
    if name_node is None:
        return None
    scope: tuple[str, ...] = ()
    if name_node.type == "qualified_identifier":
        unqualified, scope = _cpp_unqualify(ctx, name_node)
        if unqualified is None:
            return None
        name_node = unqualified
    if ctx.family == "cpp":
        top = _cpp_template_top(top)
    return ctx.make(
        kind,
        name_node,
        top,
        body=body,
        header_node=node if top.type == "template_declaration" else None,
        scope=scope,
        sig_suffix=suffix,
    )


def _cpp_namespace(ctx: _Ctx, node: Node) -> _Decl | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None  # anonymous namespace: its contents stay at the outer level
    scope: tuple[str, ...] = ()
    if name_node.type == "nested_namespace_specifier":
        parts = [c for c in name_node.named_children if c.type == "namespace_identifier"]
        if not parts:
            return None
        scope = tuple(ctx.text(p) for p in parts[:-1])
        name_node = parts[-1]
    body = node.child_by_field_name("body")
    return ctx.make(SymbolKind.NAMESPACE, name_node, node, body=body, scope=scope)


# --------------------------------------------------------------------------- dispatch

_JS_HANDLERS: dict[str, _Handler] = {
    "function_declaration": _js_declaration,
    "generator_function_declaration": _js_declaration,
    "class_declaration": _js_declaration,
    "method_definition": _js_declaration,
    "variable_declarator": _js_variable,
    "field_definition": _js_field,
    "public_field_definition": _js_field,
    "function_expression": _js_statement_function,
    "function": _js_statement_function,
    "generator_function": _js_statement_function,
    "abstract_class_declaration": _js_declaration,
    "interface_declaration": _js_declaration,
    "type_alias_declaration": _js_declaration,
    "enum_declaration": _js_declaration,
    "internal_module": _js_declaration,
}
_C_HANDLERS: dict[str, _Handler] = {
    "function_definition": _c_function,
    "struct_specifier": _c_type,
    "union_specifier": _c_type,
    "enum_specifier": _c_type,
}
_HANDLERS: dict[str, dict[str, _Handler]] = {
    "python": {"function_definition": _py_definition, "class_definition": _py_definition},
    "javascript": _JS_HANDLERS,
    "typescript": _JS_HANDLERS,
    "go": {
        "function_declaration": _go_function,
        "method_declaration": _go_function,
        "type_spec": _go_type,
        "type_alias": _go_type,
    },
    "rust": {**dict.fromkeys(_RUST_KINDS, _rust_item), "impl_item": _rust_impl},
    "java": dict.fromkeys(_JAVA_KINDS, _java_declaration),
    "c": _C_HANDLERS,
    "cpp": {**_C_HANDLERS, "class_specifier": _c_type, "namespace_definition": _cpp_namespace},
}


# --------------------------------------------------------------------------- assembly


_BLANK = re.compile(rb"[ \t\f\v]*")
_BLANK_TO_EOL = re.compile(rb"[ \t\f\v\r]*(?:\n|\Z)")


def _blank_end(source: bytes, position: int) -> int:
    """End of the run of spaces and tabs starting at ``position``."""
    match = _BLANK.match(source, position)
    return match.end() if match is not None else position


#: Longest enclosing header passed on (minified code can have kilobyte-long lines).
_MAX_HEADER = 240


class _Comments:
    """Standalone comments indexed by the row they end on."""

    __slots__ = ("_by_end_row", "_source")

    def __init__(self, source: bytes, nodes: Iterable[Node]) -> None:
        self._source = source
        by_end_row: dict[int, Node] = {}
        for node in nodes:
            row, column = node.end_point
            if column == 0 and row > node.start_point[0]:
                row -= 1  # Rust line comments include their newline
            by_end_row[row] = node
        self._by_end_row = by_end_row

    def _standalone(self, node: Node) -> bool:
        """Nothing but the comment on its lines (only whitespace is scanned, never a whole line)."""
        source = self._source
        start = node.start_byte
        if _blank_end(source, start - node.start_point[1]) < start:
            return False
        end = node.end_byte
        if end > 0 and source[end - 1 : end] == b"\n":
            return True
        return _BLANK_TO_EOL.match(source, end) is not None

    def above(self, start_byte: int, start_point: tuple[int, int]) -> str:
        start_row, start_column = start_point
        if start_row - 1 not in self._by_end_row:
            return ""
        source = self._source
        if _blank_end(source, start_byte - start_column) < start_byte:
            return ""  # something else starts this line; a comment above describes that
        blocks: list[list[str]] = []
        row = start_row - 1
        while row >= 0:
            node = self._by_end_row.get(row)
            if node is None or node.start_byte >= start_byte or not self._standalone(node):
                break
            blocks.append(_clean_comment(_decode(source[node.start_byte : node.end_byte])))
            row = node.start_point[0] - 1
        if not blocks:
            return ""
        lines = [line for block in reversed(blocks) for line in block]
        return _trim_blank("\n".join(lines))


def _signature(ctx: _Ctx, decl: _Decl) -> str:
    body = decl.body
    if body is not None and body.start_byte > decl.sig_start:
        # The header ends with the last token before the body (comments aside).
        before = body.prev_sibling
        while before is not None and before.type in _COMMENT_TYPES:
            before = before.prev_sibling
        end = before.end_byte if before is not None else body.start_byte
        text = _collapse(ctx.span(decl.sig_start, max(end, decl.sig_start)))
    else:
        end = decl.end_byte
        brace = ctx.source.find(b"{", decl.sig_start, end)
        text = _collapse(ctx.span(decl.sig_start, brace if brace >= 0 else end)).rstrip(" ;=")
    if decl.strip_colon and text.endswith(":"):
        text = text[:-1].rstrip()
    if decl.sig_prefix and not text.startswith(decl.sig_prefix):
        text = decl.sig_prefix + text
    return text + decl.sig_suffix


def _header(ctx: _Ctx, decl: _Decl) -> str:
    """First line of a declaration; stops after the ``{`` (or ``:``) of a body that starts on it."""
    if decl.header is None:
        source = ctx.source
        start = decl.header_start
        end = decl.end_byte
        body = decl.body
        if body is not None and start < body.start_byte < end:
            # One-liners (``class K { … }``, ``class K: pass``) end at the body's opening.
            end = body.start_byte
            if source[end : end + 1] == b"{":
                end += 1
        newline = source.find(b"\n", start, min(end, start + 4 * _MAX_HEADER))
        if newline >= 0:
            end = newline
        decl.header = ctx.span(start, min(end, start + 4 * _MAX_HEADER)).strip()[:_MAX_HEADER].rstrip()
    return decl.header


def _fix_cpp_kinds(decls: list[_Decl]) -> None:
    """``ns::f() {}`` looks like ``Class::f() {}``; use known namespaces to tell them apart."""
    namespaces = {d.name for d in decls if d.kind is SymbolKind.NAMESPACE}
    namespaces.update(part for d in decls if d.kind is SymbolKind.NAMESPACE for part in d.scope)
    if not namespaces:
        return
    classes = {d.name for d in decls if d.kind in (SymbolKind.CLASS, SymbolKind.STRUCT)}
    for decl in decls:
        if decl.out_of_line and decl.scope[-1] in namespaces and decl.scope[-1] not in classes:
            decl.kind = SymbolKind.FUNCTION


def _file_basename(file_name: str) -> str:
    return file_name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def extract_symbols(
    text: str,
    language: str,
    file_name: str = "",
    encoding: PositionEncoding = "utf-16",
) -> list[Symbol]:
    """Every function, method, class and type-like declaration in *text*.

    *language* is a canonical language name or anything :func:`language_for`
    accepts (``file_name``'s extension is the fallback).  Unknown languages give
    ``[]``.  Positions use *encoding*.  Symbols are sorted by the start of their
    range, enclosing declarations before the ones they contain.  Never raises:
    on an unexpected error the symbols built so far are returned.
    """
    symbols: list[Symbol] = []
    try:
        canonical = language_for(language, file_name or None)
        family = grammar_family(canonical) if canonical is not None else None
        if canonical is None or family is None:
            return symbols
        parser = get_parser(canonical)
        query = _query_for(canonical, family)
        if parser is None or query is None:
            return symbols
        source = text.encode("utf-8", "surrogatepass")
        tree = parser.parse(source)
        captures = QueryCursor(query).captures(tree.root_node)
        ctx = _Ctx(source, family, text)
        handlers = _HANDLERS[family]

        decls: list[_Decl] = []
        seen: set[int] = set()
        for node in captures.get("decl", ()):
            handler = handlers.get(node.type)
            if handler is None or node.id in seen:
                continue
            seen.add(node.id)
            try:
                decl = handler(ctx, node)
            except Exception:
                log.debug("skipping a %s node at %s", node.type, node.start_point, exc_info=True)
                continue
            if decl is not None:
                decls.append(decl)
        if family == "cpp":
            _fix_cpp_kinds(decls)
        decls.sort(key=lambda d: (d.start_byte, -d.end_byte))

        comments = _Comments(source, captures.get("comment", ()))
        convert = PositionConverter(source, encoding)
        position: Callable[[int, int], Position] = Position if convert.identity else convert.position
        base_name = _file_basename(file_name)
        top_context = SymbolContext(language=canonical, file_name=base_name)
        stack: list[_Decl] = []
        for decl in decls:
            while stack and decl.end_byte > stack[-1].end_byte:
                stack.pop()  # sorted by start, so only the end can fall outside
            parent = stack[-1] if stack else None
            try:
                if parent is None:
                    base: tuple[str, ...] = ()
                    context = top_context
                else:
                    base = parent.path
                    context = parent.child_context or SymbolContext(
                        language=canonical, file_name=base_name, enclosing_header=_header(ctx, parent)
                    )
                    parent.child_context = context
                qualified = (*base, *decl.scope, decl.name)
                decl.path = (*base, *decl.scope, decl.child_segment or decl.name)
                name_node = decl.name_node
                symbols.append(
                    Symbol(
                        name=decl.name,
                        kind=decl.kind,
                        qualified_name=".".join(qualified),
                        range=Range(position(*decl.start_point), position(*decl.end_point)),
                        selection_range=Range(
                            position(*name_node.start_point), position(*name_node.end_point)
                        ),
                        code=ctx.span(decl.start_byte, decl.end_byte),
                        context=context,
                        leading_comment=comments.above(decl.start_byte, decl.start_point),
                        docstring=decl.docstring,
                        signature=_signature(ctx, decl),
                        parameters=decl.parameters,
                        return_type=decl.return_type,
                        decorators=decl.decorators,
                    )
                )
            except Exception:
                log.debug("skipping symbol %s", decl.name, exc_info=True)
                continue
            stack.append(decl)
    except Exception:
        log.exception("symbol extraction failed for %s (%s)", file_name or "<text>", language)
    return symbols
