"""Plain-Python reference model of the RevenueDistributor (SPEC 2.3). No brownie import.

The model owns the distributor's bookkeeping (weekly credits, rollover of zero-supply weeks, penalties
credited to the next week, the per-token global cursor, per-(account, token) claim cursors and the
52-week bound). The Staking Score is an input: `supply_at(week)`, `balance_at(account, week)` and
`first_lock(account)` (timestamp of the account's first lock point, or None) are callables, taken
from the chain (or from an escrow model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

WEEK = 7 * 86400
MAX_WEEKS = 52


def week_of(t: int) -> int:
    return t // WEEK * WEEK


def ceil_week(t: int) -> int:
    return (t + WEEK - 1) // WEEK * WEEK


@dataclass
class TokenModel:
    start: int
    cursor: int
    last: int
    active: bool = True
    per_week: Dict[int, int] = field(default_factory=dict)
    accounted: int = 0
    deposited: int = 0  # everything ever credited (deposits, checkpoints, penalties)
    paid: int = 0


class DistributorModel:
    def __init__(
        self,
        start_time: int,
        staking_token: str,
        supply_at: Callable[[int], int],
        balance_at: Callable[[str, int], int],
        first_lock: Callable[[str], Optional[int]],
        max_weeks: int = MAX_WEEKS,
    ):
        self.start_week = week_of(start_time)
        self.staking = staking_token
        self.supply_at = supply_at
        self.balance_at = balance_at
        self.first_lock = first_lock
        self.max_weeks = max_weeks
        self.tokens: Dict[str, TokenModel] = {}
        self.supply_cache: Dict[int, int] = {}
        self.cursors: Dict[tuple, int] = {}
        self.add_token(staking_token, start_time)

    # ---- listing ----
    def active_tokens(self):
        return [t for t, s in self.tokens.items() if s.active]

    def add_token(self, token: str, now: int) -> None:
        if token in self.tokens:
            self.tokens[token].active = True
        else:
            w = week_of(now)
            self.tokens[token] = TokenModel(start=w, cursor=w, last=w)

    def remove_token(self, token: str) -> None:
        self.tokens[token].active = False

    # ---- crediting ----
    def _credit(self, token: str, week: int, amount: int) -> None:
        if amount == 0:
            return
        s = self.tokens[token]
        s.per_week[week] = s.per_week.get(week, 0) + amount
        s.accounted += amount
        s.deposited += amount
        s.last = max(s.last, week)

    def deposit(self, token: str, amount: int, now: int) -> int:
        week = week_of(now)
        self._credit(token, week, amount)
        return week

    def penalty(self, amount: int, now: int) -> int:
        week = week_of(now) + WEEK
        self._credit(self.staking, week, amount)
        return week

    def checkpoint(self, token: str, balance: int, now: int) -> int:
        self.finalise(token, now)
        s = self.tokens[token]
        extra = max(balance - s.accounted, 0)
        self._credit(token, week_of(now), extra)
        return extra

    # ---- global cursor ----
    def _supply(self, week: int) -> int:
        if week not in self.supply_cache:
            self.supply_cache[week] = self.supply_at(week)
        return self.supply_cache[week]

    def finalise(self, token: str, now: int) -> None:
        """Finalise finished weeks in order, at most `max_weeks`; roll zero-supply weeks forward."""
        s = self.tokens[token]
        current = week_of(now)
        w = s.cursor
        carry = 0
        steps = 0
        while steps < self.max_weeks and w < current:
            if w > s.last and carry == 0:
                w = current  # nothing credited at or after w
                break
            amount = s.per_week.get(w, 0) + carry
            carry = 0
            if amount:
                if self._supply(w) == 0:
                    s.per_week[w] = 0
                    carry = amount
                else:
                    s.per_week[w] = amount
                    s.last = max(s.last, w)
            w += WEEK
            steps += 1
        if carry:
            s.per_week[w] = s.per_week.get(w, 0) + carry
            s.last = max(s.last, w)
        s.cursor = w

    # ---- claims ----
    def _start(self, account: str, token: str) -> Optional[int]:
        key = (account, token)
        if key in self.cursors:
            return self.cursors[key]
        first = self.first_lock(account)
        if first is None:
            return None
        return max(ceil_week(first), self.tokens[token].start)

    def claim(self, account: str, token: str, now: int, pay: bool = True) -> int:
        """What one claim of `token` by `account` at `now` pays (and, if `pay`, book it)."""
        if not pay:
            snapshot = self._snapshot(token, account)
        self.finalise(token, now)
        s = self.tokens[token]
        cursor = self._start(account, token)
        amount = 0
        if cursor is not None:
            end = min(s.cursor, cursor + self.max_weeks * WEEK)
            if cursor < s.cursor:
                w = cursor
                while w < end:
                    if w > s.last:
                        end = s.cursor
                        break
                    revenue = s.per_week.get(w, 0)
                    if revenue:
                        supply = self.supply_cache[w]
                        amount += revenue * self.balance_at(account, w) // supply
                    w += WEEK
            else:
                end = cursor
            self.cursors[(account, token)] = end
        if pay:
            s.accounted -= amount
            s.paid += amount
        else:
            self._restore(token, account, snapshot)
        return amount

    def claimable(self, account: str, token: str, now: int) -> int:
        return self.claim(account, token, now, pay=False)

    def _snapshot(self, token, account):
        s = self.tokens[token]
        return (dict(s.per_week), s.cursor, s.last, self.cursors.get((account, token)))

    def _restore(self, token, account, snap):
        s = self.tokens[token]
        s.per_week, s.cursor, s.last, cur = snap
        if cur is None:
            self.cursors.pop((account, token), None)
        else:
            self.cursors[(account, token)] = cur

    # ---- ideal (unbounded) accounting, for invariants ----
    def settled_weeks(self, token: str, now: int):
        """Revenue per finished week after rollover (unbounded), without changing the model."""
        s = self.tokens[token]
        out = {}
        carry = 0
        weeks = sorted(set(s.per_week) | {w for w in range(s.start, week_of(now), WEEK)})
        for w in weeks:
            if w >= week_of(now):
                break
            amount = s.per_week.get(w, 0) + carry
            carry = 0
            if amount:
                if self._supply(w) == 0:
                    carry = amount
                else:
                    out[w] = amount
        return out, carry

    def entitlement(self, account: str, token: str, now: int) -> int:
        """Everything `account` can ever claim from weeks finished by `now`."""
        first = self.first_lock(account)
        if first is None:
            return 0
        start = max(ceil_week(first), self.tokens[token].start)
        weeks, _ = self.settled_weeks(token, now)
        return sum(r * self.balance_at(account, w) // self._supply(w) for w, r in weeks.items() if w >= start)
