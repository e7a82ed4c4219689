"""Deploy the protocol from a validated config, resuming from the network's manifest.

Every step is either a contract deployment (skipped when the manifest records it and the chain has
code at its address) or a transaction whose effect is read back from the chain (skipped when the
chain already shows it). The manifest is saved after each step, so a run cut off part-way resumes
where it stopped and a finished deployment re-run sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from brownie import (
    RevenueDistributor,
    ServiceGovernor,
    ServiceToken,
    TeamVesting,
    TimelockController,
    VotingEscrow,
    network,
    web3,
)
from brownie.network.account import Account
from brownie.network.contract import Contract, ContractContainer, ProjectContract

from harness.chain import settle
from harness.config import DeployConfig, VestingAllocation
from harness.manifest import (
    ContractRecord,
    Manifest,
    TransactionRecord,
    git_commit,
    load_manifest,
    utc_now,
)

JSON_SAFE_INT = 2**53
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
DEFAULT_ADMIN_ROLE = "0x" + "00" * 32


class DeployError(Exception):
    """The deployment cannot go on as asked (stale or foreign manifest, mismatched arguments)."""


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


def _unpersisted(contract: ProjectContract) -> ProjectContract:
    """The manifest is the one record of a deployment: drop the copy brownie writes to
    build/deployments/<chainid> on live networks (a stale one there, e.g. from a restarted test chain
    with the same chain id, makes brownie refuse to load the project)."""
    settle()  # brownie records the deployment from a background thread: let it finish first
    contract._delete_deployment()
    return contract


def read_only(container: ContractContainer, address: str) -> Contract:
    """`container`'s ABI at `address`, for reading and sending, without brownie recording it
    anywhere and whatever brownie already knows about the address (a tampered manifest may point
    at a contract of another type)."""
    return Contract.from_abi(container._name, address, container.abi, persist=False)


def has_code(address: str) -> bool:
    return len(web3.eth.get_code(address)) > 0


def compiler_info(container: ContractContainer) -> dict[str, Any]:
    compiler = container._build.get("compiler", {})
    return {
        "solc": compiler.get("version"),
        "evm_version": compiler.get("evm_version"),
        "optimizer": compiler.get("optimizer"),
    }


@dataclass
class Deployment:
    """One run of the deployment against the connected network."""

    config: DeployConfig
    config_path: str
    deployer: Account
    manifest_file: Path
    manifest: Manifest = field(init=False)
    sent: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.manifest = self._open_manifest()

    # ---- manifest ---------------------------------------------------------------------------

    def _fresh_manifest(self) -> Manifest:
        now = utc_now()
        return Manifest(
            network=network.show_active(),
            chain_id=web3.eth.chain_id,
            deployer=self.deployer.address,
            config_path=self.config_path,
            config_digest=self.config.digest(),
            compiler=compiler_info(ServiceToken),
            git_commit=git_commit(),
            started_at=now,
            updated_at=now,
        )

    def _open_manifest(self) -> Manifest:
        if not self.manifest_file.exists():
            return self._fresh_manifest()
        previous = load_manifest(self.manifest_file)
        on_chain = [key for key, record in previous.contracts.items() if has_code(record.address)]
        if not on_chain:
            # a restarted local chain, or a manifest whose deployment never reached this chain
            print(f"manifest {self.manifest_file} names nothing that exists on this chain: starting anew")
            return self._fresh_manifest()
        if previous.chain_id != web3.eth.chain_id:
            raise DeployError(
                f"manifest {self.manifest_file} is for chain id {previous.chain_id}, "
                f"connected to {web3.eth.chain_id}"
            )
        if previous.config_digest != self.config.digest():
            raise DeployError(
                f"manifest {self.manifest_file} was deployed from a config with digest "
                f"{previous.config_digest}, {self.config_path} now has {self.config.digest()}: "
                "restore that config to resume, or move the manifest away to deploy anew"
            )
        print(f"resuming from {self.manifest_file} ({len(on_chain)} contract(s) already on chain)")
        previous.git_commit = git_commit()
        return previous

    def save(self) -> None:
        self.manifest.save(self.manifest_file)

    # ---- steps ------------------------------------------------------------------------------

    def contract(self, key: str, container: ContractContainer, *args: Any) -> ProjectContract:
        """Deploy `container(*args)` as `key`, unless the manifest and the chain already have it."""
        record = self.manifest.contracts.get(key)
        if record is not None and has_code(record.address):
            if record.constructor_args != jsonable(list(args)):
                raise DeployError(
                    f"{key}: deployed at {record.address} with arguments {record.constructor_args}, "
                    f"the config now asks for {jsonable(list(args))}"
                )
            return _unpersisted(container.at(record.address))
        deployed = _unpersisted(container.deploy(*args, {"from": self.deployer}))
        receipt = deployed.tx
        self.manifest.contracts[key] = ContractRecord(
            contract=container._name,
            address=deployed.address,
            tx_hash=receipt.txid,
            block=receipt.block_number,
            constructor_args=jsonable(list(args)),
        )
        self.sent.append(key)
        self.save()
        return deployed

    def transaction(self, key: str, description: str, done: Callable[[], bool], send: Callable[[], Any]) -> None:
        """Send `send()` unless `done()` already reads its effect from the chain."""
        if done():
            return
        receipt = send()
        self.manifest.transactions[key] = TransactionRecord(
            description=description, tx_hash=receipt.txid, block=receipt.block_number
        )
        self.sent.append(key)
        self.save()

    # ---- the deployment ---------------------------------------------------------------------

    def run(self) -> Manifest:
        timelock = self.deploy_timelock()
        token = self.deploy_token(treasury=timelock.address)
        escrow, distributor = self.deploy_staking(token)
        self.deploy_governor(escrow, timelock)
        self.hand_over([escrow, distributor], timelock.address)
        self.renounce_timelock_admin(timelock)
        self.manifest.complete = True
        self.save()
        return self.manifest

    def deploy_timelock(self) -> ProjectContract:
        """The DAO timelock: anyone may execute, the deployer is its admin only until the governor
        holds its roles (`renounce_timelock_admin`)."""
        return self.contract(
            "TimelockController",
            TimelockController,
            self.config.governance.timelock_delay,
            [],
            [ZERO_ADDRESS],
            self.deployer.address,
        )

    def deploy_governor(self, escrow: ProjectContract, timelock: ProjectContract) -> ProjectContract:
        """The governor, made the timelock's only proposer and canceller."""
        governance = self.config.governance
        governor = self.contract(
            "ServiceGovernor",
            ServiceGovernor,
            escrow.address,
            timelock.address,
            governance.voting_delay,
            governance.voting_period,
            self.config.proposal_threshold,
            governance.quorum_percent,
            governance.late_quorum_extension,
            self.config.minimum_quorum,
        )
        for role_name in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
            role = getattr(timelock, role_name)()
            self.transaction(
                f"TimelockController.grantRole:{role_name}",
                f"{role_name} of the timelock to the governor",
                done=lambda r=role: timelock.hasRole(r, governor.address),
                send=lambda r=role: timelock.grantRole(r, governor, {"from": self.deployer}),
            )
        return governor

    def renounce_timelock_admin(self, timelock: ProjectContract) -> None:
        """The deployer's last act: it holds no role anywhere afterwards."""
        self.transaction(
            "TimelockController.renounceRole:DEFAULT_ADMIN_ROLE",
            "the deployer gives up the timelock admin role",
            done=lambda: not timelock.hasRole(DEFAULT_ADMIN_ROLE, self.deployer.address),
            send=lambda: timelock.renounceRole(DEFAULT_ADMIN_ROLE, self.deployer, {"from": self.deployer}),
        )

    def deploy_token(self, treasury: str) -> ProjectContract:
        """A TeamVesting wallet per vesting allocation, then the token minting every allocation (the
        treasury allocation to `treasury`)."""
        vesting = {
            allocation.name: self.contract(
                f"vesting:{allocation.name}",
                TeamVesting,
                allocation.beneficiary,
                allocation.start,
                allocation.duration,
                allocation.cliff,
            )
            for allocation in self.config.allocations
            if isinstance(allocation, VestingAllocation)
        }
        rows = allocation_rows(self.config, treasury, {name: wallet.address for name, wallet in vesting.items()})
        recipients = [recipient for _, recipient, _ in rows]
        amounts = [amount for _, _, amount in rows]
        return self.contract(
            "ServiceToken", ServiceToken, self.config.token.name, self.config.token.symbol, recipients, amounts
        )

    def deploy_staking(self, token: ProjectContract) -> tuple[ProjectContract, ProjectContract]:
        """VotingEscrow and RevenueDistributor, wired both ways, with the configured reward tokens.
        The deployer owns both until `hand_over`."""
        deployer = self.deployer
        escrow = self.contract(
            "VotingEscrow", VotingEscrow, token.address, self.config.escrow.max_early_penalty_bps, deployer.address
        )
        distributor = self.contract("RevenueDistributor", RevenueDistributor, escrow.address, deployer.address)
        self.transaction(
            "VotingEscrow.setRevenueDistributor",
            f"escrow sends early-exit penalties to {distributor.address}",
            done=lambda: escrow.revenueDistributor() == distributor.address,
            send=lambda: escrow.setRevenueDistributor(distributor, {"from": deployer}),
        )
        for reward_token in self.config.distributor.reward_tokens:
            self.transaction(
                f"RevenueDistributor.addRewardToken:{reward_token}",
                f"reward token {reward_token}",
                done=lambda t=reward_token: t in distributor.rewardTokens(),
                send=lambda t=reward_token: distributor.addRewardToken(t, {"from": deployer}),
            )
        return escrow, distributor

    def hand_over(self, contracts: list[ProjectContract], owner: str) -> None:
        """Transfer ownership of each contract to `owner`: the last step, after every owner-only call."""
        for contract in contracts:
            self.transaction(
                f"{contract._name}.transferOwnership",
                f"{contract._name} owned by {owner}",
                done=lambda c=contract: c.owner() == owner,
                send=lambda c=contract: c.transferOwnership(owner, {"from": self.deployer}),
            )


def allocation_rows(
    config: DeployConfig, treasury: str, vesting_wallets: dict[str, str]
) -> list[tuple[str, str, int]]:
    """(allocation name, recipient address, amount) in config order: the treasury allocation goes to
    `treasury` (the timelock), vesting allocations to their wallet in `vesting_wallets`."""
    rows = []
    for allocation in config.allocations:
        if allocation.kind == "treasury":
            recipient = treasury
        elif allocation.kind == "direct":
            recipient = allocation.recipient
        else:
            recipient = vesting_wallets[allocation.name]
        rows.append((allocation.name, recipient, allocation.amount))
    return rows


def vesting_wallets(manifest: Manifest) -> dict[str, str]:
    """Vesting wallet address per allocation name, from a manifest."""
    prefix = "vesting:"
    return {key[len(prefix):]: record.address for key, record in manifest.contracts.items() if key.startswith(prefix)}
