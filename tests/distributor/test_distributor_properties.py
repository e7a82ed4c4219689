"""Hypothesis property tests: random locks, revenue in several tokens over random weeks (including
weeks nobody scores in), early exits and claims at random times, compared call by call with the
reference model (tests/models/distributor_model.py), with conservation checked at the end."""

import os

from brownie.test import given
from hypothesis import strategies as st

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK
from tests.distributor.sim import Sim
from tests.support.profiles import examples

N_WEEKS = 6
ACCOUNTS = 4

amounts = st.one_of(st.integers(UNIT, UNIT + 10**6), st.integers(UNIT, 10**24))  # the minimum lock and up
locks = st.lists(
    st.tuples(
        st.integers(0, ACCOUNTS - 1),  # account
        st.integers(0, N_WEEKS - 1),  # week it locks in
        amounts,
        st.integers(1, 52),  # lock length in weeks
        st.booleans(),  # permanent
        st.sampled_from([0, 1, 3600, 3 * 86400]),  # offset in the week (0: the exact week start)
    ),
    min_size=2,
    max_size=6,
)
deposits = st.lists(
    st.tuples(st.integers(0, N_WEEKS - 1), st.integers(0, 2), st.integers(1, 10**24)), min_size=3, max_size=8
)
exits = st.lists(st.tuples(st.integers(0, ACCOUNTS - 1), st.integers(0, N_WEEKS - 1)), max_size=3)
claims = st.lists(st.tuples(st.integers(0, ACCOUNTS - 1), st.integers(0, N_WEEKS)), min_size=1, max_size=5)


@given(locks=locks, deposits=deposits, exits=exits, claims=claims)
@examples("distributor")
def test_random_history_matches_model(env, ve, dist, token, usd, weth, holders, deployer, locks, deposits, exits, claims):
    accounts = holders[:ACCOUNTS]
    sim = Sim(ve, dist, token, [usd, weth], accounts, deployer, holders[5])
    toks = [token, usd, weth]
    base = week_start(now()) + WEEK
    for wi in range(N_WEEKS + 1):
        wk = base + wi * WEEK
        events = []
        for (a, lw, amount, length, perm, off) in locks:
            if lw == wi:
                events.append((off, "lock", a, amount, length, perm))
        for (dw, ti, amount) in deposits:
            if dw == wi:
                events.append((7200, "deposit", ti, amount))
        for (a, ew) in exits:
            if ew == wi:
                events.append((86400, "exit", a))
        for (a, cw) in claims:
            if cw == wi:
                events.append((2 * 86400, "claim", a))
        events.sort(key=lambda e: e[0])
        for ev in events:
            target = wk + ev[0]
            if now() < target and ev[0] != 0:
                mine_at(target)
            if ev[1] == "lock":
                _, _, a, amount, length, perm = ev
                acct = accounts[a]
                if ve.locked(acct)[0] != 0:
                    continue
                if now() < target:
                    next_block_at(target)  # the lock's own block starts the week exactly
                end = wk + length * WEEK
                ve.createLock(amount, end, {"from": acct})
                if perm:
                    ve.lockPermanent({"from": acct})
            elif ev[1] == "deposit":
                _, _, ti, amount = ev
                sim.deposit(toks[ti], amount)
            elif ev[1] == "exit":
                acct = accounts[ev[2]]
                amount, end, perm = ve.locked(acct)
                if amount and not perm and end > now() + 2:
                    sim.withdraw_early(acct)
            else:
                acct = accounts[ev[2]]
                _, views, amounts = sim.claim(acct, toks)
                assert views in (None, amounts)  # claimable() predicts the claim
    mine_at(base + (N_WEEKS + 1) * WEEK + 10)
    for acct in accounts:
        _, views, amounts = sim.claim(acct, toks)
        assert views in (None, amounts)
        assert [dist.claimable(acct, t) for t in toks] == [0, 0, 0]
    sim.check_invariants()
    if os.environ.get("DIST_DEBUG"):
        print("paid", {t.symbol(): sim.model.tokens[t.address].paid for t in toks}, "max excess", sim.max_excess)


@given(
    amount=st.integers(UNIT, 10**24),
    other=st.integers(UNIT, 10**24),
    weeks=st.integers(2, 52),
    deposits=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2), st.integers(1, 10**24)), min_size=1, max_size=8),
    claim_weeks=st.sets(st.integers(0, 8), max_size=6),
    late=st.sampled_from([1, 30, 60]),
)
@examples("distributor")
def test_claim_timing_does_not_matter(env, ve, dist, token, usd, weth, holders, amount, other, weeks, deposits, claim_weeks, late):
    """Two identical locks: one claims at random times, the other once, late (possibly > 52 weeks
    later, over as many calls as it takes). Both get exactly the same in every token."""
    a, b, c = holders[0], holders[1], holders[2]
    toks = [token, usd, weth]
    end = week_start(now()) + weeks * WEEK
    ve.createLock(amount, end, {"from": a})
    ve.createLock(amount, end, {"from": b})
    ve.createLock(other, end, {"from": c})
    base = week_start(now())
    got_a = [0, 0, 0]
    for wi in range(9):
        if wi:
            mine_at(base + wi * WEEK + 3600)
        for (dw, ti, amt) in deposits:
            if dw == wi:
                env.deposit(toks[ti], amt)
        if wi in claim_weeks:
            got_a = [x + y for x, y in zip(got_a, dist.claim(toks, {"from": a}).return_value)]
    mine_at(base + (9 + late) * WEEK + 60)
    for _ in range(3):
        got_a = [x + y for x, y in zip(got_a, dist.claim(toks, {"from": a}).return_value)]
    got_b = [0, 0, 0]
    for _ in range(3):
        got_b = [x + y for x, y in zip(got_b, dist.claim(toks, {"from": b}).return_value)]
    assert got_a == got_b
    assert [dist.claimable(b, t) for t in toks] == [0, 0, 0]
