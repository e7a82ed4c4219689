"""Plain-Python reference model of CommunityAirdrop (SPEC 5.4). No brownie import.

Owns the claim rules (window, single use, proof, signature and its deadline), the bonus of a claim into
a lock and its cap by the reserve, the lock a claim goes into (new, active, permanent, expired) with the
escrow's own checks on a new lock, the sweep, and the token accounting the invariants need: what the
contract holds, what each account received liquid, what went into each account's lock, what the
treasury received.

Inputs taken from outside, as the access model does: `lock_of(account) -> (amount, end, permanent)` (the
escrow's `locked`, read before the action; the model applies the time of the action itself), whether a
proof is right (the test built it, so it knows) and whether a signature is the account's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Tuple

from harness.core.units import BPS, MAX_LOCK, UNIT
from harness.core.staking import week_start
from tests.models.errors import ExpectedError
from tests.models.escrow_model import ModelRevert

MAX_BONUS_BPS = 10_000  # CommunityAirdrop.MAX_BONUS_BPS
MIN_LOCK_AMOUNT = UNIT  # VotingEscrow.MIN_LOCK_AMOUNT (SPEC 7)

# Argument types of every error the model raises, as ICommunityAirdrop, IServiceErrors and
# IVotingEscrow declare them.
ERROR_TYPES: Dict[str, Tuple[str, ...]] = {
    "ZeroAddress": (),
    "ZeroAmount": (),
    "InvalidProof": (),
    "InvalidSignature": (),
    "ZeroMerkleRoot": (),
    "AlreadyClaimed": ("address",),
    "ClaimWindowClosed": ("uint64",),
    "ClaimWindowOpen": ("uint64",),
    "LockExpired": ("address", "uint256"),
    "SignatureExpired": ("uint256",),
    "DeadlineNotInFuture": ("uint64",),
    "BonusBpsTooHigh": ("uint16",),
    # the escrow's, raised by createLockFor inside claimAndLock
    "UnlockTimeNotInFuture": ("uint256", "uint256"),
    "UnlockTimeTooLate": ("uint256", "uint256"),
    "AmountBelowMinimum": ("uint256", "uint256"),
}


def revert(name: str, *args) -> ModelRevert:
    """ModelRevert of error `name` with exactly these arguments."""
    return ModelRevert(ExpectedError(name, ERROR_TYPES[name], tuple(args)))


def raw_bonus(amount: int, remaining: int, max_lock_bonus_bps: int, max_lock: int = MAX_LOCK) -> int:
    """SPEC 5.4: amount * maxLockBonusBps * remaining / (MAX_LOCK * 10_000), one floor division."""
    return amount * max_lock_bonus_bps * remaining // (max_lock * BPS)


def capped_bonus(amount: int, remaining: int, max_lock_bonus_bps: int, reserve: int, max_lock: int = MAX_LOCK) -> int:
    return min(raw_bonus(amount, remaining, max_lock_bonus_bps, max_lock), reserve)


def bonus_reserve(balance: int, airdrop_total: int, claimed_total: int) -> int:
    """balance - (airdropTotal - claimedTotal), 0 if negative."""
    return max(balance - (airdrop_total - claimed_total), 0)


@dataclass(frozen=True)
class LockTerms:
    """The lock a claim goes into: `kind` "new", "active", "permanent" or "expired"; `end` as the escrow
    records it (0 for permanent); `remaining` for the bonus; `ok` False when the claim cannot go in."""

    kind: str
    end: int
    remaining: int
    ok: bool


def lock_terms(lock: Tuple[int, int, bool], unlock_time: int, now: int, max_lock: int = MAX_LOCK) -> LockTerms:
    amount, end, permanent = lock
    if amount:
        if permanent:
            return LockTerms("permanent", 0, max_lock, True)
        if end <= now:
            return LockTerms("expired", end, 0, False)
        return LockTerms("active", end, end - now, True)
    new_end = week_start(unlock_time)
    ok = now < new_end <= now + max_lock
    return LockTerms("new", new_end, new_end - now if ok else 0, ok)


@dataclass
class AirdropModel:
    allocations: Dict[str, int]  # the tree: account -> amount
    airdrop_total: int
    claim_deadline: int
    max_lock_bonus_bps: int
    lock_of: Callable[[str], Tuple[int, int, bool]]
    balance: int = 0  # the contract's token balance
    claimed_total: int = 0
    claimed: Dict[str, bool] = field(default_factory=dict)
    paid_liquid: Dict[str, int] = field(default_factory=lambda: defaultdict(int))
    locked_in: Dict[str, int] = field(default_factory=lambda: defaultdict(int))  # amount + bonus into locks
    bonuses: Dict[str, int] = field(default_factory=lambda: defaultdict(int))
    swept: int = 0

    # ---- views ----
    def bonus_reserve(self) -> int:
        return bonus_reserve(self.balance, self.airdrop_total, self.claimed_total)

    def preview_bonus(self, account: str, amount: int, unlock_time: int, now: int) -> int:
        terms = lock_terms(self.lock_of(account), unlock_time, now)
        return capped_bonus(amount, terms.remaining, self.max_lock_bonus_bps, self.bonus_reserve()) if terms.ok else 0

    def unclaimed(self) -> int:
        return self.airdrop_total - self.claimed_total

    # ---- funding ----
    def fund(self, amount: int) -> None:
        self.balance += amount

    # ---- claims ----
    def _check(self, account: str, amount: int, proof_ok: bool, now: int) -> None:
        if now > self.claim_deadline:
            raise revert("ClaimWindowClosed", self.claim_deadline)
        if self.claimed.get(account):
            raise revert("AlreadyClaimed", account)
        if not proof_ok or self.allocations.get(account) != amount:
            raise revert("InvalidProof")

    def _mark(self, account: str, amount: int) -> None:
        self.claimed[account] = True
        self.claimed_total += amount

    def claim(self, account: str, amount: int, proof_ok: bool, now: int) -> int:
        """Liquid claim; returns the amount paid to `account`."""
        self._check(account, amount, proof_ok, now)
        if self.balance < amount:
            raise AssertionError("model: the contract cannot pay an allocation (underfunded test set-up)")
        self._mark(account, amount)
        self.balance -= amount
        self.paid_liquid[account] += amount
        return amount

    def claim_and_lock(
        self, account: str, amount: int, proof_ok: bool, unlock_time: int, now: int,
        signed: bool = False, deadline: int = 0, signature_ok: bool = True,
    ) -> Tuple[int, int, str]:
        """Claim into the lock; returns (bonus, lock end as the event reports it, lock kind)."""
        self._check(account, amount, proof_ok, now)
        if signed:
            if now > deadline:
                raise revert("SignatureExpired", deadline)
            if not signature_ok:
                raise revert("InvalidSignature")
        terms = lock_terms(self.lock_of(account), unlock_time, now)
        if terms.kind == "expired":
            raise revert("LockExpired", account, terms.end)
        bonus = capped_bonus(amount, terms.remaining, self.max_lock_bonus_bps, self.bonus_reserve()) if terms.ok else 0
        total = amount + bonus
        if terms.kind == "new":  # the escrow's createLockFor checks, in its order
            if total < MIN_LOCK_AMOUNT:
                raise revert("AmountBelowMinimum", total, MIN_LOCK_AMOUNT)
            if terms.end <= now:
                raise revert("UnlockTimeNotInFuture", terms.end, now)
            if terms.end > now + MAX_LOCK:
                raise revert("UnlockTimeTooLate", terms.end, now + MAX_LOCK)
        self._mark(account, amount)
        self.balance -= total
        self.locked_in[account] += total
        self.bonuses[account] += bonus
        return bonus, terms.end, terms.kind

    def sweep(self, now: int) -> int:
        if now <= self.claim_deadline:
            raise revert("ClaimWindowOpen", self.claim_deadline)
        if self.balance == 0:
            raise revert("ZeroAmount")
        amount, self.balance = self.balance, 0
        self.swept += amount
        return amount
