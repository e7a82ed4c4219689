"""Metering (SPEC 6): the checks a metered call's `Usage` receipt must pass, the service run, and the
compare-and-set that stores the receipt, in that order, so a refused call is never charged.

The receipt of a call extends the account's latest accepted one by exactly this call's price:
`cumulative = base + price`, with `base` the larger of the stored cumulative and what the chain has
charged (`spent`: the account may have redeemed a receipt of its own). The signature (EOA or ERC-1271),
the domain (chain id, ServiceAccess), the pay token and the credits covering `cumulative - spent` are
checked by the contract itself through `previewRedeem`, so the gateway accepts exactly what
`redeemUsage` will charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from harness.core.abi import error_name

from gateway.catalog import Catalog, ServiceEntry, discounted_price
from gateway.chain import ChainView
from gateway.errors import GatewayError
from gateway.services import ServiceInputError
from gateway.store import CallRecord, ReceiptStore

T = TypeVar("T")

# previewRedeem's reasons (ServiceAccess's errors) as the gateway's codes
REFUSALS = {
    "InvalidSignature": "bad_signature",
    "ReceiptExpired": "receipt_expired",
    "InsufficientCredits": "insufficient_credits",
    "ReceiptNotNewer": "stale_receipt",
    "NotRewardToken": "unpriced_token",
}


@dataclass(frozen=True)
class UsageReceipt:
    """A signed `Usage(account, token, cumulative, deadline)` receipt (SPEC 5.2)."""

    account: str
    token: str
    cumulative: int
    deadline: int
    signature: bytes


@dataclass(frozen=True)
class Quote:
    """What the next call of `service` costs `account` in `token`, and the cumulative its receipt must carry."""

    service: str
    account: str
    token: str
    level: int
    discount_bps: int
    list_price: int
    price: int
    base: int

    @property
    def next_cumulative(self) -> int:
        return self.base + self.price


@dataclass(frozen=True)
class Charge:
    """An accepted call: its price and the receipt's cumulative, now stored."""

    quote: Quote
    cumulative: int


class Meter:
    """Prices, checks and records metered calls of one gateway deployment."""

    def __init__(self, store: ReceiptStore, chain: ChainView, catalog: Catalog, *, min_receipt_lifetime: int):
        self.store, self.chain, self.catalog = store, chain, catalog
        self.min_receipt_lifetime = min_receipt_lifetime  # seconds a receipt must stay redeemable

    def _entry(self, service: str) -> ServiceEntry:
        entry = self.catalog.service(service)
        if entry is None:
            raise GatewayError("unknown_service", f"no service {service!r}; the catalog has "
                               + ", ".join(s.name for s in self.catalog.services))
        return entry

    def list_price(self, service: str, token: str) -> int:
        """The catalog price of one call of `service` in `token` (base units)."""
        entry = self._entry(service)
        for price in entry.prices:
            if price.pay_token_address(self.chain.staking_token) == token:
                return price.base_units
        raise GatewayError("unpriced_token", f"{service} is not sold in {token}", token=token)

    def quote(self, service: str, account: str, token: str) -> tuple[Quote, int | None, int]:
        """The quote, and what the compare-and-set needs: the stored cumulative (None: none yet) and spent."""
        list_price = self.list_price(service, token)
        level, discount = self.chain.level_and_discount(account)
        stored = self.store.latest(account, token)
        spent = self.chain.spent(account, token)
        expected = stored.cumulative if stored else None
        base = max(expected or 0, spent)
        quote = Quote(service, account, token, level, discount, list_price, discounted_price(list_price, discount), base)
        return quote, expected, spent

    def serve(self, service: str, receipt: UsageReceipt, run: Callable[[], T]) -> tuple[T, Charge]:
        """Check `receipt` for one call of `service`, run it, store the receipt; or raise GatewayError
        having stored nothing."""
        quote, expected, spent = self.quote(service, receipt.account, receipt.token)
        self._check(quote, receipt, spent)
        try:
            result = run()
        except ServiceInputError as error:
            raise GatewayError("bad_request", str(error), field=error.field) from None
        record = CallRecord(receipt.account, receipt.token, service, quote.price, receipt.cumulative, quote.level)
        accepted = self.store.accept(record, deadline=receipt.deadline, signature="0x" + receipt.signature.hex(),
                                     expected=expected, settled_if_new=spent)
        if not accepted:
            raise GatewayError("stale_receipt", "another call of this account was accepted first; ask for a new quote",
                               base=quote.base)
        if expected is not None and spent > expected:
            self.store.mark_settled(receipt.account, receipt.token, spent)
        return result, Charge(quote, receipt.cumulative)

    def _check(self, quote: Quote, receipt: UsageReceipt, spent: int) -> None:
        if receipt.cumulative <= quote.base:
            raise GatewayError("stale_receipt", f"the receipt's cumulative {receipt.cumulative} does not pass the "
                               f"latest accepted {quote.base}", expected_cumulative=quote.next_cumulative)
        if receipt.cumulative != quote.next_cumulative:
            raise GatewayError("wrong_price", f"this call costs {quote.price}: the receipt must carry cumulative "
                               f"{quote.next_cumulative}", price=quote.price, expected_cumulative=quote.next_cumulative)
        now = self.chain.timestamp()
        if receipt.deadline < now + self.min_receipt_lifetime:
            raise GatewayError("receipt_expired", f"the receipt's deadline {receipt.deadline} must be at least "
                               f"{self.min_receipt_lifetime}s after the chain's time {now}, to leave time to settle it",
                               min_deadline=now + self.min_receipt_lifetime)
        if self.chain.withdrawal_pending(receipt.account, receipt.token):
            raise GatewayError("withdrawal_pending", "the account has asked to withdraw its credits in this token")
        preview = self.chain.preview_redeem(receipt.account, receipt.token, receipt.cumulative, receipt.deadline,
                                            receipt.signature)
        if not preview.ok:
            reason = error_name(preview.reason)
            code = REFUSALS.get(reason, "bad_request")
            extra = {"credits": self.chain.credits(receipt.account, receipt.token),
                     "needed": receipt.cumulative - spent} if code == "insufficient_credits" else {}
            raise GatewayError(code, f"ServiceAccess would refuse this receipt: {reason}", **extra)
