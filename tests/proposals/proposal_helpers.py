"""Helpers of the proposal tooling tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from brownie import network

REPO = Path(__file__).resolve().parents[2]


def brownie_run(script: str, *args: object, deployments_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("brownie")), "run", script, "main", *map(str, args), "--network", network.show_active()],
        cwd=REPO, env={**os.environ, "DEPLOYMENTS_DIR": str(deployments_dir), **(env or {})},
        capture_output=True, text=True, timeout=300,
    )


def assert_rejected(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in output
    assert "Transaction sent" not in output
