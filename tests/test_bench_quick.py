"""The benchmarks keep working: ``bench/run.py --quick`` runs every scenario with tiny sizes.

No timing is asserted here (the machine may be busy); ``make bench`` produces the real numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_TITLES = [
    "1. Batch API",
    "2. didOpen → every code lens",
    "3. Hover on already-summarised symbols",
    "4. Hover on a not-yet-summarised symbol",
    "5. Edit churn",
    "6. Start-up",
    "7. Symbol extraction",
    "8. Memory",
]


@pytest.mark.timeout(170)
def test_quick_benchmark_runs_every_scenario(tmp_path: Path) -> None:
    output = tmp_path / "bench.md"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=160,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = output.read_text(encoding="utf-8")
    assert "| CPU count |" in report and "| Python |" in report
    for title in SCENARIO_TITLES:
        heading = next((line for line in report.splitlines() if line.startswith(f"## {title}")), None)
        assert heading is not None, f"no table for scenario {title!r}"
        table = report.split(heading, 1)[1]
        assert "| metric | baseline | Ariadne | ratio | target | met? |" in table.split("\n## ", 1)[0]
    assert "(failed)" not in report
