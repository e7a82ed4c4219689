"""Fixtures for the StakingLevels tests: the real VotingEscrow (no mocks) and StakingLevels with SPEC
5.1's default table (tests/models/levels_model.py), owned by the deployer."""

from __future__ import annotations

import pytest

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import MAX_UINT256, WEEK
from tests.models.levels_model import DEFAULT_BENEFITS, DEFAULT_THRESHOLDS
from tests.support.constants import PENALTY_BPS


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer, holders):
    # Every module starts an hour into a fresh week, so lock ends are simple to reason about.
    mine_at(week_start(now()) + WEEK + 3600)
    escrow = VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})
    for h in holders:
        token.approve(escrow, MAX_UINT256, {"from": h})
    return escrow


@pytest.fixture(scope="module")
def levels(StakingLevels, ve, deployer):
    return StakingLevels.deploy(ve, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})
