from __future__ import annotations

from ariadne_lsp.llm.client import SummaryClient
from ariadne_lsp.llm.prompt import SummaryContext, build_messages
from ariadne_lsp.llm.redact import REDACTED, redact_secrets
from fake_openai import FakeOpenAI

CODE = """def connect():
    api_key = "sk-proj-abcdefghijklmnopqrstuvwxyz123456"
    aws = "AKIAIOSFODNN7EXAMPLE"
    DB_PASSWORD = 'hunter2hunter2'
    config = {"token": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
    return Client(api_key, aws, DB_PASSWORD, config)
"""


def test_obvious_secrets_are_masked_and_code_kept() -> None:
    masked = redact_secrets(CODE)
    for secret in ("sk-proj-abcdefghijklmnop", "AKIAIOSFODNN7EXAMPLE", "hunter2hunter2", "ghp_abcdefghij"):
        assert secret not in masked
    assert masked.count(REDACTED) == 4
    assert "DB_PASSWORD = '<redacted>'" in masked
    assert "return Client(api_key, aws, DB_PASSWORD, config)" in masked


def test_ordinary_code_is_untouched() -> None:
    code = 'def tokenize(text):\n    password_field = form.get("password")\n    return text.split()\n'
    assert redact_secrets(code) == code


def test_private_key_blocks_are_masked() -> None:
    code = 'KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----"""'
    assert redact_secrets(code) == f'KEY = """{REDACTED}"""'


def test_secrets_never_reach_the_server(fake_openai: FakeOpenAI) -> None:
    context = SummaryContext(
        qualified_name="connect", leading_comment="uses sk-abcdefghijklmnopqrstuvwxyz0123"
    )
    assert "sk-abcdefghij" not in str(build_messages(CODE, context))
    SummaryClient(base_url=fake_openai.base_url, api_key="k", max_retries=0).generate_summary(CODE, context)
    sent = str(fake_openai.requests[0].messages)
    assert "hunter2hunter2" not in sent and "AKIAIOSFODNN7EXAMPLE" not in sent and REDACTED in sent
