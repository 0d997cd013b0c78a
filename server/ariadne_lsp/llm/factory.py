"""Pick the summariser that the settings ask for."""

from __future__ import annotations

from ariadne_lsp.llm.base import Summarizer
from ariadne_lsp.llm.offline import OfflineSummarizer
from ariadne_lsp.settings import Settings


def make_summarizer(settings: Settings) -> Summarizer:
    if settings.effective_backend() == "offline":
        return OfflineSummarizer()
    from ariadne_lsp.llm.client import SummaryClient

    return SummaryClient(
        base_url=settings.base_url,
        api_key=settings.resolved_api_key(),
        model=settings.model,
        timeout=settings.request_timeout,
    )


def display_label(summarizer_label: str) -> str:
    """How a summary's origin is shown to users."""
    return "offline summary" if summarizer_label == OfflineSummarizer.model_label else summarizer_label
