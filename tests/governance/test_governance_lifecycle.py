"""Every kind of DAO action through the whole lifecycle (SPEC 2.4): propose -> Pending -> Active after the
voting delay -> vote -> Succeeded -> queue -> Queued -> after the timelock delay execute -> Executed,
with the exact events and the effect on chain."""

import pytest
from brownie import ServiceToken
from hexbytes import HexBytes

from harness.chain import time as hchain
from harness.core.staking import week_start
from harness.core.units import UNIT, ZERO_BYTES32
from tests.governance.helpers import TIMELOCK_DELAY, VOTING_DELAY, VOTING_PERIOD, action, permanent_lock, sender
from tests.models.system_model import ACTIVE, EXECUTED, FOR, PENDING, QUEUED, SUCCEEDED
from tests.support.reverts import reverts

WHALE_VOTES = 200_000_000 * UNIT


def _hex(b) -> str:
    return HexBytes(b).hex()


def lifecycle(gov, proposer, voter, caller, actions, description):
    """Run a proposal through every state, checking states and the four standard events exactly.
    Returns the execute transaction."""
    g = gov.governor
    p = gov.propose(proposer, actions, description)
    tx = p.tx
    assert p.id == g.getProposalId(*p.args)
    ev = tx.events["ProposalCreated"]
    assert len(tx.events["ProposalCreated"]) == 1
    assert ev["proposalId"] == p.id
    assert ev["proposer"] == proposer.address
    assert list(ev["targets"]) == p.targets
    assert list(ev["values"]) == p.values
    assert list(ev["signatures"]) == [""] * len(p.targets)
    assert [_hex(c) for c in ev["calldatas"]] == [_hex(c) for c in p.calldatas]
    assert ev["voteStart"] == tx.timestamp + VOTING_DELAY
    assert ev["voteEnd"] == tx.timestamp + VOTING_DELAY + VOTING_PERIOD
    assert ev["description"] == description
    assert g.proposalSnapshot(p.id) == tx.timestamp + VOTING_DELAY
    assert g.proposalDeadline(p.id) == tx.timestamp + VOTING_DELAY + VOTING_PERIOD
    assert g.proposalProposer(p.id) == proposer.address
    assert g.state(p.id) == PENDING

    snapshot = g.proposalSnapshot(p.id)
    hchain.mine_at(snapshot)
    assert g.state(p.id) == PENDING  # the snapshot time itself is still before the vote
    hchain.mine_at(snapshot + 1)
    assert g.state(p.id) == ACTIVE

    vote = gov.vote(p, voter, FOR)
    assert [dict(e) for e in vote.events["VoteCast"]] == [
        {"voter": voter.address, "proposalId": p.id, "support": FOR, "weight": WHALE_VOTES, "reason": ""}
    ]
    assert "ProposalExtended" not in vote.events  # quorum early: the extension ends before the deadline
    assert g.proposalVotes(p.id) == (0, WHALE_VOTES, 0)
    assert g.hasVoted(p.id, voter)

    deadline = g.proposalDeadline(p.id)
    assert deadline == snapshot + VOTING_PERIOD
    hchain.mine_at(deadline)
    assert g.state(p.id) == ACTIVE
    hchain.mine_at(deadline + 1)
    assert g.state(p.id) == SUCCEEDED

    q = gov.queue(p, caller)
    eta = q.timestamp + TIMELOCK_DELAY
    assert [dict(e) for e in q.events["ProposalQueued"]] == [{"proposalId": p.id, "etaSeconds": eta}]
    assert g.proposalEta(p.id) == eta
    assert g.state(p.id) == QUEUED
    op_id = gov.timelock.hashOperationBatch(p.targets, p.values, p.calldatas, ZERO_BYTES32, _salt(g, p))
    assert gov.timelock.isOperationPending(op_id)
    assert gov.timelock.getTimestamp(op_id) == eta
    assert len(q.events["CallScheduled"]) == len(p.targets)

    hchain.mine_at(eta)
    ex = gov.execute(p, caller)
    assert [dict(e) for e in ex.events["ProposalExecuted"]] == [{"proposalId": p.id}]
    assert [e["index"] for e in ex.events["CallExecuted"]] == list(range(len(p.targets)))
    assert g.state(p.id) == EXECUTED
    assert gov.timelock.isOperationDone(op_id)
    return ex


def _salt(governor, p):
    """GovernorTimelockControl's salt: bytes20(governor) ^ descriptionHash."""
    d = int.from_bytes(p.description_hash, "big")
    return (int(governor.address, 16) << 96 ^ d).to_bytes(32, "big")


@pytest.fixture(scope="module")
def usd(voters):
    return ServiceToken.deploy("USD Coin", "USD", [voters[0]], [10**30], {"from": voters[0]})


def test_add_reward_token(gov, system, whale, voters, usd):
    dist = system.distributor
    assert usd.address not in dist.rewardTokens()
    ex = lifecycle(gov, whale, whale, voters[4], [action(dist, "addRewardToken", usd)], "Add USD as a reward token")
    assert ex.events["RewardTokenAdded"][0]["token"] == usd.address
    assert list(dist.rewardTokens()) == [system.token.address, usd.address]
    # the new token takes revenue now
    usd.approve(dist, 10**18, {"from": voters[0]})
    dist.depositRevenue(usd, 10**18, {"from": voters[0]})
    assert dist.tokensPerWeek(usd, week_start(hchain.now())) == 10**18


def test_remove_reward_token(gov, system, whale, voters, usd):
    dist = system.distributor
    lifecycle(gov, whale, whale, voters[4], [action(dist, "addRewardToken", usd)], "Add USD")
    assert usd.address in dist.rewardTokens()
    ex = lifecycle(gov, whale, whale, voters[4], [action(dist, "removeRewardToken", usd)], "Remove USD")
    assert ex.events["RewardTokenRemoved"][0]["token"] == usd.address
    assert list(dist.rewardTokens()) == [system.token.address]
    assert dist.tokenState(usd)[:2] == (True, False)  # listed, not active


def test_treasury_grant(gov, system, whale, voters):
    token, timelock = system.token, system.timelock
    grantee = voters[3]
    amount = 5_000_000 * UNIT + 1
    treasury_before, grantee_before = token.balanceOf(timelock), token.balanceOf(grantee)
    assert treasury_before == 400_000_000 * UNIT
    ex = lifecycle(gov, whale, whale, voters[4], [action(token, "transfer", grantee, amount)], "Grant to voter 3")
    assert [dict(e) for e in ex.events["Transfer"]] == [
        {"from": timelock.address, "to": grantee.address, "value": amount}
    ]
    assert token.balanceOf(timelock) == treasury_before - amount
    assert token.balanceOf(grantee) == grantee_before + amount


def test_change_quorum(gov, system, whale, voters):
    g = system.governor
    assert g.quorumNumerator() == 4
    ex = lifecycle(gov, whale, whale, voters[4], [action(g, "updateQuorumNumerator", 10)], "Quorum 10%")
    assert [dict(e) for e in ex.events["QuorumNumeratorUpdated"]] == [
        {"oldQuorumNumerator": 4, "newQuorumNumerator": 10}
    ]
    assert g.quorumNumerator() == 10
    # checkpointed: the old value still applies to earlier timepoints
    assert g.quorumNumerator(ex.timestamp - 1) == 4
    assert g.quorumNumerator(ex.timestamp) == 10
    hchain.advance(1)
    supply = system.escrow.totalSupplyAt(ex.timestamp)
    assert g.quorum(ex.timestamp) == supply * 10 // 100
    assert g.quorum(ex.timestamp - 1) == system.escrow.totalSupplyAt(ex.timestamp - 1) * 4 // 100


SETTINGS = [
    ("setVotingDelay", 2 * 86400, "votingDelay", "VotingDelaySet", ("oldVotingDelay", "newVotingDelay"), 86400),
    ("setVotingPeriod", 3 * 86400, "votingPeriod", "VotingPeriodSet", ("oldVotingPeriod", "newVotingPeriod"), 432000),
    (
        "setProposalThreshold",
        2_000_000 * UNIT,
        "proposalThreshold",
        "ProposalThresholdSet",
        ("oldProposalThreshold", "newProposalThreshold"),
        1_000_000 * UNIT,
    ),
    (
        "setLateQuorumVoteExtension",
        3 * 86400,
        "lateQuorumVoteExtension",
        "LateQuorumVoteExtensionSet",
        ("oldVoteExtension", "newVoteExtension"),
        2 * 86400,
    ),
]


@pytest.mark.parametrize("fn,new,getter,event,keys,old", SETTINGS, ids=[s[0] for s in SETTINGS])
def test_change_setting(gov, system, whale, voters, fn, new, getter, event, keys, old):
    g = system.governor
    assert getattr(g, getter)() == old
    ex = lifecycle(gov, whale, whale, voters[4], [action(g, fn, new)], f"{fn}({new})")
    assert [dict(e) for e in ex.events[event]] == [{keys[0]: old, keys[1]: new}]
    assert getattr(g, getter)() == new
    # the new setting governs the next proposal
    p = gov.propose(whale, [action(g, fn, old)], f"{fn}({old}) back")
    t = p.tx.timestamp
    if fn == "setVotingDelay":
        assert g.proposalSnapshot(p.id) == t + new
    elif fn == "setVotingPeriod":
        assert g.proposalDeadline(p.id) == t + VOTING_DELAY + new


def test_new_threshold_applies(gov, system, whale, voters):
    """After raising the threshold to 2M, a 1.5M-score proposer is refused with the new threshold."""
    g = system.governor
    lifecycle(gov, whale, whale, voters[4], [action(g, "setProposalThreshold", 2_000_000 * UNIT)], "Threshold 2M")
    permanent_lock(system.escrow, voters[0], 750_000 * UNIT)
    hchain.advance(1)
    with reverts(
        "GovernorInsufficientProposerVotes(address,uint256,uint256)", voters[0].address, 1_500_000 * UNIT, 2_000_000 * UNIT
    ):
        g.propose([g.address], [0], [g.votingDelay.encode_input()], "x", sender(voters[0]))


def test_multi_action_proposal(gov, system, whale, voters, usd):
    """Grant, new reward token, quorum and timelock delay in one proposal: all or nothing, in order."""
    token, dist, g, timelock = system.token, system.distributor, system.governor, system.timelock
    grantee = voters[2]
    before = token.balanceOf(grantee)
    actions = [
        action(token, "transfer", grantee, 1_000 * UNIT),
        action(dist, "addRewardToken", usd),
        action(g, "updateQuorumNumerator", 6),
        action(timelock, "updateDelay", 3 * 86400),
    ]
    ex = lifecycle(gov, whale, whale, voters[4], actions, "Multi-action")
    assert [(e["index"], e["target"]) for e in ex.events["CallExecuted"]] == [
        (0, token.address),
        (1, dist.address),
        (2, g.address),
        (3, timelock.address),
    ]
    assert token.balanceOf(grantee) == before + 1_000 * UNIT
    assert usd.address in dist.rewardTokens()
    assert g.quorumNumerator() == 6
    assert timelock.getMinDelay() == 3 * 86400
    assert [dict(e) for e in ex.events["MinDelayChange"]] == [{"oldDuration": 2 * 86400, "newDuration": 3 * 86400}]
    # next proposal is queued with the new delay
    p = gov.propose(whale, [action(g, "updateQuorumNumerator", 4)], "Quorum back")
    gov.pass_vote(p, [whale])
    q = gov.queue(p, whale)
    assert g.proposalEta(p.id) == q.timestamp + 3 * 86400
