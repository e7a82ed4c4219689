"""SPEC 7 `poke` for indexers (issue 9, finding 8). Staking Scores decay every second without an event,
so voting power rebuilt from `DelegateVotesChanged` events (what Tally's indexer reads: `newVotes`)
drifts from `getVotes`. `poke(accounts)` emits, for each account, its votes at its latest lock or
delegation checkpoint and its votes now, and changes nothing else."""

import pytest
from brownie import web3

from harness.chain import time as tchain
from harness.core.staking import week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK
from tests.models.escrow_model import MAX_POKE_ACCOUNTS
from tests.support.reverts import reverts


@pytest.fixture
def t0():
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


class EventIndexer:
    """Voting power as an event-driven indexer rebuilds it: every `DelegateVotesChanged` log of the
    escrow, in chain order, sets the delegate's votes to `newVotes`."""

    def __init__(self, escrow):
        self.contract = web3.eth.contract(address=escrow.address, abi=escrow.abi)

    def votes(self) -> dict:
        logs = self.contract.events.DelegateVotesChanged.get_logs(from_block=0)
        votes = {}
        for log in sorted(logs, key=lambda entry: (entry["blockNumber"], entry["logIndex"])):
            votes[log["args"]["delegate"]] = log["args"]["newVotes"]
        return votes


def _votes_events(tx):
    return [(e["delegate"], e["previousVotes"], e["newVotes"]) for e in tx.events["DelegateVotesChanged"]]


def test_event_indexer_drifts_without_poke_and_matches_after_weekly_pokes(escrow, holders, t0):
    a, b, c, d = holders[:4]
    escrow.createLock(100 * UNIT, t0 + 52 * WEEK, {"from": a})
    escrow.createLock(200 * UNIT, t0 + 13 * WEEK, {"from": b})
    escrow.createLock(50 * UNIT, t0 + 4 * WEEK, {"from": c})
    escrow.createLock(300 * UNIT, t0 + 52 * WEEK, {"from": d})
    escrow.lockPermanent({"from": d})
    escrow.delegate(a, {"from": d})
    indexer = EventIndexer(escrow)
    everyone = [a, b, c, d]

    tchain.advance(3 * WEEK)
    indexed = indexer.votes()
    actual = {x.address: escrow.getVotes(x) for x in everyone}
    for x in (a, b, c):  # decaying scores: the index is stale, and too high
        assert indexed[x.address] > actual[x.address]
    assert indexed[d.address] == actual[d.address] == 0  # d delegated everything to a
    assert sum(indexed.values()) > sum(actual.values())

    for week in range(16):  # a keeper pokes weekly; c (week 4) and b (week 13) expire on the way
        tx = escrow.poke(everyone, {"from": holders[8]})
        assert [e[0] for e in _votes_events(tx)] == everyone
        assert indexer.votes() == {x.address: escrow.getVotes(x) for x in everyone}
        tchain.advance(WEEK)
    assert escrow.getVotes(b) == escrow.getVotes(c) == 0

    # without pokes the index keeps b's and c's last poked value only until the next poke; after a's
    # expiry only the permanent power is left, and the stale index is far too high
    tchain.advance(40 * WEEK)
    assert escrow.getVotes(a) == 600 * UNIT  # only d's permanent power, delegated to a
    assert indexer.votes()[a.address] > 600 * UNIT + 100 * UNIT
    escrow.poke([a], {"from": holders[8]})
    assert indexer.votes()[a.address] == 600 * UNIT


def test_poke_reports_the_votes_of_the_latest_change_and_now(escrow, holders, t0):
    a = holders[0]
    tx = escrow.createLock(100 * UNIT, t0 + 30 * WEEK, {"from": a})
    created = tx.events["DelegateVotesChanged"]["newVotes"]
    tchain.advance(5 * WEEK)
    poke = escrow.poke([a], {"from": holders[5]})
    end = escrow.locked(a)[1]
    assert _votes_events(poke) == [(a, created, 100 * UNIT + 100 * UNIT * (end - poke.timestamp) // MAX_LOCK)]
    # a second change moves "the latest change" to it
    tx2 = escrow.increaseAmount(UNIT, {"from": a})
    changed = tx2.events["DelegateVotesChanged"]["newVotes"]
    tchain.advance(WEEK)
    poke = escrow.poke([a], {"from": holders[5]})
    assert _votes_events(poke) == [(a, changed, escrow.getVotes(a))]


def test_poke_of_delegated_permanent_power(escrow, holders, t0):
    """The delegator votes with nothing; the delegatee's previous votes are those of the delegation."""
    a, d = holders[0], holders[1]
    escrow.createLock(100 * UNIT, t0 + 30 * WEEK, {"from": a})
    escrow.createLock(300 * UNIT, t0 + 30 * WEEK, {"from": d})
    escrow.lockPermanent({"from": d})
    tchain.advance(100)  # d's latest change is then its delegation, after its latest lock point
    tx = escrow.delegate(a, {"from": d})
    at_delegation = dict((e[0], e[2]) for e in _votes_events(tx))
    tchain.advance(2 * WEEK)
    poke = escrow.poke([d, a], {"from": holders[5]})
    assert _votes_events(poke) == [
        (d, 0, 0),
        (a, at_delegation[a.address], escrow.getVotes(a)),
    ]
    assert escrow.getVotes(a) == escrow.balanceOf(a) + 600 * UNIT


def test_poke_of_accounts_without_a_lock_and_duplicates(escrow, holders, t0):
    a, b = holders[0], holders[1]
    created = escrow.createLock(10 * UNIT, t0 + 30 * WEEK, {"from": a}).events["DelegateVotesChanged"]["newVotes"]
    tx = escrow.poke([b, a, a, b], {"from": holders[5]})
    # votes decay between the two blocks (a slow tracing node may put seconds between them)
    now = escrow.balanceOfAt(a, tx.timestamp)
    assert _votes_events(tx) == [(b, 0, 0), (a, created, now), (a, created, now), (b, 0, 0)]
    assert escrow.poke([], {"from": holders[5]}).events.count("DelegateVotesChanged") == 0


def test_poke_changes_no_state(escrow, holders, t0):
    """No storage write at all: the state diff of the transaction (prestateTracer, diff mode) holds
    only the sender's nonce and balance."""
    a = holders[0]
    escrow.createLock(10 * UNIT, t0 + 30 * WEEK, {"from": a})
    tchain.advance(3 * WEEK)  # a poke is no checkpoint: the global history is not brought up to date
    epoch, user_epoch = escrow.epoch(), escrow.userPointEpoch(a)
    tx = escrow.poke([a, holders[1]], {"from": holders[5]})
    assert len(tx.events["DelegateVotesChanged"]) == 2
    diff = web3.provider.make_request(
        "debug_traceTransaction", [tx.txid, {"tracer": "prestateTracer", "tracerConfig": {"diffMode": True}}]
    )["result"]
    assert escrow.address.lower() not in {k.lower() for k in diff["post"]}
    assert all("storage" not in state for state in diff["post"].values())
    assert (escrow.epoch(), escrow.userPointEpoch(a)) == (epoch, user_epoch)


def test_poke_is_bounded(escrow, holders):
    many = [holders[i % 9] for i in range(MAX_POKE_ACCOUNTS + 1)]
    with reverts("TooManyAccounts", MAX_POKE_ACCOUNTS + 1, MAX_POKE_ACCOUNTS):
        escrow.poke(many, {"from": holders[0]})
    tx = escrow.poke(many[:MAX_POKE_ACCOUNTS], {"from": holders[0]})
    assert len(tx.events["DelegateVotesChanged"]) == MAX_POKE_ACCOUNTS
