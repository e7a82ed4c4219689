"""Hypothesis property tests: CommunityAirdrop's bonus against tests/models/airdrop_model.py, exactly.
Each example deploys an airdrop with a random bonus rate and reserve over a one-account tree of a random
amount, gives the account a random lock (none, decaying, permanent, expired), checks `previewBonus` and
then the claim into the lock at a pinned time: the bonus, the lock it lands in and its end, or the exact
revert the model predicts."""

from brownie.test import given
from hypothesis import settings
from hypothesis import strategies as st

from harness.chain.time import mine_at, next_block_at, now
from harness.core.merkle import AIRDROP_LEAF_ENCODING, StandardMerkleTree
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK
from tests.models.airdrop_model import (
    MAX_BONUS_BPS, AirdropModel, ModelRevert, capped_bonus, lock_terms, raw_bonus,
)
from tests.support.profiles import COMMON, DEEP
from tests.support.reverts import reverts

# The budget of this suite (tests/support/profiles.py's rules: per-suite, deep with HYPOTHESIS_PROFILE=deep).
SETTINGS = settings(max_examples=200 if DEEP else 25, **COMMON)

amounts = st.one_of(st.integers(1, UNIT), st.integers(UNIT, 10**25))
bps = st.one_of(st.integers(0, MAX_BONUS_BPS), st.sampled_from([0, 1, 5_000, MAX_BONUS_BPS]))
reserves = st.one_of(st.just(0), st.integers(0, 10**6), st.integers(UNIT, 10**24))
# (kind, tokens, weeks): 0 no lock, 1 decaying, 2 permanent, 3 decaying and expired by the claim
locks = st.tuples(st.integers(0, 3), st.integers(1, 50_000), st.integers(1, 52))
# unlock time of a new lock: seconds after the claim (negative: in the past), some the escrow refuses
unlocks = st.one_of(st.integers(1, MAX_LOCK + 2 * WEEK), st.integers(-WEEK, WEEK), st.just(MAX_LOCK))
offsets = st.integers(1, 3 * DAY)


def test_the_model_bonus_is_bounded_and_monotonic():
    """Plain model facts the contract's numbers are checked against below."""
    for amount in (1, 7, UNIT, 10**25 + 3):
        for rate in (0, 1, 5_000, MAX_BONUS_BPS):
            last = -1
            for remaining in (0, 1, DAY, WEEK + 5, MAX_LOCK // 2, MAX_LOCK):
                b = raw_bonus(amount, remaining, rate)
                assert last <= b <= amount * rate // 10_000
                last = b
            assert raw_bonus(amount, MAX_LOCK, rate) == amount * rate // 10_000
            assert capped_bonus(amount, MAX_LOCK, rate, 3) == min(3, amount * rate // 10_000)
    assert lock_terms((0, 0, False), 10 * WEEK + 5, 3 * WEEK).end == 10 * WEEK
    assert lock_terms((5, 0, True), 0, 123).remaining == MAX_LOCK
    assert not lock_terms((5, 2 * WEEK, False), 0, 2 * WEEK).ok


@given(amount=amounts, rate=bps, reserve=reserves, lock=locks, unlock=unlocks, offset=offsets)
@SETTINGS
def test_claim_and_lock_bonus_matches_the_model(
    CommunityAirdrop, ve, token, users, holders, deployer, treasury, amount, rate, reserve, lock, unlock, offset
):
    u = users[0]
    tree = StandardMerkleTree.of([(u.address, str(amount))], AIRDROP_LEAF_ENCODING)
    drop = CommunityAirdrop.deploy(ve, tree.root, amount, now() + 30 * DAY, rate, treasury, {"from": deployer})
    token.transfer(drop, amount + reserve, {"from": holders[6]})
    ve.setTrustedLockCreator(drop, True, {"from": deployer})
    kind, tokens, weeks = lock
    own = 0
    if kind:
        own = tokens * UNIT
        ve.createLock(own, week_start(now()) + (1 if kind == 3 else weeks) * WEEK, {"from": u.account})
        if kind == 2:
            ve.lockPermanent({"from": u.account})
        if kind == 3:
            mine_at(ve.locked(u.address)[1] + 1)
    model = AirdropModel({u.address: amount}, amount, drop.claimDeadline(), rate, lambda a: tuple(ve.locked(a)))
    model.fund(amount + reserve)
    assert drop.bonusReserve() == model.bonus_reserve() == reserve

    view_unlock = now() + unlock
    assert drop.previewBonus(u.address, amount, view_unlock) == model.preview_bonus(u.address, amount, view_unlock, now())

    t = now() + offset
    unlock_time = max(t + unlock, 0)
    next_block_at(t)
    try:
        bonus, end, terms = model.claim_and_lock(u.address, amount, True, unlock_time, t)
    except ModelRevert as refused:
        with reverts(refused.error):
            drop.claimAndLock(amount, tree.proof(0), unlock_time, {"from": u.account, "gas_limit": 1_000_000})
        assert not drop.claimed(u.address)
        return
    tx = drop.claimAndLock(amount, tree.proof(0), unlock_time, {"from": u.account})
    assert tx.timestamp == t
    assert tx.return_value == bonus <= reserve
    ev = tx.events["ClaimedAndLocked"]
    assert (ev["amount"], ev["bonus"], ev["lockEnd"]) == (amount, bonus, end)
    locked_amount, locked_end, permanent = ve.locked(u.address)
    assert locked_amount == own + amount + bonus
    assert (locked_end, permanent) == ((0, True) if terms == "permanent" else (end, False))
    assert token.balanceOf(drop) == model.balance == reserve - bonus
    assert drop.bonusReserve() == model.bonus_reserve() == reserve - bonus
