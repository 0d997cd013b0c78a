"""The one typed settings model: camelCase on the wire, snake_case in Python.

Settings arrive from ``initializationOptions``, ``workspace/didChangeConfiguration`` and
``workspace/configuration`` (section ``ariadne``), and from the CLI's flags. A bad value never
stops the server: it is reported by key and replaced by its default.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal, get_args

Backend = Literal["auto", "openai", "offline"]
BACKENDS: tuple[str, ...] = get_args(Backend)


@dataclass(frozen=True)
class SettingSpec:
    """What a setting accepts; the VS Code extension's ``contributes.configuration`` must match it."""

    type: str  # "string" | "boolean" | "integer" | "number" | "array" | "string|null"
    description: str
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def _spec(**kwargs: Any) -> dict[str, Any]:
    return {"spec": SettingSpec(**kwargs)}


@dataclass(frozen=True)
class Settings:
    backend: Backend = field(
        default="auto",
        metadata=_spec(
            type="string",
            enum=BACKENDS,
            description="Which summariser to use: 'openai' (any OpenAI-compatible server), 'offline' "
            "(built in: docstrings, comments, signatures), or 'auto' (openai when an API key or a base "
            "URL is set, else offline).",
        ),
    )
    base_url: str | None = field(
        default=None,
        metadata=_spec(
            type="string|null",
            description="Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 for Ollama. "
            "Empty: the OpenAI API.",
        ),
    )
    model: str = field(
        default="gpt-4o-mini", metadata=_spec(type="string", description="Model name sent with each request.")
    )
    api_key: str | None = field(
        default=None,
        metadata=_spec(
            type="string|null",
            description="API key. Empty: taken from the OPENAI_API_KEY environment variable. "
            "In VS Code, use the 'Ariadne: Set API Key' command instead of this setting.",
        ),
    )
    max_concurrency: int = field(
        default=5,
        metadata=_spec(
            type="integer", minimum=1, maximum=64, description="Most LLM requests in flight at once."
        ),
    )
    summarize_on_open: bool = field(
        default=True,
        metadata=_spec(
            type="boolean",
            description="Summarise every symbol of a document in the background when it opens.",
        ),
    )
    hover: bool = field(default=True, metadata=_spec(type="boolean", description="Show summaries on hover."))
    code_lens: bool = field(
        default=True, metadata=_spec(type="boolean", description="Show a one-line summary above each symbol.")
    )
    debounce_ms: int = field(
        default=750,
        metadata=_spec(
            type="integer",
            minimum=0,
            maximum=60000,
            description="Quiet time after the last edit before changed symbols are summarised again (ms).",
        ),
    )
    request_timeout: float = field(
        default=30.0,
        metadata=_spec(
            type="number", minimum=1, maximum=600, description="Timeout of one LLM request (seconds)."
        ),
    )
    lens_max_width: int = field(
        default=80,
        metadata=_spec(
            type="integer", minimum=10, maximum=400, description="Longest code-lens title, in characters."
        ),
    )
    exclude: tuple[str, ...] = field(
        default=(),
        metadata=_spec(
            type="array",
            description="Glob patterns of files never summarised nor sent anywhere, e.g. '**/secrets/**'.",
        ),
    )
    cache_size: int = field(
        default=10000,
        metadata=_spec(
            type="integer",
            minimum=1,
            maximum=1000000,
            description="Most summaries kept in memory.",
        ),
    )

    persistent_cache: bool = field(
        default=True,
        metadata=_spec(
            type="boolean",
            description="Keep summaries on disk: an unchanged symbol is not paid for again after a restart.",
        ),
    )
    cache_dir: str | None = field(
        default=None,
        metadata=_spec(
            type="string|null",
            description="Folder of the on-disk cache. Empty: $XDG_CACHE_HOME/ariadne (~/.cache/ariadne).",
        ),
    )

    def __repr__(self) -> str:  # the key must never reach a log line
        shown = {k: ("***" if k == "api_key" and v else v) for k, v in asdict(self).items()}
        return f"Settings({shown})"

    def resolved_api_key(self) -> str | None:
        return self.api_key or os.environ.get("OPENAI_API_KEY") or None

    def effective_backend(self) -> Literal["openai", "offline"]:
        """'auto' means openai when an API key or a base URL is set, else the offline default."""
        if self.backend == "auto":
            return "openai" if (self.resolved_api_key() or self.base_url) else "offline"
        return self.backend

    def resolved_cache_dir(self) -> str:
        if self.cache_dir:
            return os.path.expanduser(self.cache_dir)
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return os.path.join(base, "ariadne")

    def is_excluded(self, path: str) -> bool:
        return any(_glob_match(path, pattern) for pattern in self.exclude)

    def to_wire(self) -> dict[str, Any]:
        return {to_camel(f.name): _to_json(getattr(self, f.name)) for f in fields(self)}


def _to_json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _glob_match(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/")
    # "**/x" must also match "x" at the top, as in VS Code's globs.
    candidates = [pattern]
    if pattern.startswith("**/"):
        candidates.append(pattern[3:])
    return any(
        fnmatch.fnmatch(path, p)
        or fnmatch.fnmatch(path.rsplit("/", 1)[-1], p)
        or fnmatch.fnmatch(path, "*/" + p)
        for p in candidates
    )


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


SETTING_NAMES: dict[str, str] = {to_camel(f.name): f.name for f in fields(Settings)}


def setting_specs() -> dict[str, tuple[SettingSpec, Any]]:
    """camelCase name -> (spec, default), for docs and for checking editor integrations."""
    return {to_camel(f.name): (f.metadata["spec"], _to_json(f.default)) for f in fields(Settings)}


def _coerce(name: str, spec: SettingSpec, value: Any) -> Any:
    """Return the value in its Python type, or raise ValueError with a user-facing reason."""
    nullable = spec.type.endswith("|null")
    if value is None or (nullable and value == ""):
        if nullable:
            return None
        raise ValueError("must not be null")
    kind = spec.type.split("|")[0]
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if spec.enum and value not in spec.enum:
            raise ValueError(f"must be one of {', '.join(spec.enum)}")
        return value.strip()
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind in {"integer", "number"}:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a {'whole ' if kind == 'integer' else ''}number")
        if kind == "integer" and float(value) != int(value):
            raise ValueError("must be a whole number")
        number: float = int(value) if kind == "integer" else float(value)
        if spec.minimum is not None and number < spec.minimum:
            raise ValueError(f"must be at least {spec.minimum:g}")
        if spec.maximum is not None and number > spec.maximum:
            raise ValueError(f"must be at most {spec.maximum:g}")
        return number
    if kind == "array":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        return tuple(value)
    raise AssertionError(f"unknown setting type {spec.type} for {name}")


def parse_settings(raw: Mapping[str, Any] | None, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Apply wire settings (camelCase) over ``base``; return the result and one warning per bad key.

    Keys may also be nested under ``ariadne`` (as some clients send ``{"ariadne": {...}}``). Unknown
    keys are reported; a bad value keeps the default, never the previous value, so what the user
    sees matches the documentation.
    """
    base = base or Settings()
    if not raw:
        return base, []
    if not isinstance(raw, Mapping):
        return base, [f"Ariadne settings must be an object, got {type(raw).__name__}; using defaults"]
    if isinstance(raw.get("ariadne"), Mapping):
        raw = raw["ariadne"]
    specs = {f.name: f for f in fields(Settings)}
    changes: dict[str, Any] = {}
    warnings: list[str] = []
    for wire_name, value in raw.items():
        name = SETTING_NAMES.get(wire_name) or (wire_name if wire_name in specs else None)
        if name is None:
            # Editors send their own keys too (trace.server from VS Code); ignore those quietly.
            if wire_name not in {"trace", "server"}:
                warnings.append(f"Unknown Ariadne setting '{wire_name}' ignored")
            continue
        spec_field = specs[name]
        try:
            changes[name] = _coerce(name, spec_field.metadata["spec"], value)
        except ValueError as exc:
            changes[name] = spec_field.default
            default = spec_field.default
            warnings.append(
                f"Invalid Ariadne setting '{to_camel(name)}': {exc}; using the default ({default!r})"
            )
    return replace(base, **changes), warnings
