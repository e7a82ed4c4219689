"""Unit tests: point history, balanceOfAt / totalSupplyAt lookups, same-block actions, future lookups."""

import pytest

from harness.chain import time as tchain
from harness.core.staking import week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK
from tests.models.escrow_model import EscrowModel
from tests.support.reverts import reverts


@pytest.fixture
def t0():
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


def check_history(escrow, model, accounts, times):
    for t in times:
        for a in accounts:
            assert escrow.balanceOfAt(a, t) == model.balance_of_at(a, t), (a, t)
        total = escrow.totalSupplyAt(t)
        assert total == model.total_supply_at(t), t
        parts = sum(model.balance_of_at(a, t) for a in accounts)
        assert 0 <= total - parts < max(1, model.active_locks_at(t))


def test_future_lookup(escrow, holders, t0):
    now = tchain.now()
    # the next view call runs in a pending block at `now` (Anvil): `now` itself is allowed
    assert escrow.totalSupplyAt(now) == 0
    assert escrow.balanceOfAt(holders[0], now) == 0
    with reverts("FutureLookup", now + 10**6, now):
        escrow.totalSupplyAt(now + 10**6)
    with reverts("FutureLookup", now + 10**6, now):
        escrow.balanceOfAt(holders[0], now + 10**6)


def test_before_deployment_is_zero(escrow, holders, t0):
    assert escrow.totalSupplyAt(0) == 0
    assert escrow.balanceOfAt(holders[0], 0) == 0


def test_history_matches_model(escrow, holders, t0):
    a, b, c = holders[0], holders[1], holders[2]
    model = EscrowModel()
    model._record(0)
    times = []

    def step(fn, *args):
        tx = fn(*args)
        times.append(tx.timestamp)
        return tx

    tx = step(escrow.createLock, 100 * UNIT, t0 + 30 * WEEK, {"from": a})
    model.create_lock(a, 100 * UNIT, t0 + 30 * WEEK, tx.timestamp)
    tchain.advance(3 * 86400 + 17)
    tx = step(escrow.createLock, 37 * UNIT + 3, t0 + 52 * WEEK, {"from": b})
    model.create_lock(b, 37 * UNIT + 3, t0 + 52 * WEEK, tx.timestamp)
    tchain.advance(2 * WEEK)
    tx = step(escrow.createLock, UNIT + 999, t0 + 5 * WEEK, {"from": c})  # the minimum and a few wei
    model.create_lock(c, UNIT + 999, t0 + 5 * WEEK, tx.timestamp)
    tx = step(escrow.increaseAmount, 5 * UNIT, {"from": a})
    model.increase_amount(a, 5 * UNIT, tx.timestamp)
    tchain.advance(6 * WEEK)  # c expires in between
    tx = step(escrow.lockPermanent, {"from": b})
    model.lock_permanent(b, tx.timestamp)
    tx = step(escrow.increaseUnlockTime, tx.timestamp + 40 * WEEK, {"from": c})  # relock expired
    model.increase_unlock_time(c, tx.timestamp + 40 * WEEK, tx.timestamp)
    tchain.advance(70 * WEEK)  # long gap: every decaying lock expires, no checkpoint
    end = tchain.now()

    probes = sorted(set(times + [t + d for t in times for d in (-1, 1, WEEK, 3 * WEEK + 5)] + [
        week_start(t0) + k * WEEK for k in range(0, 80, 3)]))
    probes = [p for p in probes if p <= end]
    check_history(escrow, model, [a, b, c], probes)
    assert escrow.totalSupply() == model.total_supply_at(end)


def test_scores_drop_to_zero_at_end(escrow, holders, t0):
    a, b = holders[0], holders[1]
    escrow.createLock(10 * UNIT, t0 + 3 * WEEK, {"from": a})
    escrow.createLock(20 * UNIT, t0 + 5 * WEEK, {"from": b})
    end_a = escrow.locked(a)[1]
    end_b = escrow.locked(b)[1]
    tchain.mine_at(end_b + 1)
    assert escrow.balanceOfAt(a, end_a - 1) == 10 * UNIT + 10 * UNIT * 1 // MAX_LOCK
    assert escrow.balanceOfAt(a, end_a) == 0
    assert escrow.totalSupplyAt(end_a) == escrow.balanceOfAt(b, end_a)
    assert escrow.totalSupplyAt(end_b) == 0
    assert escrow.totalSupplyAt(end_b - 1) == 20 * UNIT + 20 * UNIT // MAX_LOCK


def test_same_block_actions(escrow, token, holders, t0, batcher):
    """Several actions in one transaction share a timestamp: the last point is overwritten."""
    a, owner = holders[0], holders[5]
    token.approve(batcher, 2**256 - 1, {"from": a})
    escrow.setLockCreator(batcher, True, {"from": owner})  # the batcher contract plants owner's lock
    epoch = escrow.epoch()
    tx = batcher.lockAndTopUp(escrow, token, owner, 3 * UNIT, t0 + 10 * WEEK, 2, {"from": a})
    assert len(tx.events["Deposit"]) == 3
    assert escrow.userPointEpoch(owner) == 1
    assert escrow.epoch() == epoch + 1
    assert escrow.locked(owner)[0] == 9 * UNIT
    tchain.advance(WEEK + 5)
    tx2 = escrow.increaseAmount(UNIT, {"from": owner})
    assert escrow.userPointEpoch(owner) == 2
    end = escrow.locked(owner)[1]
    t = tx.timestamp
    assert escrow.balanceOfAt(owner, t) == 9 * UNIT + 9 * UNIT * (end - t) // MAX_LOCK
    assert escrow.totalSupplyAt(t) == escrow.balanceOfAt(owner, t)
    assert escrow.balanceOfAt(owner, t - 1) == 0
    assert escrow.totalSupplyAt(t - 1) == 0
    t2 = tx2.timestamp
    assert escrow.balanceOfAt(owner, t2) == 10 * UNIT + 10 * UNIT * (end - t2) // MAX_LOCK


def test_weekly_points_and_walk(escrow, holders, t0):
    """Supply at every week boundary of a year with no checkpoint equals the formula."""
    a = holders[0]
    tx = escrow.createLock(12345 * UNIT + 6789, t0 + MAX_LOCK, {"from": a})
    amount, end, _ = escrow.locked(a)
    tchain.mine_at(end + 3 * WEEK)
    for k in range(0, 56):
        w = week_start(tx.timestamp) + k * WEEK
        if w < tx.timestamp:
            continue
        expected = 0 if w >= end else amount + amount * (end - w) // MAX_LOCK
        assert escrow.totalSupplyAt(w) == expected
        assert escrow.balanceOfAt(a, w) == expected
    epoch = escrow.epoch()
    escrow.checkpoint({"from": a})
    # weekly points up to the end (slope reaches 0 there), then the point for now
    assert escrow.epoch() - epoch == (end - week_start(tx.timestamp)) // WEEK + 1
    for k in range(0, 56, 5):
        w = week_start(tx.timestamp) + k * WEEK
        if w >= tx.timestamp:
            expected = 0 if w >= end else amount + amount * (end - w) // MAX_LOCK
            assert escrow.totalSupplyAt(w) == expected


def test_user_point_history(escrow, holders, t0):
    a = holders[0]
    tx1 = escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    tchain.advance(100)
    tx2 = escrow.lockPermanent({"from": a})
    tchain.advance(100)
    tx3 = escrow.unlockPermanent({"from": a})
    assert escrow.userPointEpoch(a) == 3
    assert [escrow.userPointTimestamp(a, i) for i in (1, 2, 3)] == [tx1.timestamp, tx2.timestamp, tx3.timestamp]
    assert escrow.userPointHistory(a, 2)[3] is True
    assert escrow.userPointTimestamp(a, 4) == 0
