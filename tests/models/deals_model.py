"""Plain-Python reference model of EarlyAccessDeals (SPEC 5.3). No brownie import.

Levels are an input (StakingLevels and the escrow have their own models): `level_at(account, t)` gives
an account's level at time `t`; an account's level for a deal is `min(level_at(snapshot),
level_at(now))` (0 if it had none at the snapshot), fixed at its first commit.

Every state-changing method takes the block timestamp `now` and the sender, raises `ModelRevert(error)`
with the exact error (name and arguments) the contract must revert with, and otherwise books every token
movement in `moved[(token, address)]` (signed change of balance) and returns the event's arguments.

Rules (SPEC 5.3, IEarlyAccessDeals):
- creation: owner only; each rule names its field by its 0-based position in DealParams, the first
  broken field in field order (`InvalidDeal(field)`); then `saleAmount` pulled from the seller, measured;
- commit: `ZeroAmount`, `UnknownDeal`, `DealNotOpen`, then level >= minLevel (`NotEligible`), window
  `[start + opensAfter[L-1], end)` (`WindowClosed`), total <= capByLevel[L-1] (`AboveCap`), then the
  pay tokens pulled and measured (`UnsupportedFeeOnTransfer`);
- finalize: after `end`, once: below the soft cap `Failed` (sale tokens back to the seller), else
  priority fill from level 10 down: `fill = min(committed, left)`, `sold = fill * 1e18 // price`; the fee
  `proceeds * feeBps // 10_000` to the distributor (to the owner if the pay token is no longer a reward
  token), the rest of the proceeds and the unsold tokens to the seller;
- claim: refund `c * (committed[L] - fill[L]) // committed[L]` once, tokens vested so far of
  `bought = c * sold[L] // committed[L]` minus those already claimed; a failed or cancelled deal
  refunds the whole commitment; `NothingToClaim` when both are zero;
- cancel: owner only, while open; sale tokens back to the seller at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Tuple

from tests.models.errors import ExpectedError
from tests.models.escrow_model import ModelRevert

BPS = 10_000
PRICE_UNIT = 10**18
LEVELS = 10
MAX_FEE_BPS = 2_000  # EarlyAccessDeals.MAX_FEE_BPS
UINT128_MAX = 2**128 - 1

# DealStatus
NONE, OPEN, SUCCEEDED, FAILED, CANCELLED = range(5)

# DealParams field positions, as InvalidDeal names them.
FIELDS = (
    "seller", "saleToken", "saleAmount", "payToken", "price", "snapshot", "start", "end", "opensAfter",
    "capByLevel", "minLevel", "softCap", "tgeBps", "vestingDuration", "feeBps",
)
FIELD = {name: i for i, name in enumerate(FIELDS)}
ZERO = "0x" + "00" * 20

ERROR_TYPES: Dict[str, Tuple[str, ...]] = {
    "ZeroAddress": (),
    "ZeroAmount": (),
    "InvalidDeal": ("uint256",),
    "UnknownDeal": ("uint256",),
    "DealNotOpen": ("uint256", "uint8"),
    "DealNotEnded": ("uint64",),
    "DealNotFinalized": ("uint256",),
    "NotEligible": ("address", "uint8"),
    "WindowClosed": ("uint64", "uint64"),
    "AboveCap": ("uint256", "uint256"),
    "UnsupportedFeeOnTransfer": ("address", "uint256", "uint256"),
    "InvalidLevel": ("uint8",),
    "NothingToClaim": ("uint256", "address"),
    "OwnableUnauthorizedAccount": ("address",),
}


def expected(name: str, *args) -> ExpectedError:
    return ExpectedError(name, ERROR_TYPES[name], tuple(args))


def revert(name: str, *args) -> ModelRevert:
    """ModelRevert of EarlyAccessDeals' error `name` with exactly these arguments."""
    return ModelRevert(expected(name, *args))


def _same(a, b) -> bool:
    return str(a).lower() == str(b).lower()


@dataclass(frozen=True)
class DealParams:
    seller: str
    saleToken: str
    saleAmount: int
    payToken: str
    price: int
    snapshot: int
    start: int
    end: int
    opensAfter: Tuple[int, ...] = (0,) * LEVELS
    capByLevel: Tuple[int, ...] = (10**30,) * LEVELS
    minLevel: int = 1
    softCap: int = 0
    tgeBps: int = 0
    vestingDuration: int = 0
    feeBps: int = 0

    def as_tuple(self) -> tuple:
        """The ABI tuple createDeal takes (and deal() returns)."""
        return (
            str(self.seller), str(self.saleToken), self.saleAmount, str(self.payToken), self.price,
            self.snapshot, self.start, self.end, tuple(self.opensAfter), tuple(self.capByLevel),
            self.minLevel, self.softCap, self.tgeBps, self.vestingDuration, self.feeBps,
        )

    def but(self, **changes) -> "DealParams":
        return replace(self, **changes)

    @property
    def raise_target(self) -> int:
        return self.saleAmount * self.price // PRICE_UNIT


def deal_error(p: DealParams, now: int, is_reward_token: Callable[[str], bool]) -> Optional[ExpectedError]:
    """The InvalidDeal a creation at block time `now` raises, or None: the first broken field in
    field order (an order rule names the later field)."""
    raise_target = p.raise_target
    length = p.end - p.start
    checks = [
        (0, _same(p.seller, ZERO)),
        (1, _same(p.saleToken, ZERO)),
        (2, p.saleAmount == 0),
        (3, not is_reward_token(p.payToken)),
        (4, p.price == 0 or raise_target == 0),
        (5, p.snapshot >= now),
        (6, p.start <= p.snapshot),
        (7, p.end <= p.start),
        (8, any(o >= length for o in p.opensAfter)
            or any(p.opensAfter[i] > p.opensAfter[i - 1] for i in range(1, LEVELS))),
        (9, any(p.capByLevel[i] < p.capByLevel[i - 1] for i in range(1, LEVELS))),
        (10, not 1 <= p.minLevel <= LEVELS),
        (11, p.softCap > raise_target),
        (12, p.tgeBps > BPS),
        (14, p.feeBps > MAX_FEE_BPS),
    ]
    for index, broken in checks:
        if broken:
            return expected("InvalidDeal", index)
    return None


def fill_levels(p: DealParams, committed: List[int]) -> Tuple[List[int], List[int]]:
    """(fill, sold) per level (index 0: level 1), levels filled from 10 down up to the raise target."""
    left = p.raise_target
    fill, sold = [0] * LEVELS, [0] * LEVELS
    for i in reversed(range(LEVELS)):
        f = min(committed[i], left)
        left -= f
        fill[i] = f
        sold[i] = f * PRICE_UNIT // p.price
    return fill, sold


def vested(p: DealParams, bought: int, now: int) -> int:
    """Of `bought`, what has vested at `now` (>= end): tgeBps at once, the rest linearly from end."""
    at_tge = bought * p.tgeBps // BPS
    elapsed = now - p.end
    if p.vestingDuration == 0 or elapsed >= p.vestingDuration:
        return bought
    return at_tge + (bought - at_tge) * elapsed // p.vestingDuration


@dataclass
class Position:
    committed: int = 0
    level: int = 0
    refundClaimed: bool = False
    tokensClaimed: int = 0

    def as_tuple(self) -> tuple:
        return (self.committed, self.level, self.refundClaimed, self.tokensClaimed)


@dataclass
class Deal:
    params: DealParams
    status: int = OPEN
    committed: List[int] = field(default_factory=lambda: [0] * LEVELS)
    filled: List[int] = field(default_factory=lambda: [0] * LEVELS)
    positions: Dict[str, Position] = field(default_factory=dict)

    def position(self, account) -> Position:
        return self.positions.setdefault(str(account), Position())

    def as_tuple(self) -> tuple:
        """DealView as deal() returns it."""
        return (self.params.as_tuple(), self.status, tuple(self.committed), tuple(self.filled))


class DealsModel:
    """EarlyAccessDeals at address `contract`, owned by `owner`, paying fees to `distributor`."""

    def __init__(
        self,
        contract: str,
        owner: str,
        distributor: str,
        reward_tokens: List[str],
        level_at: Callable[[str, int], int],
        transfer_fee_bps: Optional[Dict[str, int]] = None,
    ):
        self.contract, self.owner, self.distributor = str(contract), str(owner), str(distributor)
        self.reward_tokens = [str(t) for t in reward_tokens]
        self.level_at = level_at
        self.transfer_fee_bps = {str(k).lower(): v for k, v in (transfer_fee_bps or {}).items()}
        self.deals: Dict[int, Deal] = {}
        self.moved: Dict[Tuple[str, str], int] = {}

    # ---- helpers ----
    def is_reward_token(self, token) -> bool:
        return any(_same(token, t) for t in self.reward_tokens)

    def _move(self, token, sender, to, amount: int) -> None:
        if amount == 0:
            return
        key_from, key_to = (str(token), str(sender)), (str(token), str(to))
        self.moved[key_from] = self.moved.get(key_from, 0) - amount
        self.moved[key_to] = self.moved.get(key_to, 0) + amount

    def _received(self, token, amount: int) -> int:
        return amount - amount * self.transfer_fee_bps.get(str(token).lower(), 0) // BPS

    def _only_owner(self, sender) -> None:
        if not _same(sender, self.owner):
            raise revert("OwnableUnauthorizedAccount", str(sender))

    def known(self, deal_id: int) -> Deal:
        if deal_id not in self.deals:
            raise revert("UnknownDeal", deal_id)
        return self.deals[deal_id]

    def open_deal(self, deal_id: int) -> Deal:
        d = self.known(deal_id)
        if d.status != OPEN:
            raise revert("DealNotOpen", deal_id, d.status)
        return d

    def level_now(self, d: Deal, account, now: int) -> int:
        at_snapshot = self.level_at(str(account), d.params.snapshot)
        if at_snapshot == 0:
            return 0
        return min(at_snapshot, self.level_at(str(account), now))

    def deal_level(self, deal_id: int, account, now: int) -> int:
        d = self.known(deal_id)
        p = d.positions.get(str(account))
        return p.level if p and p.committed else self.level_now(d, account, now)

    @staticmethod
    def window(p: DealParams, level: int) -> Tuple[int, int]:
        return (p.end if level == 0 else p.start + p.opensAfter[level - 1]), p.end

    def window_of(self, deal_id: int, level: int) -> Tuple[int, int]:
        if level > LEVELS:
            raise revert("InvalidLevel", level)
        return self.window(self.known(deal_id).params, level)

    def raise_target(self, deal_id: int) -> int:
        return self.known(deal_id).params.raise_target

    def max_commit(self, deal_id: int, account, now: int) -> int:
        d = self.known(deal_id)
        if d.status != OPEN:
            return 0
        level = self.deal_level(deal_id, account, now)
        if level == 0 or level < d.params.minLevel:
            return 0
        opens_at, end = self.window(d.params, level)
        if not opens_at <= now < end:
            return 0
        committed = d.positions.get(str(account), Position()).committed
        return max(d.params.capByLevel[level - 1] - committed, 0)

    def commitment(self, deal_id: int, account) -> int:
        d = self.deals.get(deal_id)
        return d.positions.get(str(account), Position()).committed if d else 0

    def position(self, deal_id: int, account) -> Position:
        d = self.deals.get(deal_id)
        return replace(d.positions.get(str(account), Position())) if d else Position()

    # ---- owner ----
    def create(self, params: DealParams, sender, now: int) -> dict:
        self._only_owner(sender)
        err = deal_error(params, now, self.is_reward_token)
        if err:
            raise ModelRevert(err)
        received = self._received(params.saleToken, params.saleAmount)
        if received < params.saleAmount:
            raise revert("UnsupportedFeeOnTransfer", str(params.saleToken), params.saleAmount, received)
        deal_id = len(self.deals) + 1
        self.deals[deal_id] = Deal(params)
        self._move(params.saleToken, params.seller, self.contract, params.saleAmount)
        return {"dealId": deal_id, "seller": str(params.seller), "saleToken": str(params.saleToken),
                "saleAmount": params.saleAmount, "payToken": str(params.payToken), "price": params.price,
                "start": params.start, "end": params.end}

    def cancel(self, deal_id: int, sender, now: int) -> dict:
        self._only_owner(sender)
        d = self.open_deal(deal_id)
        d.status = CANCELLED
        self._move(d.params.saleToken, self.contract, d.params.seller, d.params.saleAmount)
        return {"dealId": deal_id}

    # ---- buyers ----
    def commit(self, deal_id: int, account, amount: int, now: int) -> dict:
        if amount == 0:
            raise revert("ZeroAmount")
        d = self.open_deal(deal_id)
        p = d.params
        level = self.deal_level(deal_id, account, now)
        if level < p.minLevel:
            raise revert("NotEligible", str(account), level)
        opens_at, end = self.window(p, level)
        if not opens_at <= now < end:
            raise revert("WindowClosed", opens_at, end)
        pos = d.positions.get(str(account), Position())
        total = pos.committed + amount
        cap = p.capByLevel[level - 1]
        if total > cap:
            raise revert("AboveCap", cap, total)
        if total > UINT128_MAX:
            raise ModelRevert(ExpectedError("SafeCastOverflowedUintDowncast", ("uint8", "uint256"), (128, total)))
        received = self._received(p.payToken, amount)
        if received < amount:
            raise revert("UnsupportedFeeOnTransfer", str(p.payToken), amount, received)
        pos = d.position(account)
        pos.committed, pos.level = total, level
        d.committed[level - 1] += amount
        self._move(p.payToken, account, self.contract, amount)
        return {"dealId": deal_id, "account": str(account), "level": level, "amount": amount, "total": total}

    def finalize(self, deal_id: int, now: int) -> dict:
        d = self.open_deal(deal_id)
        p = d.params
        if now < p.end:
            raise revert("DealNotEnded", p.end)
        raised = sum(d.committed)
        if raised < p.softCap:
            d.status = FAILED
            self._move(p.saleToken, self.contract, p.seller, p.saleAmount)
            return {"dealId": deal_id, "succeeded": False, "raised": raised, "proceeds": 0, "fee": 0, "tokensSold": 0}
        d.status = SUCCEEDED
        fill, sold_by_level = fill_levels(p, d.committed)
        d.filled = fill
        proceeds, sold = sum(fill), sum(sold_by_level)
        fee = proceeds * p.feeBps // BPS
        self._move(p.payToken, self.contract, self.distributor if self.is_reward_token(p.payToken) else self.owner, fee)
        self._move(p.payToken, self.contract, p.seller, proceeds - fee)
        self._move(p.saleToken, self.contract, p.seller, p.saleAmount - sold)
        return {"dealId": deal_id, "succeeded": True, "raised": raised, "proceeds": proceeds, "fee": fee, "tokensSold": sold}

    def bought(self, d: Deal, pos: Position) -> int:
        """Sale tokens `pos` gets from succeeded deal `d` in all (vested or not)."""
        if d.status != SUCCEEDED or pos.committed == 0:
            return 0
        i = pos.level - 1
        sold = d.filled[i] * PRICE_UNIT // d.params.price
        return pos.committed * sold // d.committed[i]

    def refund_due(self, d: Deal, pos: Position) -> int:
        """The refund `pos` is owed from finalized `d` in all (claimed or not)."""
        if pos.committed == 0 or d.status == OPEN:
            return 0
        if d.status != SUCCEEDED:
            return pos.committed
        i = pos.level - 1
        return pos.committed * (d.committed[i] - d.filled[i]) // d.committed[i]

    def claimable(self, deal_id: int, account, now: int) -> Tuple[int, int]:
        d = self.known(deal_id)
        if d.status == OPEN:
            return 0, 0
        pos = d.positions.get(str(account), Position())
        if pos.committed == 0:
            return 0, 0
        refund = 0 if pos.refundClaimed else self.refund_due(d, pos)
        if d.status != SUCCEEDED:
            return refund, 0
        return refund, vested(d.params, self.bought(d, pos), now) - pos.tokensClaimed

    def claim(self, deal_id: int, account, now: int) -> dict:
        d = self.known(deal_id)
        if d.status == OPEN:
            raise revert("DealNotFinalized", deal_id)
        refund, tokens = self.claimable(deal_id, account, now)
        if refund == 0 and tokens == 0:
            raise revert("NothingToClaim", deal_id, str(account))
        pos = d.position(account)
        pos.refundClaimed = True
        pos.tokensClaimed += tokens
        self._move(d.params.payToken, self.contract, account, refund)
        self._move(d.params.saleToken, self.contract, account, tokens)
        return {"dealId": deal_id, "account": str(account), "refund": refund, "tokens": tokens}

    # ---- what the contract still owes ----
    def owed(self) -> Dict[str, int]:
        """Per token (lower-case address): every refund and commitment not yet paid back and every
        sale token not yet paid out (vested or not), over open and settled deals."""
        out: Dict[str, int] = {}

        def add(token, amount):
            out[str(token).lower()] = out.get(str(token).lower(), 0) + amount

        for d in self.deals.values():
            p = d.params
            if d.status == OPEN:
                add(p.payToken, sum(d.committed))
                add(p.saleToken, p.saleAmount)
                continue
            for pos in d.positions.values():
                if not pos.refundClaimed:
                    add(p.payToken, self.refund_due(d, pos))
                add(p.saleToken, self.bought(d, pos) - pos.tokensClaimed)
        return out

    def entitlement(self, deal_id: int, account) -> Tuple[int, int]:
        """(pay tokens, sale tokens) `account` is owed from `deal_id` in all, once settled."""
        d = self.deals[deal_id]
        pos = d.positions.get(str(account), Position())
        return self.refund_due(d, pos), self.bought(d, pos)
