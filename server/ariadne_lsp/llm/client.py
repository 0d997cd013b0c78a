"""The OpenAI-compatible client: one chat completion per symbol, blocking, thread-safe.

No asyncio here: the server awaits this client's work from its own event loop by wrapping
pool futures, and the CLI simply calls it.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any

from ariadne_lsp.llm.base import Summarizer, SummaryError
from ariadne_lsp.llm.prompt import SummaryContext, build_messages

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
#: Enough for two sentences; a summary is never an essay.
MAX_TOKENS = 120
CONNECT_TIMEOUT = 5.0


class SummaryClient(Summarizer):
    """Summaries from any OpenAI-compatible endpoint (OpenAI, Ollama, llama.cpp, vLLM, LM Studio)."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        model: str = DEFAULT_MODEL,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self.base_url = base_url or None
        # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
        self._api_key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
        self.model = model
        self.model_label = model
        self.timeout = timeout
        self.max_retries = max_retries
        self._client: openai.OpenAI | None = None
        self._client_lock = threading.Lock()
        self._usage_lock = threading.Lock()
        self.requests = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def __repr__(self) -> str:  # never show the key
        return f"SummaryClient(model={self.model!r}, base_url={self.base_url!r})"

    @property
    def client(self) -> openai.OpenAI:
        # Imported lazily: the openai SDK is the heaviest import, and offline users never need it.
        with self._client_lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    api_key=self._api_key,
                    base_url=self.base_url,
                    # A short connect timeout: an unreachable server must be reported, not waited on.
                    timeout=openai.Timeout(self.timeout, connect=min(self.timeout, CONNECT_TIMEOUT)),
                    max_retries=self.max_retries,
                )
            return self._client

    def warm_up(self) -> None:
        """Import the SDK and build the HTTP client on a background thread, so that the first
        summary does not pay for it (the import takes most of a second)."""
        threading.Thread(target=lambda: self.client, name="ariadne-warm-up", daemon=True).start()

    def generate_summary(self, code: str, context: SummaryContext | None = None) -> str:
        """One blocking ``chat.completions.create`` call; raises ``SummaryError`` with a short reason."""
        messages: Any = build_messages(code, context)
        try:
            response = self.client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=MAX_TOKENS, temperature=0.2
            )
        except Exception as exc:
            raise translate_error(exc, self.base_url) from exc
        with self._usage_lock:
            self.requests += 1
            if response.usage is not None:
                self.prompt_tokens += response.usage.prompt_tokens or 0
                self.completion_tokens += response.usage.completion_tokens or 0
        if not response.choices:
            raise SummaryError("empty response")
        text = (response.choices[0].message.content or "").strip()
        if not text:
            raise SummaryError("empty response")
        return clean_summary(text)

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def clean_summary(text: str) -> str:
    """Strip what chat models like to add around an answer."""
    text = text.strip().strip("`").strip()
    for prefix in ("Summary:", "summary:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return " ".join(text.split())


def translate_error(exc: Exception, base_url: str | None) -> SummaryError:
    """Map SDK errors to short reasons. Never includes the key or the prompt."""
    import openai

    where = base_url or "the OpenAI API"
    if isinstance(exc, openai.AuthenticationError):
        return SummaryError("bad API key (401 from the server)", fatal=True)
    if isinstance(exc, openai.PermissionDeniedError):
        return SummaryError("permission denied (403)", fatal=True)
    if isinstance(exc, openai.NotFoundError):
        return SummaryError("model or endpoint not found (404)", fatal=True)
    if isinstance(exc, openai.RateLimitError):
        return SummaryError("rate limited")
    if isinstance(exc, openai.APITimeoutError):
        return SummaryError(f"timed out waiting for {where}")
    if isinstance(exc, openai.APIConnectionError):
        return SummaryError(f"cannot reach {where}", fatal=True)
    if isinstance(exc, openai.APIStatusError):
        return SummaryError(f"server error {exc.status_code}")
    return SummaryError(type(exc).__name__)
