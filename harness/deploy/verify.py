"""Check a deployment manifest against the chain and the config; collect every mismatch.

Allocations are checked from the token's constructor receipt (its `Allocated` events), which stays
true whatever holders did since; vesting wallets are checked by schedule and by
`balance + released == allocation` (more only if someone sent extra tokens, which is reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from brownie import chain, web3

from harness.chain.calls import has_code
from harness.chain.protocol import handle
from harness.core.abi import abi_of
from harness.core.config import DeployConfig, VestingAllocation
from harness.core.manifest import VESTING_PREFIX, Manifest, jsonable
from harness.core.merkle import airdrop_tree, read_airdrop_csv
from harness.core.units import ZERO_ADDRESS, format_tokens
from harness.deploy.steps import DEFAULT_ADMIN_ROLE


@dataclass
class Report:
    mismatches: list[str] = field(default_factory=list)
    checked: int = 0

    def expect(self, what: str, actual: Any, expected: Any) -> None:
        self.checked += 1
        if actual != expected:
            self.mismatches.append(f"{what}: chain has {actual!r}, expected {expected!r}")

    def fail(self, message: str) -> None:
        self.checked += 1
        self.mismatches.append(message)


def _read(report: Report, what: str, call: Callable[[], Any]) -> Any:
    """A view call that may revert (wrong contract at the address): a mismatch, not a crash."""
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - any failure of a view is a finding
        report.fail(f"{what}: call failed ({type(error).__name__}: {error})")
        return None


def _missing(report: Report, manifest: Manifest, keys: tuple[str, ...]) -> bool:
    """Report each of `keys` the manifest lacks; True if any is missing (its checks cannot run)."""
    missing = [key for key in keys if key not in manifest.contracts]
    for key in missing:
        report.fail(f"{key}: missing from the manifest")
    return bool(missing)


def verify_deployment(manifest: Manifest, config: DeployConfig) -> Report:
    report = Report()
    report.expect("chain id", chain.id, manifest.chain_id)
    report.expect("config digest", config.digest(), manifest.config_digest)
    for key, record in manifest.contracts.items():
        if not has_code(record.address):
            report.fail(f"{key}: no contract code at {record.address}")
    if not manifest.complete:
        report.fail("manifest: deployment is not complete (re-run scripts/deploy.py to resume)")
    if report.mismatches:
        return report  # nothing below can be read reliably
    _verify_vesting(report, manifest, config)
    _verify_token(report, manifest, config)
    _verify_staking(report, manifest, config)
    _verify_services(report, manifest, config)
    _verify_deals(report, manifest, config)
    _verify_airdrop(report, manifest, config)
    _verify_governance(report, manifest, config)
    return report


def _verify_vesting(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    wallets = manifest.vesting_wallets()
    expected_names = {a.name for a in config.allocations if isinstance(a, VestingAllocation)}
    for extra in sorted(set(wallets) - expected_names):
        report.fail(f"{VESTING_PREFIX}{extra}: in the manifest but not in the config")
    token_address = manifest.contracts["ServiceToken"].address if "ServiceToken" in manifest.contracts else None
    for allocation in config.allocations:
        if not isinstance(allocation, VestingAllocation):
            continue
        key = f"{VESTING_PREFIX}{allocation.name}"
        if allocation.name not in wallets:
            report.fail(f"{key}: missing from the manifest")
            continue
        expected_args = jsonable([allocation.beneficiary, allocation.start, allocation.duration, allocation.cliff])
        report.expect(f"{key} constructor args (manifest)", manifest.contracts[key].constructor_args, expected_args)
        wallet = handle("TeamVesting", wallets[allocation.name])
        report.expect(f"{key}.owner (beneficiary)", _read(report, f"{key}.owner", wallet.owner), allocation.beneficiary)
        report.expect(f"{key}.start", _read(report, f"{key}.start", wallet.start), allocation.start)
        report.expect(f"{key}.duration", _read(report, f"{key}.duration", wallet.duration), allocation.duration)
        report.expect(f"{key}.cliff", _read(report, f"{key}.cliff", wallet.cliff), allocation.start + allocation.cliff)
        if token_address is None:
            continue
        token = handle("ServiceToken", token_address)
        held = _read(report, f"{key} balance", lambda: token.balanceOf(wallet))
        released = _read(report, f"{key}.released", lambda: wallet.released(token_address))
        if held is not None and released is not None:
            report.expect(
                f"{key}: balance + released (tokens)",
                format_tokens(held + released),
                format_tokens(allocation.amount),
            )


def _verify_token(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    record = manifest.contracts.get("ServiceToken")
    if record is None:
        report.fail("ServiceToken: missing from the manifest")
        return
    token = handle("ServiceToken", record.address)
    report.expect("ServiceToken.name", _read(report, "ServiceToken.name", token.name), config.token.name)
    report.expect("ServiceToken.symbol", _read(report, "ServiceToken.symbol", token.symbol), config.token.symbol)
    report.expect("ServiceToken.decimals", _read(report, "ServiceToken.decimals", token.decimals), 18)
    supply = _read(report, "ServiceToken.totalSupply", token.totalSupply)
    if supply is not None and supply > config.token.supply:
        report.fail(f"ServiceToken.totalSupply: {supply} exceeds the configured supply {config.token.supply}")

    rows = config.allocation_rows(manifest.address_of("TimelockController"), manifest.vesting_wallets(), manifest.deployer)
    expected_args = jsonable(
        [config.token.name, config.token.symbol, [r for _, r, _ in rows], [a for _, _, a in rows]]
    )
    report.expect("ServiceToken constructor args (manifest)", record.constructor_args, expected_args)

    receipt = chain.get_transaction(record.tx_hash)
    report.expect("ServiceToken deployment tx: contract address", receipt.contract_address, record.address)
    report.expect("ServiceToken deployment tx: block", receipt.block_number, record.block)
    allocated = []
    if receipt.contract_address == record.address and "Allocated" in receipt.events:
        allocated = [(event["recipient"], event["amount"]) for event in receipt.events["Allocated"]]
    minted = sum(amount for _, amount in allocated)
    report.expect("ServiceToken supply minted at deployment", minted, config.token.supply)
    report.expect(
        "ServiceToken allocations minted at deployment",
        [(name, recipient, format_tokens(amount)) for (name, _, _), (recipient, amount) in zip(rows, allocated)]
        if len(allocated) == len(rows) else allocated,
        [(name, recipient, format_tokens(amount)) for name, recipient, amount in rows],
    )


def _verify_staking(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    """Escrow and distributor: constructor arguments, wiring both ways, reward tokens, owners."""
    if _missing(report, manifest, ("ServiceToken", "VotingEscrow", "RevenueDistributor", "TimelockController")):
        return
    token = manifest.address_of("ServiceToken")
    escrow_address = manifest.address_of("VotingEscrow")
    distributor_address = manifest.address_of("RevenueDistributor")
    escrow = handle("VotingEscrow", escrow_address)
    distributor = handle("RevenueDistributor", distributor_address)
    owner = manifest.address_of("TimelockController")

    report.expect(
        "VotingEscrow constructor args (manifest)",
        manifest.contracts["VotingEscrow"].constructor_args[:2],
        jsonable([token, config.escrow.max_early_penalty_bps]),
    )
    report.expect("VotingEscrow.token", _read(report, "VotingEscrow.token", escrow.token), token)
    report.expect(
        "VotingEscrow.maxEarlyPenaltyBps",
        _read(report, "VotingEscrow.maxEarlyPenaltyBps", escrow.maxEarlyPenaltyBps),
        config.escrow.max_early_penalty_bps,
    )
    report.expect(
        "VotingEscrow.revenueDistributor",
        _read(report, "VotingEscrow.revenueDistributor", escrow.revenueDistributor),
        distributor_address,
    )
    report.expect("VotingEscrow.symbol", _read(report, "VotingEscrow.symbol", escrow.symbol), "ve" + config.token.symbol)
    report.expect("VotingEscrow.owner", _read(report, "VotingEscrow.owner", escrow.owner), owner)

    report.expect(
        "RevenueDistributor constructor args (manifest)",
        manifest.contracts["RevenueDistributor"].constructor_args[:1],
        [escrow_address],
    )
    report.expect(
        "RevenueDistributor.votingEscrow",
        _read(report, "RevenueDistributor.votingEscrow", distributor.votingEscrow),
        escrow_address,
    )
    report.expect(
        "RevenueDistributor.rewardTokens",
        _read(report, "RevenueDistributor.rewardTokens", lambda: list(distributor.rewardTokens())),
        [token, *config.distributor.reward_tokens],
    )
    report.expect("RevenueDistributor.owner", _read(report, "RevenueDistributor.owner", distributor.owner), owner)


def _verify_services(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    """StakingLevels and ServiceAccess: constructor arguments, the table, the split, the delay, each
    plan exactly as configured and no other, wiring to the escrow and distributor, owners."""
    if _missing(report, manifest, ("StakingLevels", "ServiceAccess")):
        return
    escrow_address = manifest.address_of("VotingEscrow")
    timelock_address = manifest.address_of("TimelockController")
    staking_token = manifest.address_of("ServiceToken")
    levels_address = manifest.address_of("StakingLevels")
    levels = handle("StakingLevels", levels_address)
    access = handle("ServiceAccess", manifest.address_of("ServiceAccess"))
    table = config.levels

    report.expect(
        "StakingLevels constructor args (manifest)",
        manifest.contracts["StakingLevels"].constructor_args[:3],
        jsonable([escrow_address, table.thresholds, list(table.benefits_tuple())]),
    )
    report.expect("StakingLevels.votingEscrow", _read(report, "StakingLevels.votingEscrow", levels.votingEscrow), escrow_address)
    report.expect("StakingLevels.thresholds", _read(report, "StakingLevels.thresholds", lambda: list(levels.thresholds())), table.thresholds)
    benefits = _read(report, "StakingLevels.benefits", levels.benefits)
    if benefits is not None:
        report.expect("StakingLevels.benefits", tuple(tuple(t) for t in benefits), table.benefits_tuple())
    report.expect("StakingLevels.owner", _read(report, "StakingLevels.owner", levels.owner), timelock_address)

    split = config.access.split.as_tuple()
    report.expect(
        "ServiceAccess constructor args (manifest)",
        manifest.contracts["ServiceAccess"].constructor_args[:6],
        jsonable([levels_address, manifest.address_of("RevenueDistributor"), timelock_address, *split]),
    )
    for what, call, expected in [
        ("stakingLevels", access.stakingLevels, levels_address),
        ("revenueDistributor", access.revenueDistributor, manifest.address_of("RevenueDistributor")),
        ("treasury", access.treasury, timelock_address),
        ("votingEscrow", access.votingEscrow, escrow_address),
        ("stakingToken", access.stakingToken, staking_token),
        ("revenue split (stakersBps, treasuryBps, burnBps)",
         lambda: (access.stakersBps(), access.treasuryBps(), access.burnBps()), split),
        ("withdrawalDelay", access.withdrawalDelay, config.access.withdrawal_delay),
        ("planCount", access.planCount, len(config.access.plans)),
        ("owner", access.owner, timelock_address),
    ]:
        report.expect(f"ServiceAccess.{what}", _read(report, f"ServiceAccess.{what}", call), expected)
    for plan_id, plan in enumerate(config.access.plans, start=1):
        expected = (plan.pay_token_address(staking_token), plan.price_per_period, plan.period, True)
        actual = _read(report, f"ServiceAccess.plans({plan_id})", lambda i=plan_id: tuple(access.plans(i)))
        report.expect(f"ServiceAccess.plans({plan_id}) {plan.name} (payToken, price, period, active)", actual, expected)


def _verify_deals(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    """EarlyAccessDeals: constructor arguments, wiring to StakingLevels and the distributor, owner."""
    if _missing(report, manifest, ("EarlyAccessDeals",)):
        return
    levels_address = manifest.address_of("StakingLevels")
    distributor_address = manifest.address_of("RevenueDistributor")
    timelock_address = manifest.address_of("TimelockController")
    deals = handle("EarlyAccessDeals", manifest.address_of("EarlyAccessDeals"))
    report.expect(
        "EarlyAccessDeals constructor args (manifest)",
        manifest.contracts["EarlyAccessDeals"].constructor_args[:2],
        jsonable([levels_address, distributor_address]),
    )
    for what, call, expected in [
        ("stakingLevels", deals.stakingLevels, levels_address),
        ("revenueDistributor", deals.revenueDistributor, distributor_address),
        ("owner", deals.owner, timelock_address),
    ]:
        report.expect(f"EarlyAccessDeals.{what}", _read(report, f"EarlyAccessDeals.{what}", call), expected)


def _verify_airdrop(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    """CommunityAirdrop (SPEC 5.4), if the config has one: its root is the CSV's tree, its parameters the
    config's, it sweeps to the timelock, it is a trusted lock creator, it holds every unclaimed
    allocation, and the deployer kept none of the airdrop allocation."""
    airdrop_config = config.airdrop
    if airdrop_config is None:
        if "CommunityAirdrop" in manifest.contracts:
            report.fail("CommunityAirdrop: in the manifest, but the config has no airdrop section")
        return
    if _missing(report, manifest, ("CommunityAirdrop",)):
        return
    csv_path = Path(manifest.config_path).parent / airdrop_config.csv
    try:
        entries = read_airdrop_csv(csv_path)
    except (OSError, ValueError) as error:
        report.fail(f"airdrop.csv: cannot build the tree from {csv_path}: {error}")
        return
    tree = airdrop_tree(entries)
    total = sum(entry.amount for entry in entries)
    record = manifest.contracts["CommunityAirdrop"]
    deadline = airdrop_config.deadline if airdrop_config.deadline is not None else int(record.constructor_args[3])
    timelock_address = manifest.address_of("TimelockController")
    escrow_address = manifest.address_of("VotingEscrow")
    report.expect(
        "CommunityAirdrop constructor args (manifest)",
        record.constructor_args,
        jsonable([escrow_address, tree.root, total, deadline, airdrop_config.max_lock_bonus_bps, timelock_address]),
    )
    airdrop = handle("CommunityAirdrop", record.address)
    for what, call, expected in [
        ("votingEscrow", airdrop.votingEscrow, escrow_address),
        ("merkleRoot", lambda: "0x" + bytes(airdrop.merkleRoot()).hex(), tree.root),
        ("airdropTotal", airdrop.airdropTotal, total),
        ("claimDeadline", airdrop.claimDeadline, deadline),
        ("maxLockBonusBps", airdrop.maxLockBonusBps, airdrop_config.max_lock_bonus_bps),
        ("treasury", airdrop.treasury, timelock_address),
    ]:
        report.expect(f"CommunityAirdrop.{what}", _read(report, f"CommunityAirdrop.{what}", call), expected)
    escrow = handle("VotingEscrow", escrow_address)
    report.expect(
        "VotingEscrow.isTrustedLockCreator(CommunityAirdrop)",
        _read(report, "VotingEscrow.isTrustedLockCreator", lambda: escrow.isTrustedLockCreator(record.address)),
        True,
    )
    # the deployer was minted the airdrop allocation (checked with the allocations) and passed all of it on
    funding = manifest.transactions.get("ServiceToken.transfer:CommunityAirdrop")
    if funding is None:
        report.fail("CommunityAirdrop: the manifest records no funding transfer")
    else:
        transfers = [
            (event["from"], event["to"], event["value"]) for event in chain.get_transaction(funding.tx_hash).events["Transfer"]
        ]
        report.expect(
            "CommunityAirdrop funding transfer (from, to, tokens)",
            [(f, t, format_tokens(v)) for f, t, v in transfers],
            [(manifest.deployer, record.address, format_tokens(config.airdrop_allocation.amount))],
        )
    token = handle("ServiceToken", manifest.address_of("ServiceToken"))
    claimed_total = _read(report, "CommunityAirdrop.claimedTotal", airdrop.claimedTotal)
    held = _read(report, "ServiceToken.balanceOf(CommunityAirdrop)", lambda: token.balanceOf(record.address))
    if claimed_total is not None and held is not None:
        unclaimed = total - claimed_total
        if held < unclaimed:
            report.fail(
                f"CommunityAirdrop: holds {format_tokens(held)} tokens, less than the {format_tokens(unclaimed)} "
                "not yet claimed"
            )


def role_members(timelock_address: str, from_block: int) -> dict[str, set[str]]:
    """Who holds each role of an AccessControl contract now, replayed from its RoleGranted and
    RoleRevoked events since `from_block` (the roles are not enumerable on chain)."""
    contract = web3.eth.contract(address=timelock_address, abi=abi_of("TimelockController"))
    members: dict[str, set[str]] = {}
    granted = contract.events.RoleGranted().get_logs(from_block=from_block)
    revoked = contract.events.RoleRevoked().get_logs(from_block=from_block)
    for log in sorted([*granted, *revoked], key=lambda e: (e["blockNumber"], e["logIndex"])):
        role = "0x" + bytes(log["args"]["role"]).hex()
        holders = members.setdefault(role, set())
        if log["event"] == "RoleGranted":
            holders.add(log["args"]["account"])
        else:
            holders.discard(log["args"]["account"])
    return members


def _verify_governance(report: Report, manifest: Manifest, config: DeployConfig) -> None:
    """Governor parameters and wiring; the timelock's roles exactly as SPEC 2.4 says: the governor the
    only proposer and canceller, anyone executes, nobody but the timelock itself administers."""
    if "ServiceGovernor" not in manifest.contracts:
        report.fail("ServiceGovernor: missing from the manifest")
        return
    timelock_address = manifest.address_of("TimelockController")
    governor_address = manifest.address_of("ServiceGovernor")
    governance = config.governance
    governor = handle("ServiceGovernor", governor_address)
    timelock = handle("TimelockController", timelock_address)

    expected_args = jsonable([
        manifest.address_of("VotingEscrow"), timelock_address, governance.voting_delay,
        governance.voting_period, config.proposal_threshold, governance.quorum_percent,
        governance.late_quorum_extension, config.minimum_quorum, manifest.address_of("StakingLevels"),
    ])
    report.expect("ServiceGovernor constructor args (manifest)", manifest.contracts["ServiceGovernor"].constructor_args, expected_args)
    for what, call, expected in [
        ("token", governor.token, manifest.address_of("VotingEscrow")),
        ("timelock", governor.timelock, timelock_address),
        ("votingDelay", governor.votingDelay, governance.voting_delay),
        ("votingPeriod", governor.votingPeriod, governance.voting_period),
        ("proposalThreshold", governor.proposalThreshold, config.proposal_threshold),
        ("quorumNumerator", governor.quorumNumerator, governance.quorum_percent),
        ("minimumQuorum", governor.minimumQuorum, config.minimum_quorum),
        ("lateQuorumVoteExtension", governor.lateQuorumVoteExtension, governance.late_quorum_extension),
        ("CLOCK_MODE", governor.CLOCK_MODE, "mode=timestamp"),
        ("stakingLevels", governor.stakingLevels, manifest.address_of("StakingLevels")),
    ]:
        report.expect(f"ServiceGovernor.{what}", _read(report, f"ServiceGovernor.{what}", call), expected)
    report.expect("TimelockController.getMinDelay", _read(report, "TimelockController.getMinDelay", timelock.getMinDelay), governance.timelock_delay)

    members = role_members(timelock_address, manifest.contracts["TimelockController"].block)
    expected_members = {
        "DEFAULT_ADMIN_ROLE": {timelock_address},
        "PROPOSER_ROLE": {governor_address},
        "CANCELLER_ROLE": {governor_address},
        "EXECUTOR_ROLE": {ZERO_ADDRESS},
    }
    for role_name, expected in expected_members.items():
        role = DEFAULT_ADMIN_ROLE if role_name == "DEFAULT_ADMIN_ROLE" else "0x" + bytes(getattr(timelock, role_name)()).hex()
        report.expect(f"TimelockController {role_name} holders", sorted(members.get(role, set())), sorted(expected))
    deployer = manifest.deployer
    for role, holders in members.items():
        if deployer in holders:
            report.fail(f"TimelockController: the deployer {deployer} still holds role {role}")
