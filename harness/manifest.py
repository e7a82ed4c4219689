"""Deployment manifests: what was deployed where, from which config, by which compiler and commit.

A manifest is rewritten (atomically) after every step, so a deployment cut off part-way can resume
from it: a step recorded here and confirmed on chain is never sent again.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parent.parent


def deployments_dir() -> Path:
    """Where manifests live: deployments/ in the repo, or $DEPLOYMENTS_DIR."""
    return Path(os.environ.get("DEPLOYMENTS_DIR") or REPO_ROOT / "deployments")


class ContractRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contract: str
    address: str
    tx_hash: str
    block: int
    constructor_args: list[Any]


class TransactionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    tx_hash: str
    block: int


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    network: str
    chain_id: int
    deployer: str
    config_path: str
    config_digest: str
    compiler: dict[str, Any]
    git_commit: str
    started_at: str
    updated_at: str
    complete: bool = False
    contracts: dict[str, ContractRecord] = Field(default_factory=dict)
    transactions: dict[str, TransactionRecord] = Field(default_factory=dict)

    def save(self, path: Path) -> None:
        self.updated_at = utc_now()
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.model_dump(mode="json"), indent=2) + "\n"
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(text)
        os.replace(handle.name, path)

    def address_of(self, key: str) -> str:
        return self.contracts[key].address


def manifest_path(network: str, chain_id: int) -> Path:
    return deployments_dir() / f"{network}-{chain_id}.json"


def load_manifest(path: Path) -> Manifest:
    return Manifest.model_validate_json(Path(path).read_text())


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def git_commit() -> str:
    """HEAD of the repo, with '-dirty' when the work tree has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")
