"""Known pitfalls of weekly revenue sharing (Curve FeeDistributor and friends), each pinned by a test,
and the SPEC 7 penalty rule: a penalty paid during week `w` is shared by the accounts staked at `w`'s
start, that week's early exiters excluded."""

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK
from tests.distributor.helpers import penalty_share, share


def test_lock_created_in_the_second_a_week_starts(env, dist, ve, usd, holders):
    a, b = holders[0], holders[1]
    env.lock(b, 100 * UNIT)
    w1 = week_start(now()) + WEEK
    next_block_at(w1)
    tx = env.lock(a, 100 * UNIT)
    assert tx.timestamp == w1
    assert ve.balanceOfAt(a, w1) > 0  # scored at the week start: shares week w1
    env.deposit(usd, 10**21)
    # a claim inside the week pays nothing and caches nothing for the unfinished week
    assert dist.claim([usd], {"from": b}).return_value == (0,)
    assert dist.weekSupply(w1) == (0, False)
    env.next_week()
    exp_a, exp_b = share(ve, a, w1, 10**21), share(ve, b, w1, 10**21)
    assert exp_a > 0 and exp_a + exp_b <= 10**21
    assert dist.claim([usd], {"from": a}).return_value == (exp_a,)
    assert dist.claim([usd], {"from": b}).return_value == (exp_b,)
    assert dist.weekSupply(w1) == (ve.totalSupplyAt(w1), True)


def test_lock_one_second_after_week_start_misses_that_week(env, dist, ve, usd, holders):
    a, b = holders[0], holders[1]
    env.lock(b, 100 * UNIT)
    w1 = week_start(now()) + WEEK
    next_block_at(w1 + 1)
    env.lock(a, 100 * UNIT)
    assert ve.balanceOfAt(a, w1) == 0
    env.deposit(usd, 10**21)
    env.next_week()
    assert dist.claimable(a, usd) == 0
    assert dist.claim([usd], {"from": b}).return_value == (share(ve, b, w1, 10**21),)
    assert dist.claimCursor(a, usd) == 0
    dist.claim([usd], {"from": a})
    assert dist.claimCursor(a, usd) == w1 + WEEK  # its first lock rounds up to the next week


def test_zero_supply_week_rolls_forward(env, dist, ve, usd, holders):
    a = holders[0]
    w0 = env.week()
    assert ve.totalSupplyAt(w0) == 0
    env.deposit(usd, 10**20)
    env.lock(a, 100 * UNIT)  # after w0 started: w0 has no score at all
    w1 = env.next_week()
    env.deposit(usd, 5 * 10**19)
    env.next_week()
    tx = dist.checkpointToken(usd, {"from": a})
    ev = tx.events["RevenueRolledOver"]
    assert (ev["token"], ev["fromWeek"], ev["toWeek"], ev["amount"]) == (usd, w0, w1, 10**20)
    assert dist.tokensPerWeek(usd, w0) == 0
    assert dist.tokensPerWeek(usd, w1) == 15 * 10**19
    exp = share(ve, a, w1, 15 * 10**19)
    assert exp >= 15 * 10**19 - 1
    assert dist.claim([usd], {"from": a}).return_value == (exp,)


def test_several_zero_supply_weeks_roll_into_the_first_scored_week(env, dist, ve, usd, holders):
    a = holders[0]
    env.deposit(usd, 1000)
    env.next_week()
    env.deposit(usd, 2000)
    env.next_week()
    env.deposit(usd, 3000)
    env.lock(a, 10 * UNIT)
    w3 = env.next_week()
    env.next_week(weeks=3)
    # claimable (view) already accounts for the rollover that the claim will write
    exp = share(ve, a, w3, 6000)
    assert dist.claimable(a, usd) == exp
    tx = dist.claim([usd], {"from": a})
    assert tx.return_value == (exp,)
    assert len(tx.events["RevenueRolledOver"]) == 3
    assert dist.tokensPerWeek(usd, w3) == 6000


def test_zero_supply_revenue_waits_for_the_first_staker(env, dist, ve, usd, holders):
    """With nobody locked for weeks, revenue keeps rolling and is never stranded."""
    env.deposit(usd, 777)
    env.next_week(weeks=4)
    dist.checkpointToken(usd, {"from": holders[0]})
    wk = env.week()
    assert dist.tokensPerWeek(usd, wk) == 777  # carried into the current week
    env.lock(holders[0], UNIT)
    env.next_week()
    env.next_week()
    assert dist.claim([usd], {"from": holders[0]}).return_value[0] >= 776


def _weekly_revenue(env, dist, usd, weeks, amount):
    deposits = []
    for _ in range(weeks):
        w = env.next_week()
        env.deposit(usd, amount)
        deposits.append(w)
    return deposits


def test_claim_more_than_52_weeks_late_resumes(env, dist, ve, usd, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 100 * UNIT)
    ve.lockPermanent({"from": a})
    ve.lockPermanent({"from": b})
    weeks = _weekly_revenue(env, dist, usd, 60, 10**18)
    env.next_week()
    expected = sum(share(ve, a, w, 10**18) for w in weeks)
    # nobody claimed for 60 weeks: the first call finalises and walks 52 weeks, the second the rest
    first = dist.claimable(a, usd)
    tx1 = dist.claim([usd], {"from": a})
    assert tx1.return_value == (first,)
    start = dist.tokenState(usd)[2]  # usd was listed the week before the first deposit
    assert weeks[0] == start + WEEK
    assert tx1.events["WeeksFinalised"]["toWeek"] == start + 52 * WEEK
    assert dist.claimCursor(a, usd) == start + 52 * WEEK
    assert first == sum(share(ve, a, w, 10**18) for w in weeks[:51]) > 0
    second = dist.claim([usd], {"from": a}).return_value[0]
    assert first + second == expected
    assert dist.claim([usd], {"from": a}).return_value == (0,)
    # b claims late too (the global cursor is up to date now): same total as a
    b1 = dist.claim([usd], {"from": b}).return_value[0]
    b2 = dist.claim([usd], {"from": b}).return_value[0]
    assert b1 + b2 == expected


def test_late_claim_pays_the_same_as_early_claims(env, dist, ve, usd, token, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT, 30)
    env.lock(b, 100 * UNIT, 30)
    early = 0
    for _ in range(8):
        env.next_week()
        env.deposit(usd, 12345 * UNIT)
        early += dist.claim([usd], {"from": a}).return_value[0]
    env.next_week()
    early += dist.claim([usd], {"from": a}).return_value[0]
    late = dist.claim([usd], {"from": b}).return_value[0]
    assert early == late > 0


def test_claim_after_expiry_and_after_withdrawal(env, dist, ve, usd, token, holders):
    a, b, c = holders[0], holders[1], holders[2]
    env.lock(a, 100 * UNIT, 2)
    env.lock(b, 100 * UNIT, 2)
    env.lock(c, 100 * UNIT, 20)
    w1 = env.next_week()
    env.deposit(usd, 9 * 10**20)
    env.next_week(weeks=3)  # a's and b's locks expired
    ve.withdraw({"from": b})
    env.deposit(usd, 10**20)  # only c scores now
    env.next_week(weeks=2)
    assert dist.claim([usd], {"from": a}).return_value == (share(ve, a, w1, 9 * 10**20),)
    assert dist.claim([usd], {"from": b}).return_value == (share(ve, b, w1, 9 * 10**20),)
    wk = week_start(now()) - 2 * WEEK
    assert dist.claim([usd], {"from": c}).return_value == (
        share(ve, c, w1, 9 * 10**20) + share(ve, c, wk, 10**20),
    )


def test_early_exit_in_a_week_with_revenue(env, dist, ve, token, usd, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 300 * UNIT)
    w1 = env.next_week()
    env.deposit(usd, 10**21)
    env.deposit(token, 10**20, holders[4])
    tx = ve.withdrawEarly({"from": a})
    penalty = tx.events["WithdrawEarly"]["penalty"]
    assert dist.penaltyWeek(w1) == (penalty, ve.balanceOfAt(a, w1)) and penalty > 0
    assert dist.tokensPerWeek(token, w1) == 10**20  # the penalty is kept apart from revenue
    env.next_week()
    # a keeps its share of week w1's revenue (it scored at w1's start) but gets none of its own penalty
    assert dist.claim([usd, token], {"from": a}).return_value == (
        share(ve, a, w1, 10**21),
        share(ve, a, w1, 10**20),
    )
    # b, the only other account staked at w1's start, gets its revenue share and the whole penalty
    b_penalty = penalty_share(ve, dist, b, w1)
    assert b_penalty >= penalty - 1
    assert dist.claim([token], {"from": b}).return_value == (share(ve, b, w1, 10**20) + b_penalty,)


def test_penalty_claimable_once_its_week_is_over(env, dist, ve, token, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 100 * UNIT)
    w1 = env.next_week()
    ve.withdrawEarly({"from": a})
    # The claim is pinned to the week's last second: after a bare mine_at, the next block's timestamp
    # follows the wall clock, so on a loaded machine it could already be the next week.
    mine_at(w1 + WEEK - 2)
    assert dist.claimable(b, token) == 0
    next_block_at(w1 + WEEK - 1)
    assert dist.claim([token], {"from": b}).return_value == (0,)
    assert now() == w1 + WEEK - 1
    assert dist.claimable(b, token) == 0
    mine_at(w1 + WEEK)
    expected = penalty_share(ve, dist, b, w1)
    assert dist.claimable(b, token) == expected > 0
    assert dist.claim([token], {"from": b}).return_value == (expected,)


def test_exit_relock_exit_counts_the_exiter_once(env, dist, ve, token, holders):
    """An account may exit, relock and exit again in the same week: both penalties go to the pool, its
    score at the week's start leaves the denominator once, and it shares none of them."""
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 50 * UNIT)
    w1 = env.next_week()
    score_a = ve.balanceOfAt(a, w1)
    p1 = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.lock(a, 60 * UNIT, 30)
    tx = ve.withdrawEarly({"from": a})
    p2 = tx.events["WithdrawEarly"]["penalty"]
    assert tx.events["PenaltyDeposited"]["excludedScore"] == 0  # already counted
    assert dist.penaltyWeek(w1) == (p1 + p2, score_a)
    env.next_week()
    assert dist.claim([token], {"from": a}).return_value == (0,)
    b_share = (p1 + p2) * ve.balanceOfAt(b, w1) // (ve.totalSupplyAt(w1) - score_a)
    assert b_share >= p1 + p2 - 1
    assert dist.claim([token], {"from": b}).return_value == (b_share,)


def test_two_exiters_in_one_week_are_both_excluded(env, dist, ve, token, holders):
    a, b, c = holders[0], holders[1], holders[2]
    env.lock(a, 100 * UNIT)
    env.lock(b, 200 * UNIT, 26)
    env.lock(c, 300 * UNIT)
    w1 = env.next_week()
    pa = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    pb = ve.withdrawEarly({"from": b}).events["WithdrawEarly"]["penalty"]
    exited = ve.balanceOfAt(a, w1) + ve.balanceOfAt(b, w1)
    assert dist.penaltyWeek(w1) == (pa + pb, exited)
    env.next_week()
    assert dist.claim([token], {"from": a}).return_value == (0,)
    assert dist.claim([token], {"from": b}).return_value == (0,)
    c_share = (pa + pb) * ve.balanceOfAt(c, w1) // (ve.totalSupplyAt(w1) - exited)
    assert c_share >= pa + pb - 1
    assert dist.claim([token], {"from": c}).return_value == (c_share,)


def test_penalty_shared_by_score_at_the_week_start(env, dist, ve, token, holders):
    """Several stakers split a penalty by balanceOfAt(a, w) / (totalSupplyAt(w) - exitedScore(w));
    a lock made during the week (after its start) gets none of it."""
    a, b, c, late = holders[0], holders[1], holders[2], holders[3]
    env.lock(a, 500 * UNIT)
    env.lock(b, 100 * UNIT, 10)
    env.lock(c, 300 * UNIT + 7, 40)
    w1 = env.next_week()
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.lock(late, 1000 * UNIT)
    env.next_week()
    total = ve.totalSupplyAt(w1) - ve.balanceOfAt(a, w1)
    got = {}
    for h in (b, c, late):
        got[h] = dist.claim([token], {"from": h}).return_value[0]
        assert got[h] == penalty * ve.balanceOfAt(h, w1) // total
    assert got[late] == 0 and got[b] > 0 and got[c] > got[b]
    assert 0 <= penalty - got[b] - got[c] < 2 + 1  # two floors and < 1 wei of the escrow's excess


def test_lock_made_in_the_second_a_week_starts_shares_its_penalties(env, dist, ve, token, holders):
    """A lock made exactly at w's start scores at w: it is staked at the week's start and shares the
    penalties of exits later in that week (no exit can happen in that same second)."""
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    w1 = week_start(now()) + WEEK
    next_block_at(w1)
    assert env.lock(b, 100 * UNIT).timestamp == w1
    next_block_at(w1 + 1)
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.next_week()
    b_share = penalty_share(ve, dist, b, w1)
    assert b_share >= penalty - 1
    assert dist.claim([token], {"from": b}).return_value == (b_share,)


def test_penalty_of_a_week_with_only_exiters_becomes_next_week_revenue(env, dist, ve, token, holders):
    """SPEC 7: when the accounts staked at w's start, exiters excluded, score less than MIN_LOCK_AMOUNT,
    the week's penalties roll into week w+1's ordinary revenue when w is finalised."""
    a, c = holders[0], holders[2]
    env.lock(a, 100 * UNIT)
    w1 = env.next_week()
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    assert ve.totalSupplyAt(w1) - dist.penaltyWeek(w1)[1] < ve.MIN_LOCK_AMOUNT()
    env.lock(c, 10 * UNIT)  # staked at w1 + 1 week's start
    w2 = env.next_week()
    assert dist.claimable(c, token) == 0
    tx = dist.checkpointToken(token, {"from": holders[5]})
    ev = tx.events["PenaltyRolledOver"]
    assert (ev["fromWeek"], ev["toWeek"], ev["amount"]) == (w1, w2, penalty)
    assert dist.penaltyWeek(w1) == (0, ve.balanceOfAt(a, w1))
    assert dist.tokensPerWeek(token, w2) == penalty
    env.next_week()
    assert dist.claim([token], {"from": a}).return_value == (0,)
    assert dist.claim([token], {"from": c}).return_value == (share(ve, c, w2, penalty),)
    assert share(ve, c, w2, penalty) >= penalty - 1


def test_rolled_penalty_is_not_shared_in_the_claim_that_finalises_it(env, dist, ve, token, holders):
    """The claim that finalises a week whose only staker exited pays that staker its revenue share of
    the week and none of the penalties, which it rolls into the next week's revenue in the same call."""
    a, c = holders[0], holders[2]
    env.lock(a, 100 * UNIT)
    w1 = env.next_week()
    env.deposit(token, 50 * UNIT, holders[4])
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.lock(c, 10 * UNIT)
    w2 = env.next_week()
    assert dist.claimable(a, token) == share(ve, a, w1, 50 * UNIT)
    tx = dist.claim([token], {"from": a})
    assert tx.return_value == (share(ve, a, w1, 50 * UNIT),)
    ev = tx.events["PenaltyRolledOver"]
    assert (ev["fromWeek"], ev["toWeek"], ev["amount"]) == (w1, w2, penalty)
    assert dist.tokensPerWeek(token, w2) == penalty
    env.next_week()
    assert dist.claim([token], {"from": c}).return_value == (share(ve, c, w2, penalty),)


def test_penalty_alone_in_a_week_without_any_score_rolls_on(env, dist, ve, token, holders):
    """No revenue and no score in the exit's week: only the penalty rolls (no RevenueRolledOver)."""
    a, c = holders[0], holders[2]
    w0 = env.week()
    env.lock(a, 100 * UNIT)
    assert ve.totalSupplyAt(w0) == 0
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.lock(c, 10 * UNIT)
    w1 = env.next_week()
    tx = dist.checkpointToken(token, {"from": holders[5]})
    assert "RevenueRolledOver" not in tx.events
    ev = tx.events["PenaltyRolledOver"]
    assert (ev["fromWeek"], ev["toWeek"], ev["amount"]) == (w0, w1, penalty)
    assert dist.tokensPerWeek(token, w0) == 0 and dist.tokensPerWeek(token, w1) == penalty
    env.next_week()
    assert dist.claim([token], {"from": c}).return_value == (share(ve, c, w1, penalty),)


def test_penalty_of_a_week_without_any_score_rolls_with_its_revenue(env, dist, ve, token, holders):
    """A week whose total score is 0 (the only lock was made during it) rolls revenue and penalties."""
    a, c = holders[0], holders[2]
    w0 = env.week()
    assert ve.totalSupplyAt(w0) == 0
    env.deposit(token, 1000 * UNIT, holders[4])
    env.lock(a, 100 * UNIT)
    penalty = ve.withdrawEarly({"from": a}).events["WithdrawEarly"]["penalty"]
    env.lock(c, 10 * UNIT)
    w1 = env.next_week()
    tx = dist.checkpointToken(token, {"from": holders[5]})
    assert tx.events["RevenueRolledOver"]["amount"] == 1000 * UNIT
    ev = tx.events["PenaltyRolledOver"]
    assert (ev["fromWeek"], ev["toWeek"], ev["amount"]) == (w0, w1, penalty)
    assert dist.tokensPerWeek(token, w1) == 1000 * UNIT + penalty
    env.next_week()
    assert dist.claim([token], {"from": c}).return_value == (share(ve, c, w1, 1000 * UNIT + penalty),)


def test_nothing_claimable_twice(env, dist, ve, token, usd, holders):
    a = holders[0]
    env.lock(a, 100 * UNIT)
    env.lock(holders[1], 50 * UNIT)
    dist.setAutoCompound(True, {"from": a})
    env.next_week()
    env.deposit(usd, 10**20)
    env.deposit(token, 10**20, holders[4])
    env.next_week()
    first = dist.claim([usd, token], {"from": a}).return_value
    assert first[0] > 0 and first[1] > 0
    assert dist.claimable(a, usd) == dist.claimable(a, token) == 0
    assert dist.claim([usd, token], {"from": a}).return_value == (0, 0)
    assert dist.claimFor(a, [token, usd], {"from": holders[8]}).return_value == (0, 0)
    assert dist.claimAndLock({"from": a}).return_value == 0
    env.next_week(weeks=3)
    assert dist.claim([usd, token], {"from": a}).return_value == (0, 0)


def test_penalty_and_deposit_of_a_week_are_kept_apart(env, dist, ve, token, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 100 * UNIT)
    tx = ve.withdrawEarly({"from": a})
    penalty = tx.events["WithdrawEarly"]["penalty"]
    tx2 = dist.depositRevenue(token, 1000, {"from": holders[4]})
    w = week_start(tx2.timestamp)
    assert week_start(tx.timestamp) == w
    assert dist.tokensPerWeek(token, w) == 1000
    assert dist.penaltyWeek(w)[0] == penalty
    assert dist.accounted(token) == 1000 + penalty
