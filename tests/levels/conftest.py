"""Fixtures for the StakingLevels tests: the real VotingEscrow (no mocks) and StakingLevels with SPEC
5.1's default table, owned by the deployer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.chain import WEEK, mine_at, now, week_start  # noqa: E402
from levels_helpers import reverts_with  # noqa: E402
from models.levels_model import DEFAULT_BENEFITS, DEFAULT_THRESHOLDS  # noqa: E402


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer, holders):
    # Every module starts an hour into a fresh week, so lock ends are simple to reason about.
    mine_at(week_start(now()) + WEEK + 3600)
    escrow = VotingEscrow.deploy(token, 5_000, deployer, {"from": deployer})
    for h in holders:
        token.approve(escrow, 2**256 - 1, {"from": h})
    return escrow


@pytest.fixture(scope="module")
def levels(StakingLevels, ve, deployer):
    return StakingLevels.deploy(ve, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})


@pytest.fixture(scope="session")
def reverts():
    return reverts_with
