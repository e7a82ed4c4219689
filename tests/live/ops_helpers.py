"""Run the operations scripts as a holder would: `brownie run scripts/X.py main ... --network N`,
in a subprocess attached to the test session's Anvil."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BROWNIE = str(Path(sys.executable).with_name("brownie"))


def run_script(script: str, *args, network: str, env: dict[str, str] | None = None, home: str | None = None):
    environment = {**os.environ, **(env or {})}
    if home is not None:
        environment["HOME"] = home
    return subprocess.run(
        [BROWNIE, "run", f"scripts/{script}", "main", *map(str, args), "--network", network],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=300,
    )
