"""Paying for the AI services (ServiceAccess, SPEC 5.2): plans and subscriptions (scripts/subscribe.py),
prepaid credits and signed usage receipts (scripts/credits.py), and settling receipts from a file
(scripts/redeem.py).

As in the other operations, every check that can be made from the chain runs before the first
transaction and raises a ScriptError naming the argument; only then is anything sent (an approval
first when ServiceAccess needs one), and what happened is printed from the transaction's events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from eth_utils import is_address, to_checksum_address
from hexbytes import HexBytes
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.abi import error_name
from harness.core.errors import ScriptError
from harness.core.proposals.ballots import Address, BigInt, Signature, validation_problems
from harness.core.signing import sign_usage
from harness.core.units import MAX_UINT64, ZERO_ADDRESS, format_duration, format_tokens, is_whole_number, utc
from harness.ops.funds import ensure_allowance, require_balance
from harness.ops.levels import percent
from harness.ops.locks import lock_of

PLAN_KEY = "ServiceAccess.createPlan:"  # the deploy's transaction key of each plan, in plan-id order


# ---- plans and subscriptions ------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    id: int
    name: str | None
    pay_token: Any
    price: int
    period: int
    active: bool

    @property
    def shown(self) -> str:
        return f"plan {self.id}" + (f" {self.name!r}" if self.name else "")

    def amount(self, base_units: int) -> str:
        return f"{format_tokens(base_units, self.pay_token.decimals())} {self.pay_token.symbol()}"


def plan_names(protocol: Protocol) -> dict[int, str]:
    """Plan id -> name, from the manifest's `ServiceAccess.createPlan:<name>` keys (deploy order)."""
    names = [key.removeprefix(PLAN_KEY) for key in protocol.manifest.transactions if key.startswith(PLAN_KEY)]
    return {plan_id: name for plan_id, name in enumerate(names, start=1)}


def plans(protocol: Protocol) -> list[Plan]:
    names = plan_names(protocol)
    return [_plan(protocol, plan_id, names.get(plan_id)) for plan_id in range(1, protocol.access.planCount() + 1)]


def _plan(protocol: Protocol, plan_id: int, name: str | None) -> Plan:
    pay_token, price, period, active = protocol.access.plans(plan_id)
    return Plan(plan_id, name, protocol.erc20(pay_token), int(price), int(period), bool(active))


def plan_argument(protocol: Protocol, text: str) -> Plan:
    """PLAN: a plan id or a plan name of the manifest; unknown -> a ScriptError naming `plan`."""
    count = protocol.access.planCount()
    names = plan_names(protocol)
    if is_whole_number(text) and 1 <= int(text) <= count:
        return _plan(protocol, int(text), names.get(int(text)))
    for plan_id, name in names.items():
        if name == text and plan_id <= count:
            return _plan(protocol, plan_id, name)
    known = ", ".join(f"{i}" + (f" ({names[i]})" if i in names else "") for i in range(1, count + 1)) or "none"
    raise ScriptError(f"plan: no plan {text!r}; the plans are {known}")


def periods_argument(text: str) -> int:
    if not is_whole_number(text) or int(text) <= 0:
        raise ScriptError(f"periods: must be a positive whole number, got {text!r}")
    return int(text)


def require_sellable(protocol: Protocol, plan: Plan) -> None:
    """The plan sells: active, and its pay token still a reward token of the distributor."""
    if not plan.active:
        raise ScriptError(f"plan: {plan.shown} is inactive")
    if plan.pay_token.address not in list(protocol.distributor.rewardTokens()):
        raise ScriptError(
            f"plan: the pay token of {plan.shown}, {plan.pay_token.symbol()} ({plan.pay_token.address}), "
            "is no longer a reward token"
        )


def print_plans(protocol: Protocol) -> list[Plan]:
    listed = plans(protocol)
    if not listed:
        print("no plans")
    for plan in listed:
        print(
            f"{plan.id}  {plan.name or '-':<12} {plan.amount(plan.price)} per {format_duration(plan.period)}"
            f" ({plan.period}s)  {'active' if plan.active else 'inactive'}"
        )
    return listed


@dataclass(frozen=True)
class Quote:
    plan: Plan
    periods: int
    cost: int
    discount_bps: int
    level: int
    access_until: int  # the access end if bought now
    lock_end: int  # 0: no lock; see `permanent`
    permanent: bool


def quote(protocol: Protocol, account: str, plan: Plan, periods: int) -> Quote:
    """What buying `periods` of `plan` for `account` costs now (checked first: sellable, periods fit)."""
    require_sellable(protocol, plan)
    base = max(now(), int(protocol.access.accessUntil(account, plan.id)))
    most = (MAX_UINT64 - base) // plan.period
    if periods > most:
        raise ScriptError(f"periods: at most {most} periods of {plan.shown} fit in the uint64 time range, got {periods}")
    cost, discount = protocol.access.quote(account, plan.id, periods)
    lock = lock_of(protocol, account)
    return Quote(plan, periods, int(cost), int(discount), int(protocol.levels.levelOf(account)),
                 base + periods * plan.period, lock.end, lock.permanent)


def print_quote(q: Quote, account: str) -> None:
    print(
        f"{q.plan.shown}, {q.periods} period(s) for {account}: {q.plan.amount(q.cost)} "
        f"(list price {q.plan.amount(q.plan.price * q.periods)}, discount {percent(q.discount_bps)} at level {q.level})"
    )
    if q.discount_bps == 0:
        if q.level == 0:
            print("  no discount: level 0 (no Staking Score level)")
        elif not q.permanent:
            print(
                f"  no discount: the lock ends {utc(q.lock_end)}, before the access would end {utc(q.access_until)}"
                " (a discount needs a lock that lasts at least as long as the access bought, or a permanent one)"
            )


def buy(
    protocol: Protocol, payer: Any, plan: Plan, periods: int, referrer: str | None = None, account: str | None = None
) -> Any:
    """subscribe / subscribeFor with maxCost = the quoted cost: a price rise before mining reverts
    CostAboveMax instead of charging more."""
    access = protocol.access
    account = account or payer.address
    if referrer is not None and referrer == account:
        raise ScriptError(f"referrer: {account} cannot refer itself")
    q = quote(protocol, account, plan, periods)
    require_balance(plan.pay_token, payer.address, q.cost, "periods")
    ensure_allowance(plan.pay_token, payer, access.address, q.cost)
    bound = access.referrerOf(account)
    if referrer and bound not in (ZERO_ADDRESS, referrer):
        print(f"note: {account}'s referrer is already {bound}; referrer={referrer} is ignored")
    referrer = referrer or ZERO_ADDRESS
    if account == payer.address:
        tx = access.subscribe(plan.id, periods, referrer, q.cost, {"from": payer})
    else:
        tx = access.subscribeFor(account, plan.id, periods, referrer, q.cost, {"from": payer})
    event = tx.events["Subscribed"][0]
    print(
        f"subscribed {account} to {plan.shown} for {periods} period(s): cost {plan.amount(event['cost'])}, "
        f"discount {percent(q.discount_bps)}, access until {utc(event['accessUntil'])}"
    )
    print_splits(tx, protocol)
    return tx


def print_splits(tx: Any, protocol: Protocol) -> None:
    """The RevenueSplit events of a payment: what went to stakers, the treasury, the burn, a referrer."""
    for event in tx.events["RevenueSplit"] if "RevenueSplit" in tx.events else []:
        token = protocol.erc20(event["token"])
        decimals, symbol = token.decimals(), token.symbol()
        parts = ", ".join(
            f"{part} {format_tokens(event[part], decimals)}" for part in ("stakers", "treasury", "burned", "referral")
        )
        print(f"  split ({symbol}): {parts}")


def print_access(protocol: Protocol, account: str) -> None:
    print(f"{account} at {utc(now())}")
    for plan in plans(protocol):
        until = int(protocol.access.accessUntil(account, plan.id))
        state = "never subscribed" if until == 0 else (
            f"until {utc(until)}" + ("" if until > now() else " (expired)")
        )
        print(f"  {plan.shown}: {state}")
    referrer = protocol.access.referrerOf(account)
    print(f"  referrer: {referrer if referrer != ZERO_ADDRESS else 'none'}")


# ---- prepaid credits --------------------------------------------------------------------------


def credit_token(protocol: Protocol, text: str | None, delisted: bool = False) -> Any:
    """TOKEN: a reward token's symbol or address; default the staking token. `delisted`: an address
    the distributor no longer lists is accepted too (credits in it can still be withdrawn)."""
    if delisted and text is not None and is_address(text) and text.lower() not in (
        address.lower() for address in protocol.distributor.rewardTokens()
    ):
        return protocol.erc20(to_checksum_address(text))
    return protocol.reward_token("token", text if text is not None else protocol.token.address)


def print_credits(protocol: Protocol, account: str, tokens: list[Any]) -> None:
    access = protocol.access
    print(f"{account} at {utc(now())}")
    for token in tokens:
        decimals, symbol = token.decimals(), token.symbol()
        requested_at, ready_at = access.withdrawalRequest(account, token)
        pending = "none" if int(requested_at) == 0 else (
            f"requested {utc(requested_at)}, ready {utc(ready_at)}" + (" (ready now)" if now() >= ready_at else "")
        )
        print(
            f"  {symbol}: credits {format_tokens(access.credits(account, token), decimals)}, "
            f"spent {format_tokens(access.spent(account, token), decimals)}, withdrawal: {pending}"
        )


def deposit(protocol: Protocol, account: Any, token: Any, amount: int) -> None:
    require_balance(token, account.address, amount)
    ensure_allowance(token, account, protocol.access.address, amount)
    protocol.access.depositCredits(token, amount, {"from": account})
    print(f"deposited {format_tokens(amount, token.decimals())} {token.symbol()} of credits for {account.address}")


class Receipt(BaseModel):
    """One signed usage receipt as a receipts file holds it (what `redeemUsageBatch` takes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    account: Address
    token: Address
    cumulative: BigInt
    deadline: BigInt
    signature: Signature

    def as_tuple(self) -> tuple:
        return (self.account, self.token, self.cumulative, self.deadline, HexBytes(self.signature))


RECEIPTS = TypeAdapter(list[Receipt])


def load_receipts(path: str | Path, name: str = "file") -> list[Receipt]:
    """A receipts file (a JSON list of receipts), each entry validated; a ScriptError names the file,
    the entry index and the field."""
    path = Path(path)
    if not path.is_file():
        raise ScriptError(f"{name}: no such file {path}")
    try:
        return RECEIPTS.validate_json(path.read_text())
    except ValidationError as error:
        raise ScriptError(f"{name} {path}: {validation_problems(error)}") from None


def sign(
    protocol: Protocol, account: Any, key: str, token: Any, cumulative: int, deadline: int, out: str | None
) -> Receipt:
    """Sign "my metered use of `token` so far totals `cumulative`" (EIP-712 Usage), valid until
    `deadline`; append it to the receipts file `out` or print it."""
    spent = int(protocol.access.spent(account.address, token))
    if cumulative <= spent:
        decimals = token.decimals()
        raise ScriptError(
            f"cumulative: {format_tokens(cumulative, decimals)} {token.symbol()} is not above what was already "
            f"charged ({format_tokens(spent, decimals)}): a receipt states the total so far"
        )
    existing = load_receipts(out, "out") if out and Path(out).exists() else []
    chain_id = protocol.manifest.chain_id
    signature = sign_usage(key, protocol.access.address, chain_id, account.address, token.address, cumulative, deadline)
    receipt = Receipt(account=account.address, token=token.address, cumulative=cumulative, deadline=deadline,
                      signature="0x" + signature.hex())
    text = json.dumps(RECEIPTS.dump_python(existing + [receipt], mode="json"), indent=2) + "\n"
    if out:
        Path(out).write_text(text)
        print(
            f"signed a receipt of {format_tokens(cumulative, token.decimals())} {token.symbol()} in total, valid "
            f"until {utc(deadline)}, into {out} ({len(existing) + 1} receipt(s))"
        )
    else:
        print(json.dumps(receipt.model_dump(mode="json"), indent=2))
    return receipt


def request_withdrawal(protocol: Protocol, account: Any, token: Any) -> int:
    if protocol.access.credits(account.address, token) == 0:
        raise ScriptError(f"token: {account.address} has no {token.symbol()} credits to withdraw")
    tx = protocol.access.requestWithdrawal(token, {"from": account})
    ready_at = int(tx.events["WithdrawalRequested"][0]["readyAt"])
    print(f"withdrawal of {token.symbol()} credits requested: ready {utc(ready_at)}")
    return ready_at


def withdraw(protocol: Protocol, account: Any, token: Any) -> int:
    requested_at, ready_at = protocol.access.withdrawalRequest(account.address, token)
    if int(requested_at) == 0:
        raise ScriptError(f"token: no withdrawal request for {token.symbol()} (run `withdraw-request` first)")
    if now() < ready_at:
        raise ScriptError(
            f"token: the {token.symbol()} withdrawal is ready at {utc(ready_at)}, in {format_duration(ready_at - now())}"
        )
    tx = protocol.access.withdrawCredits(token, {"from": account})
    amount = int(tx.events["CreditsWithdrawn"][0]["amount"])
    print(f"withdrew {format_tokens(amount, token.decimals())} {token.symbol()} of credits")
    return amount


# ---- settling receipts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    index: int
    receipt: Receipt
    charge: int
    reason: str | None  # the error redeemUsage would raise; None: it charges


def preview(protocol: Protocol, receipts: list[Receipt]) -> list[Preview]:
    """What a batch of `receipts` would do now, in file order: previewRedeem for each, then the effect
    of the earlier receipts of the same account and token in the file (a later receipt charges only
    its increment; one not above an earlier one is stale)."""
    access = protocol.access
    spent: dict[tuple[str, str], int] = {}
    left: dict[tuple[str, str], int] = {}
    out = []
    for index, r in enumerate(receipts):
        charge, reason = access.previewRedeem(r.account, r.token, r.cumulative, r.deadline, HexBytes(r.signature))
        name = None if int.from_bytes(HexBytes(reason), "big") == 0 else error_name(HexBytes(reason))
        key = (r.account, r.token)
        if name is None:
            spent.setdefault(key, int(access.spent(r.account, r.token)))
            left.setdefault(key, int(access.credits(r.account, r.token)))
            charge = r.cumulative - spent[key]
            if charge <= 0:
                name = "ReceiptNotNewer"
            elif charge > left[key]:
                name = "InsufficientCredits"
            else:
                spent[key], left[key] = r.cumulative, left[key] - charge
        out.append(Preview(index, r, int(charge) if name is None else 0, name))
    return out


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def redeem(protocol: Protocol, sender: Any, receipts: list[Receipt], dry_run: bool = False) -> list[Any]:
    """Print the preview, then (unless `dry_run`) settle `receipts` with redeemUsageBatch in chunks of
    MAX_BATCH; print what each charged and what was skipped, from the events."""
    if not receipts:
        raise ScriptError("file: holds no receipts")
    previews = preview(protocol, receipts)
    for p in previews:
        token = protocol.erc20(p.receipt.token)
        what = f"receipt {p.index} ({p.receipt.account}, {format_tokens(p.receipt.cumulative, token.decimals())} {token.symbol()} in total)"
        if p.reason is None:
            print(f"{what}: would charge {format_tokens(p.charge, token.decimals())}")
        else:
            print(f"{what}: would be skipped: {p.reason}")
    if dry_run:
        return []
    if all(p.reason is not None for p in previews):
        raise ScriptError("file: no receipt would be charged (see above); nothing sent")
    txs = []
    for chunk in _chunks(receipts, int(protocol.access.MAX_BATCH())):
        tx = protocol.access.redeemUsageBatch([r.as_tuple() for r in chunk], {"from": sender})
        txs.append(tx)
        for event in tx.events["UsageRedeemed"] if "UsageRedeemed" in tx.events else []:
            token = protocol.erc20(event["token"])
            print(f"charged {format_tokens(event['charged'], token.decimals())} {token.symbol()} to {event['account']}"
                  f" (receipt of {format_tokens(event['cumulative'], token.decimals())} in total)")
        for event in tx.events["UsageReceiptSkipped"] if "UsageReceiptSkipped" in tx.events else []:
            token = protocol.erc20(event["token"])
            print(f"skipped the receipt of {event['account']} for {format_tokens(event['cumulative'], token.decimals())}"
                  f" {token.symbol()}: {error_name(HexBytes(event['reason']))}")
        print_splits(tx, protocol)
    return txs
