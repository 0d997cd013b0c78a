"""The documentation cannot drift from the code it describes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ariadne_lsp.settings import setting_specs

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_configuration_page_lists_every_setting_with_its_default() -> None:
    text = (DOCS / "configuration.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| `([^`]*)` \|", text, re.MULTILINE))
    specs = setting_specs()
    assert set(rows) == set(specs)
    for name, (_, default) in specs.items():
        assert json.loads(rows[name]) == default, name


def test_every_feature_has_a_page() -> None:
    for page in ("architecture", "configuration", "hover", "code-lens", "batches", "edits"):
        assert (DOCS / f"{page}.md").is_file(), page
