"""Ariadne: a language server that shows what code does before you read it."""

from __future__ import annotations

__version__ = "0.1.0"
