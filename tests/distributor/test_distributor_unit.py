"""Unit tests: every external function's success path and every custom error of RevenueDistributor."""

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK, ZERO_ADDRESS
from tests.distributor.helpers import share
from tests.support.reverts import reverts

# ---------------------------------------------------------------- constructor and views


def test_constructor(RevenueDistributor, dist, ve, token, deployer, holders):
    assert dist.votingEscrow() == ve
    assert dist.stakingToken() == token
    assert dist.owner() == deployer
    assert dist.rewardTokens() == [token]
    assert dist.WEEK() == WEEK
    assert dist.MAX_REWARD_TOKENS() == 8
    assert dist.MAX_WEEKS_PER_CALL() == 52
    start = week_start(dist.tx.timestamp)
    assert dist.startWeek() == start
    assert dist.tokenState(token) == (True, True, start, start, start)
    assert dist.autoCompound(deployer) is False
    assert dist.isKeeper(deployer, holders[0]) is False
    assert dist.penaltyWeek(start) == (0, 0)
    assert dist.exitedEarly(deployer, start) is False
    assert dist.tx.events["RewardTokenAdded"]["token"] == token


def test_constructor_zero_escrow(RevenueDistributor, deployer):
    with reverts("ZeroAddress"):
        RevenueDistributor.deploy(ZERO_ADDRESS, deployer, {"from": deployer})


def test_constructor_zero_owner(RevenueDistributor, ve, deployer):
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        RevenueDistributor.deploy(ve, ZERO_ADDRESS, {"from": deployer})


# ---------------------------------------------------------------- admin


def test_add_reward_token(dist, usd, deployer):
    assert dist.rewardTokens()[-1] == usd
    st = dist.tokenState(usd)
    assert st[0] and st[1]
    assert st[2] == week_start(now())


def test_add_reward_token_errors(dist, usd, ServiceToken, deployer, holders):
    with reverts("OwnableUnauthorizedAccount", holders[0]):
        dist.addRewardToken(holders[0], {"from": holders[0]})
    with reverts("ZeroAddress"):
        dist.addRewardToken(ZERO_ADDRESS, {"from": deployer})
    with reverts("TokenAlreadyActive", usd):
        dist.addRewardToken(usd, {"from": deployer})
    # 2 active now: 6 more fill the 8 slots, the 9th reverts
    for i in range(6):
        t = ServiceToken.deploy(f"T{i}", f"T{i}", [deployer], [UNIT], {"from": deployer})
        dist.addRewardToken(t, {"from": deployer})
    assert len(dist.rewardTokens()) == 8
    t = ServiceToken.deploy("T9", "T9", [deployer], [UNIT], {"from": deployer})
    with reverts("TooManyRewardTokens"):
        dist.addRewardToken(t, {"from": deployer})


def test_remove_and_readd_reward_token(dist, usd, weth, token, deployer):
    tx = dist.removeRewardToken(usd, {"from": deployer})
    assert tx.events["RewardTokenRemoved"]["token"] == usd
    assert set(dist.rewardTokens()) == {token.address, weth.address}
    listed, active, first, _, _ = dist.tokenState(usd)
    assert listed and not active
    tx = dist.addRewardToken(usd, {"from": deployer})
    assert tx.events["RewardTokenAdded"]["token"] == usd
    assert dist.tokenState(usd)[:3] == (True, True, first)  # history continues


def test_remove_reward_token_errors(dist, usd, token, deployer, holders):
    with reverts("OwnableUnauthorizedAccount", holders[0]):
        dist.removeRewardToken(usd, {"from": holders[0]})
    with reverts("CannotRemoveStakingToken"):
        dist.removeRewardToken(token, {"from": deployer})
    with reverts("TokenNotActive", holders[0]):
        dist.removeRewardToken(holders[0], {"from": deployer})
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("TokenNotActive", usd):
        dist.removeRewardToken(usd, {"from": deployer})


# ---------------------------------------------------------------- revenue in


def test_deposit_revenue(dist, usd, deployer):
    tx = dist.depositRevenue(usd, 1000, {"from": deployer})
    week = week_start(tx.timestamp)
    ev = tx.events["RevenueDeposited"]
    assert (ev["token"], ev["from"], ev["week"], ev["amount"]) == (usd, deployer, week, 1000)
    assert dist.tokensPerWeek(usd, week) == 1000
    assert dist.accounted(usd) == 1000
    assert usd.balanceOf(dist) == 1000
    assert dist.tokenState(usd)[4] == week


def test_deposit_revenue_anyone_staking_token(dist, token, holders):
    tx = dist.depositRevenue(token, 5 * UNIT, {"from": holders[3]})
    assert dist.tokensPerWeek(token, week_start(tx.timestamp)) == 5 * UNIT


def test_deposit_revenue_errors(dist, usd, deployer, holders):
    with reverts("ZeroAmount"):
        dist.depositRevenue(usd, 0, {"from": deployer})
    with reverts("TokenNotActive", holders[0]):
        dist.depositRevenue(holders[0], 1, {"from": deployer})
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("TokenNotActive", usd):
        dist.depositRevenue(usd, 1, {"from": deployer})


def test_checkpoint_token(dist, usd, deployer):
    dist.depositRevenue(usd, 100, {"from": deployer})
    usd.transfer(dist, 250, {"from": deployer})
    tx = dist.checkpointToken(usd, {"from": deployer})
    week = week_start(tx.timestamp)
    ev = tx.events["TokenCheckpointed"]
    assert (ev["token"], ev["week"], ev["amount"]) == (usd, week, 250)
    assert dist.tokensPerWeek(usd, week) == 350
    assert dist.accounted(usd) == 350
    # nothing new: no credit
    tx = dist.checkpointToken(usd, {"from": deployer})
    assert "TokenCheckpointed" not in tx.events
    assert dist.tokensPerWeek(usd, week) == 350


def test_checkpoint_token_errors(dist, usd, deployer):
    with reverts("TokenNotActive", deployer):
        dist.checkpointToken(deployer, {"from": deployer})
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("TokenNotActive", usd):
        dist.checkpointToken(usd, {"from": deployer})


def test_deposit_penalty_only_escrow(dist, deployer, holders):
    with reverts("NotVotingEscrow", deployer):
        dist.depositPenalty(holders[0], 1, {"from": deployer})
    with reverts("NotVotingEscrow", holders[0]):
        dist.depositPenalty(holders[0], 0, {"from": holders[0]})


def test_deposit_penalty_via_withdraw_early(env, dist, ve, token, holders):
    """The penalty goes to the pool of the current week, not to its ordinary revenue; the exiter's score
    at the week's start leaves the pool's denominator."""
    a, b = holders[0], holders[1]
    env.lock(a, 1000 * UNIT, 52)
    env.lock(b, 10 * UNIT, 52)
    week = env.next_week()
    tx = ve.withdrawEarly({"from": a})
    penalty = tx.events["WithdrawEarly"]["penalty"]
    assert penalty > 0
    score = ve.balanceOfAt(a, week)
    assert score > 0
    ev = tx.events["PenaltyDeposited"]
    assert (ev["account"], ev["week"], ev["amount"], ev["excludedScore"]) == (a, week, penalty, score)
    assert dist.penaltyWeek(week) == (penalty, score)
    assert dist.exitedEarly(a, week) and not dist.exitedEarly(b, week)
    assert dist.tokensPerWeek(token, week) == dist.tokensPerWeek(token, week + WEEK) == 0
    assert token.balanceOf(dist) == penalty == dist.accounted(token)
    assert dist.tokenState(token)[4] == week  # latest credited week


def test_zero_penalty_exit_is_recorded_and_moves_no_tokens(VotingEscrow, RevenueDistributor, token, holders, deployer):
    """With a 0 bps escrow every exit pays nothing, yet it is recorded: the exiter leaves the week's
    penalty denominator and is flagged, and no token moves."""
    ve0 = VotingEscrow.deploy(token, 0, deployer, {"from": deployer})
    dist0 = RevenueDistributor.deploy(ve0, deployer, {"from": deployer})
    ve0.setRevenueDistributor(dist0, {"from": deployer})
    a, b = holders[0], holders[1]
    week = week_start(now())
    for h in (a, b):
        token.approve(ve0, 2**256 - 1, {"from": h})
        ve0.createLock(100 * UNIT, week + 20 * WEEK, {"from": h})
    w1 = week + WEEK
    mine_at(w1 + 60)
    balance = token.balanceOf(a)
    tx = ve0.withdrawEarly({"from": a})
    ev = tx.events["PenaltyDeposited"]
    score = ve0.balanceOfAt(a, w1)
    assert (ev["account"], ev["week"], ev["amount"], ev["excludedScore"]) == (a, w1, 0, score)
    assert dist0.penaltyWeek(w1) == (0, score) and dist0.exitedEarly(a, w1)
    assert token.balanceOf(dist0) == 0 == dist0.accounted(token)
    assert token.balanceOf(a) == balance + 100 * UNIT
    assert dist0.tokenState(token)[4] == week  # nothing was credited


def test_deposit_penalty_of_a_lock_made_this_week(env, dist, ve, token, holders):
    """An account with no score at the week's start is recorded as an exiter with nothing to exclude."""
    a = holders[0]
    week = env.week()
    env.lock(a, 1000 * UNIT, 52)
    tx = ve.withdrawEarly({"from": a})
    ev = tx.events["PenaltyDeposited"]
    assert (ev["account"], ev["week"], ev["excludedScore"]) == (a, week, 0)
    assert dist.penaltyWeek(week) == (ev["amount"], 0)
    assert dist.exitedEarly(a, week)


# ---------------------------------------------------------------- revenue out


def test_claim(env, dist, ve, usd, weth, token, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT, 52)
    env.lock(b, 300 * UNIT, 26)
    w1 = env.next_week()
    env.deposit(usd, 10**21)
    env.deposit(weth, 7 * UNIT)
    assert dist.claimable(a, usd) == 0  # week not finished
    env.next_week()
    exp_usd = share(ve, a, w1, 10**21)
    exp_weth = share(ve, a, w1, 7 * UNIT)
    assert dist.claimable(a, usd) == exp_usd > 0
    tx = dist.claim([usd, weth, token], {"from": a})
    assert tx.return_value == (exp_usd, exp_weth, 0)
    assert usd.balanceOf(a) == exp_usd and weth.balanceOf(a) == exp_weth
    evs = tx.events["Claimed"]
    assert [(e["token"], e["amount"], e["reinvested"]) for e in evs] == [
        (usd, exp_usd, False),
        (weth, exp_weth, False),
        (token, 0, False),
    ]
    assert evs[0]["claimedUntil"] == w1 + WEEK == dist.claimCursor(a, usd)
    assert dist.weekSupply(w1) == (ve.totalSupplyAt(w1), True)
    assert "WeeksFinalised" in tx.events
    # nothing twice
    assert dist.claimable(a, usd) == 0
    assert dist.claim([usd, weth], {"from": a}).return_value == (0, 0)


def test_claim_never_locked_pays_nothing(env, dist, usd, holders):
    env.lock(holders[0], UNIT)
    env.next_week()
    env.deposit(usd, 1000)
    env.next_week()
    tx = dist.claim([usd], {"from": holders[5]})
    assert tx.return_value == (0,)
    assert dist.claimCursor(holders[5], usd) == 0


def test_claim_errors(dist, usd, holders):
    with reverts("TokenNeverListed", holders[2]):
        dist.claim([holders[2]], {"from": holders[0]})
    with reverts("DuplicateToken", usd):
        dist.claim([usd, usd], {"from": holders[0]})
    with reverts("TokenNeverListed", holders[2]):
        dist.claimFor(holders[0], [holders[2]], {"from": holders[1]})
    with reverts("DuplicateToken", usd):
        dist.claimFor(holders[0], [usd, usd], {"from": holders[1]})


def test_claim_removed_token_still_pays(env, dist, ve, usd, deployer, holders):
    a = holders[0]
    env.lock(a, 10 * UNIT)
    w1 = env.next_week()
    env.deposit(usd, 5000)
    dist.removeRewardToken(usd, {"from": deployer})
    env.next_week()
    exp = share(ve, a, w1, 5000)
    assert dist.claimable(a, usd) == exp > 0
    assert dist.claim([usd], {"from": a}).return_value == (exp,)


def test_set_auto_compound(dist, holders):
    tx = dist.setAutoCompound(True, {"from": holders[0]})
    assert tx.events["AutoCompoundSet"].values() == [holders[0], True]
    assert dist.autoCompound(holders[0]) is True
    dist.setAutoCompound(False, {"from": holders[0]})
    assert dist.autoCompound(holders[0]) is False


def test_set_keeper(dist, holders):
    a, keeper = holders[0], holders[8]
    tx = dist.setKeeper(keeper, True, {"from": a})
    assert tx.events["KeeperSet"].values() == [a, keeper, True]
    assert dist.isKeeper(a, keeper) is True
    assert dist.isKeeper(keeper, a) is False  # per account, one direction
    tx = dist.setKeeper(keeper, False, {"from": a})
    assert tx.events["KeeperSet"].values() == [a, keeper, False]
    assert dist.isKeeper(a, keeper) is False


def test_set_keeper_zero_address(dist, holders):
    with reverts("ZeroAddress"):
        dist.setKeeper(ZERO_ADDRESS, True, {"from": holders[0]})


def test_claim_and_lock(env, dist, ve, token, holders):
    a, b = holders[0], holders[1]
    env.lock(a, 100 * UNIT)
    env.lock(b, 100 * UNIT)
    w1 = env.next_week()
    env.deposit(token, 50 * UNIT, holders[2])
    env.next_week()
    exp = share(ve, a, w1, 50 * UNIT)
    before = ve.locked(a)[0]
    bal = token.balanceOf(a)
    tx = dist.claimAndLock({"from": a})
    assert tx.return_value == exp > 0
    assert ve.locked(a)[0] == before + exp
    assert token.balanceOf(a) == bal
    ev = tx.events["Claimed"]
    assert (ev["token"], ev["amount"], ev["reinvested"]) == (token, exp, True)
    assert token.allowance(dist, ve) == 0
    # nothing left: a second call locks nothing
    assert dist.claimAndLock({"from": a}).return_value == 0


def test_claim_and_lock_permanent(env, dist, ve, token, holders):
    a = holders[0]
    env.lock(a, 100 * UNIT)
    ve.lockPermanent({"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week()
    exp = share(ve, a, w1, 10 * UNIT)
    assert dist.claimAndLock({"from": a}).return_value == exp > 0
    assert ve.locked(a)[0] == 100 * UNIT + exp


def test_claim_and_lock_no_active_lock(env, dist, ve, token, holders):
    a = holders[0]
    with reverts("NoActiveLock", a):
        dist.claimAndLock({"from": a})
    env.lock(a, 100 * UNIT, 2)
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week(weeks=2)  # the lock has expired
    assert ve.locked(a)[1] <= now()
    assert dist.claimable(a, token) > 0
    with reverts("NoActiveLock", a):
        dist.claimAndLock({"from": a})
    # the plain claim still pays
    assert dist.claim([token], {"from": a}).return_value == (share(ve, a, w1, 10 * UNIT),)


def test_claim_for_without_auto_compound(env, dist, ve, token, usd, holders):
    a, keeper = holders[0], holders[8]
    env.lock(a, 100 * UNIT)
    env.lock(holders[1], 100 * UNIT)
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.deposit(usd, 10**20)
    env.next_week()
    exp_t, exp_u = share(ve, a, w1, 10 * UNIT), share(ve, a, w1, 10**20)
    bal = token.balanceOf(a)
    tx = dist.claimFor(a, [token, usd], {"from": keeper})
    assert tx.return_value == (exp_t, exp_u)
    assert token.balanceOf(a) == bal + exp_t
    assert usd.balanceOf(a) == exp_u
    assert [e["reinvested"] for e in tx.events["Claimed"]] == [False, False]
    assert all(e["account"] == a for e in tx.events["Claimed"])


def test_claim_for_with_auto_compound(env, dist, ve, token, usd, holders):
    a, keeper = holders[0], holders[8]
    env.lock(a, 100 * UNIT)
    env.lock(holders[1], 100 * UNIT)
    dist.setAutoCompound(True, {"from": a})
    dist.setKeeper(keeper, True, {"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.deposit(usd, 10**20)
    env.next_week()
    exp_t, exp_u = share(ve, a, w1, 10 * UNIT), share(ve, a, w1, 10**20)
    bal = token.balanceOf(a)
    tx = dist.claimFor(a, [usd, token], {"from": keeper})
    assert tx.return_value == (exp_u, exp_t)
    assert token.balanceOf(a) == bal  # reinvested, not paid
    assert ve.locked(a)[0] == 100 * UNIT + exp_t
    assert usd.balanceOf(a) == exp_u
    assert [e["reinvested"] for e in tx.events["Claimed"]] == [False, True]


def test_claim_for_by_the_account_itself_reinvests(env, dist, ve, token, holders):
    a = holders[0]
    env.lock(a, 100 * UNIT)
    dist.setAutoCompound(True, {"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week()
    exp = share(ve, a, w1, 10 * UNIT)
    tx = dist.claimFor(a, [token], {"from": a})
    assert tx.return_value == (exp,) and exp > 0
    assert ve.locked(a)[0] == 100 * UNIT + exp
    assert tx.events["Claimed"]["reinvested"] is True


def test_claim_for_by_a_keeper_without_auto_compound_pays(env, dist, ve, token, holders):
    """An approved keeper reinvests only for an account that opted in."""
    a, keeper = holders[0], holders[8]
    env.lock(a, 100 * UNIT)
    dist.setKeeper(keeper, True, {"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week()
    exp = share(ve, a, w1, 10 * UNIT)
    bal = token.balanceOf(a)
    tx = dist.claimFor(a, [token], {"from": keeper})
    assert tx.return_value == (exp,) and token.balanceOf(a) == bal + exp
    assert ve.locked(a)[0] == 100 * UNIT
    assert tx.events["Claimed"]["reinvested"] is False


def test_claim_for_by_a_revoked_keeper_pays(env, dist, ve, token, holders):
    a, keeper = holders[0], holders[8]
    env.lock(a, 100 * UNIT)
    dist.setAutoCompound(True, {"from": a})
    dist.setKeeper(keeper, True, {"from": a})
    dist.setKeeper(keeper, False, {"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week()
    exp = share(ve, a, w1, 10 * UNIT)
    bal = token.balanceOf(a)
    tx = dist.claimFor(a, [token], {"from": keeper})
    assert tx.return_value == (exp,) and token.balanceOf(a) == bal + exp
    assert tx.events["Claimed"]["reinvested"] is False


def test_claim_for_auto_compound_expired_lock_pays(env, dist, ve, token, holders):
    a = holders[0]
    env.lock(a, 100 * UNIT, 2)
    dist.setAutoCompound(True, {"from": a})
    dist.setKeeper(holders[8], True, {"from": a})
    w1 = env.next_week()
    env.deposit(token, 10 * UNIT, holders[2])
    env.next_week(weeks=2)
    exp = share(ve, a, w1, 10 * UNIT)
    bal = token.balanceOf(a)
    tx = dist.claimFor(a, [token], {"from": holders[8]})
    assert tx.return_value == (exp,)
    assert token.balanceOf(a) == bal + exp
    assert tx.events["Claimed"]["reinvested"] is False


def test_claim_for_zero_address(dist, usd, holders):
    with reverts("ZeroAddress"):
        dist.claimFor(ZERO_ADDRESS, [usd], {"from": holders[0]})


def test_claim_empty_list(dist, holders):
    assert dist.claim([], {"from": holders[0]}).return_value == ()


def test_claimable_unknown_token_is_zero(dist, holders):
    assert dist.claimable(holders[0], holders[1]) == 0



def test_deposit_revenue_credits_what_arrived(HookToken, env, dist, ve, deployer, holders):
    fee = HookToken.deploy(10**24, 100, {"from": deployer})  # keeps 1% of every transfer
    fee.approve(dist, 2**256 - 1, {"from": deployer})
    dist.addRewardToken(fee, {"from": deployer})
    env.lock(holders[0], UNIT)
    tx = dist.depositRevenue(fee, 10_000, {"from": deployer})
    assert tx.events["RevenueDeposited"]["amount"] == 9_900
    assert dist.tokensPerWeek(fee, week_start(tx.timestamp)) == 9_900 == fee.balanceOf(dist)
    env.next_week()
    env.next_week()
    amount = dist.claimable(holders[0], fee)
    assert amount > 0
    assert dist.claim([fee], {"from": holders[0]}).return_value == (amount,)
    assert fee.balanceOf(dist) == 9_900 - amount


def test_reentrancy_is_blocked(HookToken, env, dist, deployer, holders):
    hook = HookToken.deploy(10**24, 0, {"from": deployer})
    hook.approve(dist, 2**256 - 1, {"from": deployer})
    dist.addRewardToken(hook, {"from": deployer})
    env.lock(holders[0], UNIT)
    dist.depositRevenue(hook, 10**20, {"from": deployer})
    env.next_week()
    env.next_week()
    # every transfer of the token re-enters the distributor
    hook.setHook(dist, dist.claim.encode_input([hook]), {"from": deployer})
    with reverts("ReentrancyGuardReentrantCall"):
        dist.depositRevenue(hook, 10**18, {"from": deployer})
    with reverts("ReentrancyGuardReentrantCall"):
        dist.claim([hook], {"from": holders[0]})
    hook.setHook(dist, dist.checkpointToken.encode_input(hook), {"from": deployer})
    with reverts("ReentrancyGuardReentrantCall"):
        dist.claimFor(holders[0], [hook], {"from": holders[1]})
    hook.setHook(ZERO_ADDRESS, b"", {"from": deployer})
    assert dist.claim([hook], {"from": holders[0]}).return_value[0] > 0
