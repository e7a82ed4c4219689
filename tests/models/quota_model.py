"""Reference model of the proposal quotas of ServiceGovernor (SPEC 5.5), plain Python: who may propose
how often, and which cancel gives a slot back. No brownie import.

A period is `t // QUOTA_PERIOD` (30 days). Each proposer may make `proposalsPerMonth(level)` proposals
per period, its level read at `t - 1` (level 0: none). Every proposal is counted, even while quotas are
off (no levels contract), so that a cancel only ever gives back a slot that was taken. A cancel gives
the slot back when the proposal is still Pending (the governor's only cancel path) and was made in the
current period: a proposal made in period P and cancelled in P + 1 (possible when it was made within
`votingDelay` of P's end) frees nothing, because it never took a P + 1 slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from tests.models.errors import ExpectedError, addr
from tests.models.levels_model import LevelsModel

QUOTA_PERIOD = 30 * 86_400


def period_of(t: int) -> int:
    return t // QUOTA_PERIOD


def quota_exceeded(proposer, level: int, quota: int) -> ExpectedError:
    return ExpectedError("ProposalQuotaExceeded", ("address", "uint8", "uint256"), (addr(proposer), level, quota))


@dataclass
class QuotaModel:
    """`levels` None means quotas are off. The methods that need a level take `score`, the proposer's own
    Staking Score at `now - 1` (the escrow's `balanceOfAt`): the model holds no reference to an escrow,
    so a copy of it never reads another model's locks."""

    levels: Optional[LevelsModel] = None
    # proposer -> (period, proposals counted in it)
    usage: dict = field(default_factory=dict)
    # proposal id -> the period it was made (counted) in
    made_in: dict = field(default_factory=dict)

    def quota(self, score: int) -> tuple[int, int]:
        """(level of `score`, proposals allowed per period)."""
        level = self.levels.level_for_score(score)
        return level, self.levels.proposals_per_month(level)

    def used(self, proposer, now: int) -> int:
        period, used = self.usage.get(addr(proposer), (None, 0))
        return used if period == period_of(now) else 0

    def left(self, proposer, now: int, score: int) -> int:
        if self.levels is None:
            return 2**256 - 1
        return max(self.quota(score)[1] - self.used(proposer, now), 0)

    def check(self, proposer, now: int, score: int) -> Optional[ExpectedError]:
        """The revert `propose` at `now` would hit for the quota, or None."""
        if self.levels is None:
            return None
        level, quota = self.quota(score)
        return quota_exceeded(proposer, level, quota) if self.used(proposer, now) >= quota else None

    def propose(self, proposer, proposal_id: int, now: int) -> None:
        """Counts a proposal that passed every check (call `check` first)."""
        self.usage[addr(proposer)] = (period_of(now), self.used(proposer, now) + 1)
        self.made_in[proposal_id] = period_of(now)

    def cancel(self, proposer, proposal_id: int, now: int) -> bool:
        """A Pending proposal cancelled at `now`; returns whether its slot came back."""
        made_in = self.made_in[proposal_id]
        period, used = self.usage[addr(proposer)]
        if made_in != period_of(now) or period != made_in:
            return False
        self.usage[addr(proposer)] = (period, used - 1)
        return True

    def set_levels(self, levels: Optional[LevelsModel]) -> None:
        self.levels = levels
