"""Constants and helpers shared by the RevenueDistributor tests (imported by conftest and test modules)."""

from __future__ import annotations

import os
from contextlib import contextmanager

from brownie.exceptions import VirtualMachineError

# Default profile keeps tests/distributor within a few minutes; HYPOTHESIS_PROFILE=deep digs further.
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
EXAMPLES = 150 if DEEP else 10
STEPS = 60 if DEEP else 30
STATEFUL_EXAMPLES = 100 if DEEP else 12

MAX_LOCK = 365 * 86400
PENALTY_BPS = 5_000
BIG = 10**30
E18 = 10**18
ZERO = "0x0000000000000000000000000000000000000000"


@contextmanager
def reverts_with(name: str):
    """The call reverts with custom error `name` (brownie decodes it as "Name: args")."""
    try:
        yield
    except VirtualMachineError as exc:
        msg = exc.revert_msg or ""
        assert msg.split(":")[0].strip() == name, f"expected {name}, got {msg!r}"
    else:
        raise AssertionError(f"did not revert (expected {name})")


def share(ve, account, week, revenue):
    """`account`'s share of `revenue` credited to `week`, from the escrow's views."""
    return revenue * ve.balanceOfAt(account, week) // ve.totalSupplyAt(week)


def penalty_share(ve, dist, account, week):
    """`account`'s share of the penalties of `week` (SPEC 7), from the escrow's and the distributor's
    views: 0 for an exiter of that week."""
    penalty, exited = dist.penaltyWeek(week)
    if penalty == 0 or dist.exitedEarly(account, week):
        return 0
    return penalty * ve.balanceOfAt(account, week) // (ve.totalSupplyAt(week) - exited)
