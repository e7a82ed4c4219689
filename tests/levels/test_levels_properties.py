"""Hypothesis property tests: StakingLevels against tests/models/levels_model.py for random
thresholds, scores, locks and benefit tables, value for value and error for error."""

from brownie.test import given
from hypothesis import strategies as st

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK
from tests.models.levels_model import (
    DEFAULT_THRESHOLDS,
    MAX_LEVEL,
    TABLE_CAPS,
    UINT128_MAX,
    Benefits,
    LevelsModel,
    benefits_error,
    level_for_score,
    threshold_error,
)
from tests.support.profiles import examples
from tests.support.reverts import reverts

SETTINGS = examples("levels")

ascending_thresholds = st.lists(
    st.integers(1, 10**26), min_size=MAX_LEVEL, max_size=MAX_LEVEL, unique=True
).map(sorted)
# Mostly valid-looking tables with, now and then, a zero, a repeat, a drop or a huge entry.
any_thresholds = st.one_of(
    ascending_thresholds,
    st.lists(st.one_of(st.integers(0, 10**25), st.just(UINT128_MAX + 1)), min_size=MAX_LEVEL, max_size=MAX_LEVEL),
    ascending_thresholds.flatmap(
        lambda t: st.tuples(st.integers(0, MAX_LEVEL - 1), st.integers(0, 10**26)).map(
            lambda p: t[: p[0]] + [p[1]] + t[p[0] + 1 :]
        )
    ),
)


def _table(cap):
    """A non-decreasing table under `cap`, or one with a random entry replaced (maybe breaking a rule)."""
    ok = st.lists(st.integers(0, cap), min_size=MAX_LEVEL, max_size=MAX_LEVEL).map(sorted)
    return st.one_of(
        ok,
        ok.flatmap(
            lambda t: st.tuples(st.integers(0, MAX_LEVEL - 1), st.integers(0, 255 if cap < 256 else 65_535)).map(
                lambda p: t[: p[0]] + [p[1]] + t[p[0] + 1 :]
            )
        ),
    )


benefit_tables = st.tuples(*(_table(cap) for cap in TABLE_CAPS)).map(lambda ts: Benefits(*(tuple(t) for t in ts)))
scores = st.one_of(st.integers(0, 10**26), st.integers(0, 2**256 - 1))


@given(thresholds=ascending_thresholds, probes=st.lists(scores, min_size=1, max_size=8))
@SETTINGS
def test_level_for_random_thresholds_and_scores_matches_the_model(levels, deployer, thresholds, probes):
    levels.setThresholds(thresholds, {"from": deployer})
    # each threshold, one below it, and random scores
    for score in probes + thresholds + [t - 1 for t in thresholds]:
        assert levels.levelForScore(score) == level_for_score(score, thresholds)


@given(thresholds=any_thresholds)
@SETTINGS
def test_threshold_validation_matches_the_model(levels, deployer, thresholds):
    expected = threshold_error(thresholds)
    if expected is None:
        levels.setThresholds(thresholds, {"from": deployer})
        assert levels.thresholds() == tuple(thresholds)
    else:
        with reverts(expected):
            levels.setThresholds(thresholds, {"from": deployer})


@given(benefits=benefit_tables, level=st.integers(0, MAX_LEVEL))
@SETTINGS
def test_benefits_validation_and_getters_match_the_model(levels, deployer, benefits, level):
    model = LevelsModel()
    expected = benefits_error(benefits)
    if expected is None:
        levels.setBenefits(benefits.as_tuple(), {"from": deployer})
        assert model.set_benefits(benefits) is None
    else:
        with reverts(expected):
            levels.setBenefits(benefits.as_tuple(), {"from": deployer})
    assert Benefits.from_tuple(levels.benefits()) == model.benefits
    assert levels.platformDiscountBps(level) == model.platform_discount_bps(level)
    assert levels.apiDiscountBps(level) == model.api_discount_bps(level)
    assert levels.referralBps(level) == model.referral_bps(level)
    assert levels.proposalsPerMonth(level) == model.proposals_per_month(level)


@given(
    locks=st.lists(
        st.tuples(st.integers(UNIT, 6_000_000 * UNIT), st.integers(1, 52), st.booleans()), min_size=1, max_size=4
    ),
    elapsed=st.integers(0, 60 * WEEK),
)
@SETTINGS
def test_level_of_real_locks_matches_the_model_now_and_at_past_times(levels, ve, holders, locks, elapsed):
    """levelOf/levelAt from real escrow locks equal the model applied to the escrow's score, while the
    locks decay and expire."""
    start = now()
    for holder, (amount, weeks, permanent) in zip(holders, locks):
        ve.createLock(amount, week_start(now()) + weeks * WEEK, {"from": holder})
        if permanent:
            ve.lockPermanent({"from": holder})
    created = now()
    mine_at(created + max(elapsed, 1))
    for holder in holders[: len(locks)]:
        assert levels.levelOf(holder) == level_for_score(ve.balanceOf(holder), DEFAULT_THRESHOLDS)
        for t in (start, created, (created + now()) // 2):
            assert levels.levelAt(holder, t) == level_for_score(ve.balanceOfAt(holder, t), DEFAULT_THRESHOLDS)
