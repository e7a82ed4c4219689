"""Subscriptions (SPEC 5.2): subscribe / subscribeFor / subscribeWithPermit / quote, access periods,
the discount rule, referral binding and payout, the split of each payment; every error by name with
its arguments. Expected numbers from tests/models/access_model.py (and a few by hand)."""

import pytest
from brownie import ZERO_ADDRESS

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import Flows
from tests.models.access_model import split, subscription_cost
from tests.models.levels_model import DEFAULT_THRESHOLDS, LevelsModel
from tests.support.reverts import reverts

MONTH = 30 * DAY
PRICE = 100 * UNIT
LEVELS = LevelsModel()


def permanent(env, user, score):
    """A permanent lock scoring exactly `score`."""
    env.lock_permanent(user.account, score // 2)


def level_lock(env, user, level):
    permanent(env, user, DEFAULT_THRESHOLDS[level - 1])


# ------------------------------------------------------------------------------------ payment and split


def test_subscribe_in_a_reward_token_sends_stakers_and_burn_parts_to_the_distributor(env, access, usd, dist, users, treasury):
    u = users[0]
    pid = env.plan()
    flows = Flows(usd, payer=u.address, dist=dist, treasury=treasury, access=access)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, PRICE, {"from": u.account})
    until = tx.timestamp + MONTH
    assert tx.return_value == until
    assert dict(tx.events["Subscribed"]) == {
        "account": u.address, "payer": u.address, "planId": pid, "periods": 1, "cost": PRICE, "accessUntil": until
    }
    # 50% stakers + 10% "burn" (not the staking token: to stakers too), 40% treasury
    assert dict(tx.events["RevenueSplit"]) == {
        "token": usd.address, "stakers": 60 * UNIT, "treasury": 40 * UNIT, "burned": 0, "referral": 0
    }
    assert flows.delta() == {"payer": -PRICE, "dist": 60 * UNIT, "treasury": 40 * UNIT, "access": 0, "supply": 0}
    assert dist.tokensPerWeek(usd, week_start(tx.timestamp)) == 60 * UNIT
    assert access.accessUntil(u.address, pid) == until
    assert access.hasAccess(u.address, pid)


def test_subscribe_in_the_staking_token_burns_the_burn_part(env, access, token, dist, users, treasury):
    u = users[0]
    pid = env.plan(token, price=1_000 * UNIT + 7)
    flows = Flows(token, payer=u.address, dist=dist, treasury=treasury, access=access)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    expected = split(1_000 * UNIT + 7, 5_000, 1_000, True)
    assert (expected.stakers, expected.burned, expected.treasury) == (500 * UNIT + 3, 100 * UNIT, 400 * UNIT + 4)
    assert dict(tx.events["RevenueSplit"]) == {
        "token": token.address, "stakers": expected.stakers, "treasury": expected.treasury,
        "burned": expected.burned, "referral": 0,
    }
    assert flows.delta() == {
        "payer": -(1_000 * UNIT + 7), "dist": expected.stakers, "treasury": expected.treasury, "access": 0,
        "supply": -expected.burned,
    }


def test_zero_parts_are_skipped(env, access, token, dist, users, treasury, deployer):
    """All to the treasury: no distributor deposit (it refuses zero), no burn."""
    access.setRevenueSplit(0, 10_000, 0, {"from": deployer})
    pid = env.plan(token)
    flows = Flows(token, dist=dist, treasury=treasury)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, PRICE, {"from": users[0].account})
    assert "RevenueDeposited" not in tx.events
    assert flows.delta() == {"dist": 0, "treasury": PRICE, "supply": 0}
    assert dict(tx.events["RevenueSplit"])["treasury"] == PRICE


def test_a_zero_cost_subscription_moves_no_tokens(env, access, usd, users):
    """Price 1 wei with a 50% discount rounds to 0: access is granted, nothing is pulled or split."""
    u = users[0]
    env.levels.setBenefits(((5_000,) * 10, (0,) * 10, (0,) * 10, (0,) * 10), {"from": env.deployer})
    level_lock(env, u, 1)
    pid = env.plan(price=1)
    flows = Flows(usd, payer=u.address)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, 0, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == 0
    assert "RevenueSplit" not in tx.events and "Transfer" not in tx.events
    assert flows.delta() == {"payer": 0, "supply": 0}
    assert access.hasAccess(u.address, pid)


# ------------------------------------------------------------------------------------ access periods


def test_access_extends_from_the_current_end_while_active(env, access, users):
    u = users[0]
    pid = env.plan()
    first = access.subscribe(pid, 2, ZERO_ADDRESS, MAX_UINT256, {"from": u.account}).return_value
    mine_at(now() + 10 * DAY)
    second = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account}).return_value
    assert second == first + MONTH


def test_access_restarts_from_now_after_it_lapsed(env, access, users):
    u = users[0]
    pid = env.plan(period=DAY)
    until = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account}).return_value
    mine_at(until)  # accessUntil > now is false from this second on
    assert not access.hasAccess(u.address, pid)
    tx = access.subscribe(pid, 3, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.return_value == tx.timestamp + 3 * DAY


def test_access_is_per_plan_and_per_account(env, access, users):
    a, b = users[0], users[1]
    p1, p2 = env.plan(), env.plan()
    access.subscribe(p1, 1, ZERO_ADDRESS, MAX_UINT256, {"from": a.account})
    assert access.hasAccess(a.address, p1)
    assert not access.hasAccess(a.address, p2) and not access.hasAccess(b.address, p1)
    assert access.accessUntil(b.address, p1) == 0


def test_subscribe_for_charges_the_payer_and_gives_the_account_its_own_discount(env, access, usd, users):
    account, payer = users[0], users[1]
    level_lock(env, account, 10)  # the account: level 10, 25% off
    pid = env.plan()
    flows = Flows(usd, account=account.address, payer=payer.address)
    tx = access.subscribeFor(account.address, pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": payer.account})
    cost = subscription_cost(PRICE, 1, 2_500)
    assert tx.events["Subscribed"]["payer"] == payer.address and tx.events["Subscribed"]["cost"] == cost == 75 * UNIT
    assert flows.delta() == {"account": 0, "payer": -cost, "supply": 0}
    assert access.hasAccess(account.address, pid) and not access.hasAccess(payer.address, pid)


def test_subscribe_for_the_zero_address_reverts(env, access, users):
    pid = env.plan()
    with reverts("ZeroAddress"):
        access.subscribeFor(ZERO_ADDRESS, pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": users[0].account})


# ------------------------------------------------------------------------------------ errors


def test_subscribe_errors(env, access, usd, dist, users, deployer):
    u = users[0].account
    pid = env.plan()
    with reverts("UnknownPlan", pid + 1):
        access.subscribe(pid + 1, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u})
    with reverts("ZeroPeriods"):
        access.subscribe(pid, 0, ZERO_ADDRESS, MAX_UINT256, {"from": u})
    with reverts("CostAboveMax", PRICE * 2, PRICE * 2 - 1):
        access.subscribe(pid, 2, ZERO_ADDRESS, PRICE * 2 - 1, {"from": u})
    with reverts("SelfReferral", users[0].address):
        access.subscribe(pid, 1, users[0].address, MAX_UINT256, {"from": u})
    access.setPlanActive(pid, False, {"from": deployer})
    with reverts("PlanInactive", pid):
        access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u})
    access.setPlanActive(pid, True, {"from": deployer})
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("NotRewardToken", usd.address):
        access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u})


def test_too_many_periods_would_overflow_the_access_end(env, access, users):
    pid = env.plan(price=1, period=2**62)
    next_block_at(now() + 5)
    t = now() + 5
    max_periods = (2**64 - 1 - t) // 2**62
    with reverts("TooManyPeriods", max_periods + 1, max_periods):
        access.subscribe(pid, max_periods + 1, ZERO_ADDRESS, MAX_UINT256, {"from": users[0].account, "gas_limit": 1_000_000})
    tx = access.subscribe(pid, max_periods, ZERO_ADDRESS, MAX_UINT256, {"from": users[0].account})
    assert tx.return_value == tx.timestamp + max_periods * 2**62 <= 2**64 - 1


def test_a_price_rise_before_mining_never_overcharges(env, access, users, deployer):
    u = users[0]
    pid = env.plan()
    cost, _ = access.quote(u.address, pid, 3)
    access.setPlanPrice(pid, PRICE + 1, {"from": deployer})  # lands first
    with reverts("CostAboveMax", 3 * (PRICE + 1), cost):
        access.subscribe(pid, 3, ZERO_ADDRESS, cost, {"from": u.account})


# ------------------------------------------------------------------------------------ discount rule


@pytest.mark.parametrize("level", [1, 5, 10])
def test_a_permanent_lock_gets_its_level_discount(env, access, usd, users, level):
    u = users[0]
    level_lock(env, u, level)
    pid = env.plan()
    d = LEVELS.platform_discount_bps(level)
    assert access.quote(u.address, pid, 12) == (subscription_cost(PRICE, 12, d), d)
    tx = access.subscribe(pid, 12, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == subscription_cost(PRICE, 12, d)


def test_a_lock_ending_exactly_at_the_new_access_end_gets_the_discount(env, access, ve, users):
    u = users[0]
    ve.createLock(4_000_000 * UNIT, week_start(now()) + 20 * WEEK, {"from": u.account})
    end = ve.locked(u.address)[1]
    t = now() + 100
    pid = env.plan(period=end - t)  # one period from t ends exactly at the lock's end
    next_block_at(t)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.return_value == end
    level = env.levels.levelOf(u.address)
    d = LEVELS.platform_discount_bps(level)
    assert d > 0
    assert tx.events["Subscribed"]["cost"] == subscription_cost(PRICE, 1, d)


def test_a_lock_ending_one_second_before_the_new_access_end_gets_none(env, access, ve, users):
    u = users[0]
    ve.createLock(4_000_000 * UNIT, week_start(now()) + 20 * WEEK, {"from": u.account})
    end = ve.locked(u.address)[1]
    t = now() + 100
    pid = env.plan(period=end - t + 1)
    next_block_at(t)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert env.levels.levelOf(u.address) > 0
    assert tx.events["Subscribed"]["cost"] == PRICE


def test_the_rule_looks_at_the_new_end_including_time_already_bought(env, access, ve, users):
    """Access already bought counts: a lock that outlasts one more month from now, but not one more
    month after the current end, gets no discount."""
    u = users[0]
    level_lock(env, users[1], 10)  # unrelated, so the distributor has stakers
    ve.createLock(4_000_000 * UNIT, week_start(now()) + 8 * WEEK, {"from": u.account})
    pid = env.plan()
    assert access.quote(u.address, pid, 1)[1] > 0  # 30 days < 7+ weeks
    access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert access.quote(u.address, pid, 1) == (PRICE, 0)  # 60 days from now > the lock's end


def test_no_discount_at_level_zero_or_without_a_lock(env, access, users):
    u, v = users[0], users[1]
    env.lock_permanent(u.account, 1_000 * UNIT)  # score 2k: level 0
    pid = env.plan()
    assert env.levels.levelOf(u.address) == 0
    assert access.quote(u.address, pid, 1) == (PRICE, 0)
    assert access.quote(v.address, pid, 1) == (PRICE, 0)


def test_an_expired_lock_gets_no_discount(env, access, ve, users):
    u = users[0]
    ve.createLock(5_000_000 * UNIT, week_start(now()) + WEEK, {"from": u.account})
    pid = env.plan(period=3600)
    assert access.quote(u.address, pid, 1)[1] > 0
    mine_at(ve.locked(u.address)[1])
    assert access.quote(u.address, pid, 1) == (PRICE, 0)


def test_quote_errors(env, access, usd, dist, users, deployer):
    u = users[0].address
    pid = env.plan()
    with reverts("UnknownPlan", pid + 1):
        access.quote(u, pid + 1, 1)
    with reverts("ZeroPeriods"):
        access.quote(u, pid, 0)
    access.setPlanActive(pid, False, {"from": deployer})
    with reverts("PlanInactive", pid):
        access.quote(u, pid, 1)
    access.setPlanActive(pid, True, {"from": deployer})
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("NotRewardToken", usd.address):
        access.quote(u, pid, 1)


# ------------------------------------------------------------------------------------ referrals


def test_the_first_payment_naming_a_referrer_binds_it_for_good(env, access, users):
    u, ref, other = users[0], users[1], users[2]
    pid = env.plan()
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert "ReferrerBound" not in tx.events and access.referrerOf(u.address) == ZERO_ADDRESS
    tx = access.subscribe(pid, 1, ref.address, MAX_UINT256, {"from": u.account})
    assert dict(tx.events["ReferrerBound"]) == {"account": u.address, "referrer": ref.address}
    assert access.referrerOf(u.address) == ref.address
    tx = access.subscribe(pid, 1, other.address, MAX_UINT256, {"from": u.account})
    assert "ReferrerBound" not in tx.events and access.referrerOf(u.address) == ref.address
    # once bound, naming oneself is just another ignored value
    access.subscribe(pid, 1, u.address, MAX_UINT256, {"from": u.account})
    assert access.referrerOf(u.address) == ref.address


@pytest.mark.parametrize("level", [1, 6, 10])
def test_the_referrer_earns_its_level_share_of_the_treasury_part(env, access, usd, users, treasury, level):
    u, ref = users[0], users[1]
    level_lock(env, ref, level)
    pid = env.plan()
    flows = Flows(usd, ref=ref.address, treasury=treasury, payer=u.address)
    tx = access.subscribe(pid, 1, ref.address, MAX_UINT256, {"from": u.account})
    expected = split(PRICE, 5_000, 1_000, False, LEVELS.referral_bps(level))
    assert expected.referral == 40 * UNIT * LEVELS.referral_bps(level) // 10_000
    assert dict(tx.events["RevenueSplit"]) == {
        "token": usd.address, "stakers": expected.stakers, "treasury": expected.treasury, "burned": 0,
        "referral": expected.referral,
    }
    assert dict(tx.events["ReferralPaid"]) == {
        "referrer": ref.address, "account": u.address, "token": usd.address, "amount": expected.referral
    }
    assert flows.delta() == {"ref": expected.referral, "treasury": expected.treasury, "payer": -PRICE, "supply": 0}


def test_a_referrer_at_level_zero_now_earns_nothing_until_it_levels_up(env, access, usd, users, treasury):
    u, ref = users[0], users[1]
    pid = env.plan()
    tx = access.subscribe(pid, 1, ref.address, MAX_UINT256, {"from": u.account})
    assert access.referrerOf(u.address) == ref.address
    assert tx.events["RevenueSplit"]["referral"] == 0 and "ReferralPaid" not in tx.events
    level_lock(env, ref, 3)  # its CURRENT level counts
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.events["RevenueSplit"]["referral"] == split(PRICE, 5_000, 1_000, False, 2_500).referral


def test_subscribe_for_binds_the_accounts_referrer_not_the_payers(env, access, users):
    account, payer, ref = users[0], users[1], users[2]
    pid = env.plan()
    access.subscribeFor(account.address, pid, 1, ref.address, MAX_UINT256, {"from": payer.account})
    assert access.referrerOf(account.address) == ref.address
    assert access.referrerOf(payer.address) == ZERO_ADDRESS
    # a payer may name itself as the referrer of another account
    access.subscribeFor(users[3].address, pid, 1, payer.address, MAX_UINT256, {"from": payer.account})
    assert access.referrerOf(users[3].address) == payer.address


def test_subscribe_for_refuses_an_account_referring_itself(env, access, users):
    account, payer = users[0], users[1]
    pid = env.plan()
    with reverts("SelfReferral", account.address):
        access.subscribeFor(account.address, pid, 1, account.address, MAX_UINT256, {"from": payer.account})


# ------------------------------------------------------------------------------------ permits


def test_subscribe_with_permit_needs_no_prior_approval(env, access, usd, users):
    u = users[0]
    usd.approve(access, 0, {"from": u.account})
    pid = env.plan()
    max_cost = PRICE + 5
    deadline, v, r, s = env.permit(u, usd, max_cost)
    tx = access.subscribeWithPermit(pid, 1, ZERO_ADDRESS, max_cost, deadline, v, r, s, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == PRICE
    assert usd.allowance(u.address, access) == 5  # the permit was for maxCost
    assert access.hasAccess(u.address, pid)


def test_subscribe_with_a_front_run_permit_still_succeeds(env, access, usd, users):
    u, attacker = users[0], users[1]
    usd.approve(access, 0, {"from": u.account})
    pid = env.plan()
    deadline, v, r, s = env.permit(u, usd, PRICE)
    usd.permit(u.address, access, PRICE, deadline, v, r, s, {"from": attacker.account})  # copied from the mempool
    tx = access.subscribeWithPermit(pid, 1, ZERO_ADDRESS, PRICE, deadline, v, r, s, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == PRICE


def test_subscribe_with_a_bad_permit_and_no_allowance_reverts(env, access, usd, users):
    u = users[0]
    usd.approve(access, 0, {"from": u.account})
    pid = env.plan()
    deadline, v, r, s = env.permit(users[1], usd, PRICE)  # signed by someone else
    with reverts("ERC20InsufficientAllowance", access.address, 0, PRICE):  # no lock: the full price
        access.subscribeWithPermit(pid, 1, ZERO_ADDRESS, PRICE, deadline, v, r, s, {"from": u.account})


def test_subscribe_with_permit_for_an_unknown_plan_reverts(env, access, users):
    with reverts("UnknownPlan", 1):
        access.subscribeWithPermit(1, 1, ZERO_ADDRESS, 1, 0, 0, b"\x00" * 32, b"\x00" * 32, {"from": users[0].account})
