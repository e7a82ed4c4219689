"""Platform revenue into the RevenueDistributor (scripts/deposit_revenue.py): credited to the current
week, shared by that week's stakers once the week is over."""

from __future__ import annotations

from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.staking import week_start
from harness.core.units import WEEK, date, format_tokens
from harness.ops.funds import ensure_allowance, require_balance


def deposit(protocol: Protocol, account: Any, token: Any, amount: int) -> None:
    """depositRevenue of `amount` base units of the reward token `token`, approving it first if needed."""
    require_balance(token, account.address, amount)
    ensure_allowance(token, account, protocol.distributor.address, amount)
    protocol.distributor.depositRevenue(token, amount, {"from": account})
    week = week_start(now())
    print(
        f"deposited {format_tokens(amount, token.decimals())} {token.symbol()} as revenue of the week of {date(week)}; "
        f"claimable from {date(week + WEEK)}"
    )
