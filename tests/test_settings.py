from __future__ import annotations

import pytest

from ariadne_lsp.settings import Settings, parse_settings, setting_specs, to_camel, to_snake


def test_camel_case_on_the_wire_snake_case_in_python() -> None:
    settings, warnings = parse_settings(
        {
            "baseUrl": "http://127.0.0.1:1/v1",
            "maxConcurrency": 8,
            "summarizeOnOpen": False,
            "exclude": ["*.env"],
        }
    )
    assert warnings == []
    assert settings.base_url == "http://127.0.0.1:1/v1"
    assert settings.max_concurrency == 8 and settings.summarize_on_open is False
    assert settings.exclude == ("*.env",)
    assert settings.to_wire()["maxConcurrency"] == 8
    assert to_camel("lens_max_width") == "lensMaxWidth" and to_snake("lensMaxWidth") == "lens_max_width"


def test_nested_under_ariadne_section() -> None:
    settings, _ = parse_settings({"ariadne": {"model": "llama3"}})
    assert settings.model == "llama3"


@pytest.mark.parametrize(
    ("raw", "key", "fragment"),
    [
        ({"maxConcurrency": 0}, "maxConcurrency", "at least 1"),
        ({"maxConcurrency": "five"}, "maxConcurrency", "number"),
        ({"backend": "gpt"}, "backend", "one of auto, openai, offline"),
        ({"hover": "yes"}, "hover", "true or false"),
        ({"exclude": "*.env"}, "exclude", "list of strings"),
        ({"debounceMs": 1.5}, "debounceMs", "whole number"),
    ],
)
def test_invalid_values_warn_by_key_and_fall_back_to_defaults(
    raw: dict[str, object], key: str, fragment: str
) -> None:
    settings, warnings = parse_settings(raw, base=Settings(model="kept"))
    assert len(warnings) == 1 and f"'{key}'" in warnings[0] and fragment in warnings[0]
    default = Settings()
    assert settings.to_wire()[key] == default.to_wire()[key]
    assert settings.model == "kept"


def test_unknown_keys_are_reported() -> None:
    _, warnings = parse_settings({"modle": "x"})
    assert warnings == ["Unknown Ariadne setting 'modle' ignored"]


def test_api_key_never_appears_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(api_key="sk-secret")
    assert "sk-secret" not in repr(settings) and "sk-secret" not in str(settings)


def test_auto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().effective_backend() == "offline"
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert Settings().effective_backend() == "openai"
    assert Settings(backend="offline").effective_backend() == "offline"


def test_exclude_globs() -> None:
    settings = Settings(exclude=("**/secrets/**", "*.env.py"))
    assert settings.is_excluded("/home/u/proj/secrets/keys.py")
    assert settings.is_excluded("/home/u/proj/prod.env.py")
    assert not settings.is_excluded("/home/u/proj/app.py")


def test_every_setting_has_a_spec_and_a_description() -> None:
    specs = setting_specs()
    assert set(specs) == set(Settings().to_wire())
    assert all(spec.description for spec, _ in specs.values())
