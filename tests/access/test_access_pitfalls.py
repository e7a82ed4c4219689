"""Known games and pitfalls of paying for services with a staking level, each pinned by a test that
shows it does not pay (SPEC 5 intro: "lock a large amount for one week, take a level-10 benefit,
leave"; 5.2: the self-referral bound, cumulative receipts that never charge twice)."""

import pytest
from brownie import ZERO_ADDRESS

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import Flows
from tests.models.access_model import split, subscription_cost
from tests.models.levels_model import DEFAULT_THRESHOLDS, LevelsModel
from tests.support.reverts import reverts

MONTH = 30 * DAY
LEVELS = LevelsModel()
LEVEL_10 = DEFAULT_THRESHOLDS[9]  # 7.777M of Staking Score
AMOUNT = 7_700_000 * UNIT  # locked for a week or more, it scores above LEVEL_10


@pytest.fixture(autouse=True)
def an_hour_into_a_week():
    """Each test starts an hour after a week boundary: a lock "for one week" then has almost a week
    left, and a 12-month lock ends 364 days out (the numbers below depend on both)."""
    mine_at(week_start(now()) + WEEK + 3600)


def test_a_one_week_lock_of_a_level_10_amount_buys_a_year_with_no_discount(env, access, ve, levels, users):
    """The headline game: the level is there for a week, the access for a year: no discount."""
    u = users[0]
    ve.createLock(AMOUNT, week_start(now()) + WEEK, {"from": u.account})
    assert levels.levelOf(u.address) == 10 and ve.balanceOf(u.address) >= LEVEL_10
    pid = env.plan(price=1_000 * UNIT, period=MONTH)
    assert access.quote(u.address, pid, 12) == (12_000 * UNIT, 0)
    tx = access.subscribe(pid, 12, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == 12_000 * UNIT
    # the same week bought alone is covered by the lock, so it is discounted
    pid_week = env.plan(price=1_000 * UNIT, period=3 * DAY)
    assert access.quote(u.address, pid_week, 1) == (750 * UNIT, 2_500)


def test_the_same_amount_locked_for_a_year_gets_the_discount_on_a_year(env, access, ve, levels, users):
    u = users[0]
    ve.createLock(AMOUNT, now() + 365 * DAY, {"from": u.account})
    end = ve.locked(u.address)[1]
    pid = env.plan(price=1_000 * UNIT, period=MONTH)
    assert end >= now() + 12 * MONTH + 60  # the lock outlasts 12 x 30 days bought in the next minute
    assert levels.levelOf(u.address) == 10
    tx = access.subscribe(pid, 12, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert tx.events["Subscribed"]["cost"] == subscription_cost(1_000 * UNIT, 12, 2_500) == 9_000 * UNIT


def test_a_max_length_lock_cannot_discount_a_365_day_period_but_a_permanent_lock_can(env, access, ve, users):
    """Lock ends round down to a week, so a 12-month lock ends up to 7 days short of 365 days: a
    365-day period outlasts it. Only a permanent lock covers a full year (docs/services.md)."""
    decaying, permanent = users[0], users[1]
    ve.createLock(AMOUNT, now() + 365 * DAY, {"from": decaying.account})
    env.lock_permanent(permanent.account, AMOUNT)
    year = env.plan(price=10_000 * UNIT, period=365 * DAY)
    assert ve.locked(decaying.address)[1] < now() + 365 * DAY
    assert access.quote(decaying.address, year, 1) == (10_000 * UNIT, 0)
    assert access.quote(permanent.address, year, 1) == (7_500 * UNIT, 2_500)


def test_locking_for_the_discount_and_exiting_early_costs_more_than_it_saves(env, access, ve, token, users):
    """Lock a level-10 amount for a year, buy a discounted year, leave at once: the early-exit penalty
    dwarfs the discount even on an expensive plan paid in the staking token."""
    u = users[0]
    ve.createLock(AMOUNT, now() + 365 * DAY, {"from": u.account})
    pid = env.plan(token, price=100_000 * UNIT, period=MONTH)  # 1.2M tokens a year at list price
    cost = access.subscribe(pid, 12, ZERO_ADDRESS, MAX_UINT256, {"from": u.account}).events["Subscribed"]["cost"]
    saved = 12 * 100_000 * UNIT - cost
    assert saved == 300_000 * UNIT
    penalty = ve.withdrawEarly({"from": u.account}).events["WithdrawEarly"]["penalty"]
    assert penalty > 10 * saved
    # and the access bought stays (it was paid for)
    assert access.hasAccess(u.address, pid)


def test_self_referral_through_a_second_address_gains_at_most_the_referral(env, access, usd, dist, users, treasury):
    """A user names its own second address as referrer: the pair saves exactly r, which comes out of
    the treasury's part only; stakers and the burn get what they get without a referrer."""
    alice, alice2, bob = users[0], users[1], users[2]
    env.lock_permanent(alice2.account, LEVEL_10 // 2)  # the second address at level 10: the highest share
    pid = env.plan(price=1_000 * UNIT)
    # bob: same payment, no referrer (the control)
    control = Flows(usd, dist=dist, treasury=treasury)
    access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": bob.account})
    control = control.delta()
    pair = Flows(usd, alice=alice.address, alice2=alice2.address, dist=dist, treasury=treasury)
    tx = access.subscribe(pid, 1, alice2.address, MAX_UINT256, {"from": alice.account})
    pair = pair.delta()
    r = tx.events["RevenueSplit"]["referral"]
    treasury_part = 1_000 * UNIT - split(1_000 * UNIT, 5_000, 1_000, False).stakers
    assert r == treasury_part * LEVELS.referral_bps(10) // 10_000 == 160 * UNIT
    assert r <= treasury_part * 5_000 // 10_000  # the referral table is capped at 50% of the treasury part
    assert pair["alice"] + pair["alice2"] == -1_000 * UNIT + r  # the pair's whole gain is r
    assert pair["dist"] == control["dist"]  # stakers lose nothing
    assert pair["treasury"] == control["treasury"] - r


def test_self_referral_directly_is_refused(env, access, users):
    pid = env.plan()
    with reverts("SelfReferral", users[0].address):
        access.subscribe(pid, 1, users[0].address, MAX_UINT256, {"from": users[0].account})


def test_a_receipt_never_charges_twice(env, access, usd, users):
    u = users[0]
    access.depositCredits(usd, 10 * UNIT, {"from": u.account})
    receipt = env.receipt(u, usd, 3 * UNIT)
    tx = access.redeemUsageBatch([receipt, receipt, receipt], {"from": users[3].account})
    assert tx.return_value == (3 * UNIT, 0, 0)
    with reverts("ReceiptNotNewer", 3 * UNIT, 3 * UNIT):
        access.redeemUsage(*receipt, {"from": users[3].account})
    assert access.credits(u.address, usd) == 7 * UNIT


def test_cumulative_survives_a_withdrawal_so_old_receipts_stay_spent(env, access, usd, users):
    """Withdraw, deposit again: receipts signed before are still measured against the old total."""
    u = users[0]
    access.depositCredits(usd, 10 * UNIT, {"from": u.account})
    old = env.receipt(u, usd, 5 * UNIT, deadline=now() + 10 * DAY)
    newer = env.receipt(u, usd, 8 * UNIT, deadline=now() + 10 * DAY)
    access.redeemUsage(*old, {"from": users[3].account})
    access.requestWithdrawal(usd, {"from": u.account})
    mine_at(now() + DAY)
    assert access.withdrawCredits(usd, {"from": u.account}).return_value == 5 * UNIT
    access.depositCredits(usd, 10 * UNIT, {"from": u.account})
    with reverts("ReceiptNotNewer", 5 * UNIT, 5 * UNIT):
        access.redeemUsage(*old, {"from": users[3].account})
    assert access.redeemUsage(*newer, {"from": users[3].account}).return_value == 3 * UNIT


def test_leaving_before_the_service_settles_is_not_possible(env, access, usd, users):
    """Use the service, ask to withdraw and try to leave at once: the delay lets the settlement land."""
    u = users[0]
    access.depositCredits(usd, 10 * UNIT, {"from": u.account})
    served = env.receipt(u, usd, 9 * UNIT, deadline=now() + 2 * DAY)
    ready = access.requestWithdrawal(usd, {"from": u.account}).return_value
    with reverts("WithdrawalNotReady", ready):
        access.withdrawCredits(usd, {"from": u.account})
    access.redeemUsageBatch([served], {"from": users[3].account})  # the gateway settles on seeing the request
    mine_at(ready)
    assert access.withdrawCredits(usd, {"from": u.account}).return_value == UNIT


def test_someone_elses_receipt_cannot_be_charged_to_you(env, access, usd, users):
    victim, attacker = users[0], users[1]
    access.depositCredits(usd, 10 * UNIT, {"from": victim.account})
    signature, deadline = env.sign(attacker, usd, 5 * UNIT)  # the attacker's own receipt...
    with reverts("InvalidSignature"):  # ...presented against the victim's credits
        access.redeemUsage(victim.address, usd, 5 * UNIT, deadline, signature, {"from": attacker.account})


def test_submitting_receipts_earns_the_submitter_nothing(env, access, usd, users):
    u, keeper = users[0], users[1]
    access.depositCredits(usd, 10 * UNIT, {"from": u.account})
    flows = Flows(usd, keeper=keeper.address)
    access.redeemUsageBatch([env.receipt(u, usd, 4 * UNIT)], {"from": keeper.account})
    assert flows.delta()["keeper"] == 0


def test_a_blocklisted_referrer_cannot_block_payments(env, access, dist, TestToken, users, treasury, deployer):
    """A referrer is bound for good; if the pay token refuses to pay it, its share goes to the treasury."""
    u, ref = users[0], users[1]
    coin = TestToken.deploy("BLOCKY", 10**27, {"from": deployer})
    dist.addRewardToken(coin, {"from": deployer})
    coin.transfer(u.address, 10**24, {"from": deployer})
    coin.approve(access, MAX_UINT256, {"from": u.account})
    env.lock_permanent(ref.account, LEVEL_10 // 2)
    pid = env.plan(coin, price=1_000 * UNIT)
    tx = access.subscribe(pid, 1, ref.address, MAX_UINT256, {"from": u.account})
    assert tx.events["RevenueSplit"]["referral"] == 160 * UNIT
    coin.setBlocked(ref.address, True, {"from": deployer})
    flows = Flows(coin, ref=ref.address, treasury=treasury)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    assert "ReferralPaid" not in tx.events
    assert dict(tx.events["RevenueSplit"])["referral"] == 0
    assert flows.delta() == {"ref": 0, "treasury": 400 * UNIT, "supply": 0}


def test_a_fee_on_transfer_pay_token_is_refused_at_subscription(env, access, dist, TestToken, users, deployer):
    coin = TestToken.deploy("FEE", 10**27, {"from": deployer})
    dist.addRewardToken(coin, {"from": deployer})
    coin.approve(access, MAX_UINT256, {"from": deployer})
    pid = env.plan(coin, price=10_000)
    coin.setFee(1, {"from": deployer})  # 0.01%
    with reverts("UnsupportedFeeOnTransfer", coin.address, 10_000, 9_999):
        access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": deployer})


def test_a_token_reentering_during_a_transfer_is_stopped(env, access, dist, TestToken, users, deployer):
    """A pay token that calls back into ServiceAccess from inside a transfer hits the reentrancy guard."""
    coin = TestToken.deploy("HOOK", 10**27, {"from": deployer})
    dist.addRewardToken(coin, {"from": deployer})
    coin.approve(access, MAX_UINT256, {"from": deployer})
    access.depositCredits(coin, 10**20, {"from": deployer})
    access.requestWithdrawal(coin, {"from": deployer})
    mine_at(now() + DAY)
    for data in (access.withdrawCredits.encode_input(coin), access.depositCredits.encode_input(coin, 1)):
        coin.setHook(access, data, {"from": deployer})
        with reverts("ReentrancyGuardReentrantCall"):
            access.withdrawCredits(coin, {"from": deployer})
    pid = env.plan(coin, price=10**18)
    coin.setHook(access, access.subscribe.encode_input(pid, 1, ZERO_ADDRESS, MAX_UINT256), {"from": deployer})
    with reverts("ReentrancyGuardReentrantCall"):
        access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": deployer})
    coin.setHook(ZERO_ADDRESS, b"", {"from": deployer})
    assert access.withdrawCredits(coin, {"from": deployer}).return_value == 10**20


def test_an_inactive_plan_keeps_the_access_already_bought(env, access, users, deployer):
    u = users[0]
    pid = env.plan()
    until = access.subscribe(pid, 2, ZERO_ADDRESS, MAX_UINT256, {"from": u.account}).return_value
    access.setPlanActive(pid, False, {"from": deployer})
    assert access.hasAccess(u.address, pid) and access.accessUntil(u.address, pid) == until
    with reverts("PlanInactive", pid):
        access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
