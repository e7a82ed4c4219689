"""Plain-Python reference model of the RevenueDistributor (SPEC 2.3 as amended by SPEC 7). No brownie
import.

The model owns the distributor's bookkeeping (weekly credits, rollover of zero-supply weeks, the
per-token global cursor, per-(account, token) claim cursors and the 52-week bound) and the SPEC 7
penalty rule: a penalty paid during week `w` goes to that week's penalty pool, shared by the accounts
staked at `w`'s start except the week's early exiters,
`penalty[w] * balance_at(a, w) // (supply_at(w) - exited_score[w])`; when that denominator is below
MIN_LOCK_AMOUNT the pool becomes ordinary revenue of week `w + WEEK` (decided at finalisation).
Keepers and the reinvest rule of `claimFor` are in `reinvests`. The Staking Score is an input:
`supply_at(week)`, `balance_at(account, week)` and `first_lock(account)` (timestamp of the account's
first lock point, or None) are callables, taken from the chain (or from an escrow model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

from harness.core.staking import MIN_LOCK_AMOUNT, week_start
from harness.core.units import WEEK

MAX_WEEKS = 52  # RevenueDistributor.MAX_WEEKS_PER_CALL: the weeks one call walks


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


@dataclass
class PenaltyPool:
    amount: int = 0  # paid during the week (0 once rolled into the next week's revenue)
    exited_score: int = 0  # summed balance_at(exiter, week) of the week's exiters, each once
    exiters: set = field(default_factory=set)


@dataclass
class SettledWeek:
    """A finished week after every rollover (unbounded), as the claims will see it."""

    week: int
    revenue: int
    supply: int
    penalty: int = 0  # staking token: penalties still to share (0 if none or rolled over)
    penalty_supply: int = 0  # supply - exited score
    exiters: frozenset = frozenset()


@dataclass
class Settlement:
    """What every account of a set can ever claim of one token from the weeks finished so far."""

    entitled: Dict[str, int]
    dust: int  # left undistributed by floor rounding (and by the escrow's supply excess)
    pending: int  # credited to weeks not finished yet (incl. what rolls into the current week)
    bounds: list  # (week, part, left, bound): `left < bound` must hold

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
        self.start_week = week_start(start_time)
        self.staking = staking_token
        self.supply_at = supply_at
        self.balance_at = balance_at
        self.first_lock = first_lock
        self.max_weeks = max_weeks
        self.tokens: Dict[str, TokenModel] = {}
        self.supply_cache: Dict[int, int] = {}
        self.cursors: Dict[tuple, int] = {}
        self.pools: Dict[int, PenaltyPool] = {}
        self.auto: Dict[str, bool] = {}
        self.keepers: set = set()  # (account, keeper)
        self.add_token(staking_token, start_time)

    # ---- listing ----
    def active_tokens(self):
        return [t for t, s in self.tokens.items() if s.active]

    def add_token(self, token: str, now: int) -> None:
        if token in self.tokens:
            self.tokens[token].active = True
        else:
            w = week_start(now)
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
        week = week_start(now)
        self._credit(token, week, amount)
        return week

    def penalty(self, account: str, amount: int, now: int) -> tuple[int, int]:
        """An early exit of `account` paying `amount` at `now` (the escrow never exits at a week's
        first second). Returns (week, score excluded by this exit)."""
        week = week_start(now)
        assert now > week, "the escrow reverts an early exit in the second a week starts"
        pool = self.pools.setdefault(week, PenaltyPool())
        excluded = 0
        if account not in pool.exiters:
            pool.exiters.add(account)
            excluded = self.balance_at(account, week)
            pool.exited_score += excluded
        if amount:
            s = self.tokens[self.staking]
            pool.amount += amount
            s.accounted += amount
            s.deposited += amount
            s.last = max(s.last, week)
        return week, excluded

    def penalty_of(self, week: int) -> tuple[int, int]:
        pool = self.pools.get(week)
        return (pool.amount, pool.exited_score) if pool else (0, 0)

    def exited(self, account: str, week: int) -> bool:
        pool = self.pools.get(week)
        return bool(pool and account in pool.exiters)

    # ---- keepers ----
    def set_auto_compound(self, account: str, enabled: bool) -> None:
        self.auto[account] = bool(enabled)

    def set_keeper(self, account: str, keeper: str, approved: bool) -> None:
        if approved:
            self.keepers.add((account, keeper))
        else:
            self.keepers.discard((account, keeper))

    def is_keeper(self, account: str, keeper: str) -> bool:
        return (account, keeper) in self.keepers

    def reinvests(self, account: str, caller: str, has_active_lock: bool) -> bool:
        """SPEC 7: claimFor reinvests only for an opted-in account with an active lock, called by the
        account itself or one of its keepers."""
        return (self.auto.get(account, False) and (caller == account or self.is_keeper(account, caller))
                and has_active_lock)

    def checkpoint(self, token: str, balance: int, now: int) -> int:
        self.finalise(token, now)
        s = self.tokens[token]
        extra = max(balance - s.accounted, 0)
        self._credit(token, week_start(now), extra)
        return extra

    # ---- global cursor ----
    def _supply(self, week: int) -> int:
        if week not in self.supply_cache:
            self.supply_cache[week] = self.supply_at(week)
        return self.supply_cache[week]

    def _pool_amount(self, token: str, week: int) -> int:
        if token != self.staking or week not in self.pools:
            return 0
        return self.pools[week].amount

    def _penalty_rolls(self, week: int, supply: int) -> bool:
        return supply - self.pools[week].exited_score < MIN_LOCK_AMOUNT

    def finalise(self, token: str, now: int) -> None:
        """Finalise finished weeks in order, at most `max_weeks`; roll zero-supply weeks forward, and
        the penalties of weeks whose non-exiting stakers score less than MIN_LOCK_AMOUNT."""
        s = self.tokens[token]
        current = week_start(now)
        w = s.cursor
        carry = 0
        steps = 0
        while steps < self.max_weeks and w < current:
            if w > s.last and carry == 0:
                w = current  # nothing credited at or after w
                break
            amount = s.per_week.get(w, 0) + carry
            pen = self._pool_amount(token, w)
            carry = 0
            if amount or pen:
                supply = self._supply(w)
                if supply == 0:
                    if amount:
                        s.per_week[w] = 0
                    carry = amount + pen
                    if pen:
                        self.pools[w].amount = 0
                else:
                    if amount:
                        s.per_week[w] = amount
                        s.last = max(s.last, w)
                    if pen and self._penalty_rolls(w, supply):
                        self.pools[w].amount = 0
                        carry = pen
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
                    pen = self._pool_amount(token, w)
                    if revenue or pen:
                        supply = self.supply_cache[w]
                        balance = self.balance_at(account, w)
                        amount += revenue * balance // supply
                        if pen and not self.exited(account, w):
                            amount += pen * balance // (supply - self.pools[w].exited_score)
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
        pools = {w: p.amount for w, p in self.pools.items()}
        return (dict(s.per_week), s.cursor, s.last, self.cursors.get((account, token)), pools)

    def _restore(self, token, account, snap):
        s = self.tokens[token]
        s.per_week, s.cursor, s.last, cur, pools = snap
        for w, amount in pools.items():
            self.pools[w].amount = amount
        if cur is None:
            self.cursors.pop((account, token), None)
        else:
            self.cursors[(account, token)] = cur

    # ---- ideal (unbounded) accounting, for invariants ----
    def settled(self, token: str, now: int) -> tuple[list, int]:
        """Every finished week with something to share, after every rollover (unbounded), without
        changing the model; and what rolls past the last finished week into the current one."""
        s = self.tokens[token]
        current = week_start(now)
        pen_weeks = set(self.pools) if token == self.staking else set()
        weeks = sorted(w for w in set(s.per_week) | pen_weeks | set(range(s.start, current, WEEK)) if w < current)
        out = []
        carry = 0
        for w in weeks:
            amount = s.per_week.get(w, 0) + carry
            pen = self._pool_amount(token, w)
            carry = 0
            if not (amount or pen):
                continue
            supply = self._supply(w)
            if supply == 0:
                carry = amount + pen
                continue
            week = SettledWeek(w, amount, supply)
            if pen:
                pool = self.pools[w]
                if self._penalty_rolls(w, supply):
                    carry = pen
                else:
                    week.penalty, week.penalty_supply = pen, supply - pool.exited_score
                    week.exiters = frozenset(pool.exiters)
            out.append(week)
        return out, carry

    def settled_weeks(self, token: str, now: int):
        """Revenue per finished week after rollover (unbounded), and the carry into the current week."""
        weeks, carry = self.settled(token, now)
        return {w.week: w.revenue for w in weeks}, carry

    def settlement(self, token: str, now: int, accounts) -> Settlement:
        """What each of `accounts` (every account that ever locked) can ever claim of `token` from the
        weeks finished by `now`, the rounding dust, what is still pending, and the dust bound of every
        week: floor dust stays under one wei per account sharing, plus what the escrow's rounding excess
        (totalSupplyAt above the sum of balances, under one wei per lock) withholds."""
        s = self.tokens[token]
        weeks, carry = self.settled(token, now)
        entitled = {a: 0 for a in accounts}
        dust = 0
        bounds = []
        for wk in weeks:
            parts = [("revenue", wk.revenue, wk.supply, frozenset())] if wk.revenue else []
            if wk.penalty:
                parts.append(("penalty", wk.penalty, wk.penalty_supply, wk.exiters))
            for name, amount, denominator, excluded in parts:
                bals = {a: (0 if a in excluded else self.balance_at(a, wk.week)) for a in accounts}
                excess = denominator - sum(bals.values())
                assert excess >= 0, f"week {wk.week} {name}: denominator {denominator} < sum of shares' balances"
                shares = {a: amount * b // denominator for a, b in bals.items()}
                for a, share in shares.items():
                    entitled[a] += share
                left = amount - sum(shares.values())
                scoring = sum(1 for b in bals.values() if b)
                bounds.append((wk.week, name, left, max(scoring, 1) + (amount * excess + denominator - 1) // denominator))
                dust += left
        current = week_start(now)
        pending = sum(v for w, v in s.per_week.items() if w >= current) + carry
        if token == self.staking:
            pending += sum(p.amount for w, p in self.pools.items() if w >= current)
        return Settlement(entitled, dust, pending, bounds)

    def entitlement(self, account: str, token: str, now: int) -> int:
        """Everything `account` can ever claim from weeks finished by `now`."""
        first = self.first_lock(account)
        if first is None:
            return 0
        start = max(ceil_week(first), self.tokens[token].start)
        weeks, _ = self.settled(token, now)
        total = 0
        for wk in weeks:
            if wk.week < start:
                continue
            balance = self.balance_at(account, wk.week)
            total += wk.revenue * balance // wk.supply
            if wk.penalty and account not in wk.exiters:
                total += wk.penalty * balance // wk.penalty_supply
        return total
