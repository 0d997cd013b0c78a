from __future__ import annotations

from ariadne_lsp.llm.factory import display_label, make_summarizer
from ariadne_lsp.llm.offline import OfflineSummarizer, first_sentence
from ariadne_lsp.llm.prompt import SummaryContext
from ariadne_lsp.settings import Settings


def test_first_sentence_of_a_docstring() -> None:
    assert first_sentence("Return the area.\n\nLonger text.") == "Return the area."
    assert first_sentence("sum the areas of all shapes. An empty list has area zero.") == (
        "Sum the areas of all shapes."
    )
    assert first_sentence("Parse a file\n:param path: where") == "Parse a file."
    assert first_sentence("   ") == ""


def test_docstring_wins_then_comment_then_signature() -> None:
    summarizer = OfflineSummarizer()
    with_doc = SummaryContext(name="f", kind="function", docstring="Does X. More.", leading_comment="Other.")
    assert summarizer.generate_summary("def f(): ...", with_doc) == "Does X."
    with_comment = SummaryContext(name="f", kind="function", leading_comment="appends bytes to the buffer")
    assert summarizer.generate_summary("", with_comment) == "Appends bytes to the buffer."
    bare = SummaryContext(
        name="scaled",
        qualified_name="Circle.scaled",
        kind="method",
        parameters=("self", "factor: float"),
        return_type="Circle",
        decorators=("@cached",),
    )
    assert summarizer.generate_summary("", bare) == (
        "Method `scaled` of `Circle` takes `factor: float` and returns `Circle`; decorated with `@cached`."
    )
    klass = SummaryContext(name="Stack", qualified_name="Stack", kind="struct", signature="type Stack struct")
    assert summarizer.generate_summary("", klass) == "Struct `Stack` is declared here as `type Stack struct`."


def test_offline_is_the_default_without_key_or_base_url() -> None:
    summarizer = make_summarizer(Settings())
    assert summarizer.offline and display_label(summarizer.model_label) == "offline summary"
    assert not make_summarizer(Settings(base_url="http://127.0.0.1:1/v1")).offline
    assert not make_summarizer(Settings(api_key="k")).offline
    assert make_summarizer(Settings(api_key="k", backend="offline")).offline


def test_offline_keys_never_mix_with_model_keys() -> None:
    ctx = SummaryContext(name="f", kind="function")
    offline = OfflineSummarizer()
    online = make_summarizer(Settings(base_url="http://127.0.0.1:1/v1", model="m"))
    assert offline.key_for("def f(): pass", ctx) != online.key_for("def f(): pass", ctx)
