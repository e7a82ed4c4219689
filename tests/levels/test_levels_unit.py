"""StakingLevels (SPEC 5.1) unit tests: deployment, every view, every setter and every custom error,
with expected values from tests/models/levels_model.py."""

from dataclasses import replace

import pytest
from brownie import ZERO_ADDRESS

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_LOCK, MAX_UINT256, UNIT, WEEK
from tests.models.levels_model import (
    API,
    DEFAULT_BENEFITS,
    DEFAULT_THRESHOLDS,
    MAX_LEVEL,
    PLATFORM,
    PROPOSALS,
    REFERRAL,
    UINT128_MAX,
    Benefits,
    LevelsModel,
    level_for_score,
)
from tests.support.reverts import reverts

GETTERS = ("platformDiscountBps", "apiDiscountBps", "referralBps", "proposalsPerMonth")


def permanent_lock(ve, account, amount):
    """A permanent lock: Staking Score exactly 2 * amount, constant."""
    ve.createLock(amount, week_start(now()) + 52 * WEEK, {"from": account})
    ve.lockPermanent({"from": account})


def with_entry(benefits: Benefits, table: int, index: int, value: int) -> Benefits:
    tables = [list(t) for t in benefits.tables()]
    tables[table][index] = value
    return Benefits(*(tuple(t) for t in tables))


# ------------------------------------------------------------------------------------ deployment


def test_constructor_stores_the_spec_default_table(levels, ve, deployer):
    assert levels.votingEscrow() == ve
    assert levels.owner() == deployer
    assert levels.thresholds() == DEFAULT_THRESHOLDS
    assert Benefits.from_tuple(levels.benefits()) == DEFAULT_BENEFITS
    assert (levels.MAX_LEVEL(), levels.MAX_BENEFIT_BPS(), levels.MAX_PROPOSALS_PER_MONTH()) == (10, 5_000, 10)
    # SPEC 5.1 in its own words: 22_000 tokens for level 1 ... 7_777_000 for level 10, 25% platform discount at 10
    assert levels.thresholds()[0] == 22_000 * UNIT and levels.thresholds()[9] == 7_777_000 * UNIT
    assert levels.platformDiscountBps(10) == 2_500 and levels.apiDiscountBps(10) == 3_500
    assert levels.referralBps(1) == 2_200 and levels.proposalsPerMonth(9) == 4


def test_constructor_emits_both_tables(levels):
    events = levels.tx.events
    assert events["ThresholdsSet"]["thresholds"] == DEFAULT_THRESHOLDS
    assert Benefits.from_tuple(events["BenefitsSet"]["benefits"]) == DEFAULT_BENEFITS


def test_constructor_rejects_a_zero_escrow(StakingLevels, deployer):
    with reverts("ZeroAddress"):
        StakingLevels.deploy(ZERO_ADDRESS, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})


def test_constructor_rejects_a_zero_owner(StakingLevels, ve, deployer):
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        StakingLevels.deploy(ve, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), ZERO_ADDRESS, {"from": deployer})


def test_constructor_validates_the_thresholds(StakingLevels, ve, deployer):
    bad = list(DEFAULT_THRESHOLDS)
    bad[4] = bad[3]
    with reverts("ThresholdsNotAscending", 4):
        StakingLevels.deploy(ve, bad, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})


def test_constructor_validates_the_benefits(StakingLevels, ve, deployer):
    bad = with_entry(DEFAULT_BENEFITS, REFERRAL, 0, 5_001)
    with reverts("BenefitTooHigh", REFERRAL, 0):
        StakingLevels.deploy(ve, DEFAULT_THRESHOLDS, bad.as_tuple(), deployer, {"from": deployer})


# ------------------------------------------------------------------------------------ levels


def test_no_lock_is_level_zero_with_no_benefits(levels, holders):
    assert levels.levelOf(holders[0]) == 0
    assert levels.levelAt(holders[0], now()) == 0
    for getter in GETTERS:
        assert getattr(levels, getter)(0) == 0


@pytest.mark.parametrize("level", range(1, MAX_LEVEL + 1))
def test_a_score_exactly_at_a_threshold_reaches_that_level(levels, ve, holders, level):
    threshold = DEFAULT_THRESHOLDS[level - 1]
    at, below = holders[0], holders[1]
    permanent_lock(ve, at, threshold // 2)  # score 2 * amount = threshold exactly
    permanent_lock(ve, below, threshold // 2 - 1)  # two wei short
    assert ve.balanceOf(at) == threshold and ve.balanceOf(below) == threshold - 2
    assert levels.levelOf(at) == level
    assert levels.levelOf(below) == level - 1
    assert levels.levelForScore(threshold) == level
    assert levels.levelForScore(threshold - 1) == level - 1


def test_score_above_the_top_threshold_is_level_ten(levels, ve, holders):
    permanent_lock(ve, holders[0], 50_000_000 * UNIT)
    assert levels.levelOf(holders[0]) == MAX_LEVEL
    assert levels.levelForScore(MAX_UINT256) == MAX_LEVEL
    assert levels.levelForScore(0) == 0


def test_level_of_a_decaying_lock_follows_its_score(levels, ve, holders):
    a = holders[0]
    # 300k tokens for a year scores about 2x: 600k (level 4, 444k..888k), and decays towards 1x
    ve.createLock(300_000 * UNIT, now() + MAX_LOCK, {"from": a})
    t0 = now()
    assert levels.levelOf(a) == level_for_score(ve.balanceOf(a), DEFAULT_THRESHOLDS) == 4
    # Half a year later: about 1.5x = 450k, still level 4; near the end: about 300k, level 3
    mine_at(t0 + 180 * DAY)
    assert levels.levelOf(a) == level_for_score(ve.balanceOf(a), DEFAULT_THRESHOLDS)
    end = ve.locked(a)[1]
    mine_at(end - DAY)
    assert ve.balanceOf(a) < 444_000 * UNIT
    assert levels.levelOf(a) == 3
    # Expired (not withdrawn): score 0, level 0
    mine_at(end)
    assert ve.balanceOf(a) == 0
    assert levels.levelOf(a) == 0


def test_level_at_reads_the_score_at_that_time(levels, ve, holders):
    a = holders[0]
    before = now()
    mine_at(before + 10)
    # 5M tokens for two weeks: about 5.19M of score, level 8 (4.444M .. 5.555M)
    ve.createLock(5_000_000 * UNIT, week_start(now()) + 2 * WEEK, {"from": a})
    locked_at = now()
    expected = level_for_score(ve.balanceOfAt(a, locked_at), DEFAULT_THRESHOLDS)
    assert expected == 8
    mine_at(ve.locked(a)[1] + 1)  # expired: score 0 now
    assert levels.levelOf(a) == 0
    assert levels.levelAt(a, before) == 0
    assert levels.levelAt(a, locked_at) == expected
    assert levels.levelAt(a, now()) == 0


def test_level_at_a_future_time_reverts_like_the_escrow(levels, ve, holders):
    t = now() + 1000
    with reverts("FutureLookup", t, now()):  # a call runs on the latest block: its time is now()
        levels.levelAt(holders[0], t)


def test_proposal_quota_at_is_the_level_at_and_its_quota(levels, ve, holders):
    """The governor's one call (SPEC 5.5): (levelAt, proposalsPerMonth(levelAt)) at any past time."""
    a = holders[0]
    before = now()
    mine_at(before + 10)
    ve.createLock(5_000_000 * UNIT, week_start(now()) + 2 * WEEK, {"from": a})
    locked_at = now()
    mine_at(locked_at + 1)
    model = LevelsModel()
    for t in (before, locked_at):
        level = model.level_for_score(ve.balanceOfAt(a, t))
        assert levels.proposalQuotaAt(a, t) == (level, model.proposals_per_month(level))
    assert levels.proposalQuotaAt(a, locked_at) == (8, 3) and levels.proposalQuotaAt(a, before) == (0, 0)
    t = now() + 1000
    with reverts("FutureLookup", t, now()):
        levels.proposalQuotaAt(a, t)


PLATEAU_QUOTAS = (0, 0, 1, 1, 2, 3, 5, 8, 10, 10)  # zeros, plateaus and the cap: the lowest-level search


@pytest.mark.parametrize("quotas", [DEFAULT_BENEFITS.proposalsPerMonth, PLATEAU_QUOTAS], ids=["default", "plateaus"])
@pytest.mark.parametrize("level", range(0, MAX_LEVEL + 1))
def test_allows_proposal_at_is_used_below_the_levels_quota(levels, ve, holders, deployer, level, quotas):
    """The governor's cheap check: allowsProposalAt(a, t, used) == used < proposalsPerMonth(levelAt(a, t)),
    for a score exactly at the level's threshold and for one two wei short of it."""
    levels.setBenefits(replace(DEFAULT_BENEFITS, proposalsPerMonth=quotas).as_tuple(), {"from": deployer})
    at, below = holders[0], holders[1]
    if level:
        threshold = DEFAULT_THRESHOLDS[level - 1]
        permanent_lock(ve, at, threshold // 2)
        permanent_lock(ve, below, threshold // 2 - 1)
    t = now()
    mine_at(t + 1)
    model = LevelsModel(benefits=replace(DEFAULT_BENEFITS, proposalsPerMonth=quotas))
    for account in (at, below) if level else (at,):
        account_level = model.level_for_score(ve.balanceOfAt(account, t))
        assert account_level == (level if account == at else level - 1)
        quota = model.proposals_per_month(account_level)
        for used in range(0, 12):
            assert levels.allowsProposalAt(account, t, used) == (used < quota), (account_level, used)


def test_allows_proposal_at_asks_the_escrow_only_for_a_quota_above_used(levels, holders):
    """A future time reverts as the escrow does, unless no level's quota exceeds `used` (then: false)."""
    t = now() + 1000
    with reverts("FutureLookup", t, now()):
        levels.allowsProposalAt(holders[0], t, 0)
    assert levels.allowsProposalAt(holders[0], t, 10) is False  # the cap: no level allows an 11th


def test_level_counts_own_score_not_delegated_votes(levels, ve, holders):
    """A permanent lock that delegates its votes keeps its own level; the delegatee gains none."""
    a, b = holders[0], holders[1]
    permanent_lock(ve, a, 4_000_000 * UNIT)  # 8M: level 10
    ve.delegate(b, {"from": a})
    mine_at(now() + 1)
    assert ve.getVotes(b) == 8_000_000 * UNIT and ve.getVotes(a) == 0
    assert levels.levelOf(a) == 10
    assert levels.levelOf(b) == 0


# ------------------------------------------------------------------------------------ getters


@pytest.mark.parametrize("getter,table", list(zip(GETTERS, (PLATFORM, API, REFERRAL, PROPOSALS))))
def test_per_level_getters_match_the_table(levels, getter, table):
    model = LevelsModel()
    for level in range(0, MAX_LEVEL + 1):
        assert getattr(levels, getter)(level) == model.benefit(table, level)


@pytest.mark.parametrize("getter", GETTERS)
@pytest.mark.parametrize("level", [11, 255])
def test_per_level_getters_refuse_levels_above_ten(levels, getter, level):
    with reverts("InvalidLevel", level):
        getattr(levels, getter)(level)


# ------------------------------------------------------------------------------------ setThresholds


def test_set_thresholds_applies_from_the_next_call(levels, ve, holders, deployer):
    a = holders[0]
    permanent_lock(ve, a, 11_000 * UNIT)  # 22k: level 1 by default
    assert levels.levelOf(a) == 1
    new = tuple((i + 1) * 1_000 * UNIT for i in range(10))  # 1k .. 10k: 22k is above all of them
    tx = levels.setThresholds(new, {"from": deployer})
    assert tx.events["ThresholdsSet"]["thresholds"] == new
    assert levels.thresholds() == new
    assert levels.levelOf(a) == 10


def test_set_thresholds_is_owner_only(levels, holders):
    with reverts("OwnableUnauthorizedAccount", holders[0].address):
        levels.setThresholds(DEFAULT_THRESHOLDS, {"from": holders[0]})


@pytest.mark.parametrize(
    "index,value",
    [(0, 0), (1, DEFAULT_THRESHOLDS[0]), (5, DEFAULT_THRESHOLDS[4] - 1), (9, DEFAULT_THRESHOLDS[8])],
)
def test_set_thresholds_names_the_first_entry_not_ascending(levels, deployer, index, value):
    bad = list(DEFAULT_THRESHOLDS)
    bad[index] = value
    with reverts("ThresholdsNotAscending", index):
        levels.setThresholds(bad, {"from": deployer})
    assert levels.thresholds() == DEFAULT_THRESHOLDS


def test_set_thresholds_refuses_a_value_beyond_uint128(levels, deployer):
    ok = [UINT128_MAX - 9 + i for i in range(10)]
    levels.setThresholds(ok, {"from": deployer})  # the largest values that fit
    assert levels.thresholds() == ok
    bad = list(DEFAULT_THRESHOLDS)
    bad[9] = UINT128_MAX + 1
    with reverts("ThresholdTooLarge", 9, UINT128_MAX + 1):
        levels.setThresholds(bad, {"from": deployer})


# ------------------------------------------------------------------------------------ setBenefits


def test_set_benefits_applies_from_the_next_call(levels, deployer):
    new = Benefits(
        platformDiscountBps=(0,) * 9 + (5_000,),
        apiDiscountBps=tuple(range(100, 1_100, 100)),
        referralBps=(5_000,) * 10,
        proposalsPerMonth=(0, 0, 1, 1, 2, 3, 5, 8, 10, 10),
    )
    tx = levels.setBenefits(new.as_tuple(), {"from": deployer})
    assert Benefits.from_tuple(tx.events["BenefitsSet"]["benefits"]) == new
    assert Benefits.from_tuple(levels.benefits()) == new
    assert levels.platformDiscountBps(9) == 0 and levels.platformDiscountBps(10) == 5_000
    assert levels.proposalsPerMonth(10) == 10 and levels.apiDiscountBps(3) == 300


def test_set_benefits_is_owner_only(levels, holders):
    with reverts("OwnableUnauthorizedAccount", holders[0].address):
        levels.setBenefits(DEFAULT_BENEFITS.as_tuple(), {"from": holders[0]})


@pytest.mark.parametrize("table", [PLATFORM, API, REFERRAL, PROPOSALS])
def test_set_benefits_names_the_first_entry_above_its_cap(levels, deployer, table):
    cap = 10 if table == PROPOSALS else 5_000
    top = with_entry(DEFAULT_BENEFITS, table, 9, cap)  # the cap itself is allowed
    levels.setBenefits(top.as_tuple(), {"from": deployer})
    bad = with_entry(DEFAULT_BENEFITS, table, 9, cap + 1)
    with reverts("BenefitTooHigh", table, 9):
        levels.setBenefits(bad.as_tuple(), {"from": deployer})
    assert Benefits.from_tuple(levels.benefits()) == top


@pytest.mark.parametrize("table", [PLATFORM, API, REFERRAL, PROPOSALS])
def test_set_benefits_names_the_first_entry_below_the_one_before(levels, deployer, table):
    values = DEFAULT_BENEFITS.tables()[table]
    bad = with_entry(DEFAULT_BENEFITS, table, 6, values[5] - 1)
    with reverts("BenefitsNotMonotonic", table, 6):
        levels.setBenefits(bad.as_tuple(), {"from": deployer})
    equal = with_entry(DEFAULT_BENEFITS, table, 6, values[5])  # equal neighbours are fine
    levels.setBenefits(equal.as_tuple(), {"from": deployer})


def test_set_benefits_checks_tables_in_field_order(levels, deployer):
    """Two broken tables: the error names the earlier field."""
    bad = with_entry(with_entry(DEFAULT_BENEFITS, PROPOSALS, 0, 11), API, 3, 0)
    with reverts("BenefitsNotMonotonic", API, 3):
        levels.setBenefits(bad.as_tuple(), {"from": deployer})
