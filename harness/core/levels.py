"""SPEC 5.1's benefit levels as plain data: the default thresholds and benefits table (Token Metrics'
published veTMAI table) and the level rule. The one Python home of these numbers: the reference model
(tests/models/levels_model.py), the gas benchmark and the deploy config's defaults
(harness/core/config.py) read them from here."""

from __future__ import annotations

from typing import Sequence

from harness.core.units import UNIT

MAX_LEVEL = 10  # StakingLevels.MAX_LEVEL: levels 1..10, level 0 has no benefits
MAX_BENEFIT_BPS = 5_000  # StakingLevels: discounts and referral at most 50%
MAX_PROPOSALS_PER_MONTH = 10  # StakingLevels: proposals per 30-day period at most 10
MAX_THRESHOLD = 2**128 - 1  # StakingLevels stores thresholds two per slot

# Staking Score needed for levels 1..10 (whole tokens of score, SPEC 5.1).
DEFAULT_THRESHOLDS: tuple[int, ...] = tuple(
    t * UNIT for t in (22_000, 111_000, 222_000, 444_000, 888_000, 1_333_000, 3_333_000, 4_444_000, 5_555_000, 7_777_000)
)
# The four tables of StakingLevels' `Benefits`, in its field order; index 0 is level 1.
DEFAULT_PLATFORM_DISCOUNT_BPS: tuple[int, ...] = tuple(p * 100 for p in (2, 3, 5, 8, 10, 13, 15, 18, 20, 25))
DEFAULT_API_DISCOUNT_BPS: tuple[int, ...] = tuple(p * 100 for p in (12, 13, 15, 18, 20, 23, 25, 28, 30, 35))
DEFAULT_REFERRAL_BPS: tuple[int, ...] = tuple(p * 100 for p in (22, 24, 25, 28, 30, 32, 34, 36, 38, 40))
DEFAULT_PROPOSALS_PER_MONTH: tuple[int, ...] = (1, 1, 1, 2, 2, 2, 3, 3, 4, 4)
# The ABI tuple StakingLevels' constructor and `setBenefits` take.
DEFAULT_BENEFITS_TUPLE = (
    DEFAULT_PLATFORM_DISCOUNT_BPS, DEFAULT_API_DISCOUNT_BPS, DEFAULT_REFERRAL_BPS, DEFAULT_PROPOSALS_PER_MONTH,
)


def level_for_score(score: int, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> int:
    """Highest L in 1..10 with score >= thresholds[L-1], else 0 (StakingLevels.levelForScore)."""
    level = 0
    for i, threshold in enumerate(thresholds):
        if score >= threshold:
            level = i + 1
    return level
