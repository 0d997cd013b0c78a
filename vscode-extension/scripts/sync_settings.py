#!/usr/bin/env python3
"""Write package.json's ``contributes.configuration`` from the server's settings model.

Run with the project's venv after adding or changing a server setting:

    .venv/bin/python vscode-extension/scripts/sync_settings.py          # rewrite package.json
    .venv/bin/python vscode-extension/scripts/sync_settings.py --check  # exit 1 if out of date

``tests/test_vscode_settings.py`` fails while the two differ. ``apiKey`` is left out on purpose: in
VS Code the key lives in SecretStorage (command "Ariadne: Set API Key"), never in settings.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ariadne_lsp.settings import setting_specs

PACKAGE_JSON = Path(__file__).resolve().parents[1] / "package.json"
#: Server settings VS Code must not show: the key is kept in SecretStorage instead.
OMITTED = {"apiKey"}
#: Settings a malicious workspace could abuse (run a program, send code and the key elsewhere).
MACHINE_SCOPED = {"baseUrl", "cacheDir"}

CLIENT_SETTINGS: dict[str, dict[str, Any]] = {
    "ariadne.server.path": {
        "type": "string",
        "default": "",
        "scope": "machine-overridable",
        "description": "Path of the ariadne-lsp executable. Empty: run `<python> -m ariadne_lsp` with the "
        "Python of `ariadne.server.python`.",
    },
    "ariadne.server.python": {
        "type": "string",
        "default": "python3",
        "scope": "machine-overridable",
        "description": "Python interpreter that runs `-m ariadne_lsp` when `ariadne.server.path` is empty. "
        "Left at its default, the interpreter selected in the Python extension is used if that extension "
        "is installed.",
    },
    "ariadne.trace.server": {
        "type": "string",
        "enum": ["off", "messages", "verbose"],
        "default": "off",
        "scope": "window",
        "description": "Log the LSP messages between VS Code and the Ariadne server in the Ariadne output "
        "channel.",
    },
}


def schema_for(spec: Any, default: Any) -> dict[str, Any]:
    kind = spec.type
    prop: dict[str, Any] = {}
    if kind == "string|null":
        prop["type"] = ["string", "null"]
    elif kind == "array":
        prop["type"] = "array"
        prop["items"] = {"type": "string"}
    else:
        prop["type"] = kind
    prop["default"] = default
    if spec.enum:
        prop["enum"] = list(spec.enum)
    if spec.minimum is not None:
        prop["minimum"] = int(spec.minimum) if kind == "integer" else spec.minimum
    if spec.maximum is not None:
        prop["maximum"] = int(spec.maximum) if kind == "integer" else spec.maximum
    prop["description"] = spec.description
    return prop


def configuration() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, (spec, default) in setting_specs().items():
        if name in OMITTED:
            continue
        prop = schema_for(spec, default)
        prop["scope"] = "machine-overridable" if name in MACHINE_SCOPED else "window"
        properties[f"ariadne.{name}"] = prop
    properties.update(CLIENT_SETTINGS)
    for i, prop in enumerate(properties.values()):
        prop["order"] = i
    return {"title": "Ariadne", "properties": properties}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report whether package.json is up to date")
    args = parser.parse_args()
    package = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    wanted = configuration()
    if package["contributes"].get("configuration") == wanted:
        print("package.json settings are up to date")
        return 0
    if args.check:
        print("package.json settings differ from the server model; run this script without --check")
        return 1
    package["contributes"]["configuration"] = wanted
    PACKAGE_JSON.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"updated {PACKAGE_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
