"""Token checks and approvals shared by the operations that move a holder's tokens (a lock, a revenue
deposit): the balance is checked before anything is sent, the approval sent only when needed."""

from __future__ import annotations

from typing import Any

from harness.core.errors import ScriptError
from harness.core.units import format_tokens


def require_balance(token: Any, account: str, amount: int, name: str = "amount") -> None:
    """A ScriptError naming `name` when `account` holds less than `amount` of `token`."""
    balance = token.balanceOf(account)
    if amount > balance:
        decimals = token.decimals()
        raise ScriptError(
            f"{name}: {format_tokens(amount, decimals)} {token.symbol()} is more than the balance of {account} "
            f"({format_tokens(balance, decimals)} {token.symbol()})"
        )


def ensure_allowance(token: Any, owner: Any, spender: str, amount: int) -> None:
    """Approve `spender` for `amount` unless its allowance already covers it."""
    if token.allowance(owner, spender) < amount:
        token.approve(spender, amount, {"from": owner})
