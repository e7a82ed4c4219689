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
    CommunityAirdrop,
    EarlyAccessDeals,
    RevenueDistributor,
    ServiceAccess,
    ServiceGovernor,
    ServiceToken,
    StakingLevels,
    TeamVesting,
    TimelockController,
    VotingEscrow,
    network,
    web3,
)
from brownie.network.account import Account
from brownie.network.contract import ContractContainer, ProjectContract

from harness.chain.calls import has_code
from harness.chain.protocol import ERC20_TYPE, handle
from harness.chain.time import now, settle
from harness.core.config import STAKING_TOKEN, DeployConfig, VestingAllocation, load_config
from harness.core.merkle import StandardMerkleTree, airdrop_tree, read_airdrop_csv
from harness.core.errors import DeployError
from harness.core.manifest import (
    VESTING_PREFIX,
    ContractRecord,
    Manifest,
    TransactionRecord,
    git_commit,
    jsonable,
    load_manifest,
    utc_now,
)
from harness.core.paths import LOCAL_CONFIG, airdrop_tree_path, write_json_atomically
from harness.core.units import ZERO_ADDRESS, format_tokens

DEFAULT_ADMIN_ROLE = "0x" + "00" * 32  # OpenZeppelin AccessControl's admin of every role


def _unpersisted(contract: ProjectContract) -> ProjectContract:
    """The manifest is the one record of a deployment: drop the copy brownie writes to
    build/deployments/<chainid> on live networks (a stale one there, e.g. from a restarted test chain
    with the same chain id, makes brownie refuse to load the project)."""
    settle()  # brownie records the deployment from a background thread: let it finish first
    contract._delete_deployment()
    return contract


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
        self.check_pay_tokens()
        tree = self.check_airdrop()
        timelock = self.deploy_timelock()
        token = self.deploy_token(treasury=timelock.address)
        escrow, distributor = self.deploy_staking(token)
        levels, access = self.deploy_services(escrow, distributor, timelock)
        self.deploy_governor(escrow, timelock, levels)
        # after the governor, so every earlier contract keeps the address (nonce) it had before deals
        deals = self.deploy_deals(levels, distributor)
        if tree is not None:
            self.deploy_airdrop(tree, token, escrow, timelock)
        self.hand_over([escrow, distributor, levels, access, deals], timelock.address)
        self.renounce_timelock_admin(timelock)
        self.manifest.complete = True
        self.save()
        return self.manifest

    # ---- the community airdrop (SPEC 5.4) ----

    def airdrop_csv(self) -> Path:
        """The airdrop list: `airdrop.csv` relative to the config file's folder."""
        return Path(self.config_path).parent / self.config.airdrop.csv

    def check_airdrop(self) -> StandardMerkleTree | None:
        """Before the first transaction: the CSV is valid, the airdrop allocation is exactly its total
        plus the bonus reserve, and a fixed deadline is still ahead. Returns the tree (None: no airdrop)."""
        airdrop = self.config.airdrop
        if airdrop is None:
            return None
        try:
            entries = read_airdrop_csv(self.airdrop_csv())
        except OSError as error:
            raise DeployError(f"airdrop.csv: cannot read {self.airdrop_csv()}: {error.strerror}") from None
        except ValueError as error:
            raise DeployError(f"airdrop.csv: {error}") from None
        total = sum(entry.amount for entry in entries)
        allocation = self.config.airdrop_allocation
        index = self.config.allocations.index(allocation)
        needed = total + airdrop.bonus_reserve
        if allocation.amount != needed:
            raise DeployError(
                f"allocations.{index}.amount ({allocation.name}): {format_tokens(allocation.amount)} tokens, the "
                f"airdrop needs exactly {format_tokens(total)} (the total of {self.airdrop_csv().name}) + "
                f"{format_tokens(airdrop.bonus_reserve)} (airdrop.bonus_reserve) = {format_tokens(needed)}"
            )
        if airdrop.deadline is not None and airdrop.deadline <= now() and "CommunityAirdrop" not in self.manifest.contracts:
            raise DeployError(f"airdrop.deadline: {airdrop.deadline} is not after the chain's time {now()}")
        return airdrop_tree(entries)

    def airdrop_deadline(self) -> int:
        """The configured deadline, or `claim_window` after the deployment: a resumed deployment reads
        the one it used from the manifest."""
        airdrop = self.config.airdrop
        if airdrop.deadline is not None:
            return airdrop.deadline
        record = self.manifest.contracts.get("CommunityAirdrop")
        if record is not None:
            return int(record.constructor_args[3])
        return now() + airdrop.claim_window

    def deploy_airdrop(
        self, tree: StandardMerkleTree, token: ProjectContract, escrow: ProjectContract, timelock: ProjectContract
    ) -> ProjectContract:
        """CommunityAirdrop for the tree, sweeping to the timelock; funded by the deployer with the whole
        airdrop allocation (which leaves it holding nothing) and made a trusted lock creator of the
        escrow (claims straight into a new lock), while the deployer still owns the escrow."""
        airdrop_config, deployer = self.config.airdrop, self.deployer
        total = sum(int(amount) for (_, amount), _ in tree.values)
        write_json_atomically(airdrop_tree_path(self.manifest_file), tree.dump())
        airdrop = self.contract(
            "CommunityAirdrop", CommunityAirdrop, escrow.address, tree.root, total, self.airdrop_deadline(),
            airdrop_config.max_lock_bonus_bps, timelock.address,
        )
        funding = self.config.airdrop_allocation.amount
        self.transaction(
            "ServiceToken.transfer:CommunityAirdrop",
            f"{format_tokens(funding)} tokens (the airdrop allocation) to the airdrop",
            done=lambda: token.balanceOf(deployer) == 0,
            send=lambda: token.transfer(airdrop, funding, {"from": deployer}),
        )
        self.transaction(
            "VotingEscrow.setTrustedLockCreator:CommunityAirdrop",
            "the airdrop may create locks for claimers",
            done=lambda: escrow.isTrustedLockCreator(airdrop.address),
            send=lambda: escrow.setTrustedLockCreator(airdrop, True, {"from": deployer}),
        )
        return airdrop

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

    def deploy_governor(
        self, escrow: ProjectContract, timelock: ProjectContract, levels: ProjectContract
    ) -> ProjectContract:
        """The governor, with proposal quotas by `levels` (SPEC 5.5), made the timelock's only proposer
        and canceller."""
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
            levels.address,
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
                f"{VESTING_PREFIX}{allocation.name}",
                TeamVesting,
                allocation.beneficiary,
                allocation.start,
                allocation.duration,
                allocation.cliff,
            )
            for allocation in self.config.allocations
            if isinstance(allocation, VestingAllocation)
        }
        rows = self.config.allocation_rows(
            treasury, {name: wallet.address for name, wallet in vesting.items()}, self.deployer.address
        )
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

    def check_pay_tokens(self) -> None:
        """Before the first transaction: every plan's pay token other than the staking token is a
        contract with the decimals the config priced it in."""
        for index, plan in enumerate(self.config.access.plans):
            if plan.pay_token == STAKING_TOKEN:
                continue
            where = f"access.plans.{index}.pay_token ({plan.name})"
            if not has_code(plan.pay_token):
                raise DeployError(f"{where}: no contract at {plan.pay_token} on this chain")
            try:
                decimals = handle(ERC20_TYPE, plan.pay_token).decimals()
            except Exception as error:  # noqa: BLE001 - any failure means it is not a usable ERC-20
                raise DeployError(f"{where}: decimals() failed at {plan.pay_token} ({type(error).__name__})") from None
            if decimals != plan.decimals:
                raise DeployError(
                    f"{where}: the token has {decimals} decimals, the config prices it in {plan.decimals} "
                    f"(access.plans.{index}.decimals)"
                )

    def deploy_services(
        self, escrow: ProjectContract, distributor: ProjectContract, timelock: ProjectContract
    ) -> tuple[ProjectContract, ProjectContract]:
        """StakingLevels and ServiceAccess (SPEC 5.1, 5.2): the benefits table, the split paid to the
        timelock as treasury, the withdrawal delay and the configured plans (ids 1.. in config order).
        The deployer owns both until `hand_over`."""
        deployer, levels_config, access_config = self.deployer, self.config.levels, self.config.access
        levels = self.contract(
            "StakingLevels", StakingLevels, escrow.address,
            levels_config.thresholds, levels_config.benefits_tuple(), deployer.address,
        )
        access = self.contract(
            "ServiceAccess", ServiceAccess, levels.address, distributor.address, timelock.address,
            *access_config.split.as_tuple(), deployer.address,
        )
        delay = access_config.withdrawal_delay
        self.transaction(
            "ServiceAccess.setWithdrawalDelay",
            f"credits withdrawable {delay}s after a request",
            done=lambda: access.withdrawalDelay() == delay,
            send=lambda: access.setWithdrawalDelay(delay, {"from": deployer}),
        )
        staking_token = escrow.token()
        for plan_id, plan in enumerate(access_config.plans, start=1):
            # plans are created in config order by the deployer alone: plan i exists iff planCount >= i
            self.transaction(
                f"ServiceAccess.createPlan:{plan.name}",
                f"plan {plan_id} {plan.name!r}: {plan.price} per {plan.period}s in {plan.pay_token}",
                done=lambda i=plan_id: access.planCount() >= i,
                send=lambda p=plan: access.createPlan(
                    p.pay_token_address(staking_token), p.price_per_period, p.period, {"from": deployer}
                ),
            )
        return levels, access

    def deploy_deals(self, levels: ProjectContract, distributor: ProjectContract) -> ProjectContract:
        """EarlyAccessDeals (SPEC 5.3): no parameters of its own; every deal is a governance proposal
        once the timelock owns it (`hand_over`)."""
        return self.contract(
            "EarlyAccessDeals", EarlyAccessDeals, levels.address, distributor.address, self.deployer.address
        )

    def hand_over(self, contracts: list[ProjectContract], owner: str) -> None:
        """Transfer ownership of each contract to `owner`: the last step, after every owner-only call."""
        for contract in contracts:
            self.transaction(
                f"{contract._name}.transferOwnership",
                f"{contract._name} owned by {owner}",
                done=lambda c=contract: c.owner() == owner,
                send=lambda c=contract: c.transferOwnership(owner, {"from": self.deployer}),
            )


def deploy_from_config(
    config: str | Path | DeployConfig = LOCAL_CONFIG,
    *,
    deployer: Account,
    manifest_file: Path,
    config_path: str | Path | None = None,
) -> Deployment:
    """Deploy (or resume deploying) the protocol from a config onto the connected chain, recording it
    in `manifest_file`; returns the finished Deployment (its `manifest`, and `sent`: the steps this
    run sent). The one way every caller deploys: scripts/deploy.py, the demo, the gas benchmark, the
    proposal simulation and the tests.

    `config` is a config file (validated here, raising ConfigError) or an already validated
    DeployConfig; `config_path` is the path the manifest records (default: the file given)."""
    if isinstance(config, DeployConfig):
        if config_path is None:
            raise ValueError("deploy_from_config: a DeployConfig needs the config_path the manifest records")
        validated = config
    else:
        validated = load_config(config)
    deployment = Deployment(
        config=validated,
        config_path=str(config_path if config_path is not None else config),
        deployer=deployer,
        manifest_file=Path(manifest_file),
    )
    deployment.run()
    return deployment
