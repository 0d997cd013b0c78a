"""Summary backends: the OpenAI-compatible client and the offline summariser."""

from __future__ import annotations
