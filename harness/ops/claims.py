"""Revenue claims from the RevenueDistributor (scripts/claim.py): paid to the wallet, reinvested into
the claimer's lock, claimed for another account (reinvested only when that account opted in and the
caller is the account or a keeper it approved, SPEC 7), and the two settings behind the last one."""

from __future__ import annotations

from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.errors import ScriptError
from harness.core.units import date, format_tokens
from harness.ops.locks import lock_of


def claimed(tx: Any) -> dict[str, int]:
    """Amount per token from a claim's `Claimed` events (works on live networks, where brownie cannot
    trace return values)."""
    amounts: dict[str, int] = {}
    if "Claimed" in tx.events:
        for event in tx.events["Claimed"]:
            amounts[event["token"]] = amounts.get(event["token"], 0) + int(event["amount"])
    return amounts


def reward_tokens(protocol: Protocol, names: list[str]) -> list[Any]:
    """The reward tokens named by symbol or address (`token` arguments), each once; none named:
    every active reward token."""
    if not names:
        return [protocol.erc20(address) for address in protocol.distributor.rewardTokens()]
    tokens = [protocol.reward_token("token", text) for text in names]
    if len({t.address for t in tokens}) != len(tokens):
        raise ScriptError("token: the same token is named twice")
    return tokens


def pay(protocol: Protocol, account: Any, tokens: list[Any], beneficiary: str | None = None) -> dict[str, int]:
    """Claim `tokens` for `beneficiary` (default: the caller itself, paid to its wallet): `claimFor`
    for another account, which reinvests only as SPEC 7 allows. Prints and returns what was claimed."""
    distributor = protocol.distributor
    addresses = [t.address for t in tokens]
    if beneficiary is None:
        beneficiary = account.address
        tx = distributor.claim(addresses, {"from": account})
    else:
        tx = distributor.claimFor(beneficiary, addresses, {"from": account})
    amounts = claimed(tx)
    for token in tokens:
        amount = amounts.get(token.address, 0)
        print(f"claimed {format_tokens(amount, token.decimals())} {token.symbol()} for {beneficiary}")
    return amounts


def reinvest(protocol: Protocol, account: Any) -> int:
    """claimAndLock: the caller's staking-token revenue into its own active lock."""
    lock = lock_of(protocol, account.address)
    if not lock.exists:
        raise ScriptError(f"reinvest: {account.address} has no lock to reinvest into")
    if not lock.active(now()):
        raise ScriptError(
            f"reinvest: the lock of {account.address} expired on {date(lock.end)}: "
            "relock it (`lock.py extend`) or claim with `pay`"
        )
    pending = protocol.distributor.claimable(account.address, protocol.token)
    tx = protocol.distributor.claimAndLock({"from": account})
    amount = claimed(tx).get(protocol.token.address, 0)
    print(f"reinvested {format_tokens(amount)} {protocol.symbol} (claimable was {format_tokens(pending)})")
    return amount


def set_auto_compound(protocol: Protocol, account: Any, enabled: bool) -> None:
    protocol.distributor.setAutoCompound(enabled, {"from": account})
    print(f"auto-compound {'on' if enabled else 'off'} for {account.address}")


def set_keeper(protocol: Protocol, account: Any, keeper: str, approved: bool) -> None:
    protocol.distributor.setKeeper(keeper, approved, {"from": account})
    print(f"keeper {keeper} {'approved' if approved else 'revoked'} for {account.address}")
