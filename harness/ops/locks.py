"""A holder's lock in the VotingEscrow: create, top up, extend, make permanent and back, withdraw (at
the end or early, paying the penalty), delegate, and approve lock creators (scripts/lock.py).

Every operation reads the chain state it depends on and raises a ScriptError naming the argument or
the lock before anything is sent; only then does it send (an approval first when the escrow needs
one) and print what it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.errors import ScriptError
from harness.core.staking import early_exit_penalty, week_start
from harness.core.units import DAY, date, format_tokens
from harness.ops.funds import ensure_allowance, require_balance


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


def unlock_end(protocol: Protocol, duration: int) -> tuple[int, int]:
    """(unlock time asked, resulting week-boundary end) for a lock of `duration` from now, checked
    against the escrow's rule `now < end <= now + MAX_LOCK`."""
    t = now()
    max_lock = protocol.escrow.MAX_LOCK()
    unlock_time = t + duration
    end = week_start(unlock_time)
    if end <= t:
        raise ScriptError(
            f"duration: a lock must end at a week boundary after now; {duration}s from now rounds down "
            f"to {date(end)}, which is not in the future (use at least 1w)"
        )
    if end > t + max_lock:
        raise ScriptError(f"duration: at most {max_lock // DAY} days (365d), got {duration // DAY} days")
    return unlock_time, end


def _require_lock(lock: Lock, account: str) -> None:
    if not lock.exists:
        raise ScriptError(f"lock: {account} has no lock (create one with `create AMOUNT DURATION`)")


def _require_active(lock: Lock, account: str, t: int) -> None:
    _require_lock(lock, account)
    if not lock.active(t):
        raise ScriptError(f"lock: the lock of {account} expired on {date(lock.end)}: relock it with `extend`")


def create(protocol: Protocol, account: Any, amount: int, duration: int) -> None:
    escrow, token = protocol.escrow, protocol.token
    unlock_time, end = unlock_end(protocol, duration)
    minimum = escrow.MIN_LOCK_AMOUNT()
    if amount < minimum:
        raise ScriptError(f"amount: a new lock holds at least {format_tokens(minimum)} {token.symbol()}")
    lock = lock_of(protocol, account.address)
    if lock.exists:
        hint = "withdraw it or relock it with `extend`" if not lock.active(now()) else "use `increase` or `extend`"
        raise ScriptError(f"lock: {account.address} already has a lock: {hint}")
    require_balance(token, account.address, amount)
    ensure_allowance(token, account, escrow.address, amount)
    escrow.createLock(amount, unlock_time, {"from": account})
    print(f"locked {format_tokens(amount)} {token.symbol()} until {date(end)}")


def increase(protocol: Protocol, account: Any, amount: int) -> None:
    _require_active(lock_of(protocol, account.address), account.address, now())
    require_balance(protocol.token, account.address, amount)
    ensure_allowance(protocol.token, account, protocol.escrow.address, amount)
    protocol.escrow.increaseAmount(amount, {"from": account})


def extend(protocol: Protocol, account: Any, duration: int) -> None:
    unlock_time, end = unlock_end(protocol, duration)
    lock = lock_of(protocol, account.address)
    _require_lock(lock, account.address)
    if lock.permanent:
        raise ScriptError("lock: a permanent lock has no end to extend (use `unlock-permanent` first)")
    if end <= lock.end:
        raise ScriptError(f"duration: the new end {date(end)} is not later than the current end {date(lock.end)}")
    protocol.escrow.increaseUnlockTime(unlock_time, {"from": account})


def make_permanent(protocol: Protocol, account: Any) -> None:
    lock = lock_of(protocol, account.address)
    _require_active(lock, account.address, now())
    if lock.permanent:
        raise ScriptError("lock: already permanent")
    protocol.escrow.lockPermanent({"from": account})


def unlock_permanent(protocol: Protocol, account: Any) -> None:
    lock = lock_of(protocol, account.address)
    _require_lock(lock, account.address)
    if not lock.permanent:
        raise ScriptError("lock: not a permanent lock")
    protocol.escrow.unlockPermanent({"from": account})


def withdraw(protocol: Protocol, account: Any) -> None:
    lock = lock_of(protocol, account.address)
    _require_lock(lock, account.address)
    if lock.permanent or lock.end > now():
        raise ScriptError(
            "lock: still locked" + ("" if lock.permanent else f" until {date(lock.end)} (use `withdraw-early`)")
        )
    protocol.escrow.withdraw({"from": account})


def withdraw_early(protocol: Protocol, account: Any) -> None:
    escrow = protocol.escrow
    lock = lock_of(protocol, account.address)
    t = now()
    _require_lock(lock, account.address)
    if lock.permanent:
        raise ScriptError("lock: a permanent lock cannot exit early (use `unlock-permanent` first)")
    if lock.end <= t:
        raise ScriptError("lock: already expired: use `withdraw`, there is no penalty")
    # "about": the exit's block comes a few seconds after this read, and the penalty falls with time
    penalty = early_exit_penalty(lock.amount, lock.end, t, escrow.maxEarlyPenaltyBps())
    print(
        f"early exit: about {format_tokens(penalty)} {protocol.symbol} penalty goes to the holders staked at "
        f"the start of this week (the week of {date(week_start(t))}), not to you, once the week is over"
    )
    escrow.withdrawEarly({"from": account})


def delegate(protocol: Protocol, account: Any, delegatee: str) -> None:
    lock = lock_of(protocol, account.address)
    _require_lock(lock, account.address)
    if not lock.permanent and delegatee != account.address:
        raise ScriptError("lock: only a permanent lock may delegate (see `permanent`)")
    protocol.escrow.delegate(delegatee, {"from": account})


def set_lock_creator(protocol: Protocol, account: Any, creator: str, allowed: bool) -> None:
    protocol.escrow.setLockCreator(creator, allowed, {"from": account})
    print(f"{creator} {'may' if allowed else 'may no longer'} create a lock for {account.address}")


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
