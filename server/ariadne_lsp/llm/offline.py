"""The built-in offline summariser: the embedded default when no API key and no base URL are set.

It never leaves the machine: the first sentence of the docstring or of the comment above the
symbol, else a sentence built from the signature. Deterministic and instant.
"""

from __future__ import annotations

import re

from ariadne_lsp.llm.base import Summarizer
from ariadne_lsp.llm.prompt import SummaryContext

OFFLINE_LABEL = "offline"

SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_DOC_TAG = re.compile(r"^\s*[@:]\w+")  # @param, :param — the prose ends where the tags begin


def first_sentence(text: str) -> str:
    """The first sentence of a docstring or comment, on one line."""
    prose: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            if prose:
                break  # a blank line ends the first paragraph
            continue
        if _DOC_TAG.match(stripped):
            break
        prose.append(stripped)
    paragraph = " ".join(prose)
    if not paragraph:
        return ""
    sentence = SENTENCE_END.split(paragraph, maxsplit=1)[0].strip()
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return sentence[0].upper() + sentence[1:]


def _owner(context: SummaryContext) -> str:
    parts = context.qualified_name.split(".")
    return parts[-2] if len(parts) > 1 else ""


def _parameter_names(parameters: tuple[str, ...]) -> list[str]:
    names = []
    for param in parameters:
        text = param.strip()
        if text in {"self", "cls", "&self", "&mut self", "self,", "void"} or not text:
            continue
        names.append(f"`{text}`")
    return names


def describe_signature(context: SummaryContext) -> str:
    """A sentence built from what the declaration says about itself."""
    name = context.name or context.qualified_name.rsplit(".", 1)[-1] or "this symbol"
    kind = context.kind or "symbol"
    owner = _owner(context)
    if kind in {"function", "method"}:
        subject = f"Method `{name}` of `{owner}`" if kind == "method" and owner else f"Function `{name}`"
        params = _parameter_names(context.parameters)
        sentence = f"{subject} takes {', '.join(params) if params else 'no arguments'}"
        if context.return_type:
            sentence += f" and returns `{context.return_type}`"
    else:
        sentence = f"{kind.capitalize()} `{name}`"
        if owner:
            sentence += f" inside `{owner}`"
        sentence += " is declared here"
        header = context.signature
        if header and header != name:
            sentence += f" as `{header}`"
    if context.decorators:
        sentence += f"; decorated with {', '.join(f'`{d}`' for d in context.decorators)}"
    return sentence + "."


class OfflineSummarizer(Summarizer):
    """Summaries from docstrings, comments and signatures; needs no network and no key."""

    model_label = OFFLINE_LABEL
    offline = True

    def generate_summary(self, code: str, context: SummaryContext | None = None) -> str:
        context = context or SummaryContext()
        for text in (context.docstring, context.leading_comment):
            sentence = first_sentence(text)
            if sentence:
                return sentence
        if not context.kind and not context.name:
            first_line = code.strip().splitlines()[0] if code.strip() else ""
            return f"Declared as `{first_line}`." if first_line else "Empty symbol."
        return describe_signature(context)
