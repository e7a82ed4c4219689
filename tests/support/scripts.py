"""Running the scripts in tests: in a subprocess the way a user runs them (`tools/run SCRIPT ARGS...
--network NAME`, harness/chain/launcher.py, which works from any checkout path where `brownie run`
does not), and the checks every bad-input test makes of the result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from harness.core.paths import REPO_ROOT

REPO = REPO_ROOT  # this checkout
BROWNIE = str(Path(sys.executable).with_name("brownie"))


def launch(
    script: str, *args: object, network: str, env: dict[str, str] | None = None, repo: Path = REPO,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """`<repo>/tools/run script args... --network network` in `repo` with `env` added to this
    process's environment; returns the finished process (exit status, stdout, stderr)."""
    return subprocess.run(
        [str(repo / "tools" / "run"), script, *map(str, args), "--network", network],
        cwd=repo, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout,
    )


def launch_attached(
    script: str, *args: object, cli: tuple[str, dict], deployments_dir: Path, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The script in a subprocess attached to this session's Anvil (`cli`: the `brownie_cli`
    fixture's network name and environment), reading manifests from `deployments_dir`."""
    cli_network, cli_env = cli
    return launch(script, *args, network=cli_network, env={**cli_env, "DEPLOYMENTS_DIR": str(deployments_dir), **(env or {})})


def assert_rejected(result, *fragments: str) -> None:
    """Bad input: exit status 1, each fragment in stderr, no traceback, no transaction sent."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in output
    assert "Transaction sent" not in output
