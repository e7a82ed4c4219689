"""Deposit platform revenue into the RevenueDistributor for this week's stakers.

    brownie run scripts/deposit_revenue.py main TOKEN AMOUNT

TOKEN: an active reward token's symbol or address; AMOUNT in whole tokens (decimals allowed).
SIGNER names the paying account. Checks run before the first transaction.
"""

from __future__ import annotations

from harness.accounts import signer
from harness.chain import now, settle, week_start
from harness.cli import script_errors
from harness.config import format_tokens
from harness.ops import Protocol, amount_argument, argument, date, ensure_allowance, require_balance


def main(token: str | None = None, amount: str | None = None) -> None:
    with script_errors():
        protocol = Protocol.load()
        reward = protocol.reward_token("token", argument("token", token, str))
        decimals = reward.decimals()
        base_units = amount_argument("amount", amount, decimals)
        account = signer()
        require_balance(protocol, reward, account.address, base_units)
        ensure_allowance(reward, account, protocol.distributor.address, base_units)
        protocol.distributor.depositRevenue(reward, base_units, {"from": account})
        week = week_start(now())
        print(
            f"deposited {format_tokens(base_units, decimals)} {reward.symbol()} as revenue of the week of {date(week)}; "
            f"claimable from {date(week + 7 * 86400)}"
        )
    settle()
