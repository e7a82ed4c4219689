"""Helpers of the proposal tooling tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from launch_helpers import REPO, launch


def brownie_run(
    script: str, *args: object, deployments_dir: Path, cli: tuple[str, dict], env: dict | None = None
) -> subprocess.CompletedProcess:
    """The script in a subprocess (`tools/run`, the launcher) attached to this session's Anvil
    (`cli`: the `brownie_cli` fixture's network name and environment)."""
    cli_network, cli_env = cli
    return launch(script, *args, network=cli_network, env={**cli_env, "DEPLOYMENTS_DIR": str(deployments_dir), **(env or {})})


def assert_rejected(result, *fragments: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in output
    assert "Transaction sent" not in output
