"""Plain-Python reference model of StakingLevels (SPEC 5.1). No brownie import.

The Staking Score is an input (the escrow has its own model); this model owns the level rule, the
validation of the thresholds and of the benefits table (with the exact error a bad value raises) and
the per-level getters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from harness.core.units import UNIT
from tests.models.errors import ExpectedError

MAX_LEVEL = 10  # StakingLevels.MAX_LEVEL
MAX_BENEFIT_BPS = 5_000  # StakingLevels.MAX_BENEFIT_BPS
MAX_PROPOSALS_PER_MONTH = 10  # StakingLevels.MAX_PROPOSALS_PER_MONTH
UINT128_MAX = 2**128 - 1  # a threshold is stored as uint128

# Table positions in `Benefits`, as BenefitsNotMonotonic / BenefitTooHigh name them.
PLATFORM, API, REFERRAL, PROPOSALS = 0, 1, 2, 3
TABLE_NAMES = ("platformDiscountBps", "apiDiscountBps", "referralBps", "proposalsPerMonth")
TABLE_CAPS = (MAX_BENEFIT_BPS, MAX_BENEFIT_BPS, MAX_BENEFIT_BPS, MAX_PROPOSALS_PER_MONTH)

# SPEC 5.1 defaults: Token Metrics' published veTMAI table, thresholds in whole tokens of Staking Score.
DEFAULT_THRESHOLDS = tuple(
    t * UNIT for t in (22_000, 111_000, 222_000, 444_000, 888_000, 1_333_000, 3_333_000, 4_444_000, 5_555_000, 7_777_000)
)
DEFAULT_PLATFORM_DISCOUNT_BPS = tuple(p * 100 for p in (2, 3, 5, 8, 10, 13, 15, 18, 20, 25))
DEFAULT_API_DISCOUNT_BPS = tuple(p * 100 for p in (12, 13, 15, 18, 20, 23, 25, 28, 30, 35))
DEFAULT_REFERRAL_BPS = tuple(p * 100 for p in (22, 24, 25, 28, 30, 32, 34, 36, 38, 40))
DEFAULT_PROPOSALS_PER_MONTH = (1, 1, 1, 2, 2, 2, 3, 3, 4, 4)


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


def level_for_score(score: int, thresholds: Sequence[int]) -> int:
    """Highest L in 1..10 with score >= thresholds[L-1], else 0."""
    level = 0
    for i, threshold in enumerate(thresholds):
        if score >= threshold:
            level = i + 1
    return level


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
