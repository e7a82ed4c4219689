"""Hypothesis property tests: the contract against the plain-Python model, exactly."""

import pytest
from brownie.test import given, strategy
from hypothesis import strategies as st

from harness.chain import time as tchain
from harness.core.staking import MIN_LOCK_AMOUNT, early_exit_penalty, week_start
from harness.core.units import MAX_LOCK, WEEK
from tests.models.escrow_model import EscrowModel, Lock, score
from tests.support.constants import PENALTY_BPS
from tests.support.profiles import examples

MAX_AMOUNT = 10**26  # 100M tokens: the holders have ~111M each


@pytest.fixture(scope="module")
def t0(escrow, receiver):
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


@given(
    amount=strategy("uint256", min_value=MIN_LOCK_AMOUNT, max_value=MAX_AMOUNT),
    offset=strategy("uint256", min_value=0, max_value=WEEK - 1),
    duration=strategy("uint256", min_value=WEEK, max_value=MAX_LOCK),
    probes=strategy("uint256[]", min_value=1, max_value=MAX_LOCK + 2 * WEEK, min_length=1, max_length=4),
)
@examples("escrow")
def test_score_exact(escrow, holders, t0, amount, offset, duration, probes):
    a = holders[0]
    tchain.next_block_at(t0 + offset)
    unlock = t0 + offset + duration
    if unlock // WEEK * WEEK <= t0 + offset:
        unlock += WEEK
    tx = escrow.createLock(amount, unlock, {"from": a})
    start = tx.timestamp
    lock = Lock(amount, unlock // WEEK * WEEK, False)
    assert escrow.balanceOf(a) == score(lock, start) == escrow.totalSupply()
    tchain.mine_at(start + max(probes) + 1)
    for p in probes:
        t = start + p
        assert escrow.balanceOfAt(a, t) == score(lock, t)
        assert escrow.totalSupplyAt(t) == score(lock, t)


@given(
    locks=st.lists(
        st.tuples(
            st.integers(MIN_LOCK_AMOUNT, MAX_AMOUNT), st.integers(1, 52), st.integers(0, 3 * WEEK), st.booleans()
        ),
        min_size=1,
        max_size=6,
    ),
    probes=strategy("uint256[]", max_value=60 * WEEK, min_length=1, max_length=5),
)
@examples("escrow")
def test_supply_matches_model(escrow, holders, t0, locks, probes):
    """Several locks (some permanent) created over time: supply exact, >= sum of scores, < sum + locks."""
    model = EscrowModel()
    model._record(0)
    times = []
    for i, (amount, weeks, gap, permanent) in enumerate(locks):
        a = holders[i]
        now = tchain.now() + gap + 1
        tchain.next_block_at(now)
        unlock = now + weeks * WEEK
        tx = escrow.createLock(amount, unlock, {"from": a})
        model.create_lock(a, amount, unlock, tx.timestamp)
        times.append(tx.timestamp)
        if permanent:
            tx = escrow.lockPermanent({"from": a})
            model.lock_permanent(a, tx.timestamp)
    last = tchain.now()
    tchain.mine_at(last + max(probes) + 1)
    users = holders[: len(locks)]
    for t in times + [last + p for p in probes]:
        total = escrow.totalSupplyAt(t)
        assert total == model.total_supply_at(t)
        parts = 0
        for a in users:
            b = escrow.balanceOfAt(a, t)
            assert b == model.balance_of_at(a, t)
            parts += b
        assert 0 <= total - parts < max(1, model.active_locks_at(t))


@given(
    amount=strategy("uint256", min_value=MIN_LOCK_AMOUNT, max_value=MAX_AMOUNT),
    weeks=strategy("uint256", min_value=1, max_value=52),
    exit_after=strategy("uint256", min_value=1, max_value=MAX_LOCK),
)
@examples("escrow")
def test_penalty_matches_model(escrow, token, holders, t0, receiver, amount, weeks, exit_after):
    a = holders[0]
    tx = escrow.createLock(amount, t0 + weeks * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    exit_at = min(tx.timestamp + exit_after, end - 1)
    if exit_at % WEEK == 0:  # no early exit in a week's first second (EarlyExitAtWeekStart)
        exit_at -= 1
    if exit_at > tx.timestamp:
        tchain.next_block_at(exit_at)
    balance = token.balanceOf(a)
    tx = escrow.withdrawEarly({"from": a})
    fee = early_exit_penalty(amount, end, tx.timestamp, PENALTY_BPS)
    assert tx.events["WithdrawEarly"]["penalty"] == fee
    assert fee <= amount * PENALTY_BPS // 10_000
    assert token.balanceOf(a) == balance + amount - fee
    assert receiver.received() == fee and receiver.lastAccount() == a
    assert token.balanceOf(escrow) == 0
