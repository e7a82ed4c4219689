"""What off-chain clients read (docs/governance.md "Tally" and "Snapshot"), each claim pinned on the
real escrow: Snapshot's `erc20-votes` strategy (getVotes at the snapshot block) sees delegation,
`erc20-balance-of` (balanceOf) does not, `ve-balance-of-at` (balanceOfAt with a block number) reads 0
from this timestamp-clock escrow; voting power rebuilt from DelegateVotesChanged events (what Tally's
delegate pages do) drifts above getVotes as scores decay without events, while a proposal's tally
(VoteCast weights) stays exact."""

from brownie import web3

from harness.chain import time as hchain
from harness.core.staking import staking_score
from harness.core.units import UNIT, WEEK
from tests.governance.helpers import action, decaying_lock, permanent_lock
from tests.models.system_model import FOR

DELEGATED = 3_000_000 * UNIT  # the delegator's permanent lock: 6M votes
OWN = 1_000_000 * UNIT  # the delegatee's 52-week decaying lock


def _delegation(system, voters):
    escrow = system.escrow
    delegator, delegatee = voters[0], voters[1]
    permanent_lock(escrow, delegator, DELEGATED)
    tx, end = decaying_lock(escrow, delegatee, OWN)
    escrow.delegate(delegatee, {"from": delegator})
    hchain.advance(1)
    return delegator, delegatee, tx, end


def test_snapshot_erc20_votes_strategy_sees_delegation(system, voters):
    """erc20-votes calls getVotes(account) at the proposal's block: the delegatee has its own score
    plus the delegated 6M, the delegator 0."""
    escrow = system.escrow
    delegator, delegatee, _, end = _delegation(system, voters)
    block = web3.eth.block_number
    t = web3.eth.get_block(block).timestamp
    hchain.advance(WEEK)  # Snapshot reads an older block than the latest
    assert escrow.getVotes.call(delegatee, block_identifier=block) == staking_score(OWN, end, t) + 2 * DELEGATED
    assert escrow.getVotes.call(delegator, block_identifier=block) == 0


def test_snapshot_erc20_balance_of_strategy_ignores_delegation(system, voters):
    """erc20-balance-of calls balanceOf: each account's own Staking Score, so the delegated 6M stays
    with the delegator and the delegatee gets only its own lock."""
    escrow = system.escrow
    delegator, delegatee, _, end = _delegation(system, voters)
    t = hchain.now()
    assert escrow.balanceOf(delegator) == 2 * DELEGATED
    assert escrow.balanceOf(delegatee) == staking_score(OWN, end, t)
    assert escrow.getVotes(delegatee) - escrow.balanceOf(delegatee) == 2 * DELEGATED


def test_snapshot_ve_balance_of_at_strategy_gets_zero(system, voters):
    """ve-balance-of-at calls balanceOfAt(account, blockNumber); this escrow reads the second argument
    as a timestamp, and a block number is a moment of 1970, before any lock: 0."""
    escrow = system.escrow
    _, delegatee, _, end = _delegation(system, voters)
    block = web3.eth.block_number
    t = hchain.now()
    assert block < 10**6 < t  # a block number is far below any timestamp of this chain
    assert escrow.balanceOfAt(delegatee, block) == 0
    assert escrow.balanceOfAt(delegatee, t) == staking_score(OWN, end, t) > 0


def _event_votes(tx, account):
    """The voting power an event indexer holds for `account` after `tx`: the last newVotes."""
    changes = [e for e in tx.events["DelegateVotesChanged"] if e["delegate"] == account]
    return changes[-1]["newVotes"]


def test_votes_rebuilt_from_events_drift_while_tallies_stay_exact(gov, system, whale, voters):
    """A decaying lock emits DelegateVotesChanged when it is made, then decays with no event: three
    weeks later the indexer's figure is above getVotes by exactly the decay, after expiry getVotes is
    0 and the indexer still shows the lock-time score. A vote cast meanwhile weighs exactly the
    snapshot score (VoteCast), whatever the events said."""
    escrow, g = system.escrow, system.governor
    holder = voters[2]
    tx, end = decaying_lock(escrow, holder, OWN, weeks=4)
    indexed = _event_votes(tx, holder.address)
    p = gov.propose(whale, [action(g, "votingDelay")], "tally from VoteCast")
    assert indexed == staking_score(OWN, end, tx.timestamp) == escrow.getPastVotes(holder, tx.timestamp)
    snap = g.proposalSnapshot(p.id)
    gov.to_active(p)
    vote = gov.vote(p, holder, FOR)
    assert vote.events["VoteCast"]["weight"] == staking_score(OWN, end, snap) < indexed

    t = hchain.mine_at(tx.timestamp + 3 * WEEK)
    assert escrow.getVotes(holder) == staking_score(OWN, end, t)
    assert indexed - escrow.getVotes(holder) == staking_score(OWN, end, tx.timestamp) - staking_score(OWN, end, t) > 0
    hchain.mine_at(end)
    assert escrow.getVotes(holder) == 0 and indexed > OWN  # the indexer still shows more than 1x
