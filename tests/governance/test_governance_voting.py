"""Who may propose and how votes count (SPEC 2.2 voting, 2.4): proposal threshold at `clock() - 1`,
quorum as 4% of the past total Staking Score (for + abstain) where that is above the minimum quorum
(the minimum's side: test_governance_minimum_quorum.py), late-quorum extension, votes from the snapshot
(no flash-locking, decayed scores), permanent-lock delegation, votes by EIP-712 signature."""

import pytest
from brownie import web3
from brownie.test import given
from brownie.test import strategy as st

from harness.chain import time as hchain
from harness.core.signing import anvil_private_key, sign_ballot
from harness.core.staking import staking_score, week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK
from tests.governance.helpers import (
    LATE_QUORUM_EXTENSION,
    MINIMUM_QUORUM,
    THRESHOLD,
    action,
    amount_for_score,
    permanent_lock,
    sender,
)
from tests.models.system_model import ABSTAIN, ACTIVE, AGAINST, DEFEATED, FOR, PENDING, SUCCEEDED, quorum_rule
from tests.support.profiles import examples
from tests.support.reverts import error, reverts


def noop(gov):
    """A harmless action: read-only call through the timelock."""
    return [action(gov.governor, "votingDelay")]


# ------------------------------------------------------------------------------- proposal threshold


def _lock_scoring_exactly(gov, account, target):
    """A decaying lock and a propose time T such that the lock's score at T - 1 is exactly `target`.
    Returns (amount, end, T); the lock is created now (well before T - 1)."""
    now = hchain.now()
    end = week_start(now) + 52 * WEEK
    if end > now + MAX_LOCK - 10:
        end -= WEEK
    t = now + 100
    while True:
        amount = amount_for_score(target, end - (t - 1))
        if amount is not None:
            break
        t += 1
    gov.escrow.createLock(amount, end, {"from": account})
    assert gov.escrow.locked(account) == (amount, end, False)
    return amount, end, t


def test_threshold_exact_can_propose(gov, voters):
    """Votes are read at clock() - 1: a decaying lock worth exactly the threshold there may propose,
    although its score in the proposing block has already decayed below it."""
    proposer = voters[0]
    amount, end, t = _lock_scoring_exactly(gov, proposer, THRESHOLD)
    hchain.next_block_at(t)
    p = gov.propose(proposer, noop(gov), "exact threshold", settle=False)
    assert p.tx.timestamp == t
    assert gov.escrow.getPastVotes(proposer, t - 1) == THRESHOLD == staking_score(amount, end, t - 1)
    assert gov.escrow.balanceOfAt(proposer, t) == staking_score(amount, end, t) < THRESHOLD
    assert gov.governor.getVotes(proposer, t - 1) == THRESHOLD
    assert gov.governor.proposalProposer(p.id) == proposer.address


def test_threshold_one_wei_short_reverts(gov, voters):
    proposer = voters[0]
    amount, end, t = _lock_scoring_exactly(gov, proposer, THRESHOLD - 1)
    hchain.next_block_at(t)
    g = gov.governor
    expected = error(
        "GovernorInsufficientProposerVotes(address,uint256,uint256)", proposer.address, THRESHOLD - 1, THRESHOLD
    )
    with reverts(expected):
        g.propose([g.address], [0], [g.votingDelay.encode_input()], "one wei short", sender(proposer))
    assert staking_score(amount, end, t - 1) == THRESHOLD - 1


def test_threshold_permanent_lock_and_no_lock(gov, voters):
    g = gov.governor
    permanent_lock(gov.escrow, voters[1], THRESHOLD // 2)  # exactly the threshold, constant
    gov.propose(voters[1], noop(gov), "permanent exact")
    with reverts("GovernorInsufficientProposerVotes(address,uint256,uint256)", voters[2].address, 0, THRESHOLD):
        g.propose([g.address], [0], [g.votingDelay.encode_input()], "no lock", sender(voters[2]))


# ------------------------------------------------------------------------------- quorum


def _quorum_setup(gov, voters, community, a, c, b):
    """Permanent locks: voters[0] `a`, voters[1] `c`, voters[2] `b` (the proposer, does not vote; its
    tokens come from the community allocation). The only Staking Score is 2(a + b + c), large enough
    that 4% of it is above the minimum quorum. Returns the proposal, Active."""
    escrow = gov.escrow
    gov.token.transfer(voters[2], b, {"from": community})
    permanent_lock(escrow, voters[0], a)
    if c:
        permanent_lock(escrow, voters[1], c)
    permanent_lock(escrow, voters[2], b)
    p = gov.propose(voters[2], noop(gov), "quorum")
    gov.to_active(p)
    snap = gov.governor.proposalSnapshot(p.id)
    supply = escrow.totalSupplyAt(snap)
    assert supply == 2 * (a + b + c)
    assert supply * 4 // 100 > MINIMUM_QUORUM  # the fraction is the rule here
    assert gov.governor.quorum(snap) == quorum_rule(supply, 4, MINIMUM_QUORUM) == supply * 4 // 100
    return p, snap


A = 2_000_000 * UNIT


@pytest.mark.parametrize("extra,expected", [(0, SUCCEEDED), (13, DEFEATED)], ids=["at-quorum", "one-wei-under"])
def test_quorum_edge(gov, voters, community, extra, expected):
    """For-votes 2A; the proposer's lock is sized so that quorum is exactly 2A (succeeds) or 2A + 1
    (4% of 100M tokens + 26 wei rounds down to 4M tokens + 1 wei: defeated by one wei)."""
    p, snap = _quorum_setup(gov, voters, community, A, 0, 24 * A + extra)
    g = gov.governor
    assert g.quorum(snap) == 2 * A + (1 if extra else 0)
    gov.vote(p, voters[0], FOR)
    assert g.proposalVotes(p.id) == (0, 2 * A, 0)
    gov.to_end(p)
    assert g.state(p.id) == expected


QA, QC = 1_200_000 * UNIT, 800_000 * UNIT


@pytest.mark.parametrize(
    "support_a,support_c,expected",
    [
        (FOR, ABSTAIN, SUCCEEDED),  # 2.4M for + 1.6M abstain = quorum 4M
        (FOR, AGAINST, DEFEATED),  # for wins 2.4M : 1.6M, but against does not count to quorum
        (FOR, FOR, SUCCEEDED),
        (ABSTAIN, ABSTAIN, DEFEATED),  # quorum reached, but for (0) must exceed against (0)
    ],
)
def test_abstain_counts_against_does_not(gov, voters, community, support_a, support_c, expected):
    p, snap = _quorum_setup(gov, voters, community, QA, QC, 24 * (QA + QC))
    g = gov.governor
    assert g.quorum(snap) == 2 * (QA + QC)
    gov.vote(p, voters[0], support_a)
    gov.vote(p, voters[1], support_c)
    tally = [0, 0, 0]
    tally[support_a] += 2 * QA
    tally[support_c] += 2 * QC
    assert g.proposalVotes(p.id) == tuple(tally)
    gov.to_end(p)
    assert g.state(p.id) == expected


# ------------------------------------------------------------------------------- late quorum


def test_late_quorum_extends_deadline(gov, whale, voters):
    g = gov.governor
    permanent_lock(gov.escrow, voters[0], 1_000 * UNIT)
    permanent_lock(gov.escrow, voters[1], 1_000 * UNIT)
    p = gov.propose(whale, noop(gov), "late quorum")
    deadline = g.proposalDeadline(p.id)
    # a late vote below quorum extends nothing
    hchain.next_block_at(deadline - 600)
    v0 = gov.vote(p, voters[0], FOR)
    assert "ProposalExtended" not in v0.events
    assert g.proposalDeadline(p.id) == deadline
    # the vote that reaches quorum 60 s before the deadline
    hchain.next_block_at(deadline - 60)
    v = gov.vote(p, whale, FOR)
    assert v.timestamp == deadline - 60
    new_deadline = v.timestamp + LATE_QUORUM_EXTENSION
    assert [dict(e) for e in v.events["ProposalExtended"]] == [
        {"proposalId": p.id, "extendedDeadline": new_deadline}
    ]
    assert g.proposalDeadline(p.id) == new_deadline
    # still open after the original deadline
    hchain.mine_at(deadline + 1)
    assert g.state(p.id) == ACTIVE
    v1 = gov.vote(p, voters[1], AGAINST)
    assert v1.events["VoteCast"][0]["weight"] == 2_000 * UNIT
    assert "ProposalExtended" not in v1.events  # extended once only
    assert g.proposalDeadline(p.id) == new_deadline
    hchain.mine_at(new_deadline)
    assert g.state(p.id) == ACTIVE
    hchain.mine_at(new_deadline + 1)
    assert g.state(p.id) == SUCCEEDED


def test_early_quorum_no_extension(gov, whale):
    g = gov.governor
    p = gov.propose(whale, noop(gov), "early quorum")
    deadline = g.proposalDeadline(p.id)
    gov.to_active(p)
    v = gov.vote(p, whale, FOR)
    assert "ProposalExtended" not in v.events
    assert v.timestamp + LATE_QUORUM_EXTENSION < deadline
    assert g.proposalDeadline(p.id) == deadline
    hchain.mine_at(deadline + 1)
    assert g.state(p.id) == SUCCEEDED


# ------------------------------------------------------------------------------- snapshot


def test_votes_come_from_the_snapshot(gov, whale, voters, accounts):
    escrow, g = gov.escrow, gov.governor
    inc, perm, late, delegator, delegatee = voters
    at_snap = accounts[3]
    week52 = week_start(hchain.now()) + 51 * WEEK
    escrow.createLock(1_000_000 * UNIT, week52, {"from": inc})
    escrow.createLock(2_000_000 * UNIT, week52 - 10 * WEEK, {"from": perm})
    permanent_lock(escrow, delegator, 3_000_000 * UNIT)
    escrow.createLock(1_000_000 * UNIT, week52 - 20 * WEEK, {"from": delegatee})
    p = gov.propose(whale, noop(gov), "snapshot")
    snap = g.proposalSnapshot(p.id)
    # a lock made exactly at the snapshot counts; everything after it does not
    hchain.next_block_at(snap)
    at_tx = escrow.createLock(4_000_000 * UNIT, week52, {"from": at_snap})
    assert at_tx.timestamp == snap
    hchain.mine_at(snap + 1)
    escrow.increaseAmount(5_000_000 * UNIT, {"from": inc})
    escrow.lockPermanent({"from": perm})
    escrow.createLock(10_000_000 * UNIT, week52, {"from": late})
    escrow.delegate(delegatee, {"from": delegator})
    hchain.advance(2 * DAY)  # vote well after the snapshot: scores have decayed since

    expected = {
        inc: staking_score(1_000_000 * UNIT, week52, snap),
        perm: staking_score(2_000_000 * UNIT, week52 - 10 * WEEK, snap),
        late: 0,
        delegator: 6_000_000 * UNIT,
        delegatee: staking_score(1_000_000 * UNIT, week52 - 20 * WEEK, snap),
        at_snap: staking_score(4_000_000 * UNIT, week52, snap),
    }
    for voter, weight in expected.items():
        assert escrow.getPastVotes(voter, snap) == weight
        tx = gov.vote(p, voter, FOR)
        assert tx.events["VoteCast"][0]["weight"] == weight, voter
    # the decayed snapshot score is more than what the lock is worth at vote time
    assert escrow.balanceOfAt(perm, snap) == expected[perm]
    assert escrow.getVotes(delegatee) > expected[delegatee]  # the delegation counts from now on only
    assert g.proposalVotes(p.id) == (0, sum(expected.values()), 0)


@examples("governance")
@given(
    amount=st("uint256", min_value=UNIT, max_value=20_000_000 * UNIT),  # MIN_LOCK_AMOUNT is one token
    weeks=st("uint256", min_value=1, max_value=52),
    wait=st("uint256", min_value=1, max_value=3 * DAY),
    vote_after=st("uint256", min_value=1, max_value=4 * DAY),
)
def test_vote_weight_is_score_at_snapshot(gov, whale, voters, amount, weeks, wait, vote_after):
    """Random lock size, length and timing: the vote weight equals the SPEC formula at the snapshot and
    the escrow's balanceOfAt there, whatever the vote time."""
    escrow, g = gov.escrow, gov.governor
    voter = voters[0]
    end = week_start(hchain.now()) + weeks * WEEK
    if end <= hchain.now() + 1:
        end += WEEK
    escrow.createLock(amount, end, {"from": voter})
    hchain.advance(wait)
    p = gov.propose(whale, noop(gov), "property")
    snap = g.proposalSnapshot(p.id)
    hchain.mine_at(snap + vote_after)
    tx = gov.vote(p, voter, AGAINST)
    expected = staking_score(amount, end, snap)
    assert tx.events["VoteCast"][0]["weight"] == expected == escrow.balanceOfAt(voter, snap)
    assert g.proposalVotes(p.id)[AGAINST] == expected


# ------------------------------------------------------------------------------- delegation


def test_permanent_lock_delegation(gov, whale, voters):
    escrow, g = gov.escrow, gov.governor
    delegator, delegatee, empty = voters[0], voters[1], voters[2]
    permanent_lock(escrow, delegator, 5_000_000 * UNIT)
    escrow.createLock(1_000_000 * UNIT, week_start(hchain.now()) + 30 * WEEK, {"from": delegatee})
    end = escrow.locked(delegatee)[1]
    escrow.delegate(delegatee, {"from": delegator})
    assert escrow.delegates(delegator) == delegatee.address
    p = gov.propose(whale, noop(gov), "delegation")
    snap = g.proposalSnapshot(p.id)
    gov.to_active(p)
    assert g.getVotes(delegatee, snap) == 10_000_000 * UNIT + staking_score(1_000_000 * UNIT, end, snap)
    assert g.getVotes(delegator, snap) == 0
    t1 = gov.vote(p, delegatee, FOR)
    t0 = gov.vote(p, delegator, FOR)
    assert t1.events["VoteCast"][0]["weight"] == 10_000_000 * UNIT + staking_score(1_000_000 * UNIT, end, snap)
    assert t0.events["VoteCast"][0]["weight"] == 0
    # delegating to an account without a lock gives it exactly 2 * amount
    escrow.delegate(empty, {"from": delegator})
    q = gov.propose(whale, noop(gov), "delegation 2")
    gov.to_active(q)
    assert gov.vote(q, empty, FOR).events["VoteCast"][0]["weight"] == 10_000_000 * UNIT


def test_decaying_lock_cannot_delegate(gov, voters):
    escrow = gov.escrow
    escrow.createLock(1_000_000 * UNIT, hchain.now() + 30 * WEEK, {"from": voters[0]})
    with reverts("DelegationRequiresPermanentLock(address)", voters[0].address):
        escrow.delegate(voters[1], sender(voters[0]))
    with reverts("DelegationRequiresPermanentLock(address)", voters[2].address):
        escrow.delegate(voters[1], sender(voters[2]))  # no lock at all


# ------------------------------------------------------------------------------- signatures

def ballot_signature(gov, key_index, proposal_id, support, voter, nonce):
    return sign_ballot(
        anvil_private_key(key_index), "ServiceGovernor", gov.governor.address, web3.eth.chain_id,
        proposal_id, support, voter, nonce,
    )


def test_cast_vote_by_sig(gov, whale, voters, accounts):
    g, escrow = gov.governor, gov.escrow
    voter, relayer = accounts[1], voters[4]
    assert voter == voters[0] and accounts[6] == voters[1] and accounts[7] == voters[2]
    permanent_lock(escrow, voter, 5_000_000 * UNIT)
    p = gov.propose(whale, noop(gov), "by signature")
    gov.to_active(p)
    assert g.nonces(voter) == 0
    sig = ballot_signature(gov, 1, p.id, FOR, voter.address, 0)
    tx = g.castVoteBySig(p.id, FOR, voter, sig, {"from": relayer})
    assert [dict(e) for e in tx.events["VoteCast"]] == [
        {"voter": voter.address, "proposalId": p.id, "support": FOR, "weight": 10_000_000 * UNIT, "reason": ""}
    ]
    assert g.hasVoted(p.id, voter) and not g.hasVoted(p.id, relayer)
    assert g.nonces(voter) == 1
    assert g.proposalVotes(p.id) == (0, 10_000_000 * UNIT, 0)
    # replay: the nonce was used
    with reverts("GovernorInvalidSignature(address)", voter.address):
        g.castVoteBySig(p.id, FOR, voter, sig, sender(relayer))
    # signed by account 6, naming account 7 as the voter
    bad = ballot_signature(gov, 6, p.id, FOR, voters[2].address, 0)
    with reverts("GovernorInvalidSignature(address)", voters[2].address):
        g.castVoteBySig(p.id, FOR, voters[2], bad, sender(relayer))
    # account 7's own signature for Against, submitted as For
    good2 = ballot_signature(gov, 7, p.id, AGAINST, voters[2].address, 0)
    with reverts("GovernorInvalidSignature(address)", voters[2].address):
        g.castVoteBySig(p.id, FOR, voters[2], good2, sender(relayer))
    assert g.nonces(voters[2]) == 0 and g.proposalVotes(p.id) == (0, 10_000_000 * UNIT, 0)


def test_cast_vote_with_reason(gov, whale):
    g = gov.governor
    p = gov.propose(whale, noop(gov), "with reason")
    gov.to_active(p)
    reason = "Grow the treasury — carefully"
    tx = g.castVoteWithReason(p.id, ABSTAIN, reason, {"from": whale})
    assert [dict(e) for e in tx.events["VoteCast"]] == [
        {"voter": whale.address, "proposalId": p.id, "support": ABSTAIN, "weight": 200_000_000 * UNIT, "reason": reason}
    ]
    assert g.proposalVotes(p.id) == (0, 0, 200_000_000 * UNIT)


def test_vote_state_errors(gov, whale, voters):
    """Votes only while Active, once per account, support 0..2."""
    g = gov.governor
    p = gov.propose(whale, noop(gov), "vote errors")
    pending_only = (1 << ACTIVE).to_bytes(32, "big")
    with reverts("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", p.id, PENDING, pending_only):
        g.castVote(p.id, FOR, sender(whale))
    gov.to_active(p)
    with reverts("GovernorInvalidVoteType()"):
        g.castVote(p.id, 3, sender(whale))
    gov.vote(p, whale, FOR)
    with reverts("GovernorAlreadyCastVote(address)", whale.address):
        g.castVote(p.id, AGAINST, sender(whale))
    gov.to_end(p)
    with reverts("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", p.id, SUCCEEDED, pending_only):
        g.castVote(p.id, FOR, sender(voters[0]))
