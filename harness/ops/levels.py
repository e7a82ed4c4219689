"""An account's benefit level from its Staking Score (StakingLevels, SPEC 5.1), read-only
(scripts/levels.py): the score now, the level, the score still needed for the next level, the
benefits of both levels and the whole table."""

from __future__ import annotations

from dataclasses import dataclass

from harness.chain.protocol import Protocol
from harness.core.levels import MAX_LEVEL
from harness.core.units import format_tokens

BENEFIT_NAMES = ("platform discount", "API discount", "referral share", "proposals per 30 days")


@dataclass(frozen=True)
class Benefits:
    """One level's row of the benefits table (level 0: all zero)."""

    platform_discount_bps: int
    api_discount_bps: int
    referral_bps: int
    proposals_per_month: int

    def shown(self) -> str:
        return (
            f"platform discount {percent(self.platform_discount_bps)}, API discount {percent(self.api_discount_bps)}, "
            f"referral share {percent(self.referral_bps)}, {self.proposals_per_month} proposals per 30 days"
        )


@dataclass(frozen=True)
class Standing:
    account: str
    score: int
    level: int
    to_next: int | None  # Staking Score still needed for the next level (None at level 10)
    benefits: Benefits
    next_benefits: Benefits | None


def percent(bps: int) -> str:
    return f"{bps / 100:g}%"


def table(protocol: Protocol) -> tuple[list[int], list[Benefits]]:
    """(thresholds, benefits) of levels 1..10, index 0 is level 1."""
    thresholds = [int(t) for t in protocol.levels.thresholds()]
    platform, api, referral, proposals = protocol.levels.benefits()
    rows = [Benefits(int(platform[i]), int(api[i]), int(referral[i]), int(proposals[i])) for i in range(MAX_LEVEL)]
    return thresholds, rows


def standing(protocol: Protocol, account: str) -> Standing:
    thresholds, rows = table(protocol)
    score = int(protocol.escrow.balanceOf(account))
    level = int(protocol.levels.levelOf(account))
    none = Benefits(0, 0, 0, 0)
    if level >= MAX_LEVEL:
        return Standing(account, score, level, None, rows[level - 1], None)
    return Standing(
        account, score, level, thresholds[level] - score, rows[level - 1] if level else none, rows[level]
    )


def print_levels(protocol: Protocol, account: str) -> Standing:
    s = standing(protocol, account)
    symbol = protocol.symbol
    print(f"{account}: Staking Score {format_tokens(s.score)}, level {s.level}")
    if s.to_next is None:
        print("  next level: none (level 10 is the highest)")
    else:
        print(f"  next level {s.level + 1}: {format_tokens(s.to_next)} more Staking Score")
    print(f"  level {s.level} benefits: {s.benefits.shown()}")
    if s.next_benefits is not None:
        print(f"  level {s.level + 1} benefits: {s.next_benefits.shown()}")
    thresholds, rows = table(protocol)
    print(f"\n  level  Staking Score ({symbol})  platform  API    referral  proposals/30d")
    for i, (threshold, row) in enumerate(zip(thresholds, rows), start=1):
        print(
            f"  {i:>5}  {format_tokens(threshold):>22}  {percent(row.platform_discount_bps):>8}  "
            f"{percent(row.api_discount_bps):>5}  {percent(row.referral_bps):>8}  {row.proposals_per_month:>13}"
        )
    return s
