"""Run a script in a subprocess the way a user runs it: `tools/run SCRIPT ARGS... --network NAME`
(harness/launcher.py, which works from any checkout path, where `brownie run` does not)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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
