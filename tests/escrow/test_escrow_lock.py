"""Unit tests: deployment, admin, every lock function's success path and its custom errors."""

import pytest

from harness.chain import time as tchain
from harness.core.staking import early_exit_penalty, staking_score, week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK, ZERO_ADDRESS
from tests.support.constants import PENALTY_BPS
from tests.support.reverts import reverts


@pytest.fixture
def t0():
    """Mine a block a little after a week boundary; returns its timestamp."""
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


# ------------------------------------------------------------------------------------ deployment


def test_constructor_and_views(escrow, token, deployer):
    assert escrow.token() == token
    assert escrow.maxEarlyPenaltyBps() == PENALTY_BPS
    assert escrow.owner() == deployer
    assert escrow.revenueDistributor() == ZERO_ADDRESS
    assert escrow.MAX_LOCK() == MAX_LOCK
    assert escrow.WEEK() == WEEK
    assert escrow.MIN_LOCK_AMOUNT() == UNIT
    assert escrow.MAX_POKE_ACCOUNTS() == 256
    assert escrow.name() == "veService Token"
    assert escrow.symbol() == "veSVC"
    assert escrow.decimals() == 18
    assert escrow.totalSupply() == 0
    assert escrow.supply() == 0
    assert escrow.epoch() == 0
    assert escrow.CLOCK_MODE() == "mode=timestamp"
    assert escrow.locked(deployer) == (0, 0, False)
    assert escrow.userPointEpoch(deployer) == 0


@pytest.mark.parametrize("bps", [0, 10_000])
def test_constructor_bps_bounds(VotingEscrow, token, deployer, bps):
    ve = VotingEscrow.deploy(token, bps, deployer, {"from": deployer})
    assert ve.maxEarlyPenaltyBps() == bps


def test_constructor_bad_bps(VotingEscrow, token, deployer):
    with reverts("InvalidPenaltyBps", 10_001):
        VotingEscrow.deploy(token, 10_001, deployer, {"from": deployer})


def test_constructor_zero_token(VotingEscrow, deployer):
    with reverts("ZeroAddress"):
        VotingEscrow.deploy(ZERO_ADDRESS, 5_000, deployer, {"from": deployer})


def test_constructor_zero_owner(VotingEscrow, token, deployer):
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        VotingEscrow.deploy(token, 5_000, ZERO_ADDRESS, {"from": deployer})


# ------------------------------------------------------------------------------------ admin


def test_set_revenue_distributor(escrow, unset_receiver, deployer, holders):
    with reverts("OwnableUnauthorizedAccount", holders[0].address):
        escrow.setRevenueDistributor(unset_receiver, {"from": holders[0]})
    with reverts("ZeroAddress"):
        escrow.setRevenueDistributor(ZERO_ADDRESS, {"from": deployer})
    tx = escrow.setRevenueDistributor(unset_receiver, {"from": deployer})
    assert escrow.revenueDistributor() == unset_receiver
    assert tx.events["RevenueDistributorSet"]["distributor"] == unset_receiver
    with reverts("RevenueDistributorAlreadySet", unset_receiver.address):
        escrow.setRevenueDistributor(unset_receiver, {"from": deployer})


def test_set_revenue_distributor_wrong_escrow(escrow, wrong_distributor, deployer):
    with reverts("RevenueDistributorMismatch", wrong_distributor.address, escrow.address):
        escrow.setRevenueDistributor(wrong_distributor, {"from": deployer})


# ------------------------------------------------------------------------------------ createLock


def test_create_lock(escrow, token, holders, t0):
    a = holders[0]
    before = token.balanceOf(a)
    tchain.next_block_at(t0 + 10)
    tx = escrow.createLock(100 * UNIT, t0 + 20 * WEEK + 5, {"from": a})
    now = tx.timestamp
    assert now == t0 + 10
    end = (t0 + 20 * WEEK + 5) // WEEK * WEEK
    assert escrow.locked(a) == (100 * UNIT, end, False)
    assert token.balanceOf(a) == before - 100 * UNIT
    assert token.balanceOf(escrow) == 100 * UNIT
    ev = tx.events["Deposit"]
    assert (ev["account"], ev["payer"], ev["amount"], ev["end"], ev["depositType"], ev["timestamp"]) == (
        a, a, 100 * UNIT, end, 0, now)
    assert tx.events["Supply"]["previousSupply"] == 0 and tx.events["Supply"]["supply"] == 100 * UNIT
    expected = 100 * UNIT + 100 * UNIT * (end - now) // MAX_LOCK
    assert escrow.balanceOf(a) == expected
    assert escrow.totalSupply() == expected
    assert escrow.getVotes(a) == expected
    assert tx.events["DelegateVotesChanged"]["newVotes"] == expected
    assert escrow.userPointEpoch(a) == 1
    assert escrow.userPointTimestamp(a, 1) == now
    assert escrow.userPointHistory(a, 1) == (100 * UNIT, end, now, False)


def test_create_lock_max_is_2x(escrow, holders, t0):
    a = holders[0]
    # at a week boundary a full MAX_LOCK rounds down to 52 weeks; pick a time where end = now + MAX_LOCK
    boundary = week_start(t0) + WEEK
    tchain.next_block_at(boundary - 86400)  # MAX_LOCK = 52 weeks + 1 day
    tx = escrow.createLock(UNIT, boundary - 86400 + MAX_LOCK, {"from": a})
    assert escrow.locked(a)[1] == tx.timestamp + MAX_LOCK
    assert escrow.balanceOf(a) == 2 * UNIT


def test_create_lock_errors(escrow, holders, t0):
    a = holders[0]
    with reverts("ZeroAmount"):
        escrow.createLock(0, t0 + 10 * WEEK, {"from": a})
    with reverts("AmountBelowMinimum", 1, UNIT):
        escrow.createLock(1, t0 + 10 * WEEK, {"from": a})
    with reverts("AmountBelowMinimum", UNIT - 1, UNIT):
        escrow.createLock(UNIT - 1, t0 + 10 * WEEK, {"from": a})
    t = tchain.now() + 1
    tchain.next_block_at(t)
    with reverts("UnlockTimeNotInFuture", week_start(t0), t):
        escrow.createLock(UNIT, t0, {"from": a})  # rounds down to the last boundary
    t = tchain.now() + 1
    tchain.next_block_at(t)
    with reverts("UnlockTimeTooLate", week_start(t0 + MAX_LOCK + 2 * WEEK), t + MAX_LOCK):
        escrow.createLock(UNIT, t0 + MAX_LOCK + 2 * WEEK, {"from": a})
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    with reverts("LockExists", a.address):
        escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})


def test_create_lock_exactly_the_minimum(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    assert escrow.locked(a)[0] == UNIT
    # later deposits add to a lock that holds the minimum: any amount goes
    escrow.increaseAmount(1, {"from": a})
    escrow.depositFor(a, 1, {"from": holders[1]})
    assert escrow.locked(a)[0] == UNIT + 2


def test_create_lock_for_below_minimum(escrow, holders, t0):
    payer, owner = holders[0], holders[1]
    escrow.setLockCreator(payer, True, {"from": owner})
    with reverts("AmountBelowMinimum", 10**6, UNIT):
        escrow.createLockFor(owner, 10**6, t0 + 4 * WEEK, {"from": payer})
    with reverts("ZeroAmount"):
        escrow.createLockFor(owner, 0, t0 + 4 * WEEK, {"from": payer})


def test_create_lock_for(escrow, token, holders, t0):
    payer, owner = holders[0], holders[1]
    before_payer, before_owner = token.balanceOf(payer), token.balanceOf(owner)
    escrow.setLockCreator(payer, True, {"from": owner})
    tx = escrow.createLockFor(owner, 5 * UNIT, t0 + 4 * WEEK, {"from": payer})
    assert escrow.locked(owner)[0] == 5 * UNIT
    assert escrow.locked(payer) == (0, 0, False)
    assert token.balanceOf(payer) == before_payer - 5 * UNIT
    assert token.balanceOf(owner) == before_owner
    ev = tx.events["Deposit"]
    assert ev["account"] == owner and ev["payer"] == payer and ev["depositType"] == 0
    with reverts("LockExists", owner):
        escrow.createLockFor(owner, 5 * UNIT, t0 + 4 * WEEK, {"from": payer})
    with reverts("ZeroAddress"):
        escrow.createLockFor(ZERO_ADDRESS, 5 * UNIT, t0 + 4 * WEEK, {"from": payer})
    with reverts("NotLockCreator", payer.address, holders[2].address):
        escrow.createLockFor(holders[2], 5 * UNIT, t0 + 4 * WEEK, {"from": payer})


def test_create_lock_with_expired_lock(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 2 * WEEK, {"from": a})
    tchain.mine_at(t0 + 3 * WEEK)
    with reverts("LockExists", a):
        escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})


# ------------------------------------------------------------------------------------ increase


def test_increase_amount(escrow, token, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    tx = escrow.increaseAmount(2 * UNIT, {"from": a})
    amount, end, _ = escrow.locked(a)
    assert amount == 3 * UNIT
    assert tx.events["Deposit"]["depositType"] == 1
    assert tx.events["Supply"]["supply"] == 3 * UNIT
    assert token.balanceOf(escrow) == 3 * UNIT
    assert escrow.balanceOf(a) == 3 * UNIT + 3 * UNIT * (end - tx.timestamp) // MAX_LOCK


def test_deposit_for(escrow, token, holders, t0):
    a, b = holders[0], holders[1]
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    before_b = token.balanceOf(b)
    tx = escrow.depositFor(a, 4 * UNIT, {"from": b})
    assert escrow.locked(a)[0] == 5 * UNIT
    assert token.balanceOf(b) == before_b - 4 * UNIT
    ev = tx.events["Deposit"]
    assert ev["account"] == a and ev["payer"] == b and ev["depositType"] == 2
    with reverts("NoLock", holders[2].address):
        escrow.depositFor(holders[2], UNIT, {"from": b})
    with reverts("ZeroAmount"):
        escrow.depositFor(a, 0, {"from": b})


def test_increase_errors(escrow, holders, t0):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.increaseAmount(UNIT, {"from": a})
    escrow.createLock(UNIT, t0 + 2 * WEEK, {"from": a})
    with reverts("ZeroAmount"):
        escrow.increaseAmount(0, {"from": a})
    end = escrow.locked(a)[1]
    tchain.mine_at(end)
    with reverts("LockExpired", a.address, end):
        escrow.increaseAmount(UNIT, {"from": a})
    with reverts("LockExpired", a, end):
        escrow.depositFor(a, UNIT, {"from": holders[1]})


def test_deposit_for_permanent(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 2 * WEEK, {"from": a})
    escrow.lockPermanent({"from": a})
    escrow.depositFor(a, UNIT, {"from": holders[1]})
    escrow.increaseAmount(UNIT, {"from": a})
    assert escrow.locked(a) == (3 * UNIT, 0, True)
    assert escrow.balanceOf(a) == 6 * UNIT
    assert escrow.totalSupply() == 6 * UNIT


# ------------------------------------------------------------------------------------ unlock time


def test_increase_unlock_time(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 2 * WEEK, {"from": a})
    tx = escrow.increaseUnlockTime(t0 + 30 * WEEK, {"from": a})
    end = (t0 + 30 * WEEK) // WEEK * WEEK
    assert escrow.locked(a) == (UNIT, end, False)
    ev = tx.events["Deposit"]
    assert ev["amount"] == 0 and ev["end"] == end and ev["depositType"] == 3
    assert escrow.balanceOf(a) == UNIT + UNIT * (end - tx.timestamp) // MAX_LOCK
    assert escrow.totalSupply() == escrow.balanceOf(a)


def test_relock_expired(escrow, token, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 2 * WEEK, {"from": a})
    tchain.mine_at(t0 + 5 * WEEK)
    assert escrow.balanceOf(a) == 0
    assert escrow.totalSupply() == 0
    balance = token.balanceOf(a)
    tx = escrow.increaseUnlockTime(t0 + 20 * WEEK, {"from": a})
    end = (t0 + 20 * WEEK) // WEEK * WEEK
    assert escrow.locked(a) == (UNIT, end, False)
    assert token.balanceOf(a) == balance
    assert escrow.totalSupply() == escrow.balanceOf(a) == UNIT + UNIT * (end - tx.timestamp) // MAX_LOCK


def test_increase_unlock_time_errors(escrow, holders, t0):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.increaseUnlockTime(t0 + 10 * WEEK, {"from": a})
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    with reverts("UnlockTimeNotLater", end, end):
        escrow.increaseUnlockTime(end + WEEK - 1, {"from": a})
    t = tchain.now() + 1
    tchain.next_block_at(t)
    with reverts("UnlockTimeTooLate", week_start(t0 + MAX_LOCK + WEEK), t + MAX_LOCK):
        escrow.increaseUnlockTime(t0 + MAX_LOCK + WEEK, {"from": a})
    tchain.mine_at(end + 3 * WEEK)
    t = tchain.now() + 1
    tchain.next_block_at(t)
    with reverts("UnlockTimeNotInFuture", end + 2 * WEEK, t):
        escrow.increaseUnlockTime(end + 2 * WEEK, {"from": a})
    escrow.increaseUnlockTime(end + 5 * WEEK, {"from": a})
    escrow.lockPermanent({"from": a})
    with reverts("PermanentLock", a.address):
        escrow.increaseUnlockTime(end + 10 * WEEK, {"from": a})


# ------------------------------------------------------------------------------------ withdraw


def test_withdraw(escrow, token, holders, t0):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.withdraw({"from": a})
    escrow.createLock(7 * UNIT, t0 + 3 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    tchain.mine_at(end - 10)
    with reverts("LockNotExpired", a.address, end):
        escrow.withdraw({"from": a})
    tchain.mine_at(end)
    balance = token.balanceOf(a)
    tx = escrow.withdraw({"from": a})
    assert token.balanceOf(a) == balance + 7 * UNIT
    assert token.balanceOf(escrow) == 0
    assert escrow.locked(a) == (0, 0, False)
    assert tx.events["Withdraw"]["account"] == a and tx.events["Withdraw"]["amount"] == 7 * UNIT
    assert tx.events["Supply"]["supply"] == 0
    assert escrow.supply() == 0
    # a fresh lock is possible again
    escrow.createLock(UNIT, tx.timestamp + 5 * WEEK, {"from": a})


def test_withdraw_permanent(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 3 * WEEK, {"from": a})
    escrow.lockPermanent({"from": a})
    with reverts("PermanentLock", a):
        escrow.withdraw({"from": a})
    with reverts("PermanentLock", a):
        escrow.lockPermanent({"from": a})


# ------------------------------------------------------------------------------------ withdrawEarly


def test_withdraw_early_not_set(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 3 * WEEK, {"from": a})
    with reverts("RevenueDistributorNotSet"):
        escrow.withdrawEarly({"from": a})


def test_withdraw_early(escrow, token, holders, t0, receiver):
    a = holders[0]
    escrow.createLock(1000 * UNIT, t0 + 40 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    tchain.next_block_at(t0 + 3 * WEEK + 12345)
    balance = token.balanceOf(a)
    tx = escrow.withdrawEarly({"from": a})
    fee = early_exit_penalty(1000 * UNIT, end, tx.timestamp, PENALTY_BPS)
    assert fee == 1000 * UNIT * (end - tx.timestamp) * 5000 // (MAX_LOCK * 10_000)
    assert fee > 0
    assert token.balanceOf(a) == balance + 1000 * UNIT - fee
    assert token.balanceOf(receiver) == fee
    assert receiver.received() == fee and receiver.calls() == 1 and receiver.lastAccount() == a
    assert token.balanceOf(escrow) == 0
    assert token.allowance(escrow, receiver) == 0
    ev = tx.events["WithdrawEarly"]
    assert (ev["account"], ev["amount"], ev["penalty"], ev["timestamp"]) == (a, 1000 * UNIT, fee, tx.timestamp)
    assert escrow.locked(a) == (0, 0, False)
    assert escrow.balanceOf(a) == 0 and escrow.totalSupply() == 0


def test_withdraw_early_zero_penalty_is_still_reported(VotingEscrow, PenaltyReceiver, token, holders, deployer, t0):
    """With no penalty (a 0 bps escrow) the exit is still reported to the distributor, which must
    exclude the exiter from the week's penalties whatever it paid; no allowance is left behind."""
    escrow = VotingEscrow.deploy(token, 0, deployer, {"from": deployer})
    receiver = PenaltyReceiver.deploy(escrow, {"from": deployer})
    escrow.setRevenueDistributor(receiver, {"from": deployer})
    a = holders[0]
    token.approve(escrow, 2**256 - 1, {"from": a})
    escrow.createLock(3 * UNIT, t0 + 20 * WEEK, {"from": a})
    balance = token.balanceOf(a)
    tx = escrow.withdrawEarly({"from": a})
    assert tx.events["WithdrawEarly"]["penalty"] == 0
    assert receiver.calls() == 1 and receiver.lastAccount() == a and receiver.received() == 0
    assert token.allowance(escrow, receiver) == 0
    assert token.balanceOf(a) == balance + 3 * UNIT


def test_withdraw_early_in_the_second_a_week_starts(escrow, token, holders, t0, receiver):
    """The stakers at a week's start share its penalties; in the very second the week starts they are not
    final yet (a lock made later in the same block would count), so the exit waits one second."""
    a = holders[0]
    escrow.createLock(10 * UNIT, t0 + 20 * WEEK, {"from": a})
    boundary = week_start(t0) + WEEK
    tchain.next_block_at(boundary)
    with reverts("EarlyExitAtWeekStart", boundary):
        escrow.withdrawEarly({"from": a, "gas_limit": 500_000, "allow_revert": True})
    assert tchain.now() == boundary and escrow.locked(a)[0] == 10 * UNIT
    tchain.next_block_at(boundary + 1)
    tx = escrow.withdrawEarly({"from": a})
    assert tx.timestamp == boundary + 1
    assert receiver.calls() == 1 and receiver.lastAccount() == a


def test_withdraw_early_errors(escrow, holders, t0, receiver):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.withdrawEarly({"from": a})
    escrow.createLock(UNIT, t0 + 3 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    tchain.mine_at(end)
    with reverts("LockExpired", a.address, end):
        escrow.withdrawEarly({"from": a})
    escrow.increaseUnlockTime(end + 5 * WEEK, {"from": a})
    escrow.lockPermanent({"from": a})
    with reverts("PermanentLock", a):
        escrow.withdrawEarly({"from": a})


@pytest.mark.parametrize("mode", [1, 2])
def test_withdraw_early_reentrancy(escrow, holders, t0, receiver, mode):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 30 * WEEK, {"from": a})
    receiver.setReenter(mode, {"from": a})
    with reverts("ReentrancyGuardReentrantCall"):
        escrow.withdrawEarly({"from": a})
    assert escrow.locked(a)[0] == UNIT


# ------------------------------------------------------------------------------------ permanent


def test_lock_permanent(escrow, holders, t0):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.lockPermanent({"from": a})
    escrow.createLock(3 * UNIT, t0 + 3 * WEEK, {"from": a})
    tx = escrow.lockPermanent({"from": a})
    assert escrow.locked(a) == (3 * UNIT, 0, True)
    assert tx.events["LockPermanent"]["amount"] == 3 * UNIT
    assert escrow.balanceOf(a) == 6 * UNIT
    tchain.advance(3 * MAX_LOCK)
    assert escrow.balanceOf(a) == 6 * UNIT
    assert escrow.totalSupply() == 6 * UNIT


def test_lock_permanent_expired(escrow, holders, t0):
    a = holders[0]
    escrow.createLock(UNIT, t0 + 3 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    tchain.mine_at(end)
    with reverts("LockExpired", a, end):
        escrow.lockPermanent({"from": a})


def test_unlock_permanent(escrow, holders, t0):
    a = holders[0]
    with reverts("NoLock", a):
        escrow.unlockPermanent({"from": a})
    escrow.createLock(3 * UNIT, t0 + 3 * WEEK, {"from": a})
    with reverts("NotPermanentLock", a.address):
        escrow.unlockPermanent({"from": a})
    escrow.lockPermanent({"from": a})
    tchain.advance(100 * WEEK)
    tx = escrow.unlockPermanent({"from": a})
    end = (tx.timestamp + MAX_LOCK) // WEEK * WEEK
    assert escrow.locked(a) == (3 * UNIT, end, False)
    ev = tx.events["UnlockPermanent"]
    assert ev["amount"] == 3 * UNIT and ev["end"] == end
    assert escrow.balanceOf(a) == score_of(3 * UNIT, end, tx.timestamp)
    tchain.mine_at(end)
    assert escrow.balanceOf(a) == 0 and escrow.totalSupply() == 0
    escrow.withdraw({"from": a})


def score_of(amount, end, t):
    return staking_score(amount, end, t)


def test_checkpoint(escrow, holders, t0):
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": holders[0]})
    epoch = escrow.epoch()
    tchain.mine_at(t0 + 5 * WEEK + 7)
    tx = escrow.checkpoint({"from": holders[3]})
    # one point per week boundary crossed, plus the point for now
    assert escrow.epoch() == epoch + 6
    assert tx.events["GlobalCheckpoint"]["epoch"] == epoch + 6
    for i in range(1, 6):
        bias, slope, ts = escrow.pointHistory(epoch + i)
        assert ts == week_start(t0) + i * WEEK
        assert slope == UNIT
    assert escrow.pointHistory(epoch + 6)[2] == tx.timestamp
