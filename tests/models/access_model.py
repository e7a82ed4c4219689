"""Plain-Python reference model of ServiceAccess (SPEC 5.2). No brownie import.

Owns the subscription price and discount rule, access periods, referral binding and payout, the
stakers/treasury/burn split, prepaid credits, cumulative receipts (single and batch, with the reason
a receipt is skipped) and two-step withdrawals, plus the token accounting the invariants need.

Inputs taken from outside (the chain or other models), as the distributor model does:
`lock_of(account) -> (amount, end, permanent)` (the escrow's `locked`), `level_of(account) -> 0..10`
(StakingLevels' `levelOf`, itself compared with levels_model), the StakingLevels tables
(`platform_discount_bps(level)`, `referral_bps(level)`) and whether a receipt's signature is the
account's (the test signs it, so it knows).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from harness.core.units import BPS, DAY, HOUR, MAX_UINT64
from tests.models.errors import ExpectedError
from tests.models.escrow_model import ModelRevert

UINT128_MAX = 2**128 - 1  # credits + spent of one (account, token) share a slot of two uint128
MAX_BATCH = 100  # ServiceAccess.MAX_BATCH
MIN_WITHDRAWAL_DELAY = HOUR  # ServiceAccess.MIN_WITHDRAWAL_DELAY
MAX_WITHDRAWAL_DELAY = 7 * DAY  # ServiceAccess.MAX_WITHDRAWAL_DELAY
DEFAULT_WITHDRAWAL_DELAY = DAY  # ServiceAccess.DEFAULT_WITHDRAWAL_DELAY


# Argument types of every error the model raises: IServiceAccess's (and IServiceErrors'), as declared
# there; the model is plain Python, so it names them instead of reading the compiled ABI.
ERROR_TYPES: Dict[str, Tuple[str, ...]] = {
    "ZeroAddress": (),
    "ZeroAmount": (),
    "InvalidSplit": (),
    "InvalidPlan": (),
    "ZeroPeriods": (),
    "InvalidSignature": (),
    "NoWithdrawalRequest": (),
    "NotRewardToken": ("address",),
    "UnknownPlan": ("uint256",),
    "PlanInactive": ("uint256",),
    "SelfReferral": ("address",),
    "ReceiptExpired": ("uint256",),
    "InvalidWithdrawalDelay": ("uint64",),
    "WithdrawalNotReady": ("uint256",),
    "TooManyPeriods": ("uint256", "uint256"),
    "CostAboveMax": ("uint256", "uint256"),
    "CreditsTooLarge": ("uint256", "uint256"),
    "ReceiptNotNewer": ("uint256", "uint256"),
    "InsufficientCredits": ("uint256", "uint256"),
    "BatchTooLarge": ("uint256", "uint256"),
}


def revert(name: str, *args) -> ModelRevert:
    """ModelRevert of ServiceAccess's error `name` with exactly these arguments."""
    return ModelRevert(ExpectedError(name, ERROR_TYPES[name], tuple(args)))


@dataclass(frozen=True)
class Split:
    stakers: int
    treasury: int
    burned: int
    referral: int

    @property
    def total(self) -> int:
        return self.stakers + self.treasury + self.burned + self.referral


def split(amount: int, stakers_bps: int, burn_bps: int, is_staking_token: bool, referral_bps: int = 0) -> Split:
    """SPEC 5.2: s = P * stakersBps / 10_000, b = P * burnBps / 10_000, treasuryPart = P - s - b (each
    rounded down); b is burnt for the staking token, else it goes to stakers with s; the referral is
    treasuryPart * referralBps / 10_000, taken from the treasury part."""
    s = amount * stakers_bps // BPS
    b = amount * burn_bps // BPS
    treasury_part = amount - s - b
    if not is_staking_token:
        s, b = s + b, 0
    r = treasury_part * referral_bps // BPS
    return Split(stakers=s, treasury=treasury_part - r, burned=b, referral=r)


def discount_applies(lock: Tuple[int, int, bool], access_until: int) -> bool:
    """A discount only when the account's lock is permanent or ends at or after the new access end."""
    amount, end, permanent = lock
    return amount != 0 and (permanent or end >= access_until)


def subscription_cost(price_per_period: int, periods: int, discount_bps: int) -> int:
    return price_per_period * periods * (BPS - discount_bps) // BPS


def new_access_until(now: int, current: int, periods: int, period: int) -> int:
    """max(now, current) + periods * period; TooManyPeriods past the uint64 range."""
    base = max(now, current)
    max_periods = (MAX_UINT64 - base) // period
    if periods > max_periods:
        raise revert("TooManyPeriods", periods, max_periods)
    return base + periods * period


@dataclass
class Plan:
    pay_token: str
    price: int
    period: int
    active: bool = True


@dataclass
class Ledger:
    """Per-token flows: what came in and where it went."""

    subscriptions: int = 0
    deposits: int = 0
    charged: int = 0  # credits turned into payments by receipts
    withdrawn: int = 0
    stakers: int = 0
    treasury: int = 0
    burned: int = 0
    referrals: int = 0

    @property
    def paid_in(self) -> int:
        return self.subscriptions + self.deposits

    @property
    def paid_out(self) -> int:
        return self.stakers + self.treasury + self.burned + self.referrals


@dataclass
class Receipt:
    account: str
    token: str
    cumulative: int
    deadline: int
    signature_valid: bool = True


@dataclass
class ServiceAccessModel:
    staking_token: str
    reward_tokens: List[str]
    lock_of: Callable[[str], Tuple[int, int, bool]]
    level_of: Callable[[str], int]
    platform_discount_bps: Callable[[int], int]
    referral_bps: Callable[[int], int]
    stakers_bps: int = 5_000
    treasury_bps: int = 4_000
    burn_bps: int = 1_000
    withdrawal_delay: int = DEFAULT_WITHDRAWAL_DELAY
    # A referral the token refuses to pay (blocklist) goes to the treasury instead.
    referral_refused: Callable[[str, str], bool] = lambda token, referrer: False
    plans: Dict[int, Plan] = field(default_factory=dict)
    access: Dict[Tuple[str, int], int] = field(default_factory=dict)
    referrer: Dict[str, str] = field(default_factory=dict)
    credits: Dict[Tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    spent: Dict[Tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    requests: Dict[Tuple[str, str], int] = field(default_factory=dict)
    ledger: Dict[str, Ledger] = field(default_factory=lambda: defaultdict(Ledger))
    deposited: Dict[Tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    withdrawn: Dict[Tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    referral_income: Dict[Tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    # ---------------------------------------------------------------- admin
    def set_revenue_split(self, stakers_bps: int, treasury_bps: int, burn_bps: int) -> None:
        if stakers_bps + treasury_bps + burn_bps != BPS:
            raise revert("InvalidSplit")
        self.stakers_bps, self.treasury_bps, self.burn_bps = stakers_bps, treasury_bps, burn_bps

    def set_withdrawal_delay(self, delay: int) -> None:
        if not MIN_WITHDRAWAL_DELAY <= delay <= MAX_WITHDRAWAL_DELAY:
            raise revert("InvalidWithdrawalDelay", delay)
        self.withdrawal_delay = delay

    def create_plan(self, pay_token: str, price: int, period: int) -> int:
        if price == 0 or period == 0:
            raise revert("InvalidPlan")
        self._require_reward_token(pay_token)
        plan_id = len(self.plans) + 1
        self.plans[plan_id] = Plan(pay_token, price, period)
        return plan_id

    def set_plan_price(self, plan_id: int, price: int) -> None:
        self._known_plan(plan_id)
        if price == 0:
            raise revert("InvalidPlan")
        self.plans[plan_id].price = price

    def set_plan_active(self, plan_id: int, active: bool) -> None:
        self._known_plan(plan_id).active = active

    # ---------------------------------------------------------------- subscriptions
    def quote(self, account: str, plan_id: int, periods: int, now: int) -> Tuple[int, int]:
        plan = self._active_plan(plan_id)
        self._require_reward_token(plan.pay_token)
        cost, discount, _ = self._price(account, plan_id, plan, periods, now)
        return cost, discount

    def subscribe(
        self, payer: str, account: str, plan_id: int, periods: int, referrer: str, max_cost: int, now: int
    ) -> Tuple[int, int, Optional[Split]]:
        """(accessUntil, cost, split or None when the cost is 0)."""
        if int(account, 16) == 0:
            raise revert("ZeroAddress")
        plan = self._active_plan(plan_id)
        self._require_reward_token(plan.pay_token)
        cost, _, until = self._price(account, plan_id, plan, periods, now)
        if cost > max_cost:
            raise revert("CostAboveMax", cost, max_cost)
        bound = self.referrer.get(account)
        if bound is None and int(referrer, 16) != 0:
            if referrer.lower() == account.lower():
                raise revert("SelfReferral", account)
            self.referrer[account] = referrer
            bound = referrer
        self.access[(account, plan_id)] = until
        self.ledger[plan.pay_token].subscriptions += cost
        result = self._split(plan.pay_token, cost, bound)
        return until, cost, result

    def access_until(self, account: str, plan_id: int) -> int:
        return self.access.get((account, plan_id), 0)

    def _price(self, account: str, plan_id: int, plan: Plan, periods: int, now: int) -> Tuple[int, int, int]:
        if periods == 0:
            raise revert("ZeroPeriods")
        until = new_access_until(now, self.access_until(account, plan_id), periods, plan.period)
        discount = self.discount_bps(account, until)
        return subscription_cost(plan.price, periods, discount), discount, until

    def discount_bps(self, account: str, until: int) -> int:
        if not discount_applies(self.lock_of(account), until):
            return 0
        return self.platform_discount_bps(self.level_of(account))

    # ---------------------------------------------------------------- credits
    def deposit(self, payer: str, account: str, token: str, amount: int) -> None:
        if int(account, 16) == 0:
            raise revert("ZeroAddress")
        if amount == 0:
            raise revert("ZeroAmount")
        self._require_reward_token(token)
        key = (account, token)
        room = UINT128_MAX - self.credits[key] - self.spent[key]
        if amount > room:
            raise revert("CreditsTooLarge", amount, room)
        self.credits[key] += amount
        self.deposited[key] += amount
        self.ledger[token].deposits += amount

    def check(self, receipt: Receipt, now: int) -> Tuple[Optional[str], int, tuple]:
        """(error name or None, charge, error args) in the contract's order of checks."""
        r = receipt
        if r.token not in self.reward_tokens:
            return "NotRewardToken", 0, (r.token,)
        if now > r.deadline:
            return "ReceiptExpired", 0, (r.deadline,)
        key = (r.account, r.token)
        spent, available = self.spent[key], self.credits[key]
        if r.cumulative <= spent:
            return "ReceiptNotNewer", 0, (r.cumulative, spent)
        charge = r.cumulative - spent
        if charge > available:
            return "InsufficientCredits", 0, (charge, available)
        if not r.signature_valid:
            return "InvalidSignature", 0, ()
        return None, charge, ()

    def redeem(self, receipt: Receipt, now: int) -> Tuple[int, Split]:
        reason, charge, args = self.check(receipt, now)
        if reason:
            raise revert(reason, *args)
        self._charge(receipt, charge)
        return charge, self._split(receipt.token, charge, None)

    def redeem_batch(self, receipts: Sequence[Receipt], now: int):
        """(charged per receipt, [(index, reason)] skipped, {token: Split} in reward-list order)."""
        if len(receipts) > MAX_BATCH:
            raise revert("BatchTooLarge", len(receipts), MAX_BATCH)
        charged, skipped, totals = [], [], {}
        for i, receipt in enumerate(receipts):
            reason, charge, _ = self.check(receipt, now)
            if reason:
                skipped.append((i, reason))
                charged.append(0)
                continue
            self._charge(receipt, charge)
            charged.append(charge)
            totals[receipt.token] = totals.get(receipt.token, 0) + charge
        splits = {t: self._split(t, totals[t], None) for t in self.reward_tokens if totals.get(t)}
        return charged, skipped, splits

    def _charge(self, receipt: Receipt, charge: int) -> None:
        key = (receipt.account, receipt.token)
        self.credits[key] -= charge
        self.spent[key] = receipt.cumulative
        self.ledger[receipt.token].charged += charge

    def request_withdrawal(self, account: str, token: str, now: int) -> int:
        self.requests[(account, token)] = now
        return now + self.withdrawal_delay

    def withdrawal_request(self, account: str, token: str) -> Tuple[int, int]:
        at = self.requests.get((account, token), 0)
        return (at, at + self.withdrawal_delay if at else 0)

    def withdraw(self, account: str, token: str, now: int) -> int:
        key = (account, token)
        at = self.requests.get(key)
        if at is None:
            raise revert("NoWithdrawalRequest")
        ready = at + self.withdrawal_delay
        if now < ready:
            raise revert("WithdrawalNotReady", ready)
        del self.requests[key]
        amount = self.credits[key]
        self.credits[key] = 0
        self.withdrawn[key] += amount
        self.ledger[token].withdrawn += amount
        return amount

    # ---------------------------------------------------------------- split
    def _split(self, token: str, amount: int, referrer: Optional[str]) -> Optional[Split]:
        if amount == 0:
            return None
        bps = 0
        if referrer is not None:
            level = self.level_of(referrer)
            bps = self.referral_bps(level) if level else 0
        result = split(amount, self.stakers_bps, self.burn_bps, token == self.staking_token, bps)
        if result.referral and self.referral_refused(token, referrer):
            result = Split(result.stakers, result.treasury + result.referral, result.burned, 0)
        led = self.ledger[token]
        led.stakers += result.stakers
        led.treasury += result.treasury
        led.burned += result.burned
        led.referrals += result.referral
        if result.referral:
            self.referral_income[(referrer, token)] += result.referral
        return result

    # ---------------------------------------------------------------- helpers
    def _require_reward_token(self, token: str) -> None:
        if token not in self.reward_tokens:
            raise revert("NotRewardToken", token)

    def _known_plan(self, plan_id: int) -> Plan:
        if plan_id not in self.plans:
            raise revert("UnknownPlan", plan_id)
        return self.plans[plan_id]

    def _active_plan(self, plan_id: int) -> Plan:
        plan = self._known_plan(plan_id)
        if not plan.active:
            raise revert("PlanInactive", plan_id)
        return plan

    def credits_held(self, token: str) -> int:
        return sum(v for (a, t), v in self.credits.items() if t == token)
