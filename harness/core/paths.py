"""Where the project's files are: the repository, compiled artifacts, manifests, reports, snapshots."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_CONTRACTS = REPO_ROOT / "build" / "contracts"  # brownie's artifacts: one JSON per contract type
# The config `make demo`, the tests and a development `scripts/deploy.py` deploy. Relative, as
# scripts/deploy.py records it in a manifest: scripts run from the repository root.
LOCAL_CONFIG = Path("config") / "local.yaml"
REPORTS = REPO_ROOT / "reports"  # the demo's charts
GAS_SNAPSHOT = REPO_ROOT / "gas-snapshot.json"


def deployments_dir() -> Path:
    """Where manifests live: deployments/ in the repo, or $DEPLOYMENTS_DIR."""
    return Path(os.environ.get("DEPLOYMENTS_DIR") or REPO_ROOT / "deployments")


def manifest_path(network: str, chain_id: int) -> Path:
    """The manifest of a network: deployments/<network>-<chainid>.json."""
    return deployments_dir() / f"{network}-{chain_id}.json"


def write_json_atomically(path: Path, data: Any) -> None:
    """`data` as indented JSON at `path`, all or nothing: written to a temporary file beside it, then
    renamed over it, so a run cut off mid-write never leaves half a manifest or ballot file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2) + "\n"
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(text)
    os.replace(handle.name, path)


def airdrop_tree_path(manifest_file: Path) -> Path:
    """Where a deployment writes its airdrop tree's OpenZeppelin `dump()` JSON: beside its manifest
    (`<manifest>.airdrop-tree.json`); claimers, scripts/airdrop.py and the web app read proofs from it."""
    manifest_file = Path(manifest_file)
    return manifest_file.with_name(manifest_file.stem + ".airdrop-tree.json")
