"""Manage the signer's lock in the VotingEscrow.

    brownie run scripts/lock.py main create AMOUNT DURATION     lock AMOUNT tokens for DURATION (e.g. 52w, 180d)
    brownie run scripts/lock.py main increase AMOUNT            add tokens to the active lock
    brownie run scripts/lock.py main extend DURATION            move the end to DURATION from now (relocks an expired lock)
    brownie run scripts/lock.py main permanent                  make the lock permanent (2x score, no expiry)
    brownie run scripts/lock.py main unlock-permanent           back to a full 12-month decaying lock
    brownie run scripts/lock.py main withdraw                   take an expired lock out
    brownie run scripts/lock.py main withdraw-early             leave before the end, paying the penalty
    brownie run scripts/lock.py main lock-creator ADDRESS on|off let ADDRESS create your lock (createLockFor) or stop it
    brownie run scripts/lock.py main delegate ADDRESS           delegate a permanent lock's votes

SIGNER names the account (README). Every check runs before the first transaction.
"""

from __future__ import annotations

from harness.accounts import signer
from harness.chain import now, settle, week_start
from harness.cli import ScriptError, script_errors
from harness.config import format_tokens
from harness.ops import (
    Protocol,
    address_argument,
    amount_argument,
    date,
    duration_argument,
    ensure_allowance,
    lock_of,
    require_balance,
    unlock_end,
)

ACTIONS = (
    "create", "increase", "extend", "permanent", "unlock-permanent", "withdraw", "withdraw-early", "delegate",
    "lock-creator",
)


def main(action: str | None = None, first: str | None = None, second: str | None = None) -> None:
    with script_errors():
        if action not in ACTIONS:
            raise ScriptError(f"action: expected one of {', '.join(ACTIONS)}, got {action!r}")
        protocol = Protocol.load()
        account = signer()
        run_action(protocol, account, action, first, second)
        print_lock(protocol, account.address)
    settle()


def run_action(protocol: Protocol, account, action: str, first: str | None, second: str | None) -> None:
    escrow, token = protocol.escrow, protocol.token
    lock = lock_of(protocol, account.address)
    t = now()
    sender = {"from": account}
    if action == "create":
        amount = amount_argument("amount", first)
        unlock_time, end = unlock_end(protocol, duration_argument("duration", second))
        minimum = escrow.MIN_LOCK_AMOUNT()
        if amount < minimum:
            raise ScriptError(f"amount: a new lock holds at least {format_tokens(minimum)} {token.symbol()}")
        if lock.exists:
            hint = "withdraw it or relock it with `extend`" if not lock.active(t) else "use `increase` or `extend`"
            raise ScriptError(f"lock: {account.address} already has a lock: {hint}")
        require_balance(protocol, token, account.address, amount)
        ensure_allowance(token, account, escrow.address, amount)
        escrow.createLock(amount, unlock_time, sender)
        print(f"locked {format_tokens(amount)} {token.symbol()} until {date(end)}")
    elif action == "increase":
        amount = amount_argument("amount", first)
        _require_active(lock, account.address, t)
        require_balance(protocol, token, account.address, amount)
        ensure_allowance(token, account, escrow.address, amount)
        escrow.increaseAmount(amount, sender)
    elif action == "extend":
        unlock_time, end = unlock_end(protocol, duration_argument("duration", first))
        _require_lock(lock, account.address)
        if lock.permanent:
            raise ScriptError("lock: a permanent lock has no end to extend (use `unlock-permanent` first)")
        if end <= lock.end:
            raise ScriptError(f"duration: the new end {date(end)} is not later than the current end {date(lock.end)}")
        escrow.increaseUnlockTime(unlock_time, sender)
    elif action == "permanent":
        _require_active(lock, account.address, t)
        if lock.permanent:
            raise ScriptError("lock: already permanent")
        escrow.lockPermanent(sender)
    elif action == "unlock-permanent":
        _require_lock(lock, account.address)
        if not lock.permanent:
            raise ScriptError("lock: not a permanent lock")
        escrow.unlockPermanent(sender)
    elif action == "withdraw":
        _require_lock(lock, account.address)
        if lock.permanent or lock.end > t:
            raise ScriptError(
                "lock: still locked" + ("" if lock.permanent else f" until {date(lock.end)} (use `withdraw-early`)")
            )
        escrow.withdraw(sender)
    elif action == "withdraw-early":
        _require_lock(lock, account.address)
        if lock.permanent:
            raise ScriptError("lock: a permanent lock cannot exit early (use `unlock-permanent` first)")
        if lock.end <= t:
            raise ScriptError("lock: already expired: use `withdraw`, there is no penalty")
        penalty = lock.amount * (lock.end - t) * escrow.maxEarlyPenaltyBps() // (escrow.MAX_LOCK() * 10_000)
        print(
            f"early exit: about {format_tokens(penalty)} {token.symbol()} penalty goes to the holders staked at "
            f"the start of this week (the week of {date(week_start(t))}), not to you, once the week is over"
        )
        escrow.withdrawEarly(sender)
    elif action == "delegate":
        delegatee = address_argument("address", first)
        _require_lock(lock, account.address)
        if not lock.permanent and delegatee != account.address:
            raise ScriptError("lock: only a permanent lock may delegate (see `permanent`)")
        escrow.delegate(delegatee, sender)
    elif action == "lock-creator":
        creator = address_argument("address", first)
        if second not in ("on", "off"):
            raise ScriptError(f"lock-creator: expected on or off after the address, got {second!r}")
        escrow.setLockCreator(creator, second == "on", sender)
        print(f"{creator} {'may' if second == 'on' else 'may no longer'} create a lock for {account.address}")


def _require_lock(lock, account: str) -> None:
    if not lock.exists:
        raise ScriptError(f"lock: {account} has no lock (create one with `create AMOUNT DURATION`)")


def _require_active(lock, account: str, t: int) -> None:
    _require_lock(lock, account)
    if not lock.active(t):
        raise ScriptError(f"lock: the lock of {account} expired on {date(lock.end)}: relock it with `extend`")


def print_lock(protocol: Protocol, account: str) -> None:
    lock = lock_of(protocol, account)
    if not lock.exists:
        print(f"{account}: no lock")
        return
    score = protocol.escrow.balanceOf(account)
    ends = "permanent" if lock.permanent else f"ends {date(lock.end)}"
    print(
        f"{account}: {format_tokens(lock.amount)} locked, {ends}, Staking Score {format_tokens(score)}"
        f" ({score / lock.amount:.3f}x), votes {format_tokens(protocol.escrow.getVotes(account))}"
    )
