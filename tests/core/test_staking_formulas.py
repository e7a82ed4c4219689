"""harness/core/staking.py, the one Python home of the escrow's formulas (the scripts and the reference
models use it; tests/escrow compares the contract with it): docs/staking.md's worked example, the
boundaries, and week rounding."""

from __future__ import annotations

from harness.core.staking import MIN_LOCK_AMOUNT, early_exit_penalty, scaled_bias, staking_score, week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK

THURSDAY = 1_767_225_600 + DAY  # 2026-01-02 00:00 UTC is a Friday; week boundaries are Thursdays


def test_week_start_is_a_thursday_boundary():
    start = week_start(THURSDAY + 3 * DAY + 5)
    assert start % WEEK == 0 and start <= THURSDAY + 3 * DAY + 5 < start + WEEK
    assert week_start(start) == start and week_start(start - 1) == start - WEEK


def test_worked_example_scores():
    # docs/staking.md "Worked example": a week start, MAX_LOCK = 365 days
    t = 100 * WEEK
    assert staking_score(1000 * UNIT, t + 364 * DAY, t) == 1000 * UNIT + 1000 * UNIT * 364 // 365  # Alice 1,997.26
    assert staking_score(1000 * UNIT, t + 91 * DAY, t) == 1000 * UNIT + 1000 * UNIT * 91 // 365  # Bob 1,249.32
    assert staking_score(500 * UNIT, 0, t, permanent=True) == 1000 * UNIT  # Carol, permanent


def test_worked_example_penalty():
    # Alice leaves 180 days before her end at 5,000 bps: 1000 * 180/365 * 5000/10000 = 246.5753... (246.58)
    t = 100 * WEEK
    penalty = early_exit_penalty(1000 * UNIT, t + 180 * DAY, t, 5_000)
    assert penalty == 1000 * UNIT * 180 * DAY * 5_000 // (MAX_LOCK * 10_000)
    assert 246_575 * UNIT // 1000 <= penalty < 246_576 * UNIT // 1000


def test_score_and_penalty_at_the_boundaries():
    end = 200 * WEEK
    assert staking_score(UNIT, end, end) == 0 and staking_score(UNIT, end, end + 1) == 0
    assert staking_score(UNIT, end, end - MAX_LOCK) == 2 * UNIT  # a full year out: 2x
    assert staking_score(0, end, 0) == 0 and staking_score(0, 0, 0, permanent=True) == 0
    assert early_exit_penalty(UNIT, end, end, 5_000) == 0  # ended: nothing to keep
    assert early_exit_penalty(UNIT, end, end - MAX_LOCK, 10_000) == UNIT  # the full rate a year out
    assert early_exit_penalty(1, end, end - 1, 5_000) == 0  # floor division: under a wei


def test_scaled_bias_is_the_score_before_its_floor_division():
    for amount, end, at, permanent in ((3 * UNIT + 7, 300 * WEEK, 260 * WEEK + 11, False), (5, 0, 1, True)):
        assert scaled_bias(amount, end, at, permanent) // MAX_LOCK == staking_score(amount, end, at, permanent)


def test_minimum_lock_is_one_token():
    assert MIN_LOCK_AMOUNT == UNIT
