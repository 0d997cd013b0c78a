"""The prompt, kept small and versioned.

``PROMPT_VERSION`` is part of every cache key: changing the wording below must
bump it, so that summaries written for an older prompt are not served as new.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ariadne_lsp.llm.redact import redact_secrets
from ariadne_lsp.symbols.model import Symbol

PROMPT_VERSION = "1"

SYSTEM_PROMPT = (
    "You explain code to an experienced developer who is reading it for the first time. "
    "Answer with one or two plain sentences saying what the given symbol does (its purpose and effect), "
    "not how it is written. No preamble, no Markdown headings, no code blocks."
)

#: Upper bound on code characters sent per symbol: a 5,000-line class must not cost 5,000 lines of tokens.
MAX_CODE_CHARS = 6000


@dataclass(frozen=True)
class SummaryContext:
    """Everything a backend may use besides the code. Built from a Symbol by the pipeline."""

    language: str = ""
    file_name: str = ""
    qualified_name: str = ""
    kind: str = ""
    enclosing_header: str | None = None
    leading_comment: str = ""
    # Structured facts for the offline summariser; the LLM reads them from the code itself.
    name: str = ""
    docstring: str = ""
    signature: str = ""
    parameters: tuple[str, ...] = ()
    return_type: str | None = None
    decorators: tuple[str, ...] = ()

    @classmethod
    def for_symbol(cls, symbol: Symbol) -> SummaryContext:
        return cls(
            language=symbol.context.language,
            file_name=symbol.context.file_name,
            qualified_name=symbol.qualified_name,
            kind=symbol.kind.value,
            enclosing_header=symbol.context.enclosing_header,
            leading_comment=symbol.leading_comment,
            name=symbol.name,
            docstring=symbol.docstring,
            signature=symbol.signature,
            parameters=symbol.parameters,
            return_type=symbol.return_type,
            decorators=symbol.decorators,
        )


def truncate_code(code: str) -> str:
    if len(code) <= MAX_CODE_CHARS:
        return code
    return code[:MAX_CODE_CHARS] + "\n… (truncated)"


def build_messages(code: str, context: SummaryContext | None = None) -> list[dict[str, str]]:
    """The chat messages sent for one symbol: a fixed system prompt and one user message."""
    lines: list[str] = []
    if context is not None:
        if context.qualified_name:
            kind = f" ({context.kind})" if context.kind else ""
            lines.append(f"Symbol: {context.qualified_name}{kind}")
        if context.language:
            lines.append(f"Language: {context.language}")
        if context.file_name:
            lines.append(f"File: {context.file_name}")
        if context.enclosing_header:
            lines.append(f"Inside: {context.enclosing_header}")
        if context.leading_comment:
            lines.append("Comment above it:\n" + redact_secrets(context.leading_comment))
    fence = context.language if context is not None else ""
    lines.append(f"Code:\n```{fence}\n{redact_secrets(truncate_code(code))}\n```")
    lines.append("Summary:")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]


def cache_key(model_label: str, code: str, context: SummaryContext | None) -> str:
    """Key = hash of everything sent to the model, plus the model and the prompt version.

    The offline summariser uses its own label, so switching backends never mixes their summaries.
    """
    payload = json.dumps(
        [PROMPT_VERSION, model_label, build_messages(code, context)], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
