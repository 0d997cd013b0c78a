"""The VS Code extension's settings (package.json ``contributes.configuration``) match the server's model.

Every server setting is ``ariadne.<camelCaseName>`` with the same type, default, enum and bounds, except
``apiKey``: in VS Code the key lives in SecretStorage ("Ariadne: Set API Key"), never in settings.json.
The extension adds its own ``ariadne.server.*`` and ``ariadne.trace.*``. After changing a server setting,
run ``.venv/bin/python vscode-extension/scripts/sync_settings.py`` to rewrite package.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ariadne_lsp.settings import SettingSpec, setting_specs
from ariadne_lsp.symbols import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_JSON = ROOT / "vscode-extension" / "package.json"
FIX = "run: .venv/bin/python vscode-extension/scripts/sync_settings.py"
CLIENT_ONLY = {"ariadne.server.path", "ariadne.server.python", "ariadne.trace.server"}
NOT_IN_VSCODE = {"apiKey"}
#: The extension activates for every language the server extracts symbols from.
LANGUAGES = set(SUPPORTED_LANGUAGES)


@pytest.fixture(scope="module")
def package() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def properties(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    configuration = package["contributes"]["configuration"]
    sections = configuration if isinstance(configuration, list) else [configuration]
    merged: dict[str, dict[str, Any]] = {}
    for section in sections:
        merged.update(section.get("properties", {}))
    return merged


def expected_type(spec: SettingSpec) -> Any:
    return ["string", "null"] if spec.type == "string|null" else spec.type


def test_same_names(properties: dict[str, dict[str, Any]]) -> None:
    server = {f"ariadne.{name}" for name in setting_specs() if name not in NOT_IN_VSCODE}
    ours = {key for key in properties if key.startswith("ariadne.")}
    assert ours - CLIENT_ONLY == server, (
        f"only in package.json: {sorted(ours - CLIENT_ONLY - server)}; "
        f"only in the server: {sorted(server - ours)}; {FIX}"
    )
    assert ours >= CLIENT_ONLY, f"missing client settings: {sorted(CLIENT_ONLY - ours)}"


def test_api_key_is_not_a_setting(properties: dict[str, dict[str, Any]], package: dict[str, Any]) -> None:
    assert "ariadne.apiKey" not in properties, "the API key must live in SecretStorage, not in settings.json"
    commands = {c["command"]: c["title"] for c in package["contributes"]["commands"]}
    assert commands.get("ariadne.client.setApiKey") == "Set API Key"


@pytest.mark.parametrize("name", [n for n in setting_specs() if n not in NOT_IN_VSCODE])
def test_same_schema(name: str, properties: dict[str, dict[str, Any]]) -> None:
    spec, default = setting_specs()[name]
    prop = properties.get(f"ariadne.{name}")
    assert prop is not None, f"ariadne.{name} missing from package.json; {FIX}"
    assert prop.get("type") == expected_type(spec), f"ariadne.{name}: type; {FIX}"
    assert prop.get("default") == default, (
        f"ariadne.{name}: default {prop.get('default')!r} != {default!r}; {FIX}"
    )
    assert type(prop.get("default")) is type(default) or default is None, (
        f"ariadne.{name}: default's JSON type"
    )
    assert tuple(prop.get("enum", ())) == tuple(spec.enum), f"ariadne.{name}: enum; {FIX}"
    assert prop.get("minimum") == spec.minimum, f"ariadne.{name}: minimum; {FIX}"
    assert prop.get("maximum") == spec.maximum, f"ariadne.{name}: maximum; {FIX}"
    if spec.type == "array":
        assert prop.get("items") == {"type": "string"}, f"ariadne.{name}: items"
    assert prop.get("description"), f"ariadne.{name}: description"


def test_defaults_are_valid(properties: dict[str, dict[str, Any]]) -> None:
    """The client settings' defaults match their own enums (a typo would break VS Code's settings UI)."""
    for key, prop in properties.items():
        if "enum" in prop:
            assert prop["default"] in prop["enum"], key


def test_activation_and_commands(package: dict[str, Any]) -> None:
    events = set(package["activationEvents"])
    assert {f"onLanguage:{lang}" for lang in LANGUAGES} <= events
    assert package["engines"]["vscode"] == "^1.82.0"
    commands = {c["command"] for c in package["contributes"]["commands"]}
    # vscode-languageclient registers the server's own commands (ariadne.showSummary, ariadne.summaryAt,
    # ariadne.clearCache, ariadne.stats) itself: contributing the same IDs would clash.
    assert commands == {
        "ariadne.client.restart",
        "ariadne.client.showOutput",
        "ariadne.client.showSummary",
        "ariadne.client.clearCache",
        "ariadne.client.showStats",
        "ariadne.client.setApiKey",
    }


def test_documented(properties: dict[str, dict[str, Any]]) -> None:
    docs = (ROOT / "docs" / "vscode.md").read_text(encoding="utf-8")
    missing = [key for key in properties if f"`{key}`" not in docs]
    assert not missing, f"settings missing from docs/vscode.md's table: {missing}"
