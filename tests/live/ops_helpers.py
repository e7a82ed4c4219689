"""Run the operations scripts as a holder would: `tools/run scripts/X.py ... --network N` (the
launcher, harness/launcher.py), in a subprocess attached to the test session's Anvil."""

from __future__ import annotations

import sys
from pathlib import Path

from launch_helpers import REPO, launch

BROWNIE = str(Path(sys.executable).with_name("brownie"))


def run_script(script: str, *args, network: str, env: dict[str, str] | None = None, home: str | None = None):
    environment = dict(env or {})
    if home is not None:
        environment["HOME"] = home
    return launch(f"scripts/{script}", *args, network=network, env=environment)
