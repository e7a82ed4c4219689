"""Deployment manifests: what was deployed where, from which config, by which compiler and commit.

A manifest is rewritten (atomically) after every step, so a deployment cut off part-way can resume
from it: a step recorded here and confirmed on chain is never sent again.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from harness.core.errors import ScriptError
from harness.core.paths import REPO_ROOT, write_json_atomically

JSON_SAFE_INT = 2**53
VESTING_PREFIX = "vesting:"  # manifest key of a vesting wallet: vesting:<allocation name>


def jsonable(value: Any) -> Any:
    """Constructor arguments as stored in the manifest: big integers become decimal strings so
    JavaScript readers lose no precision."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value) if abs(value) >= JSON_SAFE_INT else value
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return str(value)


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
        write_json_atomically(path, self.model_dump(mode="json"))

    def address_of(self, key: str) -> str:
        return self.contracts[key].address

    def vesting_wallets(self) -> dict[str, str]:
        """Vesting wallet address per allocation name."""
        return {
            key.removeprefix(VESTING_PREFIX): record.address
            for key, record in self.contracts.items()
            if key.startswith(VESTING_PREFIX)
        }


def load_manifest(path: Path) -> Manifest:
    return Manifest.model_validate_json(Path(path).read_text())


def open_manifest(path: Path) -> Manifest:
    """The manifest at `path`, or a ScriptError naming the file (missing, or not a manifest)."""
    path = Path(path)
    if not path.is_file():
        raise ScriptError(f"manifest: no such file {path}")
    try:
        return load_manifest(path)
    except ValueError as error:
        raise ScriptError(f"manifest {path}: not a valid manifest ({error})") from None


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
