"""Plain-Python reference model of StakingLevels (SPEC 5.1). No brownie import.

The Staking Score is an input (the escrow has its own model); the level rule and SPEC 5.1's default
table are harness.core.levels' (their one Python home). This model owns the validation of the
thresholds and of the benefits table (with the exact error a bad value raises) and the per-level
getters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from harness.core.levels import (
    DEFAULT_API_DISCOUNT_BPS,
    DEFAULT_PLATFORM_DISCOUNT_BPS,
    DEFAULT_PROPOSALS_PER_MONTH,
    DEFAULT_REFERRAL_BPS,
    DEFAULT_THRESHOLDS,
    MAX_LEVEL,
    level_for_score,
)
from tests.models.errors import ExpectedError

MAX_BENEFIT_BPS = 5_000  # StakingLevels.MAX_BENEFIT_BPS
MAX_PROPOSALS_PER_MONTH = 10  # StakingLevels.MAX_PROPOSALS_PER_MONTH
UINT128_MAX = 2**128 - 1  # a threshold is stored as uint128

# Table positions in `Benefits`, as BenefitsNotMonotonic / BenefitTooHigh name them.
PLATFORM, API, REFERRAL, PROPOSALS = 0, 1, 2, 3
TABLE_CAPS = (MAX_BENEFIT_BPS, MAX_BENEFIT_BPS, MAX_BENEFIT_BPS, MAX_PROPOSALS_PER_MONTH)


@dataclass(frozen=True)
class Benefits:
    platformDiscountBps: tuple = DEFAULT_PLATFORM_DISCOUNT_BPS
    apiDiscountBps: tuple = DEFAULT_API_DISCOUNT_BPS
    referralBps: tuple = DEFAULT_REFERRAL_BPS
    proposalsPerMonth: tuple = DEFAULT_PROPOSALS_PER_MONTH

    def tables(self) -> tuple:
        return (self.platformDiscountBps, self.apiDiscountBps, self.referralBps, self.proposalsPerMonth)

    def as_tuple(self) -> tuple:
        """The ABI tuple the contract takes and returns."""
        return tuple(tuple(t) for t in self.tables())

    @classmethod
    def from_tuple(cls, value) -> "Benefits":
        return cls(*(tuple(int(x) for x in t) for t in value))


DEFAULT_BENEFITS = Benefits()


def threshold_error(thresholds: Sequence[int]) -> Optional[ExpectedError]:
    """The error setThresholds raises, or None. thresholds[0] > 0, strictly ascending
    (0-based index of the first entry that breaks it), each within uint128."""
    previous = 0
    for i, t in enumerate(thresholds):
        if t <= previous:
            return ExpectedError("ThresholdsNotAscending", ("uint256",), (i,))
        if t > UINT128_MAX:
            return ExpectedError("ThresholdTooLarge", ("uint256", "uint256"), (i, t))
        previous = t
    return None


def benefits_error(benefits: Benefits) -> Optional[ExpectedError]:
    """The error setBenefits raises, or None. Tables in field order; within a table,
    entries in level order; for each entry the cap first, then non-decreasing."""
    for table, (values, cap) in enumerate(zip(benefits.tables(), TABLE_CAPS)):
        previous = 0
        for i, v in enumerate(values):
            if v > cap:
                return ExpectedError("BenefitTooHigh", ("uint256", "uint256"), (table, i))
            if v < previous:
                return ExpectedError("BenefitsNotMonotonic", ("uint256", "uint256"), (table, i))
            previous = v
    return None


@dataclass
class LevelsModel:
    thresholds: tuple = DEFAULT_THRESHOLDS
    benefits: Benefits = field(default_factory=Benefits)

    def level_for_score(self, score: int) -> int:
        return level_for_score(score, self.thresholds)

    def benefit(self, table: int, level: int) -> int:
        """Per-level getter; level 0: 0; level > 10 raises (the contract's InvalidLevel)."""
        if level > MAX_LEVEL:
            raise ValueError(f"InvalidLevel({level})")
        return 0 if level == 0 else self.benefits.tables()[table][level - 1]

    def platform_discount_bps(self, level: int) -> int:
        return self.benefit(PLATFORM, level)

    def api_discount_bps(self, level: int) -> int:
        return self.benefit(API, level)

    def referral_bps(self, level: int) -> int:
        return self.benefit(REFERRAL, level)

    def proposals_per_month(self, level: int) -> int:
        return self.benefit(PROPOSALS, level)

    def set_thresholds(self, thresholds: Sequence[int]) -> Optional[ExpectedError]:
        error = threshold_error(thresholds)
        if error is None:
            self.thresholds = tuple(thresholds)
        return error

    def set_benefits(self, benefits: Benefits) -> Optional[ExpectedError]:
        error = benefits_error(benefits)
        if error is None:
            self.benefits = benefits
        return error
