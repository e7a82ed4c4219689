"""VotingEscrow declarations the other tests do not reach from outside (found by `make coverage`,
docs/coverage.md): the public `slopeChanges` getter, read here against the locks that schedule it."""

from __future__ import annotations

import pytest

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer, holders):
    mine_at(week_start(now()) + WEEK + 3600)
    escrow = VotingEscrow.deploy(token, 5_000, deployer, {"from": deployer})
    for h in holders[:2]:
        token.approve(escrow, 2**256 - 1, {"from": h})
    return escrow


def test_slope_changes_follow_lock_ends(ve, holders):
    alice, bob = holders[0], holders[1]
    week = week_start(now())
    end_a, end_b = week + 10 * WEEK, week + 20 * WEEK
    assert ve.slopeChanges(end_a) == 0

    ve.createLock(100 * UNIT, end_a + 123, {"from": alice})  # rounded down to the week
    ve.createLock(30 * UNIT + 7, end_a, {"from": bob})
    assert ve.slopeChanges(end_a) == 130 * UNIT + 7
    assert ve.slopeChanges(end_a + WEEK) == 0

    ve.increaseAmount(5 * UNIT, {"from": alice})
    assert ve.slopeChanges(end_a) == 135 * UNIT + 7

    ve.increaseUnlockTime(end_b, {"from": bob})  # bob's drop moves from end_a to end_b
    assert ve.slopeChanges(end_a) == 105 * UNIT
    assert ve.slopeChanges(end_b) == 30 * UNIT + 7

    ve.lockPermanent({"from": alice})  # a permanent lock never drops
    assert ve.slopeChanges(end_a) == 0
    assert ve.slopeChanges(end_b) == 30 * UNIT + 7
