"""The services part of `make demo` (SPEC 5.1, 5.2): holders buy plans at their level's discount (or
at full price when their lock ends before the access they buy), a referral is paid from the treasury
part, one holder prepays credits and spends them on metered AI calls priced with its level's API
discount, and the platform settles the signed usage receipts in batches. Every payment is split on
the spot; the ledger here records, week by week, what reached the stakers from each source, and the
report charts it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import mine_at, now
from harness.core.signing import anvil_private_key, sign_usage
from harness.core.units import BPS, UNIT, ZERO_ADDRESS, compact, date, format_tokens

# Sources of the stakers' revenue, in the order the chart stacks them.
PLATFORM, SUBSCRIPTIONS, METERED, PENALTIES = "platform deposits", "subscriptions", "metered AI calls", "early-exit penalties"
DEAL_FEES = "early-access deal fees"  # harness/demo/deals.py: the deal's fee, deposited by finalize
SOURCES = (PLATFORM, SUBSCRIPTIONS, METERED, PENALTIES, DEAL_FEES)
SPLIT_PARTS = ("stakers", "treasury", "burned", "referral")
CALL_LIST_PRICE = 2 * UNIT  # AIS per metered AI call before the caller's API discount (a gateway's catalog)
RECEIPT_LIFETIME = 60 * 86400  # a receipt stays redeemable for 60 days after it is signed
QUIET = {"silent": True}


@dataclass
class RevenueLedger:
    """Stakers' revenue per source, token and demo week; and every service payment's split."""

    by_source: dict[str, dict[str, dict[int, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    )
    split: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(SPLIT_PARTS, 0)))
    paid: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, week: int, source: str, symbol: str, amount: int) -> None:
        self.by_source[source][symbol][week] += amount

    def record_payment(self, week: int, source: str, symbols: dict[str, str], tx: Any) -> None:
        """A subscription or a settlement: its RevenueSplit events, as the contract reports them."""
        for event in tx.events["RevenueSplit"] if "RevenueSplit" in tx.events else []:
            symbol = symbols[event["token"]]
            parts = {part: int(event[part]) for part in SPLIT_PARTS}
            for part, amount in parts.items():
                self.split[symbol][part] += amount
            self.paid[symbol] += sum(parts.values())
            self.add(week, source, symbol, parts["stakers"])

    def series(self, source: str, symbol: str, weeks: int) -> list[int]:
        return [self.by_source[source][symbol].get(week, 0) for week in range(weeks)]

    def symbols(self) -> list[str]:
        return sorted({symbol for per_symbol in self.by_source.values() for symbol in per_symbol})


@dataclass
class Metered:
    """One holder's prepaid credits and the receipts it signs for its metered calls."""

    index: int  # Anvil account (its public test key signs the receipts)
    calls: int = 0
    cumulative: int = 0
    receipts: list[dict[str, Any]] = field(default_factory=list)


class Services:
    """The services story, driven by harness/demo/story.py week by week."""

    def __init__(self, protocol: Protocol, ledger: RevenueLedger, symbols: dict[str, str]):
        self.protocol, self.ledger, self.symbols = protocol, ledger, symbols
        self.access, self.levels, self.token = protocol.access, protocol.levels, protocol.token
        self.metered: dict[str, Metered] = {}

    def level_line(self, name: str, account: Any) -> str:
        level = self.levels.levelOf(account)
        return (f"  {name:<5} score {compact(self.protocol.escrow.balanceOf(account)):>7}: level {level:>2}, "
                f"{self.levels.platformDiscountBps(level) / 100:g}% off plans, "
                f"{self.levels.apiDiscountBps(level) / 100:g}% off metered calls")

    def subscribe(self, week: int, name: str, account: Any, plan_id: int, periods: int, referrer: Any = None) -> None:
        """Buy `periods` of a plan at the price `quote` gives now (maxCost = the quote)."""
        pay_token, price, period, _ = self.access.plans(plan_id)
        cost, discount = self.access.quote(account, plan_id, periods)
        token = self.protocol.erc20(pay_token)
        token.approve(self.access, cost, {"from": account, **QUIET})
        referrer_address = referrer.address if referrer is not None else ZERO_ADDRESS
        tx = self.access.subscribe(plan_id, periods, referrer_address, cost, {"from": account, **QUIET})
        self.ledger.record_payment(week, SUBSCRIPTIONS, self.symbols, tx)
        until = tx.events["Subscribed"]["accessUntil"]
        symbol = self.symbols[pay_token]
        lock_amount, lock_end, permanent = self.protocol.escrow.locked(account)
        why = ""
        if discount == 0 and lock_amount and not permanent and lock_end < until:
            why = f" (no discount: the lock ends {date(lock_end)[:10]}, before the access does)"
        referral = tx.events["ReferralPaid"]["amount"] if "ReferralPaid" in tx.events else 0
        paid_referral = f", {format_tokens(referral)} {symbol} to the referrer" if referral else ""
        print(f"  {name:<5} buys {periods:>2} x plan {plan_id} ({format_tokens(price)} {symbol}/{period // 86400}d): "
              f"{format_tokens(cost)} {symbol}, {discount / 100:g}% off{why}{paid_referral}; access to {date(until)[:10]}")

    def open_credits(self, week: int, name: str, account: Any, index: int, amount: int) -> None:
        self.token.approve(self.access, amount, {"from": account, **QUIET})
        self.access.depositCredits(self.token, amount, {"from": account, **QUIET})
        self.metered[name] = Metered(index=index)
        print(f"  {name:<5} prepays {format_tokens(amount)} AIS of credits for metered AI calls")

    def use(self, name: str, account: Any, calls: int) -> None:
        """`calls` metered calls at the list price less the caller's API discount; the caller signs
        the new cumulative total (the gateway keeps every receipt; only the latest can charge)."""
        meter = self.metered[name]
        discount = self.levels.apiDiscountBps(self.levels.levelOf(account))
        meter.calls += calls
        meter.cumulative += calls * (CALL_LIST_PRICE * (BPS - discount) // BPS)
        deadline = now() + RECEIPT_LIFETIME
        signature = sign_usage(
            anvil_private_key(meter.index), self.access.address, self.protocol.manifest.chain_id,
            account.address, self.token.address, meter.cumulative, deadline,
        )
        meter.receipts.append({
            "account": account.address, "token": self.token.address, "cumulative": meter.cumulative,
            "deadline": deadline, "signature": signature,
        })

    def settle(self, week: int, name: str, settler: Any) -> None:
        """The platform settles the holder's two latest receipts in one batch, newest first: the
        newest charges everything since the last settlement, the older one is skipped as stale."""
        meter = self.metered[name]
        batch = list(reversed(meter.receipts[-2:]))
        as_tuples = [(r["account"], r["token"], r["cumulative"], r["deadline"], r["signature"]) for r in batch]
        tx = self.access.redeemUsageBatch(as_tuples, {"from": settler, **QUIET})
        self.ledger.record_payment(week, METERED, self.symbols, tx)
        charged = sum(event["charged"] for event in tx.events["UsageRedeemed"]) if "UsageRedeemed" in tx.events else 0
        skipped = len(tx.events["UsageReceiptSkipped"]) if "UsageReceiptSkipped" in tx.events else 0
        left = self.access.credits(batch[0]["account"], self.token)
        print(f"  week {week:>2}: the platform settles {name}'s receipts ({meter.calls} calls so far): "
              f"{format_tokens(charged)} AIS charged, {skipped} stale receipt skipped, {format_tokens(left)} AIS credits left")

    def withdraw_rest(self, week: int, name: str, account: Any) -> int:
        """Request, wait out the delay (the platform could settle meanwhile), withdraw what is left."""
        requested = now()
        ready = self.access.requestWithdrawal(self.token, {"from": account, **QUIET}).events["WithdrawalRequested"]["readyAt"]
        mine_at(ready)
        amount = self.access.withdrawCredits(self.token, {"from": account, **QUIET}).events["CreditsWithdrawn"]["amount"]
        print(f"  week {week:>2}: {name} withdraws the unused credits after the {(ready - requested) // 3600}h delay: "
              f"{format_tokens(amount)} AIS")
        return amount
