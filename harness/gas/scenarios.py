"""Gas benchmark scenarios: each user-facing operation run on a fresh local chain and measured.

An operation's gas is `gas_used` of its receipt. A scenario sets up state and returns
{operation name: receipt}; later parts of the protocol add scenarios to SCENARIOS. The rows are
compared with the committed snapshot by harness/gas/snapshot.py.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from brownie import (
    ZERO_ADDRESS,
    CommunityAirdrop,
    EarlyAccessDeals,
    RevenueDistributor,
    ServiceAccess,
    ServiceToken,
    StakingLevels,
    VotingEscrow,
    accounts,
    chain,
    web3,
)
from eth_account import Account

from harness.chain.calls import rpc
from harness.chain.protocol import Protocol
from harness.chain.time import advance, mine_at, now
from harness.core.levels import DEFAULT_BENEFITS_TUPLE, DEFAULT_THRESHOLDS
from harness.core.paths import LOCAL_CONFIG, REPO_ROOT
from harness.core.merkle import AirdropEntry, airdrop_tree
from harness.core.signing import sign_ballot, sign_claim_and_lock, sign_permit, sign_usage
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from harness.deploy.steps import deploy_from_config

BENCHMARK_KEY = "0x" + "42" * 32
# A fixed deadline far ahead: receipts and permits of the services scenario (hence calldata, hence
# gas) are the same on every run.
RECEIPT_DEADLINE = 4_102_444_800  # 2100-01-01
BATCH_SIZES = (1, 10, 50)  # redeemUsageBatch sizes measured: one receipt, a small and a large settlement

Receipts = dict[str, Any]


def token_scenario() -> Receipts:
    holder, other, spender = accounts[1], accounts[2], accounts[3]
    token = ServiceToken.deploy(
        "AI Service Token", "AIS", [holder.address], [1_000_000 * UNIT], {"from": accounts[0]}
    )
    signer = Account.from_key(BENCHMARK_KEY)  # fixed key: calldata, hence gas, is the same every run
    token.transfer(signer.address, 10 * UNIT, {"from": holder})
    deadline = chain[-1].timestamp + 3600
    v, r, s = sign_permit(
        signer.key.hex(), token.name(), token.address, chain.id,
        signer.address, spender.address, 5 * UNIT, token.nonces(signer.address), deadline,
    )
    receipts: Receipts = {"ServiceToken.deploy (1 allocation)": token.tx}
    receipts["ServiceToken.transfer (to new holder)"] = token.transfer(other, UNIT, {"from": holder})
    receipts["ServiceToken.transfer (to existing holder)"] = token.transfer(other, UNIT, {"from": holder})
    receipts["ServiceToken.approve"] = token.approve(spender, 10 * UNIT, {"from": holder})
    receipts["ServiceToken.transferFrom"] = token.transferFrom(holder, other, UNIT, {"from": spender})
    receipts["ServiceToken.permit"] = token.permit(
        signer.address, spender, 5 * UNIT, deadline, v, r, s, {"from": spender}
    )
    receipts["ServiceToken.burn"] = token.burn(UNIT, {"from": holder})
    return receipts


def _staking_system(holders: list[Any], amount: int) -> tuple[Any, Any, Any]:
    """Token, escrow and distributor wired as deploy.py wires them; each holder gets `amount` tokens
    and approves the escrow; time is moved to one hour into a fresh week so every run walks the same
    week boundaries."""
    deployer = accounts[0]
    token = ServiceToken.deploy(
        "AI Service Token", "AIS", [deployer.address], [len(holders) * amount + 10**9 * UNIT], {"from": deployer}
    )
    escrow = VotingEscrow.deploy(token, 5_000, deployer, {"from": deployer})
    distributor = RevenueDistributor.deploy(escrow, deployer, {"from": deployer})
    escrow.setRevenueDistributor(distributor, {"from": deployer})
    for holder in holders:
        token.transfer(holder, amount, {"from": deployer})
        token.approve(escrow, 2**256 - 1, {"from": holder})
    token.approve(escrow, 2**256 - 1, {"from": deployer})
    token.approve(distributor, 2**256 - 1, {"from": deployer})
    mine_at(week_start(now()) + WEEK + 3600)
    return token, escrow, distributor


def staking_scenario() -> Receipts:
    alice, bob, carol, dave, erin, frank = accounts[1:7]
    deployer = accounts[0]
    token, escrow, distributor = _staking_system([alice, bob, carol, dave, erin, frank], 1_000_000 * UNIT)
    year = now() + 364 * 86400
    r: Receipts = {}
    r["VotingEscrow.createLock"] = escrow.createLock(100_000 * UNIT, year, {"from": alice})
    r["VotingEscrow.increaseAmount"] = escrow.increaseAmount(10_000 * UNIT, {"from": alice})
    escrow.createLock(100_000 * UNIT, now() + 26 * WEEK, {"from": bob})
    r["VotingEscrow.increaseUnlockTime"] = escrow.increaseUnlockTime(year, {"from": bob})
    escrow.createLock(100_000 * UNIT, year, {"from": carol})
    r["VotingEscrow.lockPermanent"] = escrow.lockPermanent({"from": carol})
    r["VotingEscrow.delegate"] = escrow.delegate(alice, {"from": carol})
    escrow.createLock(100_000 * UNIT, year, {"from": dave})
    escrow.lockPermanent({"from": dave})
    escrow.createLock(100_000 * UNIT, year, {"from": erin})
    r["VotingEscrow.withdrawEarly"] = escrow.withdrawEarly({"from": erin})
    escrow.createLock(100_000 * UNIT, now() + 2 * WEEK, {"from": frank})
    # Revenue of the week after the locks: shared by the scores at that week's start.
    mine_at(week_start(now()) + WEEK + 3600)
    r["RevenueDistributor.depositRevenue"] = distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
    mine_at(week_start(now()) + WEEK + 3600)
    r["RevenueDistributor.claim (1 week, first claim)"] = distributor.claim([token], {"from": alice})
    r["RevenueDistributor.claimAndLock (1 week)"] = distributor.claimAndLock({"from": bob})
    assert r["RevenueDistributor.claim (1 week, first claim)"].return_value[0] > 0
    assert r["RevenueDistributor.claimAndLock (1 week)"].return_value > 0
    for _ in range(52):
        distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
        mine_at(week_start(now()) + WEEK + 3600)
    # The first escrow action after idle weeks writes one global point per week: measured apart,
    # so `withdraw` shows its own cost.
    r["VotingEscrow.checkpoint (52 idle weeks)"] = escrow.checkpoint({"from": deployer})
    r["VotingEscrow.withdraw"] = escrow.withdraw({"from": frank})
    distributor.checkpointToken(token, {"from": deployer})
    r["RevenueDistributor.claim (52 weeks)"] = distributor.claim([token], {"from": dave})
    assert r["RevenueDistributor.claim (52 weeks)"].return_value[0] > 0
    return r


def claim_scaling_scenario(stakers: int) -> Callable[[], Receipts]:
    """One claimer's claim of one week, with `stakers - 1` other locks in the system. The week is
    finalised by a keeper's checkpointToken first, so the claim is the claimer's own work only; the
    next week's revenue is already in, so no claim empties the distributor (an emptied balance
    earns a storage refund that would make the cases differ for a reason unrelated to stakers)."""

    def scenario() -> Receipts:
        claimer, deployer = accounts[7], accounts[0]
        token, escrow, distributor = _staking_system([claimer], 1_000 * UNIT)
        escrow.setTrustedLockCreator(deployer, True, {"from": deployer})  # it plants the other locks
        end = now() + 52 * WEEK
        for i in range(stakers - 1):
            escrow.createLockFor(Account.from_key(_key(i)).address, (1 + i) * UNIT, end, {"from": deployer})
        escrow.createLock(1_000 * UNIT, end, {"from": claimer})
        mine_at(week_start(now()) + WEEK + 3600)
        distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
        mine_at(week_start(now()) + WEEK + 3600)
        distributor.checkpointToken(token, {"from": deployer})
        distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
        return {f"RevenueDistributor.claim (1 week, {stakers} staker{'s' if stakers > 1 else ''})": distributor.claim([token], {"from": claimer})}

    scenario.__name__ = f"claim_with_{stakers}_stakers"
    return scenario


def _key(i: int) -> str:
    return "0x" + (i + 1).to_bytes(32, "big").hex()


def idle_weeks_scenario() -> Receipts:
    """What an escrow action pays for the weeks nobody touched the escrow (issue 11): a checkpoint
    after 1 and after 10 idle weeks (52 idle weeks is staking_scenario's row; the per-idle-week slope
    is derived from the two in `measure`), createLock after 3 idle weeks, withdraw after 60 idle weeks,
    and depositFor next to the locks it adds to (no idle week), as increaseAmount is measured."""
    alice, bob, carol, dave = accounts[1:5]
    token, escrow, distributor = _staking_system([alice, bob, carol, dave], 1_000_000 * UNIT)
    year = now() + 364 * DAY
    escrow.createLock(100_000 * UNIT, year, {"from": alice})
    escrow.createLock(100_000 * UNIT, now() + 2 * WEEK, {"from": bob})
    r: Receipts = {"VotingEscrow.depositFor": escrow.depositFor(alice, 10_000 * UNIT, {"from": carol})}
    mine_at(week_start(now()) + WEEK + 3600)
    r["VotingEscrow.checkpoint (1 idle week)"] = escrow.checkpoint({"from": dave})
    mine_at(week_start(now()) + 10 * WEEK + 3600)
    r["VotingEscrow.checkpoint (10 idle weeks)"] = escrow.checkpoint({"from": dave})
    mine_at(week_start(now()) + 3 * WEEK + 3600)
    r["VotingEscrow.createLock (3 idle weeks)"] = escrow.createLock(100_000 * UNIT, now() + 364 * DAY, {"from": carol})
    mine_at(week_start(now()) + 60 * WEEK + 3600)
    r["VotingEscrow.withdraw (60 idle weeks)"] = escrow.withdraw({"from": bob})
    return r


CLAIM_WEEKS = 12  # issue 11's claim row: a quarter of weekly revenue claimed at once


def claim_weeks_scenario() -> Receipts:
    """A claim of 12 weeks by the first claimer (it finalises the weeks: their supply and per-token
    totals) and by a later claimer of the same weeks. Revenue of the current week is deposited
    before the claims, so no claim empties the distributor (a storage refund would blur the rows)."""
    alice, bob, carol = accounts[1:4]
    deployer = accounts[0]
    token, escrow, distributor = _staking_system([alice, bob, carol], 1_000_000 * UNIT)
    year = now() + 364 * DAY
    for holder in (alice, bob, carol):
        escrow.createLock(100_000 * UNIT, year, {"from": holder})
    mine_at(week_start(now()) + WEEK + 3600)
    for _ in range(CLAIM_WEEKS):
        distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
        mine_at(week_start(now()) + WEEK + 3600)
    distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
    r: Receipts = {
        f"RevenueDistributor.claim ({CLAIM_WEEKS} weeks, first claimer)": distributor.claim([token], {"from": alice}),
        f"RevenueDistributor.claim ({CLAIM_WEEKS} weeks, later claimer)": distributor.claim([token], {"from": bob}),
    }
    for receipt in r.values():
        assert receipt.return_value[0] > 0
    return r


def penalty_scenario() -> Receipts:
    """SPEC 7 penalties: an exit of a lock that scored at its week's start (its score leaves the week's
    penalty denominator), and a claim of one week with revenue and a penalty share."""
    alice, bob, carol = accounts[1:4]
    deployer = accounts[0]
    token, escrow, distributor = _staking_system([alice, bob, carol], 1_000_000 * UNIT)
    year = now() + 364 * 86400
    for holder in (alice, bob, carol):
        escrow.createLock(100_000 * UNIT, year, {"from": holder})
    mine_at(week_start(now()) + WEEK + 3600)
    distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
    r: Receipts = {"VotingEscrow.withdrawEarly (scored at the week start)": escrow.withdrawEarly({"from": carol})}
    mine_at(week_start(now()) + WEEK + 3600)
    distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})  # the claim does not empty it
    r["RevenueDistributor.claim (1 week, revenue and penalty)"] = distributor.claim([token], {"from": alice})
    assert r["RevenueDistributor.claim (1 week, revenue and penalty)"].return_value[0] > 1_000 * UNIT // 2
    return r


def wallet_scenario() -> Receipts:
    """SPEC 7 for wallets, keepers and indexers: permit locks, lock creators, keepers, poke. The permit
    key and a far deadline are fixed, so the signatures (calldata, hence gas) are the same every run."""
    deployer, keeper, creator, other = accounts[0], accounts[4], accounts[5], accounts[6]
    wallet = accounts.add(BENCHMARK_KEY)
    deployer.transfer(wallet, 10**18)
    token, escrow, distributor = _staking_system([creator, other], 1_000_000 * UNIT)
    token.transfer(wallet, 1_000_000 * UNIT, {"from": deployer})
    deadline = 2**64
    year = now() + 364 * 86400

    def permit(amount: int) -> tuple[int, bytes, bytes]:
        return sign_permit(BENCHMARK_KEY, token.name(), token.address, chain.id, wallet.address,
                           escrow.address, amount, token.nonces(wallet.address), deadline)

    r: Receipts = {
        "VotingEscrow.createLockWithPermit": escrow.createLockWithPermit(
            100_000 * UNIT, year, deadline, *permit(100_000 * UNIT), {"from": wallet}
        ),
        "VotingEscrow.increaseAmountWithPermit": escrow.increaseAmountWithPermit(
            10_000 * UNIT, deadline, *permit(10_000 * UNIT), {"from": wallet}
        ),
    }
    r["VotingEscrow.setLockCreator"] = escrow.setLockCreator(creator, True, {"from": other})
    r["VotingEscrow.createLockFor (approved creator)"] = escrow.createLockFor(
        other, 100_000 * UNIT, year, {"from": creator}
    )
    r["RevenueDistributor.setKeeper"] = distributor.setKeeper(keeper, True, {"from": wallet})
    distributor.setAutoCompound(True, {"from": wallet})
    mine_at(week_start(now()) + WEEK + 3600)
    distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
    mine_at(week_start(now()) + WEEK + 3600)
    distributor.depositRevenue(token, 1_000 * UNIT, {"from": deployer})
    claim = distributor.claimFor(wallet, [token], {"from": keeper})
    assert claim.events["Claimed"]["reinvested"] is True
    r["RevenueDistributor.claimFor (1 week, keeper reinvests)"] = claim
    r["VotingEscrow.poke (3 accounts)"] = escrow.poke([wallet, other, creator], {"from": keeper})
    return r


def governance_scenario() -> Receipts:
    """A proposal through its whole life on a deployment made as scripts/deploy.py makes it."""
    with tempfile.TemporaryDirectory() as directory:
        deployment = deploy_from_config(REPO_ROOT / LOCAL_CONFIG, deployer=accounts[0], manifest_file=Path(directory) / "gas.json")
        protocol = Protocol.of(deployment.manifest, deployment.manifest_file, project=True)
    token, escrow, distributor, governor = protocol.token, protocol.escrow, protocol.distributor, protocol.governor
    community = accounts[2]
    proposer, voter, reasoner = accounts[6], accounts[7], accounts[8]
    signer = Account.from_key(BENCHMARK_KEY)
    mine_at(week_start(now()) + WEEK + 3600)
    year = now() + 364 * 86400
    token.approve(escrow, 2**256 - 1, {"from": community})
    signer_account = accounts.add(BENCHMARK_KEY)
    accounts[0].transfer(signer_account, 10**18)
    for account, tokens in ((proposer, 1_000_000), (voter, 20_000_000), (reasoner, 5_000_000), (signer_account, 5_000_000)):
        escrow.setLockCreator(community, True, {"from": account})  # the community pool funds their locks
        escrow.createLockFor(account.address, tokens * UNIT, year, {"from": community})
    advance(1)
    stray = ServiceToken.deploy("Stablecoin stand-in", "USDX", [community.address], [10**6 * UNIT], {"from": community})
    targets, values = [distributor.address], [0]
    calldatas = [distributor.addRewardToken.encode_input(stray)]
    description = "Add USDX as a reward token"
    r: Receipts = {"ServiceGovernor.propose": governor.propose(targets, values, calldatas, description, {"from": proposer})}
    proposal_id = r["ServiceGovernor.propose"].return_value
    # the proposer (level 6: two proposals a period) proposes again, then cancels it: its quota slot
    # is already written, and a Pending proposal's cancel gives the slot back (SPEC 5.5)
    second = "Add USDX as a reward token (second proposal)"
    r["ServiceGovernor.propose (the proposer's second this period)"] = governor.propose(
        targets, values, calldatas, second, {"from": proposer}
    )
    assert governor.proposalsLeft(proposer) == 0
    r["ServiceGovernor.cancel (Pending: the quota slot given back)"] = governor.cancel["address[],uint256[],bytes[],bytes32"](
        targets, values, calldatas, web3.keccak(text=second), {"from": proposer}
    )
    assert governor.proposalsLeft(proposer) == 1
    mine_at(governor.proposalSnapshot(proposal_id) + 1)
    r["ServiceGovernor.castVote"] = governor.castVote(proposal_id, 1, {"from": voter})
    r["ServiceGovernor.castVoteWithReason"] = governor.castVoteWithReason(
        proposal_id, 1, "more revenue for stakers", {"from": reasoner}
    )
    signature = sign_ballot(
        BENCHMARK_KEY, governor.name(), governor.address, chain.id, proposal_id, 1, signer.address,
        governor.nonces(signer.address),
    )
    r["ServiceGovernor.castVoteBySig"] = governor.castVoteBySig(proposal_id, 1, signer.address, signature, {"from": community})
    mine_at(governor.proposalDeadline(proposal_id) + 1)
    description_hash = web3.keccak(text=description)
    r["ServiceGovernor.queue"] = governor.queue(targets, values, calldatas, description_hash, {"from": voter})
    proposal_eta = governor.proposalEta(proposal_id)
    mine_at(proposal_eta + 1)
    r["ServiceGovernor.execute"] = governor.execute(targets, values, calldatas, description_hash, {"from": voter})
    assert stray.address in distributor.rewardTokens()
    return r


@dataclass
class PerItem:
    """A derived row: a batch's gas divided by its size (what one receipt costs inside a batch), or a
    number that is not a receipt's gas (the governor's code size)."""

    gas_used: int


def services_scenario() -> Receipts:
    """Levels and paid services (SPEC 5.1, 5.2) on a staking system: subscriptions (staking token with a
    level-10 discount and a referrer, a stablecoin with a permit), credit deposits, one receipt redeemed
    alone, and batches of 1, 10 and 50 receipts from as many accounts (the gateway's settlement), with
    the cost per receipt in a batch as a derived row."""
    deployer = accounts[0]
    staker, referrer, payer, treasury = accounts[1], accounts[2], accounts[3], accounts[9]
    token, escrow, distributor = _staking_system([staker, referrer, payer], 10_000_000 * UNIT)
    usd = ServiceToken.deploy("USD Coin", "USDC", [deployer.address], [10**12 * UNIT], {"from": deployer})
    distributor.addRewardToken(usd, {"from": deployer})
    levels = StakingLevels.deploy(escrow, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS_TUPLE, deployer, {"from": deployer})
    access = ServiceAccess.deploy(levels, distributor, treasury, 5_000, 4_000, 1_000, deployer, {"from": deployer})
    year = now() + 364 * DAY
    escrow.createLock(8_000_000 * UNIT, year, {"from": staker})  # level 10
    escrow.createLock(1_000_000 * UNIT, year, {"from": referrer})  # level 5
    escrow.createLock(10_000 * UNIT, year, {"from": payer})  # below level 1
    monthly = access.createPlan(token, 1_000 * UNIT, 30 * DAY, {"from": deployer}).return_value
    monthly_usd = access.createPlan(usd, 20 * UNIT, 30 * DAY, {"from": deployer}).return_value
    for account in (staker, payer):
        token.approve(access, MAX_UINT256, {"from": account})
    # Warm the payment path once (treasury, referrer and distributor balances exist), as in steady use.
    access.subscribe(monthly, 1, referrer, MAX_UINT256, {"from": payer})
    r: Receipts = {"StakingLevels.deploy": levels.tx, "ServiceAccess.deploy": access.tx}
    r["StakingLevels.levelOf (level 10, as a transaction)"] = levels.levelOf.transact(staker, {"from": deployer})
    r["StakingLevels.levelOf (level 0, as a transaction)"] = levels.levelOf.transact(deployer, {"from": deployer})
    r["ServiceAccess.subscribe (staking token, level-10 discount, referrer)"] = access.subscribe(
        monthly, 12, referrer, MAX_UINT256, {"from": staker}
    )
    r["ServiceAccess.subscribe (staking token, renewal)"] = access.subscribe(
        monthly, 1, referrer, MAX_UINT256, {"from": payer}
    )
    signer = Account.from_key(BENCHMARK_KEY)
    usd.transfer(signer.address, 1_000 * UNIT, {"from": deployer})
    deployer.transfer(signer.address, 10**18)
    wallet = accounts.add(BENCHMARK_KEY)
    v, rr, s = sign_permit(
        BENCHMARK_KEY, usd.name(), usd.address, chain.id, signer.address, access.address, 20 * UNIT,
        usd.nonces(signer.address), RECEIPT_DEADLINE,
    )
    r["ServiceAccess.subscribeWithPermit (stablecoin)"] = access.subscribeWithPermit(
        monthly_usd, 1, ZERO_ADDRESS, 20 * UNIT, RECEIPT_DEADLINE, v, rr, s, {"from": wallet}
    )
    usd.approve(access, MAX_UINT256, {"from": deployer})
    r["ServiceAccess.depositCredits (first deposit)"] = access.depositCredits(usd, 100 * UNIT, {"from": deployer})
    r["ServiceAccess.depositCredits (top-up)"] = access.depositCredits(usd, 100 * UNIT, {"from": deployer})
    # Receipts: account i signs "my use so far totals 1 USD" (then 2 USD for the single redeem).
    keys = [_key(1_000 + i) for i in range(sum(BATCH_SIZES) + 1)]
    users = [Account.from_key(k).address for k in keys]
    for user in users:
        access.depositCreditsFor(user, usd, 10 * UNIT, {"from": deployer})

    def receipt(i: int, cumulative: int) -> tuple:
        signature = sign_usage(keys[i], access.address, chain.id, users[i], usd.address, cumulative, RECEIPT_DEADLINE)
        return (users[i], usd.address, cumulative, RECEIPT_DEADLINE, signature)

    access.redeemUsage(*receipt(0, UNIT), {"from": deployer})  # the account's first charge (spent 0 -> nonzero)
    r["ServiceAccess.redeemUsage"] = access.redeemUsage(*receipt(0, 2 * UNIT), {"from": deployer})
    start = 1
    for size in BATCH_SIZES:
        batch = [receipt(start + i, UNIT) for i in range(size)]
        start += size
        tx = access.redeemUsageBatch(batch, {"from": deployer})
        assert len(tx.events["UsageRedeemed"]) == size
        label = f"{size} receipt{'s' if size > 1 else ''}"
        r[f"ServiceAccess.redeemUsageBatch ({label})"] = tx
        r[f"ServiceAccess.redeemUsageBatch per receipt ({label})"] = PerItem(tx.gas_used // size)
    return r


def voters_scenario() -> Receipts:
    """castVote and castVoteWithReason by a decaying and by a permanent voter (issue 11), none of them
    the proposal's first vote (governance_scenario's castVote row is: it pays the first tally write),
    on a deployment made as scripts/deploy.py makes it; and the governor's runtime code size."""
    with tempfile.TemporaryDirectory() as directory:
        deployment = deploy_from_config(REPO_ROOT / LOCAL_CONFIG, deployer=accounts[0], manifest_file=Path(directory) / "gas.json")
        protocol = Protocol.of(deployment.manifest, deployment.manifest_file, project=True)
    token, escrow, distributor, governor = protocol.token, protocol.escrow, protocol.distributor, protocol.governor
    community = accounts[2]
    proposer, first, decaying, decaying_reasoner, permanent, permanent_reasoner = (
        accounts[6], accounts[7], accounts[8], accounts[1], accounts[9], accounts[0]
    )
    mine_at(week_start(now()) + WEEK + 3600)
    year = now() + 364 * DAY
    token.approve(escrow, 2**256 - 1, {"from": community})
    # `first` alone reaches the quorum: the measured votes pay neither the first tally write nor the
    # late-quorum deadline extension, so decaying and permanent voters differ only by their votes.
    for account in (proposer, first, decaying, decaying_reasoner, permanent, permanent_reasoner):
        escrow.setLockCreator(community, True, {"from": account})  # the community pool funds their locks
        tokens = 20_000_000 if account == first else 1_000_000
        escrow.createLockFor(account.address, tokens * UNIT, year, {"from": community})
    for account in (permanent, permanent_reasoner):
        escrow.lockPermanent({"from": account})
    advance(1)
    calldatas = [distributor.addRewardToken.encode_input(token)]
    proposal_id = governor.propose([distributor.address], [0], calldatas, "Voters benchmark", {"from": proposer}).return_value
    mine_at(governor.proposalSnapshot(proposal_id) + 1)
    governor.castVote(proposal_id, 1, {"from": first})  # the first tally write and the quorum
    assert governor.quorum(governor.proposalSnapshot(proposal_id)) <= governor.proposalVotes(proposal_id)[1]
    reason = "more revenue for stakers"
    return {
        "ServiceGovernor.castVote (decaying voter)": governor.castVote(proposal_id, 1, {"from": decaying}),
        "ServiceGovernor.castVoteWithReason (decaying voter)": governor.castVoteWithReason(
            proposal_id, 1, reason, {"from": decaying_reasoner}
        ),
        "ServiceGovernor.castVote (permanent voter)": governor.castVote(proposal_id, 1, {"from": permanent}),
        "ServiceGovernor.castVoteWithReason (permanent voter)": governor.castVoteWithReason(
            proposal_id, 1, reason, {"from": permanent_reasoner}
        ),
        "ServiceGovernor runtime code size (bytes, not gas)": PerItem(len(web3.eth.get_code(governor.address))),
    }


def _deal_params(seller: Any, sale: Any, pay: Any, snapshot: int, start: int) -> tuple:
    """A deal as the TMAI defaults open it (levels 8-10 at the start, 5-7 after 12 hours, 1-4 after
    18 hours), 1,000,000 sale tokens at 0.05 pay tokens each (a 50,000 raise), every level capped at
    40,000, 20% at the TGE, the rest over 30 days, a 5% fee to stakers."""
    opens_after = [18 * 3600] * 4 + [12 * 3600] * 3 + [0] * 3
    return (
        seller.address, sale.address, 1_000_000 * UNIT, pay.address, UNIT // 20, snapshot, start, start + 2 * DAY,
        opens_after, [40_000 * UNIT] * 10, 1, 10_000 * UNIT, 2_000, 30 * DAY, 500,
    )


def deals_scenario() -> Receipts:
    """Early-access deals (SPEC 5.3): creation by the owner, commits, `finalize` of two oversubscribed
    deals that differ only in the number of buyers (two and eight, in the same two levels: finalize
    works on per-level totals, so its gas does not grow with buyers), and claims at the TGE and later."""
    deployer, seller = accounts[0], accounts[9]
    buyers = list(accounts[1:9])
    token, escrow, distributor = _staking_system(buyers, 1_000_000 * UNIT)
    levels = StakingLevels.deploy(escrow, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS_TUPLE, deployer, {"from": deployer})
    deals = EarlyAccessDeals.deploy(levels, distributor, deployer, {"from": deployer})
    sale = ServiceToken.deploy("Project Token", "PRJ", [seller.address], [10**9 * UNIT], {"from": deployer})
    sale.approve(deals, MAX_UINT256, {"from": seller})
    year = now() + 364 * DAY
    for i, buyer in enumerate(buyers):
        # half the buyers at level 3 (222,000 score), half at level 1 (22,000)
        escrow.createLock((230_000 if i % 2 == 0 else 30_000) * UNIT, year, {"from": buyer})
        token.approve(deals, MAX_UINT256, {"from": buyer})
    distributor.depositRevenue(token, UNIT, {"from": deployer})  # the fee lands on an existing week
    snapshot = advance(60)
    start = now() + 3600
    r: Receipts = {"EarlyAccessDeals.deploy": deals.tx}
    r["EarlyAccessDeals.createDeal"] = deals.createDeal(_deal_params(seller, sale, token, snapshot, start), {"from": deployer})
    for _ in range(2):
        deals.createDeal(_deal_params(seller, sale, token, snapshot, start), {"from": deployer})
    mine_at(start + 18 * 3600)
    r["EarlyAccessDeals.commit (first)"] = deals.commit(1, 20_000 * UNIT, {"from": buyers[0]})
    r["EarlyAccessDeals.commit (top-up)"] = deals.commit(1, 20_000 * UNIT, {"from": buyers[0]})
    for deal_id in (1, 2):
        deals.commit(deal_id, 40_000 * UNIT, {"from": buyers[1]})
    deals.commit(2, 40_000 * UNIT, {"from": buyers[0]})
    for i, buyer in enumerate(buyers):
        # the same level totals as deal 2 (40,000 at level 3, more than the rest at level 1): the same fills
        deals.commit(3, (10_000 if i % 2 == 0 else 40_000) * UNIT, {"from": buyer})
    mine_at(start + 2 * DAY)
    # deal 1 warms the seller's and the distributor's balances, as any deal after the first finds them
    deals.finalize(1, {"from": deployer})
    r["EarlyAccessDeals.finalize (2 buyers in 2 levels)"] = deals.finalize(2, {"from": deployer})
    r["EarlyAccessDeals.finalize (8 buyers in 2 levels)"] = deals.finalize(3, {"from": deployer})
    r["EarlyAccessDeals.claim (refund and TGE tokens)"] = deals.claim(3, {"from": buyers[0]})
    advance(10 * DAY)
    r["EarlyAccessDeals.claim (vested tokens)"] = deals.claim(3, {"from": buyers[0]})
    return r


AIRDROP_ACCOUNTS = 10  # the tree's size: proofs of 3 or 4 hashes
AIRDROP_BONUS_BPS = 5_000  # a claim into a 12-month lock earns up to 50% more
AIRDROP_KEY_BASE = 5_000  # _key(5_000 + i): apart from the claim-scaling and services keys


def airdrop_scenario() -> Receipts:
    """The community airdrop (SPEC 5.4) on a staking system: a tree of 10 accounts (fixed keys, so the
    root, the proofs and the signature, hence calldata and gas, are the same every run), funded by plain
    transfers (the airdrop total plus a bonus reserve big enough that no bonus is capped) and trusted by
    the escrow. An unmeasured liquid claim comes first, so no measured claim pays the first write of
    `claimedTotal`; every measured claim is checked to have paid or locked its amount (and bonus)."""
    deployer, relayer = accounts[0], accounts[1]
    keys = [_key(AIRDROP_KEY_BASE + i) for i in range(AIRDROP_ACCOUNTS)]
    claimers = [accounts.add(key) for key in keys]
    liquid, new_lock, existing, permanent, signer, warm = claimers[:6]
    for account in (new_lock, existing, permanent):  # they send their own transactions
        deployer.transfer(account, 10**18)
    token, escrow, _ = _staking_system([existing, permanent], 100_000 * UNIT)
    year = now() + 364 * DAY
    escrow.createLock(1_000 * UNIT, year, {"from": existing})
    escrow.createLock(1_000 * UNIT, year, {"from": permanent})
    escrow.lockPermanent({"from": permanent})
    entries = [AirdropEntry(line=i + 1, account=c.address, amount=(i + 1) * 1_000 * UNIT + i) for i, c in enumerate(claimers)]
    tree = airdrop_tree(entries)
    total = sum(e.amount for e in entries)
    reserve = total  # a 12-month claim at 50% takes at most half its amount: never capped here
    treasury = Account.from_key(_key(AIRDROP_KEY_BASE + AIRDROP_ACCOUNTS)).address
    claim_deadline = now() + 30 * DAY
    airdrop = CommunityAirdrop.deploy(
        escrow, tree.root, total, claim_deadline, AIRDROP_BONUS_BPS, treasury, {"from": deployer}
    )
    token.transfer(airdrop, total + reserve, {"from": deployer})
    escrow.setTrustedLockCreator(airdrop, True, {"from": deployer})

    def leaf(account: Any) -> tuple[int, list[str]]:
        i = claimers.index(account)
        return entries[i].amount, tree.proof(i)

    def locked_amount(account: Any) -> int:
        return escrow.locked(account)[0]

    r: Receipts = {"CommunityAirdrop.deploy": airdrop.tx}
    airdrop.claim(warm, *leaf(warm), {"from": relayer})  # claimedTotal 0 -> nonzero, unmeasured

    amount, proof = leaf(liquid)
    r["CommunityAirdrop.claim (liquid, by a relayer)"] = airdrop.claim(liquid, amount, proof, {"from": relayer})
    assert token.balanceOf(liquid) == amount and airdrop.claimed(liquid)

    amount, proof = leaf(new_lock)
    unlock_time = now() + 364 * DAY
    tx = airdrop.claimAndLock(amount, proof, unlock_time, {"from": new_lock})
    r["CommunityAirdrop.claimAndLock (new lock, 12 months)"] = tx
    assert tx.return_value > 0 and escrow.locked(new_lock) == (amount + tx.return_value, week_start(unlock_time), False)

    amount, proof = leaf(existing)
    before = locked_amount(existing)
    tx = airdrop.claimAndLock(amount, proof, 0, {"from": existing})
    r["CommunityAirdrop.claimAndLock (into an existing lock)"] = tx
    assert tx.return_value > 0 and locked_amount(existing) == before + amount + tx.return_value

    amount, proof = leaf(permanent)
    before = locked_amount(permanent)
    tx = airdrop.claimAndLock(amount, proof, 0, {"from": permanent})
    r["CommunityAirdrop.claimAndLock (into a permanent lock)"] = tx
    assert tx.return_value == amount * AIRDROP_BONUS_BPS // 10_000  # MAX_LOCK remaining: the full bonus
    assert escrow.locked(permanent)[0] == before + amount + tx.return_value and escrow.locked(permanent)[2]

    amount, proof = leaf(signer)
    unlock_time = now() + 364 * DAY
    signature = sign_claim_and_lock(
        keys[claimers.index(signer)], chain.id, airdrop.address, signer.address, amount, unlock_time, RECEIPT_DEADLINE
    )
    tx = airdrop.claimAndLockBySig(signer, amount, proof, unlock_time, RECEIPT_DEADLINE, signature, {"from": relayer})
    r["CommunityAirdrop.claimAndLockBySig (new lock)"] = tx
    assert tx.return_value > 0 and locked_amount(signer) == amount + tx.return_value

    mine_at(claim_deadline + 1)
    left = token.balanceOf(airdrop)
    r["CommunityAirdrop.sweep"] = airdrop.sweep({"from": relayer})
    assert left > 0 and token.balanceOf(treasury) == left and token.balanceOf(airdrop) == 0
    return r


SCENARIOS: list[Callable[[], Receipts]] = [
    token_scenario,
    staking_scenario,
    penalty_scenario,
    wallet_scenario,
    claim_scaling_scenario(1),
    claim_scaling_scenario(200),
    governance_scenario,
    services_scenario,
    # issue 11's rows, after the others: a scenario added earlier would move later contracts'
    # addresses, hence calldata zero bytes, hence the other rows' gas.
    idle_weeks_scenario,
    claim_weeks_scenario,
    voters_scenario,
    deals_scenario,  # issue 14's rows, last for the same reason
    airdrop_scenario,  # the community airdrop's rows (SPEC 5.4), last for the same reason
]


def measure() -> dict[str, int]:
    # Every block exactly one second after the previous one, whatever the wall clock does: the
    # escrow's histories (one point per second) and so the gas are then the same on every run.
    rpc("anvil_setBlockTimestampInterval", [1])
    gas: dict[str, int] = {}
    for scenario in SCENARIOS:
        print(f"running {scenario.__name__}...", flush=True)
        with contextlib.redirect_stdout(io.StringIO()):  # brownie prints every transaction
            receipts = scenario()
        for name, receipt in receipts.items():
            gas[name] = int(receipt.gas_used)
    gas[IDLE_WEEK_SLOPE] = idle_week_slope(gas)
    return gas


IDLE_WEEK_SLOPE = "VotingEscrow.checkpoint per idle week (slope, 1 to 52 idle weeks)"


def idle_week_slope(gas: dict[str, int]) -> int:
    """What each further idle week adds to a checkpoint: (52 weeks - 1 week) / 51."""
    one, many = gas["VotingEscrow.checkpoint (1 idle week)"], gas["VotingEscrow.checkpoint (52 idle weeks)"]
    return (many - one) // 51
