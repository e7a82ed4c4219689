"""The outside review's attacks (issue 9, findings 1-4), each replayed against the SPEC 7 rules: each
one now fails to profit. Amounts are exact, from the escrow's views and the reference model."""

import pytest
from eth_account import Account

from harness.chain.time import mine_at, now
from harness.core.staking import MIN_LOCK_AMOUNT as MIN_LOCK
from harness.core.staking import early_exit_penalty, week_start
from harness.core.units import UNIT, WEEK
from tests.distributor.sim import Sim
from tests.support.constants import PENALTY_BPS
from tests.support.reverts import reverts

# ------------------------------------------------------------------ finding 1: penalty recapture


def test_large_holder_relocking_in_its_exit_week_recaptures_none_of_its_penalty(
    env, dist, ve, token, usd, weth, holders, deployer
):
    """The issue's PoC: a 900k holder exits its 52-week lock and relocks the proceeds for two weeks in
    the same week. Before SPEC 7 the penalty went to next week's stakers, the relock among them, and it
    got back 70.5% of it. Now the penalty belongs to the stakers at the start of the exit's week, the
    exiter excluded: the whale gets none of it, the other staker all of it (to the escrow's rounding)."""
    whale, other = holders[0], holders[1]
    sim = Sim(ve, dist, token, [usd, weth], [whale, other], deployer, holders[5])
    env.lock(whale, 900_000 * UNIT, 52)
    env.lock(other, 100_000 * UNIT, 52)
    w1 = env.next_week(offset=2 * 86400)  # both are staked at w1's start
    wallet = token.balanceOf(whale)
    amount, end, _ = ve.locked(whale)
    tx = sim.withdraw_early(whale)
    penalty = tx.events["WithdrawEarly"]["penalty"]
    assert penalty == early_exit_penalty(amount, end, tx.timestamp, PENALTY_BPS) > 400_000 * UNIT
    proceeds = amount - penalty
    # the attack: lock the proceeds again at once, for two weeks
    ve.createLock(proceeds, week_start(now()) + 3 * WEEK, {"from": whale})
    mine_at(ve.locked(whale)[1] + 60)
    assert ve.balanceOfAt(whale, w1 + WEEK) > 0  # a staker of the next week, which the old rule paid

    _, _, (whale_got,) = sim.claim(whale, [token])  # checked against the model inside
    _, _, (other_got,) = sim.claim(other, [token])
    assert whale_got == 0
    expected = penalty * ve.balanceOfAt(other, w1) // (ve.totalSupplyAt(w1) - ve.balanceOfAt(whale, w1))
    assert other_got == expected
    assert penalty - other_got <= 3  # the escrow's sub-wei excess (two locks) and one floor
    ve.withdraw({"from": whale})
    assert token.balanceOf(whale) == wallet + proceeds  # the whale's loss is its whole penalty
    sim.check_invariants()


def test_exiter_relocking_from_a_second_address_gains_nothing(env, dist, ve, token, usd, weth, holders, deployer):
    """SPEC 7: a lock created after an exit, from any address, gains nothing from that penalty."""
    whale, other, sybil = holders[0], holders[1], holders[2]
    sim = Sim(ve, dist, token, [usd, weth], [whale, other, sybil], deployer, holders[5])
    env.lock(whale, 900_000 * UNIT, 52)
    env.lock(other, 100_000 * UNIT, 52)
    env.next_week()
    tx = sim.withdraw_early(whale)
    penalty = tx.events["WithdrawEarly"]["penalty"]
    token.transfer(sybil, 900_000 * UNIT - penalty, {"from": whale})
    ve.createLock(900_000 * UNIT - penalty, week_start(now()) + 3 * WEEK, {"from": sybil})
    env.next_week(weeks=2)
    assert sim.claim(sybil, [token])[2] == [0]
    assert sim.claim(whale, [token])[2] == [0]
    assert sim.claim(other, [token])[2][0] >= penalty - 3
    sim.check_invariants()


# ------------------------------------------------------------------ finding 2: claimFor timing


def test_stranger_claim_for_front_running_claim_then_exit_pays_out(env, dist, ve, token, holders):
    """The victim opted in to auto-compounding and plans `claim`, then `withdrawEarly`. A stranger's
    `claimFor` lands first. Before SPEC 7 it locked the revenue, which the exit then penalised (about
    48% of it lost); now a stranger's claimFor pays out, so the exit penalises only the victim's lock."""
    victim, stranger, keeper = holders[0], holders[7], holders[8]
    env.lock(victim, 1_000 * UNIT)
    env.lock(holders[1], 1_000 * UNIT)
    dist.setAutoCompound(True, {"from": victim})
    dist.setKeeper(keeper, True, {"from": victim})
    env.next_week()
    env.deposit(token, 500 * UNIT, holders[4])
    env.next_week()
    owed = dist.claimable(victim, token)
    assert owed > 0
    wallet = token.balanceOf(victim)
    tx = dist.claimFor(victim, [token], {"from": stranger})
    assert tx.return_value == (owed,)
    assert tx.events["Claimed"]["reinvested"] is False
    assert token.balanceOf(victim) == wallet + owed
    amount, end, _ = ve.locked(victim)
    assert amount == 1_000 * UNIT  # nothing was added to the lock
    exit_tx = ve.withdrawEarly({"from": victim})
    fee = exit_tx.events["WithdrawEarly"]["penalty"]
    assert fee == early_exit_penalty(amount, end, exit_tx.timestamp, PENALTY_BPS)
    assert token.balanceOf(victim) == wallet + owed + amount - fee  # the revenue escaped the penalty


def test_approved_keeper_claim_for_reinvests(env, dist, ve, token, holders):
    """The same claimFor from a keeper the account approved reinvests, as the account asked."""
    account, keeper, stranger = holders[0], holders[8], holders[7]
    env.lock(account, 1_000 * UNIT)
    dist.setAutoCompound(True, {"from": account})
    dist.setKeeper(keeper, True, {"from": account})
    env.next_week()
    env.deposit(token, 500 * UNIT, holders[4])
    env.next_week()
    owed = dist.claimable(account, token)
    wallet = token.balanceOf(account)
    tx = dist.claimFor(account, [token], {"from": keeper})
    assert tx.return_value == (owed,) and owed > 0
    assert tx.events["Claimed"]["reinvested"] is True
    assert ve.locked(account)[0] == 1_000 * UNIT + owed
    assert token.balanceOf(account) == wallet
    assert dist.claimFor(account, [token], {"from": stranger}).return_value == (0,)


# ------------------------------------------------------------------ finding 3: planted locks


@pytest.mark.parametrize("amount", [1, MIN_LOCK, 10**6 * UNIT])
def test_stranger_cannot_plant_a_lock_on_an_address(env, ve, token, holders, amount):
    """Before SPEC 7 anyone could plant a 1-wei lock with an end of its choosing on any address, and the
    victim's own createLock then reverted LockExists. Now createLockFor by a stranger reverts."""
    victim, attacker = holders[0], holders[7]
    far = week_start(now()) + 52 * WEEK
    with reverts("NotLockCreator", attacker, victim):
        ve.createLockFor(victim, amount, far, {"from": attacker})
    assert ve.locked(victim) == (0, 0, False)
    tx = env.lock(victim, 10 * UNIT, 4)
    assert ve.locked(victim) == (10 * UNIT, week_start(tx.timestamp) + 4 * WEEK, False)


# ------------------------------------------------------------------ finding 4: dust locks


def test_dust_locks_cannot_be_created(env, ve, holders):
    """The PoC's eight 1-wei locks (totalSupplyAt 15 against a sum of balances of 8: 4.67e23 of a 1e24
    revenue never claimable) cannot be made any more."""
    for h in holders[:8]:
        with reverts("AmountBelowMinimum", 1, MIN_LOCK):
            env.lock(h, 1)


@pytest.mark.parametrize("n", [8, 40])
def test_rounding_leaves_under_one_wei_per_lock_plus_revenue_over_min_lock(env, dist, ve, usd, holders, deployer, n):
    """n minimum locks with different ends (so the escrow's rounding excess is as large as it gets),
    1e24 of revenue. What the week leaves undistributed is exactly R - sum(floor(R * b_i / S)), and
    below n + R * e / S, where e = S - sum(b_i) < n: with every lock holding at least MIN_LOCK_AMOUNT,
    S >= n * MIN_LOCK_AMOUNT, so that is below n + R / MIN_LOCK_AMOUNT = n + 1e6 wei (docs/staking.md)."""
    funder = holders[4]
    ve.setTrustedLockCreator(funder, True, {"from": deployer})
    stakers = [Account.create().address for _ in range(n)]
    base = week_start(now())
    for i, s in enumerate(stakers):
        ve.createLockFor(s, MIN_LOCK + 7 * i, base + (2 + i % 50) * WEEK + WEEK, {"from": funder})
    w1 = env.next_week()
    revenue = 10**24
    env.deposit(usd, revenue)
    env.next_week()
    supply = ve.totalSupplyAt(w1)
    balances = [ve.balanceOfAt(s, w1) for s in stakers]
    excess = supply - sum(balances)
    assert 0 <= excess < n and supply >= n * MIN_LOCK
    paid = 0
    for s, b in zip(stakers, balances):
        got = dist.claimFor(s, [usd], {"from": deployer}).return_value[0]
        assert got == revenue * b // supply
        paid += got
    left = revenue - paid
    assert left == revenue - sum(revenue * b // supply for b in balances)
    assert left < n + (revenue * excess + supply - 1) // supply
    assert left < n + revenue // MIN_LOCK  # 1e6 + n wei, against the PoC's 4.67e23
    assert usd.balanceOf(dist) == left
