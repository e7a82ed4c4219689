"""The VotingEscrow's arithmetic in plain Python (SPEC 2.2, as amended by SPEC 7): week rounding, the
Staking Score of a lock and the early-exit penalty. The one Python home of these formulas: the
scripts (harness/ops) and the reference models (tests/models) take them from here, the contracts
(contracts/libraries) write them in Solidity, and the tests compare the two.

Every division is a floor division, as in the contract.
"""

from __future__ import annotations

from harness.core.units import BPS, MAX_LOCK, UNIT, WEEK

MIN_LOCK_AMOUNT = UNIT  # SPEC 7: a new lock holds at least one token (VotingEscrow.MIN_LOCK_AMOUNT)


def week_start(timestamp: int) -> int:
    """The week boundary at or before `timestamp` (Thursday 00:00 UTC): lock ends and revenue weeks."""
    return int(timestamp) // WEEK * WEEK


def staking_score(amount: int, end: int, at: int, permanent: bool = False) -> int:
    """The Staking Score of one lock at time `at`: `amount + amount * (end - at) // MAX_LOCK` while
    it runs, 0 from its end on; a permanent lock scores `2 * amount` and never decays."""
    if amount == 0:
        return 0
    if permanent:
        return 2 * amount
    if at >= end:
        return 0
    return amount + amount * (end - at) // MAX_LOCK


def scaled_bias(amount: int, end: int, at: int, permanent: bool = False) -> int:
    """A lock's score times MAX_LOCK, before the floor division: the escrow sums these for its total
    supply and divides once, so the total can exceed the sum of the floored scores by under one wei
    per lock."""
    if amount == 0:
        return 0
    if permanent:
        return 2 * amount * MAX_LOCK
    if at >= end:
        return 0
    return amount * MAX_LOCK + amount * (end - at)


def early_exit_penalty(amount: int, end: int, at: int, max_penalty_bps: int) -> int:
    """What `withdrawEarly` at time `at` keeps of a lock of `amount` ending at `end`:
    `amount * (end - at) * max_penalty_bps // (MAX_LOCK * 10_000)`, one floor division (the full
    rate for a lock a whole MAX_LOCK from its end, falling linearly to 0 at the end)."""
    if at >= end:
        return 0
    return amount * (end - at) * max_penalty_bps // (MAX_LOCK * BPS)
