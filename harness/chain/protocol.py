"""The deployed protocol as contract handles: the one loader from a manifest to the contracts, used by
every script, the gas benchmark, the demo, the proposal simulation and the tests.

    protocol = Protocol.load()                      # the manifest of the connected network
    protocol = Protocol.load("deployments/x.json")  # a script's manifest=PATH
    protocol.token, protocol.escrow, protocol.distributor, protocol.levels, protocol.access, protocol.deals,
    protocol.governor, protocol.timelock

`Protocol.load` checks, before anything is sent, that the manifest is a valid one of the connected
chain and that each contract it knows has code there; each failure is a ScriptError naming the
manifest. Handles are made from the compiled ABIs (harness.core.abi) without brownie recording them
anywhere (a tampered manifest may point at a contract of another type); `project=True` makes brownie
project contracts instead, for code that deployed them in this process (the tests, the benchmark),
whose handles brownie then traces like any it deployed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from brownie import Contract, network, web3

from harness.chain.calls import has_code
from harness.core.abi import abi_of
from harness.core.errors import ScriptError
from harness.core.manifest import Manifest, open_manifest
from harness.core.paths import airdrop_tree_path
from harness.core.paths import manifest_path
from harness.core.proposals.build import Catalog, catalog_from_manifest

# Every contract a complete deployment has, by manifest key, and the attribute it is reached by.
CONTRACTS: dict[str, str] = {
    "ServiceToken": "token",
    "VotingEscrow": "escrow",
    "RevenueDistributor": "distributor",
    "StakingLevels": "levels",
    "ServiceAccess": "access",
    "EarlyAccessDeals": "deals",
    "ServiceGovernor": "governor",
    "TimelockController": "timelock",
}
ERC20_TYPE = "ServiceToken"  # its ABI is a standard ERC-20's (the extra permit and burn entries are harmless)


def handle(contract_type: str, address: str, project: bool = False) -> Any:
    """A contract handle of `contract_type` at `address` (see the module docstring for `project`)."""
    if project:
        from brownie import project as brownie_project

        return getattr(brownie_project.get_loaded_projects()[0], contract_type).at(address)
    return Contract.from_abi(contract_type, address, abi_of(contract_type), persist=False)


def locate_manifest(manifest: str | Path | None = None) -> Path:
    """The manifest file a script acts on: `manifest=PATH` if given, else the connected network's
    deployments/<network>-<chainid>.json; a ScriptError if there is none."""
    if manifest:
        path = Path(manifest)
        if not path.is_file():
            raise ScriptError(f"manifest: no such file {path}")
        return path
    path = manifest_path(network.show_active(), web3.eth.chain_id)
    if not path.is_file():
        raise ScriptError(
            f"manifest: no deployment recorded for network {network.show_active()!r} "
            f"(chain id {web3.eth.chain_id}) at {path}: deploy first, pass manifest=PATH or set DEPLOYMENTS_DIR"
        )
    return path


@dataclass
class Protocol:
    """The deployment a manifest records, on the connected chain."""

    manifest: Manifest
    manifest_file: Path
    token: Any
    escrow: Any
    distributor: Any
    levels: Any
    access: Any
    deals: Any
    governor: Any
    timelock: Any
    project: bool = field(default=False, repr=False)

    @property
    def airdrop(self) -> Any:
        """The CommunityAirdrop, if the deployment has one (config `airdrop`); else a ScriptError."""
        if "CommunityAirdrop" not in self.manifest.contracts:
            raise ScriptError(f"manifest {self.manifest_file}: this deployment has no CommunityAirdrop")
        return self.contract("CommunityAirdrop")

    @property
    def airdrop_tree_file(self) -> Path:
        """The airdrop tree's dump() JSON the deployment wrote beside the manifest."""
        return airdrop_tree_path(self.manifest_file)

    @classmethod
    def load(cls, manifest: str | Path | None = None, *, project: bool = False) -> "Protocol":
        path = locate_manifest(manifest)
        return cls.of(open_manifest(path), path, project=project)

    @classmethod
    def of(cls, manifest: Manifest, manifest_file: Path, *, project: bool = False) -> "Protocol":
        """Handles of `manifest`'s contracts, checked to be on the connected chain."""
        where = f"manifest {manifest_file}"
        if manifest.chain_id != web3.eth.chain_id:
            raise ScriptError(f"{where}: is for chain id {manifest.chain_id}, connected to {web3.eth.chain_id}")
        missing = [key for key in CONTRACTS if key not in manifest.contracts]
        if missing:
            raise ScriptError(f"{where}: has no {', '.join(missing)}")
        for key in CONTRACTS:
            if not has_code(manifest.address_of(key)):
                raise ScriptError(f"{where}: no contract code at {key} {manifest.address_of(key)} on this chain")
        handles = {
            attribute: handle(manifest.contracts[key].contract, manifest.address_of(key), project)
            for key, attribute in CONTRACTS.items()
        }
        return cls(manifest=manifest, manifest_file=Path(manifest_file), project=project, **handles)

    def contract(self, key: str) -> Any:
        """Any contract of the manifest by its key (`LocalTestUSD`, `vesting:team-founders`)."""
        record = self.manifest.contracts[key]
        return handle(record.contract, record.address, self.project)

    @cached_property
    def symbol(self) -> str:
        return self.token.symbol()

    @cached_property
    def catalog(self) -> Catalog:
        """What a proposal file may name: the manifest's contracts, their ABIs, the token's symbol."""
        return catalog_from_manifest(self.manifest, self.symbol)

    def erc20(self, address: str) -> Any:
        """An ERC-20 handle (the staking token's own handle for its address)."""
        if address == self.token.address:
            return self.token
        return Contract.from_abi("ERC20", address, abi_of(ERC20_TYPE), persist=False)

    def reward_token(self, name: str, text: str) -> Any:
        """A reward token given by symbol or address; must be an active reward token (`name` is the
        argument the error names)."""
        active = [self.erc20(address) for address in self.distributor.rewardTokens()]
        for candidate in active:
            if text.lower() in (candidate.address.lower(), candidate.symbol().lower()):
                return candidate
        listed = ", ".join(f"{t.symbol()} ({t.address})" for t in active)
        raise ScriptError(f"{name}: {text!r} is not an active reward token; the reward tokens are {listed}")
