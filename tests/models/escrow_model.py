"""Plain-Python reference model of the VotingEscrow (SPEC 2.2 as amended by SPEC 7): no brownie import.

The model keeps every lock and delegation and a snapshot of both after each block in which something
changed, and computes every view straight from the spec formulas:

- score of a decaying lock at t < end: amount + amount * (end - t) // MAX_LOCK; 0 at t >= end;
  permanent: 2 * amount;
- total supply at t: floor(sum of MAX_LOCK-scaled biases / MAX_LOCK), the scaled bias of a decaying
  lock being amount * MAX_LOCK + amount * (end - t), of a permanent one 2 * amount * MAX_LOCK;
- past votes: own score unless delegated away, plus the permanent scores delegated to the account;
- SPEC 7: a new lock holds at least MIN_LOCK_AMOUNT; `createLockFor` only by the account, a lock creator
  it approved or a creator the owner trusts; no early exit in a week's first second; `poke` reports
  the votes at each account's latest checkpoint (`votes_at_last_change`) and now.

Every state-changing method takes the block timestamp `now` and raises `ModelRevert(error)` where the
contract must revert with that custom error (name and every argument), before changing anything.
The formulas are harness.core.staking's (their one Python home); this model keeps the state.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from harness.core.staking import MIN_LOCK_AMOUNT, early_exit_penalty
from harness.core.staking import scaled_bias as lock_scaled_bias
from harness.core.staking import staking_score, week_start
from harness.core.units import MAX_LOCK, WEEK, ZERO_ADDRESS
from tests.models.errors import ExpectedError

MAX_POKE_ACCOUNTS = 256  # VotingEscrow.MAX_POKE_ACCOUNTS


class ModelRevert(Exception):
    """The contract must revert with exactly `error`."""

    def __init__(self, error: ExpectedError):
        super().__init__(str(error))
        self.error = error

    @property
    def name(self) -> str:
        return self.error.name


def revert(name: str, *typed) -> ModelRevert:
    """ModelRevert of `name` with arguments given as (abi type, value) pairs."""
    return ModelRevert(ExpectedError(name, tuple(t for t, _ in typed), tuple(v for _, v in typed)))


@dataclass(frozen=True)
class Lock:
    amount: int = 0
    end: int = 0
    permanent: bool = False





def score(lock: Lock, t: int) -> int:
    return staking_score(lock.amount, lock.end, t, lock.permanent)


def scaled_bias(lock: Lock, t: int) -> int:
    return lock_scaled_bias(lock.amount, lock.end, t, lock.permanent)


def total_supply(locks, t: int) -> int:
    return sum(scaled_bias(lock, t) for lock in locks) // MAX_LOCK


@dataclass
class EscrowModel:
    bps: int = 5_000
    distributor_set: bool = False
    locks: dict = field(default_factory=dict)  # account -> Lock
    delegatee: dict = field(default_factory=dict)  # account -> other account (absent: self)
    penalties: int = 0  # total sent to the distributor
    lock_creators: set = field(default_factory=set)  # (account, creator) approved by the account
    trusted_creators: set = field(default_factory=set)  # trusted by the owner
    last_change: dict = field(default_factory=dict)  # account -> time of its latest checkpoint
    _times: list = field(default_factory=list)  # snapshot timestamps, strictly increasing
    _snaps: list = field(default_factory=list)  # (locks copy, delegatee copy)

    # ---------------------------------------------------------------- save / restore
    def save(self) -> tuple:
        """Everything a later `restore` needs (copies of the containers; accounts are not copied)."""
        return (dict(self.locks), dict(self.delegatee), self.penalties, list(self._times), list(self._snaps),
                set(self.lock_creators), set(self.trusted_creators), dict(self.last_change))

    def restore(self, saved: tuple) -> None:
        (self.locks, self.delegatee, self.penalties, self._times, self._snaps, self.lock_creators,
         self.trusted_creators, self.last_change) = saved

    # ---------------------------------------------------------------- history
    def _record(self, now: int) -> None:
        snap = (dict(self.locks), dict(self.delegatee))
        if self._times and self._times[-1] == now:
            self._snaps[-1] = snap
        else:
            assert not self._times or self._times[-1] < now, "time went backwards"
            self._times.append(now)
            self._snaps.append(snap)

    def _snapshot(self, t: int):
        i = bisect.bisect_right(self._times, t) - 1
        if i < 0:
            return {}, {}
        return self._snaps[i]

    def lock(self, account) -> Lock:
        return self.locks.get(account, Lock())

    # ---------------------------------------------------------------- views
    def balance_of_at(self, account, t: int) -> int:
        locks, _ = self._snapshot(t)
        return score(locks.get(account, Lock()), t)

    def total_supply_at(self, t: int) -> int:
        locks, _ = self._snapshot(t)
        return total_supply(locks.values(), t)

    def active_locks_at(self, t: int) -> int:
        """Decaying locks with t < end: each may add less than one wei of rounding to the supply."""
        locks, _ = self._snapshot(t)
        return sum(1 for lock in locks.values() if lock.amount and not lock.permanent and t < lock.end)

    def delegates_at(self, account, t: int):
        _, dele = self._snapshot(t)
        return dele.get(account, account)

    def past_votes(self, account, t: int) -> int:
        locks, dele = self._snapshot(t)
        own = 0 if dele.get(account, account) != account else score(locks.get(account, Lock()), t)
        received = sum(
            score(locks.get(owner, Lock()), t) for owner, d in dele.items() if d == account and owner != account
        )
        return own + received

    def supply(self) -> int:
        return sum(lock.amount for lock in self.locks.values())

    def votes_at_last_change(self, account) -> int:
        """`poke`'s first value: the account's votes at the time of its latest lock point, delegatee
        checkpoint or received-power checkpoint (0 if it has none)."""
        t = self.last_change.get(account)
        return 0 if t is None else self.past_votes(account, t)

    def votes(self, account, now: int) -> int:
        return self.past_votes(account, now)

    def may_create_for(self, caller, account) -> bool:
        return caller == account or (account, caller) in self.lock_creators or caller in self.trusted_creators

    # ---------------------------------------------------------------- lock creators
    def set_lock_creator(self, account, creator, approved: bool) -> None:
        if creator is None or creator == ZERO_ADDRESS:
            raise revert("ZeroAddress")
        if approved:
            self.lock_creators.add((account, creator))
        else:
            self.lock_creators.discard((account, creator))

    def set_trusted_lock_creator(self, creator, trusted: bool) -> None:
        if creator is None or creator == ZERO_ADDRESS:
            raise revert("ZeroAddress")
        if trusted:
            self.trusted_creators.add(creator)
        else:
            self.trusted_creators.discard(creator)

    def _touch_lock(self, account, old: Lock, new: Lock, now: int) -> None:
        """Checkpoints a lock change writes: the account's point, and the received power of the holder
        its delegated (permanent) score moved for."""
        self.last_change[account] = now
        holder = self.delegatee.get(account, account)
        if holder != account and score(old, now) != score(new, now):
            self.last_change[holder] = now

    # ---------------------------------------------------------------- checks
    @staticmethod
    def _checked_end(unlock_time: int, now: int) -> int:
        end = week_start(unlock_time)
        if end <= now:
            raise revert("UnlockTimeNotInFuture", ("uint256", end), ("uint256", now))
        if end > now + MAX_LOCK:
            raise revert("UnlockTimeTooLate", ("uint256", end), ("uint256", now + MAX_LOCK))
        return end

    def _active(self, account, now: int) -> Lock:
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if not lock.permanent and now >= lock.end:
            raise revert("LockExpired", ("address", account), ("uint256", lock.end))
        return lock

    # ---------------------------------------------------------------- actions
    def create_lock(self, account, amount: int, unlock_time: int, now: int) -> Lock:
        if amount == 0:
            raise revert("ZeroAmount")
        if amount < MIN_LOCK_AMOUNT:
            raise revert("AmountBelowMinimum", ("uint256", amount), ("uint256", MIN_LOCK_AMOUNT))
        if self.lock(account).amount:
            raise revert("LockExists", ("address", account))
        end = self._checked_end(unlock_time, now)
        self.locks[account] = Lock(amount, end, False)
        self._touch_lock(account, Lock(), self.locks[account], now)
        self._record(now)
        return self.locks[account]

    def create_lock_for(self, caller, account, amount: int, unlock_time: int, now: int) -> Lock:
        if account is None or account == ZERO_ADDRESS:
            raise revert("ZeroAddress")
        if not self.may_create_for(caller, account):
            raise revert("NotLockCreator", ("address", caller), ("address", account))
        return self.create_lock(account, amount, unlock_time, now)

    def increase_amount(self, account, amount: int, now: int) -> Lock:
        if amount == 0:
            raise revert("ZeroAmount")
        lock = self._active(account, now)
        self.locks[account] = Lock(lock.amount + amount, lock.end, lock.permanent)
        self._touch_lock(account, lock, self.locks[account], now)
        self._record(now)
        return self.locks[account]

    def increase_unlock_time(self, account, unlock_time: int, now: int) -> Lock:
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if lock.permanent:
            raise revert("PermanentLock", ("address", account))
        end = week_start(unlock_time)
        if end <= now:
            raise revert("UnlockTimeNotInFuture", ("uint256", end), ("uint256", now))
        if end <= lock.end:
            raise revert("UnlockTimeNotLater", ("uint256", end), ("uint256", lock.end))
        if end > now + MAX_LOCK:
            raise revert("UnlockTimeTooLate", ("uint256", end), ("uint256", now + MAX_LOCK))
        self.locks[account] = Lock(lock.amount, end, False)
        self._touch_lock(account, lock, self.locks[account], now)
        self._record(now)
        return self.locks[account]

    def withdraw(self, account, now: int) -> int:
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if lock.permanent:
            raise revert("PermanentLock", ("address", account))
        if now < lock.end:
            raise revert("LockNotExpired", ("address", account), ("uint256", lock.end))
        del self.locks[account]
        self._touch_lock(account, lock, Lock(), now)
        self._record(now)
        return lock.amount

    def withdraw_early(self, account, now: int) -> tuple[int, int]:
        """Returns (paid to the account, penalty)."""
        if not self.distributor_set:
            raise revert("RevenueDistributorNotSet")
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if lock.permanent:
            raise revert("PermanentLock", ("address", account))
        if now >= lock.end:
            raise revert("LockExpired", ("address", account), ("uint256", lock.end))
        if now % WEEK == 0:
            raise revert("EarlyExitAtWeekStart", ("uint256", now))
        fee = early_exit_penalty(lock.amount, lock.end, now, self.bps)
        del self.locks[account]
        self._touch_lock(account, lock, Lock(), now)
        self.penalties += fee
        self._record(now)
        return lock.amount - fee, fee

    def lock_permanent(self, account, now: int) -> Lock:
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if lock.permanent:
            raise revert("PermanentLock", ("address", account))
        if now >= lock.end:
            raise revert("LockExpired", ("address", account), ("uint256", lock.end))
        self.locks[account] = Lock(lock.amount, 0, True)
        self._touch_lock(account, lock, self.locks[account], now)
        self._record(now)
        return self.locks[account]

    def unlock_permanent(self, account, now: int) -> Lock:
        lock = self.lock(account)
        if lock.amount == 0:
            raise revert("NoLock", ("address", account))
        if not lock.permanent:
            raise revert("NotPermanentLock", ("address", account))
        old_holder = self.delegatee.pop(account, None)
        if old_holder is not None:  # the delegation back to itself checkpoints both sides
            self.last_change[old_holder] = now
        self.locks[account] = Lock(lock.amount, week_start(now + MAX_LOCK), False)
        self.last_change[account] = now
        self._record(now)
        return self.locks[account]

    def delegate(self, account, to, now: int) -> None:
        if to is None or to == ZERO_ADDRESS:
            raise revert("ZeroAddress")
        if to != account and not self.lock(account).permanent:
            raise revert("DelegationRequiresPermanentLock", ("address", account))
        current = self.delegatee.get(account, account)
        if current != to:  # a delegation to the current delegatee writes no checkpoint
            self.last_change[account] = now
            for side in (current, to):
                if side != account:
                    self.last_change[side] = now
        if to == account:
            self.delegatee.pop(account, None)
        else:
            self.delegatee[account] = to
        self._record(now)
