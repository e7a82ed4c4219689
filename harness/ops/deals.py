"""Early access deals (EarlyAccessDeals, SPEC 5.3) as a holder and a keeper use them: list the deals,
show one with an account's part in it, commit pay tokens, finalize a deal after its end and claim the
refund and vested sale tokens (scripts/deal.py).

As in the other operations, every check that can be made from the chain runs before the first
transaction and raises a ScriptError naming the argument (the deal does not exist or is not open, the
signer's level or window does not allow it, the amount is above what it may still commit or above its
balance); only then is anything sent (an approval first when the deal contract needs one), and what
happened is printed from the transaction's events. Amounts are whole tokens of the pay token's (or the
sale token's) own decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.errors import ScriptError
from harness.core.units import format_duration, format_tokens, is_whole_number, utc
from harness.ops.funds import ensure_allowance, require_balance
from harness.ops.levels import percent

STATUS = ("None", "Open", "Succeeded", "Failed", "Cancelled")  # IEarlyAccessDeals.DealStatus
LEVELS = 10


@dataclass(frozen=True)
class Deal:
    """Deal `id` as `deal(id)` returns it, with handles of its two tokens."""

    id: int
    seller: str
    sale_token: Any
    sale_amount: int
    pay_token: Any
    price: int
    snapshot: int
    start: int
    end: int
    opens_after: tuple[int, ...]
    cap_by_level: tuple[int, ...]
    min_level: int
    soft_cap: int
    tge_bps: int
    vesting_duration: int
    fee_bps: int
    status: str
    committed: tuple[int, ...]
    filled: tuple[int, ...]
    raise_target: int

    def pay(self, base_units: int) -> str:
        return f"{format_tokens(base_units, self.pay_token.decimals())} {self.pay_token.symbol()}"

    def sale(self, base_units: int) -> str:
        return f"{format_tokens(base_units, self.sale_token.decimals())} {self.sale_token.symbol()}"

    @property
    def raised(self) -> int:
        return sum(self.committed)

    def phase(self, at: int) -> str:
        """The status, and for an open deal where it stands in time."""
        if self.status != "Open":
            return self.status
        if at < self.start:
            return "Open (starts " + utc(self.start) + ")"
        if at < self.end:
            return "Open (commitments open until " + utc(self.end) + ")"
        return "Open (ended " + utc(self.end) + ": awaiting finalize)"

    def price_per_token(self) -> str:
        """Pay tokens per whole sale token (price is pay units per 10^18 sale units)."""
        per_token = self.price * 10 ** self.sale_token.decimals()
        return f"{format_tokens(per_token, self.pay_token.decimals() + 18)} {self.pay_token.symbol()}"


def load_deal(protocol: Protocol, deal_id: int) -> Deal:
    view = protocol.deals.deal(deal_id)
    params, status, committed, filled = view[0], view[1], view[2], view[3]
    (seller, sale_token, sale_amount, pay_token, price, snapshot, start, end, opens_after, caps, min_level,
     soft_cap, tge_bps, vesting, fee_bps) = params
    return Deal(
        id=deal_id, seller=str(seller), sale_token=protocol.erc20(sale_token), sale_amount=int(sale_amount),
        pay_token=protocol.erc20(pay_token), price=int(price), snapshot=int(snapshot), start=int(start),
        end=int(end), opens_after=tuple(int(x) for x in opens_after), cap_by_level=tuple(int(x) for x in caps),
        min_level=int(min_level), soft_cap=int(soft_cap), tge_bps=int(tge_bps), vesting_duration=int(vesting),
        fee_bps=int(fee_bps), status=STATUS[int(status)], committed=tuple(int(x) for x in committed),
        filled=tuple(int(x) for x in filled), raise_target=int(protocol.deals.raiseTarget(deal_id)),
    )


def deal_argument(protocol: Protocol, text: str) -> Deal:
    """DEAL: a deal id 1..dealCount; anything else is a ScriptError naming `deal`."""
    count = int(protocol.deals.dealCount())
    if is_whole_number(text) and 1 <= int(text) <= count:
        return load_deal(protocol, int(text))
    known = f"the deals are 1..{count}" if count > 1 else ("the only deal is 1" if count == 1 else "there are no deals yet")
    raise ScriptError(f"deal: no deal {text!r}; {known}")


# ---- reading -----------------------------------------------------------------------------------


def print_deals(protocol: Protocol) -> list[Deal]:
    count = int(protocol.deals.dealCount())
    if count == 0:
        print("no deals")
    listed = [load_deal(protocol, deal_id) for deal_id in range(1, count + 1)]
    at = now()
    for d in listed:
        print(
            f"{d.id}  {d.phase(at)}: {d.sale(d.sale_amount)} at {d.price_per_token()} each, "
            f"committed {d.pay(d.raised)} of {d.pay(d.raise_target)} (soft cap {d.pay(d.soft_cap)}), "
            f"{utc(d.start)} -> {utc(d.end)}"
        )
    return listed


def window_text(opens_at: int, end: int, at: int) -> str:
    if opens_at >= end:
        return "none"
    span = f"{utc(opens_at)} -> {utc(end)}"
    if at < opens_at:
        return f"{span} (opens in {format_duration(opens_at - at)})"
    if at < end:
        return f"{span} (open now)"
    return f"{span} (closed)"


@dataclass(frozen=True)
class Part:
    """`account`'s part in a deal now."""

    account: str
    level: int
    opens_at: int
    end: int
    max_commit: int
    committed: int
    refund: int
    tokens: int
    tokens_claimed: int


def part_of(protocol: Protocol, d: Deal, account: str) -> Part:
    deals = protocol.deals
    level = int(deals.dealLevel(d.id, account))
    opens_at, end = deals.windowOf(d.id, level)
    refund, tokens = deals.claimable(d.id, account)
    position = deals.position(d.id, account)
    return Part(account, level, int(opens_at), int(end), int(deals.maxCommit(d.id, account)),
                int(deals.commitment(d.id, account)), int(refund), int(tokens), int(position[3]))


def print_deal(protocol: Protocol, d: Deal, account: str) -> Part:
    at = now()
    print(f"deal {d.id}: {d.phase(at)}")
    print(f"  seller    {d.seller}")
    print(f"  sale      {d.sale(d.sale_amount)} ({d.sale_token.address}) at {d.price_per_token()} each "
          f"(price {d.price} per 10^18 units)")
    print(f"  pay token {d.pay_token.symbol()} ({d.pay_token.address}): target {d.pay(d.raise_target)}, "
          f"soft cap {d.pay(d.soft_cap)}, committed {d.pay(d.raised)}")
    print(f"  times     snapshot {utc(d.snapshot)}, start {utc(d.start)}, end {utc(d.end)}")
    vesting = f"the rest over {format_duration(d.vesting_duration)} from the end" if d.vesting_duration else "no vesting"
    print(f"  terms     minimum level {d.min_level}, {percent(d.tge_bps)} at the TGE, {vesting}, "
          f"fee {percent(d.fee_bps)} to stakers")
    print("  level  opens after  cap per account  committed  filled")
    for level in range(LEVELS, 0, -1):
        i = level - 1
        opens = format_duration(d.opens_after[i]) if level >= d.min_level else "not eligible"
        print(f"  {level:>5}  {opens:>11}  {format_tokens(d.cap_by_level[i], d.pay_token.decimals()):>15}  "
              f"{format_tokens(d.committed[i], d.pay_token.decimals()):>9}  "
              f"{format_tokens(d.filled[i], d.pay_token.decimals()):>6}")
    part = part_of(protocol, d, account)
    print(f"{account} in deal {d.id}:")
    fixed = " (fixed at its first commit)" if part.committed else " (the lower of its level at the snapshot and now)"
    eligible = "" if part.level >= d.min_level else f": below the minimum level {d.min_level}, not eligible"
    print(f"  level      {part.level}{fixed}{eligible}")
    print(f"  window     {window_text(part.opens_at, part.end, at)}")
    print(f"  can commit {d.pay(part.max_commit)} now")
    print(f"  committed  {d.pay(part.committed)}")
    print(f"  claimable  refund {d.pay(part.refund)}, {d.sale(part.tokens)} (claimed so far {d.sale(part.tokens_claimed)})")
    return part


# ---- acting ------------------------------------------------------------------------------------


def require_open(d: Deal) -> None:
    if d.status != "Open":
        raise ScriptError(f"deal: deal {d.id} is {d.status}: no longer open")


def commit(protocol: Protocol, account: Any, d: Deal, amount: int) -> Any:
    """Commit `amount` pay-token base units to deal `d` as `account`; every check first."""
    require_open(d)
    part = part_of(protocol, d, account.address)
    if part.level < d.min_level:
        raise ScriptError(
            f"account: {account.address}'s level for deal {d.id} is {part.level} (the lower of its level at the "
            f"snapshot {utc(d.snapshot)} and now), below the deal's minimum level {d.min_level}"
        )
    at = now()
    if at < part.opens_at:
        raise ScriptError(
            f"deal: level {part.level}'s window of deal {d.id} opens at {utc(part.opens_at)}, "
            f"in {format_duration(part.opens_at - at)}"
        )
    if at >= part.end:
        raise ScriptError(f"deal: deal {d.id} closed for commitments at {utc(part.end)}")
    if amount > part.max_commit:
        cap = d.cap_by_level[part.level - 1]
        raise ScriptError(
            f"amount: {d.pay(amount)} is more than {account.address} may still commit to deal {d.id}, "
            f"{d.pay(part.max_commit)} (level {part.level} cap {d.pay(cap)}, committed {d.pay(part.committed)})"
        )
    require_balance(d.pay_token, account.address, amount)
    ensure_allowance(d.pay_token, account, protocol.deals.address, amount)
    tx = protocol.deals.commit(d.id, amount, {"from": account})
    event = tx.events["Committed"][0]
    print(
        f"committed {d.pay(event['amount'])} to deal {d.id} at level {event['level']}: "
        f"{d.pay(event['total'])} in all, {d.pay(protocol.deals.maxCommit(d.id, account.address))} more allowed now"
    )
    return tx


def finalize(protocol: Protocol, sender: Any, d: Deal) -> Any:
    """Settle deal `d` (anyone, once, after its end)."""
    require_open(d)
    at = now()
    if at < d.end:
        raise ScriptError(f"deal: deal {d.id} ends at {utc(d.end)}, in {format_duration(d.end - at)}: finalize after")
    tx = protocol.deals.finalize(d.id, {"from": sender})
    event = tx.events["DealFinalized"][0]
    if event["succeeded"]:
        print(
            f"finalized deal {d.id}: Succeeded, raised {d.pay(event['raised'])}, accepted {d.pay(event['proceeds'])} "
            f"(fee {d.pay(event['fee'])} to stakers), sold {d.sale(event['tokensSold'])}, "
            f"{d.sale(d.sale_amount - event['tokensSold'])} back to the seller"
        )
    else:
        print(
            f"finalized deal {d.id}: Failed, raised {d.pay(event['raised'])}, below the soft cap {d.pay(d.soft_cap)}: "
            "every commitment is refundable and the sale tokens went back to the seller"
        )
    return tx


def claim(protocol: Protocol, account: Any, d: Deal) -> Any:
    """Claim `account`'s refund and vested sale tokens from a finalized or cancelled deal."""
    if d.status == "Open":
        raise ScriptError(f"deal: deal {d.id} is not finalized yet (it ends {utc(d.end)}; run `finalize` after that)")
    refund, tokens = protocol.deals.claimable(d.id, account.address)
    if int(refund) == 0 and int(tokens) == 0:
        raise ScriptError(f"deal: {account.address} has nothing to claim from deal {d.id} now")
    tx = protocol.deals.claim(d.id, {"from": account})
    event = tx.events["Claimed"][0]
    print(f"claimed from deal {d.id}: refund {d.pay(event['refund'])}, {d.sale(event['tokens'])}")
    return tx
