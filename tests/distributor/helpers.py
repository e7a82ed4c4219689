"""Expected shares from the escrow's and the distributor's views, for the RevenueDistributor tests."""

from __future__ import annotations


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
