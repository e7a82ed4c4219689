"""Operations on a deployed protocol, for holders and operators on any network.

Each operation validates its arguments and the chain state it depends on first, raising ScriptError
(which names the argument) before any transaction is sent; only then does it send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from brownie import Contract, RevenueDistributor, ServiceGovernor, ServiceToken, VotingEscrow, network, web3

from harness.chain import now
from harness.cli import ScriptError
from harness.config import format_tokens, parse_address, parse_duration, parse_token_amount
from harness.deploy import has_code, read_only
from harness.manifest import Manifest, load_manifest, manifest_path

MAX_UINT256 = 2**256 - 1
ERC20_ABI = ServiceToken.abi  # a standard ERC-20 ABI (the extra permit/burn entries are harmless)


@dataclass
class Protocol:
    """The deployment recorded for the connected network."""

    manifest: Manifest
    token: Any
    escrow: Any
    distributor: Any
    governor: Any

    @classmethod
    def load(cls) -> "Protocol":
        path = manifest_path(network.show_active(), web3.eth.chain_id)
        if not path.is_file():
            raise ScriptError(
                f"manifest: no deployment recorded for network {network.show_active()!r} "
                f"(chain id {web3.eth.chain_id}) at {path}: deploy first, or set DEPLOYMENTS_DIR"
            )
        try:
            manifest = load_manifest(path)
        except ValueError as error:
            raise ScriptError(f"manifest {path}: not a valid manifest ({error})") from None
        needed = ("ServiceToken", "VotingEscrow", "RevenueDistributor", "ServiceGovernor")
        for key in needed:
            if key not in manifest.contracts or not has_code(manifest.address_of(key)):
                raise ScriptError(f"manifest {path}: {key} is not deployed on this chain")
        return cls(
            manifest=manifest,
            token=read_only(ServiceToken, manifest.address_of("ServiceToken")),
            escrow=read_only(VotingEscrow, manifest.address_of("VotingEscrow")),
            distributor=read_only(RevenueDistributor, manifest.address_of("RevenueDistributor")),
            governor=read_only(ServiceGovernor, manifest.address_of("ServiceGovernor")),
        )

    def erc20(self, address: str) -> Any:
        if address == self.token.address:
            return self.token
        return Contract.from_abi("ERC20", address, ERC20_ABI, persist=False)

    def reward_token(self, name: str, text: str) -> Any:
        """A reward token given by symbol or address; must be an active reward token."""
        active = [self.erc20(address) for address in self.distributor.rewardTokens()]
        for candidate in active:
            if text.lower() in (candidate.address.lower(), candidate.symbol().lower()):
                return candidate
        listed = ", ".join(f"{t.symbol()} ({t.address})" for t in active)
        raise ScriptError(f"{name}: {text!r} is not an active reward token; the reward tokens are {listed}")


# ---- argument parsing: ValueError from the config parsers becomes a ScriptError naming the argument


def argument(name: str, text: str | None, parse: Callable[[Any], Any]) -> Any:
    if text is None or str(text).strip() == "":
        raise ScriptError(f"{name}: missing")
    try:
        return parse(str(text).strip())
    except ValueError as error:
        raise ScriptError(f"{name}: {error}") from None


def amount_argument(name: str, text: str | None, decimals: int = 18) -> int:
    """Whole tokens (decimals allowed, e.g. 1250.5) to base units of a token with `decimals`."""
    return argument(name, text, lambda value: parse_token_amount(value, decimals))


def duration_argument(name: str, text: str | None) -> int:
    return argument(name, text, lambda value: parse_duration(int(value) if value.isdigit() else value))


def address_argument(name: str, text: str | None) -> str:
    return argument(name, text, parse_address)


def date(timestamp: int) -> str:
    return datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# ---- checks shared by the operations


@dataclass
class Lock:
    amount: int
    end: int
    permanent: bool

    @property
    def exists(self) -> bool:
        return self.amount > 0

    def active(self, at: int) -> bool:
        return self.exists and (self.permanent or self.end > at)


def lock_of(protocol: Protocol, account: str) -> Lock:
    amount, end, permanent = protocol.escrow.locked(account)
    return Lock(int(amount), int(end), bool(permanent))


def require_balance(protocol: Protocol, token: Any, account: str, amount: int, name: str = "amount") -> None:
    balance = token.balanceOf(account)
    if amount > balance:
        decimals = token.decimals()
        raise ScriptError(
            f"{name}: {format_tokens(amount, decimals)} {token.symbol()} is more than the balance of {account} "
            f"({format_tokens(balance, decimals)} {token.symbol()})"
        )


def ensure_allowance(token: Any, owner: Any, spender: str, amount: int) -> None:
    if token.allowance(owner, spender) < amount:
        token.approve(spender, amount, {"from": owner})


def unlock_end(protocol: Protocol, duration: int) -> tuple[int, int]:
    """(unlock time asked, resulting week-boundary end) for a lock of `duration` from now, checked
    against the escrow's rule `now < end <= now + MAX_LOCK`."""
    t = now()
    week, max_lock = protocol.escrow.WEEK(), protocol.escrow.MAX_LOCK()
    unlock_time = t + duration
    end = unlock_time // week * week
    if end <= t:
        raise ScriptError(
            f"duration: a lock must end at a week boundary after now; {duration}s from now rounds down "
            f"to {date(end)}, which is not in the future (use at least 1w)"
        )
    if end > t + max_lock:
        raise ScriptError(f"duration: at most {max_lock // 86400} days (365d), got {duration // 86400} days")
    return unlock_time, end


def claimed(tx: Any) -> dict[str, int]:
    """Amount per token from a claim's `Claimed` events (works on live networks, where brownie cannot
    trace return values)."""
    amounts: dict[str, int] = {}
    if "Claimed" in tx.events:
        for event in tx.events["Claimed"]:
            amounts[event["token"]] = amounts.get(event["token"], 0) + int(event["amount"])
    return amounts
