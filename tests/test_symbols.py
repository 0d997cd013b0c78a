"""Symbol extraction with tree-sitter: every language, nesting, positions, recovery."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from ariadne_lsp.symbols import (
    SUPPORTED_LANGUAGES,
    Position,
    PositionEncoding,
    Range,
    Symbol,
    SymbolKind,
    extract_symbols,
    language_for,
)

K = SymbolKind


def rng(sl: int, sc: int, el: int, ec: int) -> Range:
    return Range(Position(sl, sc), Position(el, ec))


def outline(symbols: list[Symbol]) -> list[tuple[str, str]]:
    return [(s.kind.value, s.qualified_name) for s in symbols]


def by_name(symbols: list[Symbol]) -> dict[str, Symbol]:
    found = {s.qualified_name: s for s in symbols}
    assert len(found) == len(symbols), "qualified names are not unique in this fixture"
    return found


def assert_sorted(symbols: list[Symbol]) -> None:
    starts = [s.range.start for s in symbols]
    assert starts == sorted(starts)


# --------------------------------------------------------------------------- language_for


@pytest.mark.parametrize(
    ("language_id", "path", "expected"),
    [
        ("python", None, "python"),
        ("javascript", None, "javascript"),
        ("javascriptreact", None, "javascriptreact"),
        ("typescript", None, "typescript"),
        ("typescriptreact", None, "typescriptreact"),
        ("go", None, "go"),
        ("rust", None, "rust"),
        ("java", None, "java"),
        ("c", None, "c"),
        ("cpp", None, "cpp"),
        ("Python", None, "python"),
        ("tsx", None, "typescriptreact"),
        ("golang", None, "go"),
        ("c++", None, "cpp"),
        (None, "pkg/mod.py", "python"),
        (None, "stubs/mod.pyi", "python"),
        (None, "a.js", "javascript"),
        (None, "a.mjs", "javascript"),
        (None, "a.cjs", "javascript"),
        (None, "a.jsx", "javascriptreact"),
        (None, "a.ts", "typescript"),
        (None, "a.mts", "typescript"),
        (None, "a.cts", "typescript"),
        (None, "a.tsx", "typescriptreact"),
        (None, "main.go", "go"),
        (None, "lib.rs", "rust"),
        (None, "Main.java", "java"),
        (None, "x.c", "c"),
        (None, "x.h", "c"),
        (None, "x.cpp", "cpp"),
        (None, "x.cc", "cpp"),
        (None, "x.cxx", "cpp"),
        (None, "x.hpp", "cpp"),
        (None, "x.hh", "cpp"),
        (None, "x.hxx", "cpp"),
        (None, "C:\\src\\Widget.HPP", "cpp"),
        (None, "file:///home/u/project/app.py", "python"),
        ("plaintext", "a.rs", "rust"),  # unknown id: fall back to the extension
        ("go", "a.py", "go"),  # a known id wins over the extension
        ("cobol", None, None),
        (None, "README.md", None),
        (None, "Makefile", None),
        (None, ".py", None),
        (None, None, None),
        ("", "", None),
    ],
)
def test_language_for(language_id: str | None, path: str | None, expected: str | None) -> None:
    assert language_for(language_id, path) == expected


def test_supported_languages_are_canonical() -> None:
    assert set(SUPPORTED_LANGUAGES) == {
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
    }
    for name in SUPPORTED_LANGUAGES:
        assert language_for(name) == name


def test_grammars_are_imported_lazily() -> None:
    script = textwrap.dedent(
        """
        import sys
        import ariadne_lsp.symbols as symbols
        grammars = {m.split(".")[0] for m in sys.modules if m.startswith("tree_sitter_")}
        assert grammars == set(), grammars
        assert symbols.extract_symbols("def f():\\n    pass\\n", "python")[0].name == "f"
        grammars = {m.split(".")[0] for m in sys.modules if m.startswith("tree_sitter_")}
        assert grammars == {"tree_sitter_python"}, grammars
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


# --------------------------------------------------------------------------- Python

PYTHON = '''\
import os


# Shapes live here.
# Second line.
@dataclass
@register("shape")
class Shape(Base):
    """A shape.

    With details.
    """

    def area(self, scale: float = 1.0, *args: int, **kw: str) -> float:
        """Compute the area."""
        def helper(x):
            class Local:
                def inner(self) -> None:
                    pass
            return x
        return 0.0

    @staticmethod
    async def make(*, name: str) -> "Shape":
        ...


def top(a, b=2):
    return a + b
'''


def test_python_outline_and_nesting() -> None:
    symbols = extract_symbols(PYTHON, "python", "shapes.py")
    assert outline(symbols) == [
        ("class", "Shape"),
        ("method", "Shape.area"),
        ("function", "Shape.area.helper"),
        ("class", "Shape.area.helper.Local"),
        ("method", "Shape.area.helper.Local.inner"),
        ("method", "Shape.make"),
        ("function", "top"),
    ]
    assert_sorted(symbols)
    s = by_name(symbols)
    assert s["Shape.area.helper.Local.inner"].name == "inner"
    assert s["Shape.area.helper.Local.inner"].context.enclosing_header == "class Local:"
    assert s["Shape.area.helper"].context.enclosing_header == (
        "def area(self, scale: float = 1.0, *args: int, **kw: str) -> float:"
    )
    assert s["Shape.area"].context.enclosing_header == "class Shape(Base):"
    assert s["Shape"].context.enclosing_header is None
    assert s["top"].context.language == "python"
    assert s["top"].context.file_name == "shapes.py"


def test_python_decorated_class_range_docstring_and_comment() -> None:
    shape = by_name(extract_symbols(PYTHON, "python", "/abs/path/shapes.py"))["Shape"]
    assert shape.kind is K.CLASS
    assert shape.range == rng(5, 0, 24, 11)  # from "@dataclass" to the last "..."
    assert shape.selection_range == rng(7, 6, 7, 11)
    assert shape.code.startswith('@dataclass\n@register("shape")\nclass Shape(Base):\n')
    assert shape.code.endswith("        ...")
    assert shape.decorators == ("@dataclass", '@register("shape")')
    assert shape.docstring == "A shape.\n\nWith details."
    assert shape.leading_comment == "Shapes live here.\nSecond line."
    assert shape.signature == "class Shape(Base)"
    assert shape.parameters == ()
    assert shape.return_type is None
    assert shape.context.file_name == "shapes.py"


def test_python_methods_parameters_and_return_types() -> None:
    s = by_name(extract_symbols(PYTHON, "python"))
    area = s["Shape.area"]
    assert area.range == rng(13, 4, 20, 18)
    assert area.selection_range == rng(13, 8, 13, 12)
    assert area.parameters == ("self", "scale: float = 1.0", "*args: int", "**kw: str")
    assert area.return_type == "float"
    assert area.docstring == "Compute the area."
    assert area.signature == "def area(self, scale: float = 1.0, *args: int, **kw: str) -> float"
    assert area.decorators == ()
    assert area.leading_comment == ""

    make = s["Shape.make"]
    assert make.kind is K.METHOD
    assert make.range == rng(22, 4, 24, 11)  # the decorator is part of the range
    assert make.selection_range == rng(23, 14, 23, 18)
    assert make.decorators == ("@staticmethod",)
    assert make.parameters == ("*", "name: str")
    assert make.return_type == '"Shape"'
    assert make.signature == 'async def make(*, name: str) -> "Shape"'
    assert make.docstring == ""

    top = s["top"]
    assert top.range == rng(27, 0, 28, 16)
    assert top.parameters == ("a", "b=2")
    assert top.return_type is None
    assert top.code == "def top(a, b=2):\n    return a + b"


def test_python_docstring_variants() -> None:
    source = textwrap.dedent(
        '''\
        def raw():
            r"""Raw \\d docstring."""

        def single():
            'single quoted'

        def not_first():
            x = 1
            """not a docstring"""

        class C:
            # a comment first
            """Still the docstring."""
        '''
    )
    s = by_name(extract_symbols(source, "python"))
    assert s["raw"].docstring == "Raw \\d docstring."
    assert s["single"].docstring == "single quoted"
    assert s["not_first"].docstring == ""
    assert s["C"].docstring == "Still the docstring."


def test_python_leading_comments() -> None:
    source = textwrap.dedent(
        """\
        x = 1  # trailing comment, not a leading one
        def a():
            pass

        class K:
            # first line
            #   indented second line
            def m(self):
                pass

            # separated by a blank line

            def n(self):
                pass
        """
    )
    s = by_name(extract_symbols(source, "python"))
    assert s["a"].leading_comment == ""
    assert s["K.m"].leading_comment == "first line\n  indented second line"
    assert s["K.n"].leading_comment == ""


# --------------------------------------------------------------------------- JavaScript

JAVASCRIPT = """\
// Adds numbers.
const add = (a, b) => a + b;
let sub = function (a, b) { return a - b; };
var gen = function* named() {};
export const mul = async (x) => {
  function square(y) { return y * y; }
  return square(x);
};
export default class Calc extends Base {
  handler = () => { this.x = 1; };
  static #secret = function () {};
  compute(n) {
    const inner = () => n;
    return inner();
  }
  get value() { return 1; }
}
function* counter() { yield 1; }
const a = 1, b = () => 2;
const notAFunction = 42;
"""


def test_javascript_functions_assigned_to_names() -> None:
    symbols = extract_symbols(JAVASCRIPT, "javascript", "calc.js")
    assert outline(symbols) == [
        ("function", "add"),
        ("function", "sub"),
        ("function", "gen"),
        ("function", "mul"),
        ("function", "mul.square"),
        ("class", "Calc"),
        ("method", "Calc.handler"),
        ("method", "Calc.#secret"),
        ("method", "Calc.compute"),
        ("function", "Calc.compute.inner"),
        ("method", "Calc.value"),
        ("function", "counter"),
        ("function", "b"),
    ]
    s = by_name(symbols)
    add = s["add"]
    assert add.range == rng(1, 0, 1, 28)
    assert add.selection_range == rng(1, 6, 1, 9)
    assert add.code == "const add = (a, b) => a + b;"
    assert add.leading_comment == "Adds numbers."
    assert add.parameters == ("a", "b")
    assert add.signature == "const add = (a, b) =>"

    assert s["sub"].selection_range == rng(2, 4, 2, 7)
    assert s["sub"].signature == "let sub = function (a, b)"

    mul = s["mul"]
    assert mul.range == rng(4, 0, 7, 2)  # "export const … };"
    assert mul.selection_range == rng(4, 13, 4, 16)
    assert mul.signature == "export const mul = async (x) =>"
    assert mul.parameters == ("x",)
    assert s["mul.square"].context.enclosing_header == "export const mul = async (x) => {"

    calc = s["Calc"]
    assert calc.range == rng(8, 0, 16, 1)
    assert calc.selection_range == rng(8, 21, 8, 25)
    assert calc.signature == "export default class Calc extends Base"

    handler = s["Calc.handler"]
    assert handler.range == rng(9, 2, 9, 33)
    assert handler.selection_range == rng(9, 2, 9, 9)
    assert handler.context.enclosing_header == "export default class Calc extends Base {"

    assert s["Calc.compute"].parameters == ("n",)
    assert s["Calc.compute"].signature == "compute(n)"
    assert s["Calc.compute.inner"].range == rng(12, 4, 12, 26)
    assert s["Calc.value"].signature == "get value()"
    assert s["counter"].signature == "function* counter()"
    # With two declarators the declarator alone is the range.
    assert s["b"].range == rng(18, 13, 18, 24)


def test_javascript_decorators_and_jsx() -> None:
    source = textwrap.dedent(
        """\
        @component
        class View {
          @bound
          render() { return <div className="x">{this.props.name}</div>; }
        }
        const Item = ({ label }) => <li>{label}</li>;
        """
    )
    symbols = extract_symbols(source, "javascriptreact", "view.jsx")
    assert outline(symbols) == [("class", "View"), ("method", "View.render"), ("function", "Item")]
    s = by_name(symbols)
    assert s["View"].decorators == ("@component",)
    assert s["View"].range.start == Position(0, 0)
    assert s["View.render"].decorators == ("@bound",)
    assert s["View.render"].range == rng(2, 2, 3, 65)
    assert s["View"].context.language == "javascriptreact"
    assert s["Item"].parameters == ("{ label }",)


# --------------------------------------------------------------------------- TypeScript

TYPESCRIPT = """\
/** Returns its argument. */
export function identity<T>(value: T): T {
  return value;
}
export interface Repo<T extends { id: string }> {
  get(id: string): Promise<T>;
}
export type Handler<E = Event> = (event: E) => void;
enum Color { Red, Green }
export abstract class Base<T> implements Repo<T> {
  @Inject() private readonly dep: Dep;
  @Log()
  async get(id: string): Promise<T> { return this.load<T>(id); }
  protected abstract load<U>(id: string): Promise<U>;
  onEvent = <E,>(e: E): void => {};
}
namespace Utils { export const fmt = (s: string): string => s.trim(); }
"""


def test_typescript_generics_interfaces_aliases_enums() -> None:
    symbols = extract_symbols(TYPESCRIPT, "typescript", "repo.ts")
    assert outline(symbols) == [
        ("function", "identity"),
        ("interface", "Repo"),
        ("type", "Handler"),
        ("enum", "Color"),
        ("class", "Base"),
        ("method", "Base.get"),
        ("method", "Base.onEvent"),
        ("namespace", "Utils"),
        ("function", "Utils.fmt"),
    ]
    s = by_name(symbols)
    identity = s["identity"]
    assert identity.range == rng(1, 0, 3, 1)
    assert identity.selection_range == rng(1, 16, 1, 24)
    assert identity.leading_comment == "Returns its argument."
    assert identity.parameters == ("value: T",)
    assert identity.return_type == "T"
    assert identity.signature == "export function identity<T>(value: T): T"

    repo = s["Repo"]
    assert repo.range == rng(4, 0, 6, 1)
    assert repo.selection_range == rng(4, 17, 4, 21)
    assert repo.signature == "export interface Repo<T extends { id: string }>"

    handler = s["Handler"]
    assert handler.range == rng(7, 0, 7, 52)
    assert handler.selection_range == rng(7, 12, 7, 19)
    assert handler.signature == "export type Handler<E = Event> = (event: E) => void"

    assert s["Color"].range == rng(8, 0, 8, 25)
    assert s["Color"].signature == "enum Color"

    base = s["Base"]
    assert base.range == rng(9, 0, 15, 1)
    assert base.signature == "export abstract class Base<T> implements Repo<T>"

    get = s["Base.get"]
    assert get.range == rng(11, 2, 12, 64)  # includes the decorator line
    assert get.selection_range == rng(12, 8, 12, 11)
    assert get.decorators == ("@Log()",)
    assert get.parameters == ("id: string",)
    assert get.return_type == "Promise<T>"
    assert get.signature == "async get(id: string): Promise<T>"

    on_event = s["Base.onEvent"]
    assert on_event.parameters == ("e: E",)
    assert on_event.return_type == "void"

    fmt = s["Utils.fmt"]
    assert fmt.return_type == "string"
    # A one-line enclosing declaration: the header stops at its body's "{".
    assert fmt.context.enclosing_header == "namespace Utils {"


def test_tsx_uses_the_tsx_grammar() -> None:
    source = textwrap.dedent(
        """\
        export const App = ({ name }: Props) => <div className="app">{name}</div>;
        function Item<T>(props: { label: T }) {
          return <li>{String(props.label)}</li>;
        }
        """
    )
    symbols = extract_symbols(source, "typescriptreact", "app.tsx")
    assert outline(symbols) == [("function", "App"), ("function", "Item")]
    s = by_name(symbols)
    assert s["App"].range == rng(0, 0, 0, 74)
    assert s["App"].parameters == ("{ name }: Props",)
    assert s["Item"].selection_range == rng(1, 9, 1, 13)
    assert s["Item"].context.language == "typescriptreact"
    # The same file through language_for's extension mapping.
    assert outline(extract_symbols(source, "tsx")) == outline(symbols)


# --------------------------------------------------------------------------- Go

GO = """\
package shapes

// Shape is anything with an area.
type Shape interface {
\tArea() float64
}

type Point struct {
\tX, Y int
}

type (
\tID    int
\tAlias = string
)

// Move shifts the point.
func (p *Point) Move(dx, dy int) *Point {
\ttype delta struct{ x, y int }
\treturn p
}

func (s Stack[T]) Push(v T) {}

func Map[T, U any](xs []T, f func(T) U) []U {
\treturn nil
}
"""


def test_go_receivers_and_types() -> None:
    symbols = extract_symbols(GO, "go", "shapes.go")
    assert outline(symbols) == [
        ("interface", "Shape"),
        ("struct", "Point"),
        ("type", "ID"),
        ("type", "Alias"),
        ("method", "Point.Move"),
        ("struct", "Point.Move.delta"),
        ("method", "Stack.Push"),
        ("function", "Map"),
    ]
    s = by_name(symbols)
    shape = s["Shape"]
    assert shape.range == rng(3, 0, 5, 1)  # "type Shape interface { … }"
    assert shape.selection_range == rng(3, 5, 3, 10)
    assert shape.leading_comment == "Shape is anything with an area."
    assert shape.signature == "type Shape interface"

    assert s["Point"].signature == "type Point struct"
    assert s["ID"].range == rng(12, 1, 12, 10)
    assert s["ID"].signature == "type ID int"
    assert s["Alias"].signature == "type Alias = string"

    move = s["Point.Move"]
    assert move.name == "Move"
    assert move.range == rng(17, 0, 20, 1)
    assert move.selection_range == rng(17, 16, 17, 20)
    assert move.parameters == ("dx, dy int",)
    assert move.return_type == "*Point"
    assert move.leading_comment == "Move shifts the point."
    assert move.signature == "func (p *Point) Move(dx, dy int) *Point"
    assert s["Point.Move.delta"].context.enclosing_header == "func (p *Point) Move(dx, dy int) *Point {"

    assert s["Stack.Push"].parameters == ("v T",)
    assert s["Stack.Push"].return_type is None

    generic = s["Map"]
    assert generic.parameters == ("xs []T", "f func(T) U")
    assert generic.return_type == "[]U"
    assert generic.signature == "func Map[T, U any](xs []T, f func(T) U) []U"


# --------------------------------------------------------------------------- Rust

RUST = """\
use std::fmt;

/// A point in space.
#[derive(Debug, Clone)]
pub struct Point {
    x: i32,
}

pub trait Shape {
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        String::from("shape")
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.x)
    }
}

impl<T> Wrapper<T> {
    pub fn new(value: T) -> Self {
        Wrapper { value }
    }
}

pub fn largest<T: PartialOrd + Copy>(items: &[T]) -> T {
    items[0]
}

mod geometry {
    pub enum Kind { A, B }
    pub fn area() -> f64 { 0.0 }
}
"""


def test_rust_impl_trait_and_generic_fn() -> None:
    symbols = extract_symbols(RUST, "rust", "lib.rs")
    assert outline(symbols) == [
        ("struct", "Point"),
        ("trait", "Shape"),
        ("method", "Shape.area"),
        ("method", "Shape.describe"),
        ("impl", "impl fmt::Display for Point"),
        ("method", "Point.fmt"),
        ("impl", "impl Wrapper<T>"),
        ("method", "Wrapper.new"),
        ("function", "largest"),
        ("namespace", "geometry"),
        ("enum", "geometry.Kind"),
        ("function", "geometry.area"),
    ]
    s = by_name(symbols)
    point = s["Point"]
    assert point.range == rng(3, 0, 6, 1)  # the attribute belongs to the item
    assert point.selection_range == rng(4, 11, 4, 16)
    assert point.decorators == ("#[derive(Debug, Clone)]",)
    assert point.leading_comment == "A point in space."
    assert point.signature == "pub struct Point"

    display = s["impl fmt::Display for Point"]
    assert display.name == "impl fmt::Display for Point"
    assert display.range == rng(15, 0, 19, 1)
    assert display.selection_range == rng(15, 22, 15, 27)

    fmt_method = s["Point.fmt"]
    assert fmt_method.name == "fmt"
    assert fmt_method.context.enclosing_header == "impl fmt::Display for Point {"
    assert fmt_method.parameters == ("&self", "f: &mut fmt::Formatter")
    assert fmt_method.return_type == "fmt::Result"

    assert s["Shape.area"].signature == "fn area(&self) -> f64"
    assert s["Shape.area"].range == rng(9, 4, 9, 26)
    assert s["Wrapper.new"].signature == "pub fn new(value: T) -> Self"

    largest = s["largest"]
    assert largest.parameters == ("items: &[T]",)
    assert largest.return_type == "T"
    assert largest.signature == "pub fn largest<T: PartialOrd + Copy>(items: &[T]) -> T"
    assert s["geometry.area"].context.enclosing_header == "mod geometry {"


# --------------------------------------------------------------------------- Java

JAVA = """\
package demo;

/**
 * A repository.
 */
@Service
public class Repo<T> extends Base implements Store {
    private final int size;

    // Builds it.
    public Repo(int size) {
        this.size = size;
    }

    @Override
    public <R> List<R> map(Function<T, R> fn, int... extra) throws IOException {
        return null;
    }

    static class Node {
        Node next;
        Node(Node next) { this.next = next; }
        int depth() { return 0; }
    }

    interface Listener { void onEvent(String name); }

    enum State { ON, OFF; boolean isOn() { return this == ON; } }

    record Pair(int a, int b) {}
}
"""


def test_java_nested_classes_and_constructors() -> None:
    symbols = extract_symbols(JAVA, "java", "Repo.java")
    assert outline(symbols) == [
        ("class", "Repo"),
        ("method", "Repo.Repo"),
        ("method", "Repo.map"),
        ("class", "Repo.Node"),
        ("method", "Repo.Node.Node"),
        ("method", "Repo.Node.depth"),
        ("interface", "Repo.Listener"),
        ("method", "Repo.Listener.onEvent"),
        ("enum", "Repo.State"),
        ("method", "Repo.State.isOn"),
        ("class", "Repo.Pair"),
    ]
    s = by_name(symbols)
    repo = s["Repo"]
    assert repo.range == rng(5, 0, 30, 1)
    assert repo.selection_range == rng(6, 13, 6, 17)
    assert repo.leading_comment == "A repository."
    assert repo.decorators == ("@Service",)
    assert repo.signature == "public class Repo<T> extends Base implements Store"

    ctor = s["Repo.Repo"]
    assert ctor.range == rng(10, 4, 12, 5)
    assert ctor.selection_range == rng(10, 11, 10, 15)
    assert ctor.parameters == ("int size",)
    assert ctor.return_type is None
    assert ctor.leading_comment == "Builds it."
    assert ctor.context.enclosing_header == "public class Repo<T> extends Base implements Store {"

    mapper = s["Repo.map"]
    assert mapper.range == rng(14, 4, 17, 5)
    assert mapper.decorators == ("@Override",)
    assert mapper.return_type == "List<R>"
    assert mapper.parameters == ("Function<T, R> fn", "int... extra")
    assert mapper.signature == "public <R> List<R> map(Function<T, R> fn, int... extra) throws IOException"

    assert s["Repo.Node.Node"].parameters == ("Node next",)
    assert s["Repo.Node.depth"].context.enclosing_header == "static class Node {"
    assert s["Repo.Pair"].parameters == ("int a", "int b")


# --------------------------------------------------------------------------- C

C_SOURCE = """\
#include <stdio.h>

/* Returns the name.
 * Never NULL.
 */
static const char *get_name(int id) {
    return "x";
}

typedef struct {
    int x;
    int y;
} Point;

struct node {
    struct node *next;
};

enum color { RED, GREEN };

union value { int i; float f; };

int **matrix(size_t n, ...) {
    return 0;
}
"""


def test_c_pointer_functions_and_typedef_struct() -> None:
    symbols = extract_symbols(C_SOURCE, "c", "names.c")
    assert outline(symbols) == [
        ("function", "get_name"),
        ("struct", "Point"),
        ("struct", "node"),
        ("enum", "color"),
        ("struct", "value"),
        ("function", "matrix"),
    ]
    s = by_name(symbols)
    get_name = s["get_name"]
    assert get_name.range == rng(5, 0, 7, 1)
    assert get_name.selection_range == rng(5, 19, 5, 27)
    assert get_name.return_type == "const char *"
    assert get_name.parameters == ("int id",)
    assert get_name.leading_comment == "Returns the name.\nNever NULL."
    assert get_name.signature == "static const char *get_name(int id)"

    point = s["Point"]
    assert point.range == rng(9, 0, 12, 8)  # the whole typedef
    assert point.selection_range == rng(12, 2, 12, 7)  # the typedef name
    assert point.code == "typedef struct {\n    int x;\n    int y;\n} Point;"

    assert s["node"].range == rng(14, 0, 16, 1)
    assert s["node"].selection_range == rng(14, 7, 14, 11)
    matrix = s["matrix"]
    assert matrix.return_type == "int **"
    assert matrix.parameters == ("size_t n", "...")
    assert matrix.signature == "int **matrix(size_t n, ...)"


# --------------------------------------------------------------------------- C++

CPP = """\
#include <vector>

namespace geo {

// Base shape.
class Shape {
public:
    Shape() = default;
    virtual ~Shape() {}
    virtual double area() const { return 0.0; }
    double perimeter() const;
    struct Info { int id() const { return 1; } };
};

double Shape::perimeter() const {
    return 1.0;
}

template <typename T>
T clamp(T v, T lo, T hi) {
    return v < lo ? lo : v;
}

template <typename T>
class Box {
public:
    T get() const { return value; }
private:
    T value;
};

namespace detail {
void helper() {}
}

void detail::other() {}

}  // namespace geo

int main() { return 0; }
"""


def test_cpp_namespace_class_out_of_line_and_template() -> None:
    symbols = extract_symbols(CPP, "cpp", "geo.cpp")
    assert outline(symbols) == [
        ("namespace", "geo"),
        ("class", "geo.Shape"),
        ("method", "geo.Shape.Shape"),
        ("method", "geo.Shape.~Shape"),
        ("method", "geo.Shape.area"),
        ("struct", "geo.Shape.Info"),
        ("method", "geo.Shape.Info.id"),
        ("method", "geo.Shape.perimeter"),
        ("function", "geo.clamp"),
        ("class", "geo.Box"),
        ("method", "geo.Box.get"),
        ("namespace", "geo.detail"),
        ("function", "geo.detail.helper"),
        ("function", "geo.detail.other"),
        ("function", "main"),
    ]
    s = by_name(symbols)
    assert s["geo"].range == rng(2, 0, 37, 1)
    shape = s["geo.Shape"]
    assert shape.range == rng(5, 0, 12, 1)
    assert shape.leading_comment == "Base shape."
    assert shape.context.enclosing_header == "namespace geo {"

    assert s["geo.Shape.area"].return_type == "double"
    assert s["geo.Shape.area"].signature == "virtual double area() const"
    assert s["geo.Shape.Info.id"].context.enclosing_header == "struct Info {"

    perimeter = s["geo.Shape.perimeter"]
    assert perimeter.name == "perimeter"
    assert perimeter.range == rng(14, 0, 16, 1)
    assert perimeter.selection_range == rng(14, 14, 14, 23)
    assert perimeter.return_type == "double"
    assert perimeter.signature == "double Shape::perimeter() const"
    assert perimeter.context.enclosing_header == "namespace geo {"

    clamp = s["geo.clamp"]
    assert clamp.range == rng(18, 0, 21, 1)  # starts at the template line
    assert clamp.selection_range == rng(19, 2, 19, 7)
    assert clamp.parameters == ("T v", "T lo", "T hi")
    assert clamp.return_type == "T"
    assert clamp.signature == "template <typename T> T clamp(T v, T lo, T hi)"
    assert clamp.code.startswith("template <typename T>\nT clamp(")

    box = s["geo.Box"]
    assert box.range == rng(23, 0, 29, 2)
    assert box.signature == "template <typename T> class Box"
    assert s["geo.Box.get"].context.enclosing_header == "class Box {"
    assert s["geo.Box.get"].kind is K.METHOD


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        (
            "python",
            "def first():\n    return 1\n\ndef broken(x:\n    return x\n\n"
            "def after():\n    pass\n\nclass Later:\n    def method(self):\n        pass\n",
            {"first", "after", "Later", "Later.method"},
        ),
        (
            "javascript",
            "function a() {\n  if (x) {\nfunction b() { return 1; }\nclass C { m() {} }\n",
            {"b", "C", "m"},
        ),
        (
            "typescript",
            "function broken(a: number {\n  return a;\n}\nexport class K { m(): void {} }\ninterface I {}\n",
            {"K", "m", "I"},
        ),
        (
            "go",
            "package p\n\nfunc broken(x int {\n\treturn\n}\n\nfunc ok() {}\n\ntype T struct{}\n",
            {"ok", "T"},
        ),
        ("rust", "fn broken(x: i32 {\n}\n\nfn ok() {}\nstruct S;\n", {"ok", "S"}),
        (
            "java",
            "class A {\n    void broken( {\n    }\n    void ok() {}\n}\nclass B { void run() {} }\n",
            {"A", "ok", "B", "run"},
        ),
        (
            "c",
            "int broken(int x {\n  return x;\n}\nstruct S { int a; };\nvoid after(void) {}\n",
            {"S", "after"},
        ),
        (
            "cpp",
            "namespace n {\nint broken(int x {\n  return x;\n}\n"
            "class K { void m() {} };\n}\nvoid after() {}\n",
            {"K", "m", "after"},
        ),
    ],
)
def test_syntax_errors_keep_the_symbols_after_them(language: str, source: str, expected: set[str]) -> None:
    symbols = extract_symbols(source, language)
    names = {s.name for s in symbols} | {s.qualified_name for s in symbols}
    assert expected <= names


def test_python_recovered_qualified_names() -> None:
    source = (
        "def first():\n    return 1\n\ndef broken(x:\n    return x\n\n"
        "class Later:\n    def method(self):\n        pass\n"
    )
    s = by_name(extract_symbols(source, "python"))
    assert s["Later.method"].kind is K.METHOD
    assert s["Later.method"].range == rng(7, 4, 8, 12)


SAMPLES = {
    "python": PYTHON,
    "javascript": JAVASCRIPT,
    "typescript": TYPESCRIPT,
    "go": GO,
    "rust": RUST,
    "java": JAVA,
    "c": C_SOURCE,
    "cpp": CPP,
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_never_raises_on_truncated_or_garbage_input(language: str) -> None:
    sample = SAMPLES[language]
    for cut in range(0, len(sample), 7):
        result = extract_symbols(sample[:cut], language)
        assert isinstance(result, list)
        assert_sorted(result)
    for garbage in ("", "\x00\x01\x02", "\ud800 lone surrogate", "}{)(][" * 50, "\r\r\n\n\t", "é" * 1000):
        assert isinstance(extract_symbols(garbage, language), list)
    deep = "{" * 3000 + "(" * 3000
    assert isinstance(extract_symbols(deep, language), list)


def test_deeply_nested_python_functions() -> None:
    source = "".join("    " * i + f"def f{i}():\n" for i in range(200)) + "    " * 200 + "pass\n"
    symbols = extract_symbols(source, "python")
    assert len(symbols) == 200
    assert symbols[-1].qualified_name == ".".join(f"f{i}" for i in range(200))


@pytest.mark.parametrize("language", ["cobol", "", "plaintext", "markdown"])
def test_unknown_language_gives_nothing(language: str) -> None:
    assert extract_symbols("def f():\n    pass\n", language) == []


def test_language_may_be_an_alias_or_come_from_the_file_name() -> None:
    assert [s.name for s in extract_symbols("def f(): pass\n", "py")] == ["f"]
    assert [s.name for s in extract_symbols("fn f() {}\n", "plaintext", "lib.rs")] == ["f"]


# --------------------------------------------------------------------------- positions

ONE_LINE = 'const s = "😀日本"; function f() {}\n'


@pytest.mark.parametrize(
    ("encoding", "start", "name_start", "end"),
    [
        # "const s = \"" is 11 bytes/units; 😀 is 4 bytes, 2 UTF-16 units, 1 code point;
        # 日 and 本 are 3 bytes, 1 unit, 1 code point each; then '"; ' is 3.
        ("utf-8", 24, 33, 39),
        ("utf-16", 18, 27, 33),
        ("utf-32", 17, 26, 32),
    ],
)
def test_non_ascii_before_a_symbol_on_the_same_line(
    encoding: PositionEncoding, start: int, name_start: int, end: int
) -> None:
    symbols = extract_symbols(ONE_LINE, "javascript", "emoji.js", encoding)
    assert outline(symbols) == [("function", "f")]
    (f,) = symbols
    assert f.range == rng(0, start, 0, end)
    assert f.selection_range == rng(0, name_start, 0, name_start + 1)
    assert f.code == "function f() {}"


def test_non_ascii_in_python_comment_and_string() -> None:
    source = '# café 😀 — 日本\nclass Ünïcode:\n    s = "😀😀"; t = "ok"\n    def méthode(self): return "é"\n'
    s16 = by_name(extract_symbols(source, "python", encoding="utf-16"))
    s8 = by_name(extract_symbols(source, "python", encoding="utf-8"))
    assert s16["Ünïcode"].selection_range == rng(1, 6, 1, 13)
    assert s8["Ünïcode"].selection_range == rng(1, 6, 1, 15)
    assert s16["Ünïcode.méthode"].selection_range == rng(3, 8, 3, 15)
    assert s8["Ünïcode.méthode"].selection_range == rng(3, 8, 3, 16)
    assert s16["Ünïcode.méthode"].range == rng(3, 4, 3, 33)
    assert s8["Ünïcode.méthode"].range == rng(3, 4, 3, 35)
    assert s16["Ünïcode"].leading_comment == "café 😀 — 日本"


def test_crlf_line_endings() -> None:
    lf = (
        PYTHON
        + "\n"
        + textwrap.dedent(
            """\
        class Multi:
            '''First.

            Second.
            '''
        """
        )
    )
    crlf = lf.replace("\n", "\r\n")
    for encoding in ("utf-8", "utf-16", "utf-32"):
        a = extract_symbols(lf, "python", encoding=encoding)
        b = extract_symbols(crlf, "python", encoding=encoding)
        assert outline(a) == outline(b)
        for x, y in zip(a, b, strict=True):
            assert x.range == y.range
            assert x.selection_range == y.selection_range
            assert x.signature == y.signature
            assert x.docstring == y.docstring
            assert x.leading_comment == y.leading_comment
            assert x.parameters == y.parameters
            assert x.context == y.context
            assert y.code == x.code.replace("\n", "\r\n")
            assert not y.code.endswith("\r")
    multi = by_name(extract_symbols(crlf, "python"))["Multi"]
    assert multi.docstring == "First.\n\nSecond."
    # A range that ends at the end of a line stops before the "\r".
    top = by_name(extract_symbols(crlf, "python"))["top"]
    assert top.range == rng(27, 0, 28, 16)


def test_crlf_with_non_ascii_in_c_like_code() -> None:
    source = '// é\r\nconst s = "日本"; function f() {\r\n  return 1;\r\n}\r\n'
    (f,) = extract_symbols(source, "javascript", encoding="utf-16")
    assert f.range == rng(1, 16, 3, 1)
    assert f.selection_range == rng(1, 25, 1, 26)
    assert f.code == "function f() {\r\n  return 1;\r\n}"
    assert f.leading_comment == ""  # the comment is above the line, but "const s" starts that line


# --------------------------------------------------------------------------- content hash


def test_content_hash_ignores_position_but_not_code() -> None:
    source = "class A:\n    def m(self):\n        return 1\n"
    moved = "\n\n\n" + source
    edited = source.replace("return 1", "return 2")
    original = by_name(extract_symbols(source, "python", "a.py"))
    shifted = by_name(extract_symbols(moved, "python", "a.py"))
    changed = by_name(extract_symbols(edited, "python", "a.py"))
    for name in ("A", "A.m"):
        assert original[name].range != shifted[name].range
        assert original[name].content_hash == shifted[name].content_hash
        assert original[name].content_hash != changed[name].content_hash
    assert shifted["A.m"].range.start == Position(4, 4)
    assert len(original["A"].content_hash) == 64


def test_content_hash_depends_on_comment_and_enclosing_header() -> None:
    base = by_name(extract_symbols("class A:\n    def m(self): pass\n", "python"))["A.m"]
    renamed = by_name(extract_symbols("class B:\n    def m(self): pass\n", "python"))["B.m"]
    commented = by_name(extract_symbols("class A:\n    # hi\n    def m(self): pass\n", "python"))["A.m"]
    assert base.code == renamed.code == commented.code
    assert len({base.content_hash, renamed.content_hash, commented.content_hash}) == 3


def test_minified_one_line_file() -> None:
    units = [f'function f{i}(a){{return "é😀"+a}}' for i in range(300)]
    source = "/* license */\n" + "".join(units) + "\n"
    symbols = extract_symbols(source, "javascript", "bundle.min.js", "utf-16")
    assert [s.name for s in symbols] == [f"f{i}" for i in range(300)]
    last = symbols[-1]
    before = len("".join(units[:-1]).encode("utf-16-le")) // 2
    assert last.range == rng(1, before, 1, before + len(units[-1].encode("utf-16-le")) // 2)
    assert last.selection_range == rng(1, before + 9, 1, before + 9 + len("f299"))
    assert symbols[0].leading_comment == "license"  # f0 starts the line below the comment
    assert symbols[1].leading_comment == ""


def test_enclosing_header_of_a_huge_one_line_class_is_short() -> None:
    source = "class A{" + "".join(f"m{i}(a){{return a}}" for i in range(500)) + "}\n"
    symbols = extract_symbols(source, "javascript")
    assert len(symbols) == 501
    assert {s.context.enclosing_header for s in symbols[1:]} == {"class A{"}
    long_header = "class " + "B" * 1000 + " {\n  m() {}\n}\n"
    (_, method) = extract_symbols(long_header, "javascript")
    assert method.context.enclosing_header is not None
    assert len(method.context.enclosing_header) == 240
