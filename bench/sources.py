"""Generated sources for the benchmarks: many small functions, or ~10,000 realistic lines a language."""

from __future__ import annotations

#: One block of each language: a type with a constructor and a method, and a free function.
#: ``{i}`` numbers the block so that every symbol (and so every cache key) is distinct.
_BLOCKS: dict[str, str] = {
    "python": '''class Widget{i}:
    """Holds the state of widget {i}."""

    def __init__(self, value):
        self.value = value + {i}

    def scaled(self, factor):
        # Multiply the value by a factor.
        return self.value * factor


def helper_{i}(items):
    total = 0
    for item in items:
        total += item * {i}
    return total


''',
    "javascript": """class Widget{i} {
  constructor(value) {
    this.value = value + {i};
  }

  scaled(factor) {
    // Multiply the value by a factor.
    return this.value * factor;
  }
}

function helper{i}(items) {
  let total = 0;
  for (const item of items) {
    total += item * {i};
  }
  return total;
}

""",
    "typescript": """interface Shape{i} {
  area(): number;
}

class Widget{i} implements Shape{i} {
  constructor(private readonly value: number) {}

  area(): number {
    // The area grows with the value.
    return this.value * {i};
  }
}

export function helper{i}(items: number[]): number {
  let total = 0;
  for (const item of items) {
    total += item * {i};
  }
  return total;
}

""",
    "go": """type Widget{i} struct {
	value int
}

// Scaled multiplies the value by a factor.
func (w *Widget{i}) Scaled(factor int) int {
	return w.value * factor
}

func Helper{i}(items []int) int {
	total := 0
	for _, item := range items {
		total += item * {i}
	}
	return total
}

""",
    "rust": """pub struct Widget{i} {
    value: i64,
}

impl Widget{i} {
    /// Multiplies the value by a factor.
    pub fn scaled(&self, factor: i64) -> i64 {
        self.value * factor
    }
}

pub fn helper_{i}(items: &[i64]) -> i64 {
    let mut total = 0;
    for item in items {
        total += item * {i};
    }
    total
}

""",
    "java": """    static class Widget{i} {
        private final int value;

        Widget{i}(int value) {
            this.value = value + {i};
        }

        /** Multiplies the value by a factor. */
        int scaled(int factor) {
            return value * factor;
        }
    }

    static int helper{i}(int[] items) {
        int total = 0;
        for (int item : items) {
            total += item * {i};
        }
        return total;
    }

""",
    "c": """struct widget_{i} {
    int value;
};

/* Multiplies the value by a factor. */
static int widget_{i}_scaled(const struct widget_{i} *w, int factor) {
    return w->value * factor;
}

int helper_{i}(const int *items, int n) {
    int total = 0;
    for (int k = 0; k < n; k++) {
        total += items[k] * {i};
    }
    return total;
}

""",
    "cpp": """class Widget{i} {
public:
    explicit Widget{i}(int value) : value_(value + {i}) {}

    // Multiplies the value by a factor.
    int scaled(int factor) const {
        return value_ * factor;
    }

private:
    int value_;
};

int helper{i}(const std::vector<int>& items) {
    int total = 0;
    for (int item : items) {
        total += item * {i};
    }
    return total;
}

""",
}

_HEADERS: dict[str, str] = {
    "go": "package bench\n\n",
    "java": "public class Bench {\n",
    "c": "#include <stddef.h>\n\n",
    "cpp": "#include <vector>\n\n",
}
_FOOTERS: dict[str, str] = {"java": "}\n"}
EXTENSIONS: dict[str, str] = {
    "python": "py",
    "javascript": "js",
    "typescript": "ts",
    "go": "go",
    "rust": "rs",
    "java": "java",
    "c": "c",
    "cpp": "cpp",
}
LANGUAGES: tuple[str, ...] = tuple(_BLOCKS)


def large_file(language: str, lines: int = 10_000) -> str:
    """About ``lines`` lines of ``language``: blocks of a type, its methods and a free function."""
    block = _BLOCKS[language]
    per_block = block.count("\n")
    header, footer = _HEADERS.get(language, ""), _FOOTERS.get(language, "")
    blocks = max(1, (lines - header.count("\n") - footer.count("\n")) // per_block)
    return header + "".join(block.replace("{i}", str(i)) for i in range(blocks)) + footer


def many_functions(n: int, salt: int = 0) -> str:
    """``n`` two-line Python functions ``f0`` … ``f{n-1}``; ``salt`` changes every body (and cache key)."""
    return "".join(f"def f{i}(x):\n    return x + {i} + {salt}\n\n\n" for i in range(n))


def function_line(i: int) -> int:
    """The line of ``def f{i}`` in :func:`many_functions` (4 lines a function)."""
    return 4 * i
