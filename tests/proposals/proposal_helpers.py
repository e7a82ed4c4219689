"""Helpers of the proposal tooling tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[2]


def brownie_run(
    script: str, *args: object, deployments_dir: Path, cli: tuple[str, dict], env: dict | None = None
) -> subprocess.CompletedProcess:
    """`brownie run` in a subprocess attached to this session's Anvil (`cli`: the `brownie_cli`
    fixture's network name and environment)."""
    cli_network, cli_env = cli
    return subprocess.run(
        [str(Path(sys.executable).with_name("brownie")), "run", script, "main", *map(str, args), "--network", cli_network],
        cwd=REPO, env={**os.environ, **cli_env, "DEPLOYMENTS_DIR": str(deployments_dir), **(env or {})},
        capture_output=True, text=True, timeout=300,
    )


def assert_rejected(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in output
    assert "Transaction sent" not in output
