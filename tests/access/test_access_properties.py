"""Hypothesis property tests: ServiceAccess against tests/models/access_model.py, exactly:
the split for random bps and amounts (staking token and another token), the subscription cost and
discount for random locks (decaying ending before or after the new access end, permanent, none,
level 0) and plans, the referral by the referrer's level, and batches of random receipts."""

from brownie import ZERO_ADDRESS
from brownie.test import given
from hypothesis import strategies as st

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import Flows, reason_name
from tests.models.access_model import Receipt, ServiceAccessModel, discount_applies, split, subscription_cost
from tests.models.levels_model import DEFAULT_THRESHOLDS, LevelsModel, level_for_score
from tests.support.profiles import examples

SETTINGS = examples("access")
LEVELS = LevelsModel()

bps_split = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)).map(
    lambda p: (min(p), max(p) - min(p), 10_000 - max(p))
)  # (stakers, treasury, burn), summing to 10_000
amounts = st.one_of(st.integers(1, 10**6), st.integers(UNIT, 10**24))
# (kind, amount in tokens, weeks): kind 0 no lock, 1 decaying, 2 permanent
locks = st.tuples(
    st.integers(0, 2),
    st.one_of(st.integers(1, 30_000), st.integers(30_000, 8_000_000)),
    st.integers(1, 52),
)
periods = st.one_of(st.integers(1, 3), st.integers(4, 36))
plan_periods = st.sampled_from([3600, DAY, WEEK, 30 * DAY, 90 * DAY, 365 * DAY])


def make_lock(ve, user, lock):
    kind, tokens, weeks = lock
    if kind == 0:
        return
    ve.createLock(tokens * UNIT, week_start(now()) + weeks * WEEK, {"from": user.account})
    if kind == 2:
        ve.lockPermanent({"from": user.account})


def level_now(ve, account):
    return level_for_score(ve.balanceOf(account), DEFAULT_THRESHOLDS)


@given(bps=bps_split, amount=amounts, staking=st.booleans(), referrer_lock=locks)
@SETTINGS
def test_split_of_a_payment_matches_the_model(env, access, ve, token, usd, dist, users, treasury, deployer, bps, amount, staking, referrer_lock):
    payer, referrer = users[0], users[1]
    make_lock(ve, referrer, referrer_lock)
    access.setRevenueSplit(*bps, {"from": deployer})
    pay = token if staking else usd
    pid = env.plan(pay, price=amount)
    level = level_now(ve, referrer.address)
    expected = split(amount, bps[0], bps[2], staking, LEVELS.referral_bps(level))
    assert expected.total == amount
    flows = Flows(pay, payer=payer.address, referrer=referrer.address, dist=dist, treasury=treasury, access=access)
    tx = access.subscribe(pid, 1, referrer.address, MAX_UINT256, {"from": payer.account})
    assert dict(tx.events["RevenueSplit"]) == {
        "token": pay.address, "stakers": expected.stakers, "treasury": expected.treasury,
        "burned": expected.burned, "referral": expected.referral,
    }
    assert flows.delta() == {
        "payer": -amount, "referrer": expected.referral, "dist": expected.stakers, "treasury": expected.treasury,
        "access": 0, "supply": -expected.burned,
    }


@given(lock=locks, period=plan_periods, n=periods, price=amounts, already=st.integers(0, 2), wait=st.integers(0, 60 * DAY))
@SETTINGS
def test_subscription_cost_and_discount_match_the_model(env, access, ve, users, lock, period, n, price, already, wait):
    u = users[0]
    make_lock(ve, u, lock)
    pid = env.plan(price=price, period=period)
    if already:
        access.subscribe(pid, already, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    mine_at(now() + max(wait, 1))
    model = ServiceAccessModel(
        staking_token=str(env.token), reward_tokens=[str(env.token), str(env.usd)],
        lock_of=lambda a: tuple(ve.locked(a)), level_of=lambda a: level_now(ve, a),
        platform_discount_bps=LEVELS.platform_discount_bps, referral_bps=LEVELS.referral_bps,
    )
    model.create_plan(str(env.usd), price, period)
    model.access[(u.address, 1)] = access.accessUntil(u.address, pid)
    t = now()  # what the quote sees
    cost, discount = model.quote(u.address, 1, n, t)
    # spell the rule out once more, independently of the model class
    until = max(t, access.accessUntil(u.address, pid)) + n * period
    applies = discount_applies(tuple(ve.locked(u.address)), until)
    assert discount == (LEVELS.platform_discount_bps(level_now(ve, u.address)) if applies else 0)
    assert cost == subscription_cost(price, n, discount)
    assert access.quote(u.address, pid, n) == (cost, discount)
    # the transaction is mined one second later: recompute for its timestamp
    tx = access.subscribe(pid, n, ZERO_ADDRESS, MAX_UINT256, {"from": u.account})
    until, paid, _ = model.subscribe(u.address, u.address, 1, n, ZERO_ADDRESS, MAX_UINT256, tx.timestamp)
    assert (tx.return_value, tx.events["Subscribed"]["cost"]) == (until, paid)


@given(referrer_lock=locks, amount=amounts, later_lock=st.booleans())
@SETTINGS
def test_referral_follows_the_referrers_current_level(env, access, ve, usd, users, referrer_lock, amount, later_lock):
    payer, referrer = users[0], users[1]
    pid = env.plan(price=amount)
    access.subscribe(pid, 1, referrer.address, MAX_UINT256, {"from": payer.account})  # bound, referrer unlocked
    make_lock(ve, referrer, referrer_lock)
    if later_lock:
        mine_at(now() + 20 * WEEK)  # its lock decays (or expires): a lower level, maybe 0
    level = level_now(ve, referrer.address)
    tx = access.subscribe(pid, 1, ZERO_ADDRESS, MAX_UINT256, {"from": payer.account})
    expected = split(amount, 5_000, 1_000, False, LEVELS.referral_bps(level))
    assert tx.events["RevenueSplit"]["referral"] == expected.referral
    assert tx.events["RevenueSplit"]["treasury"] == expected.treasury
    assert ("ReferralPaid" in tx.events) == (expected.referral > 0)


receipt_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # user
        st.integers(0, 1),  # token
        st.integers(0, 6 * UNIT),  # cumulative
        st.sampled_from(["ok", "ok", "ok", "expired", "wrong-signer"]),
    ),
    min_size=1,
    max_size=12,
)


@given(deposits=st.lists(st.integers(0, 5 * UNIT), min_size=6, max_size=6), specs=receipt_specs)
@SETTINGS
def test_batches_of_random_receipts_match_the_model(env, access, token, usd, users, deposits, specs):
    toks = [token, usd]
    model = ServiceAccessModel(
        staking_token=str(token), reward_tokens=[str(t) for t in access_reward_tokens(env)],
        lock_of=lambda a: (0, 0, False), level_of=lambda a: 0,
        platform_discount_bps=LEVELS.platform_discount_bps, referral_bps=LEVELS.referral_bps,
    )
    for i, amount in enumerate(deposits):
        user, tok = users[i // 2], toks[i % 2]
        if amount:
            access.depositCredits(tok, amount, {"from": user.account})
            model.deposit(user.address, user.address, str(tok), amount)
    receipts, model_receipts = [], []
    for (ui, ti, cumulative, kind) in specs:
        user, tok = users[ui], toks[ti]
        deadline = now() - 1 if kind == "expired" else now() + DAY
        signer = users[3] if kind == "wrong-signer" else user
        receipts.append(env.receipt(user, tok, cumulative, deadline=deadline, signer=signer))
        model_receipts.append(Receipt(user.address, str(tok), cumulative, deadline, kind != "wrong-signer"))
    tx = access.redeemUsageBatch(receipts, {"from": users[3].account})
    charged, skipped, splits = model.redeem_batch(model_receipts, tx.timestamp)
    assert list(tx.return_value) == charged
    got_skipped = [reason_name(ev["reason"]) for ev in events_of(tx, "UsageReceiptSkipped")]
    assert got_skipped == [reason for _, reason in skipped]
    got_splits = {ev["token"]: (ev["stakers"], ev["treasury"], ev["burned"]) for ev in events_of(tx, "RevenueSplit")}
    assert got_splits == {t: (s.stakers, s.treasury, s.burned) for t, s in splits.items()}
    for user in users[:3]:
        for tok in toks:
            key = (user.address, str(tok))
            assert (access.credits(user.address, tok), access.spent(user.address, tok)) == (model.credits[key], model.spent[key])


def events_of(tx, name):
    return list(tx.events[name]) if name in tx.events else []


def access_reward_tokens(env):
    return env.dist.rewardTokens()
