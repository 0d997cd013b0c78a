"""Secrets never leave the machine: obvious credentials in code are masked before a prompt is built.

This is a safety net for literals that should not be in code anyway (keys, tokens, private keys,
passwords assigned to variables), not a secret scanner; ``exclude`` is the way to keep whole files
away from the model.
"""

from __future__ import annotations

import re

REDACTED = "<redacted>"

_TOKEN_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
    re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}"),  # OpenAI / Anthropic style keys
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),  # AWS access key ids
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{30,}\b"),
    re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}\b"),  # Slack tokens
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),  # Google API keys
    re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"),  # JWTs
]

# name = "value" / name: 'value' where the name says it is a secret: keep the name, mask the value.
_ASSIGNED_SECRET = re.compile(
    r"""(?P<name>\b[\w.\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key)"""
    r"""[\w\-]*["']?\s*(?::=|=|:)\s*)(?P<quote>["'`])(?P<value>[^"'`\n]{6,})(?P=quote)""",
    re.IGNORECASE,
)


def redact_secrets(text: str) -> str:
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return _ASSIGNED_SECRET.sub(
        lambda m: f"{m.group('name')}{m.group('quote')}{REDACTED}{m.group('quote')}", text
    )
