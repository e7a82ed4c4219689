"""The early-access deal of `make demo` (SPEC 5.3, docs/deals.md; the story in docs/deals.md "The demo").

A project team (the seller, a fresh demo account) sells 1,000,000 PRJ, a token the demo deploys, to
the stakers at 0.10 tUSD each: a 100,000 tUSD raise target. The DAO creates the deal by proposal (the
timelock owns EarlyAccessDeals), voted beside the week-1 proposal; the seller approves the PRJ first
and `createDeal` pulls them when the proposal executes. The TMAI windows open levels 8-10 at the start,
5-7 after 12 hours and 1-4 after 18 hours; caps rise with the level. Holders of levels 5, 4 and 3
commit 155,000 tUSD in their windows (a level-2 holder is refused, and a level-4 holder trying in the
level-5 window is told when its window opens); the deal finalizes: level 5 is filled in full, level 4
pro rata from what is left, level 3 refunded. Holders claim their refund and the TGE tokens, then the
vested rest once the 30 days are over. Every number is checked against a plain-Python computation of
SPEC 5.3's fill (`expected_fill`): a difference stops the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brownie import ServiceToken, accounts
from eth_utils import keccak

from harness.chain.calls import try_call
from harness.chain.protocol import Protocol
from harness.chain.time import mine_at, now
from harness.core.errors import ScriptError
from harness.core.proposals.spec import ProposalFile, parse_proposal
from harness.core.units import BPS, DAY, UNIT, date, format_tokens

SALE_TOKEN_KEY = "DemoProjectToken"  # the local manifest's name for PRJ (proposals name it @DemoProjectToken)
SALE_AMOUNT = 1_000_000 * UNIT  # PRJ for sale
PRICE = UNIT // 10  # tUSD base units per 10**18 PRJ units: 0.10 tUSD a PRJ, raise target 100,000 tUSD
SOFT_CAP = 40_000 * UNIT
TGE_BPS = 2_000  # 20% at the TGE
VESTING = 30 * DAY  # the rest linearly over 30 days from the end
FEE_BPS = 500  # 5% of the proceeds to the stakers
MIN_LEVEL = 3
LENGTH = 2 * DAY  # start -> end
HOUR = 3600
OPENS_AFTER = [18 * HOUR] * 4 + [12 * HOUR] * 3 + [0] * 3  # levels 1..10: the TMAI windows
CAPS = [c * 1_000 * UNIT for c in (5, 10, 20, 40, 60, 80, 100, 100, 100, 100)]  # tUSD per account, levels 1..10
SELLER_KEY = "0x" + keccak(text="make demo: the PRJ project team (a local test key, no value)").hex()
QUIET = {"silent": True}


def seller_account(funder: Any) -> Any:
    """The project team: a fresh local account (a fixed test key) with 1 ETH for gas."""
    seller = accounts.add(SELLER_KEY)
    funder.transfer(seller, UNIT, silent=True)
    return seller


def deploy_sale_token(deployment: Any, seller: Any) -> Any:
    """PRJ: a plain OpenZeppelin ERC-20 (the ServiceToken contract), the whole sale minted to the seller,
    recorded in the local manifest as DemoProjectToken."""
    token = deployment.contract(
        SALE_TOKEN_KEY, ServiceToken, "Demo Project Token (demo asset, no value)", "PRJ", [seller.address], [SALE_AMOUNT],
    )
    print(f"demo project token PRJ (local demo asset, no value) at {token.address}: {format_tokens(SALE_AMOUNT)} to the seller")
    return token


def expected_fill(commitments: dict[str, tuple[int, int]], raise_target: int, price: int) -> dict[str, Any]:
    """SPEC 5.3's fill in plain Python: `commitments` maps a buyer to (level, committed). Levels 10..1:
    fill = min(committed, left); per buyer refund c*(committed-fill)//committed, tokens c*sold//committed,
    sold = fill*10**18//price."""
    committed = [0] * 11
    for level, amount in commitments.values():
        committed[level] += amount
    left, fill, sold = raise_target, [0] * 11, [0] * 11
    for level in range(10, 0, -1):
        fill[level] = min(committed[level], left)
        left -= fill[level]
        sold[level] = fill[level] * 10**18 // price
    buyers = {}
    for name, (level, c) in commitments.items():
        refund = c * (committed[level] - fill[level]) // committed[level]
        buyers[name] = {"refund": refund, "allocation": c - refund, "tokens": c * sold[level] // committed[level]}
    return {"committed": committed, "fill": fill, "sold": sold, "proceeds": sum(fill), "sold_total": sum(sold), "buyers": buyers}


@dataclass
class Buyer:
    name: str
    account: Any
    amount: int  # tUSD to commit
    level: int = 0
    refund: int = 0  # received
    claimed: int = 0  # PRJ received
    claims: list[int] = field(default_factory=list)


class DemoDeal:
    """The deal, driven by harness/demo/story.py: `proposal` before the vote, `run` after it executes,
    `claim_vested` once the vesting is over, `rows` and `check` for the summary."""

    def __init__(self, protocol: Protocol, pay_token: Any, sale_token: Any, seller: Any):
        self.protocol, self.deals = protocol, protocol.deals
        self.pay_token, self.sale_token, self.seller = pay_token, sale_token, seller
        self.deal_id = 0
        self.start = self.end = self.snapshot = 0
        self.buyers: list[Buyer] = []
        self.finalized: Any = None
        self.vested_claimed = False

    def proposal(self, start: int) -> ProposalFile:
        """The seller approves the sale; the proposal creating the deal (the snapshot: the second before
        it is proposed, so no one can buy a level after the announcement)."""
        self.sale_token.approve(self.deals, SALE_AMOUNT, {"from": self.seller, **QUIET})
        self.snapshot, self.start, self.end = now() - 1, start, start + LENGTH
        params = {
            "seller": self.seller.address, "saleToken": f"@{SALE_TOKEN_KEY}", "saleAmount": SALE_AMOUNT,
            "payToken": "@LocalTestUSD", "price": PRICE, "snapshot": self.snapshot, "start": self.start, "end": self.end,
            "opensAfter": OPENS_AFTER, "capByLevel": CAPS, "minLevel": MIN_LEVEL, "softCap": SOFT_CAP,
            "tgeBps": TGE_BPS, "vestingDuration": VESTING, "feeBps": FEE_BPS,
        }
        print(f"  the PRJ team approves {format_tokens(SALE_AMOUNT)} PRJ to EarlyAccessDeals; the deal opens "
              f"{date(self.start)}, closes {date(self.end)}, level snapshot {date(self.snapshot)}")
        return parse_proposal({
            "title": f"Early-access deal: {format_tokens(SALE_AMOUNT)} PRJ at 0.10 tUSD for stakers, by level",
            "description": (
                "Sell 1,000,000 PRJ at 0.10 tUSD (raise target 100,000 tUSD, soft cap 40,000) to stakers of level 3 "
                "and up: levels 8-10 from the start, 5-7 after 12 hours, 1-4 after 18 hours; 20% at the TGE, the "
                f"rest over 30 days; 5% of the proceeds to the stakers. Opens {date(self.start)}."
            ),
            "actions": [{"contract": "EarlyAccessDeals", "function": "createDeal", "args": {"params": params}}],
        }, "demo deal proposal")

    def created(self) -> None:
        self.deal_id = int(self.deals.dealCount())
        if self.sale_token.balanceOf(self.deals) != SALE_AMOUNT or self.deals.raiseTarget(self.deal_id) != SALE_AMOUNT * PRICE // UNIT:
            raise ScriptError("deal: createDeal did not pull the sale or has another raise target")
        print(f"  -- deal {self.deal_id} created: {format_tokens(SALE_AMOUNT)} PRJ held by EarlyAccessDeals, "
              f"raise target {format_tokens(self.deals.raiseTarget(self.deal_id))} tUSD --\n")

    def _try_commit(self, name: str, account: Any, amount: int) -> None:
        """A commit the contract refuses, shown with its decoded revert (never sent)."""
        ok, reason = try_call(account.address, self.deals.address, bytes.fromhex(
            self.deals.commit.encode_input(self.deal_id, amount).removeprefix("0x")))
        if ok:
            raise ScriptError(f"deal: {name}'s commit of {format_tokens(amount)} tUSD should be refused")
        level = int(self.deals.dealLevel(self.deal_id, account))
        why = f"level {level} is below the minimum {MIN_LEVEL}" if level < MIN_LEVEL else \
            f"level {level} opens {date(self.deals.windowOf(self.deal_id, level)[0])}"
        print(f"  {name:<5} (level {level}) tries {format_tokens(amount)} tUSD at {date(now())}: refused, {reason}: {why}")

    def _commit(self, buyer: Buyer, funder: Any) -> None:
        self.pay_token.transfer(buyer.account, buyer.amount, {"from": funder, **QUIET})
        self.pay_token.approve(self.deals, buyer.amount, {"from": buyer.account, **QUIET})
        buyer.level = int(self.deals.dealLevel(self.deal_id, buyer.account))
        room = self.deals.maxCommit(self.deal_id, buyer.account)
        self.deals.commit(self.deal_id, buyer.amount, {"from": buyer.account, **QUIET})
        print(f"  {buyer.name:<5} (level {buyer.level}, cap {format_tokens(CAPS[buyer.level - 1])}) commits "
              f"{format_tokens(buyer.amount)} tUSD at {date(now())} (could commit {format_tokens(room)})")

    def _claim(self, buyer: Buyer) -> tuple[int, int]:
        event = self.deals.claim(self.deal_id, {"from": buyer.account, **QUIET}).events["Claimed"]
        refund, tokens = int(event["refund"]), int(event["tokens"])
        buyer.refund += refund
        buyer.claimed += tokens
        buyer.claims.append(tokens)
        return refund, tokens

    def run(self, buyers: list[tuple[Any, int]], refused: Any, early: Any, funder: Any, keeper: Any) -> int:
        """Commit in the windows, finalize, claim at the TGE; returns the stakers' fee (tUSD)."""
        self.buyers = [Buyer(holder.name, holder.account, amount) for holder, amount in buyers]
        levels = {b.name: int(self.deals.dealLevel(self.deal_id, b.account)) for b in self.buyers}
        late = [b for b in self.buyers if levels[b.name] < 5]
        mine_at(self.start + OPENS_AFTER[4])  # levels 5-7 open after 12 hours (no holder reaches 8)
        self._try_commit(early.name, early.account, 10_000 * UNIT)  # level 4: opens after 18 hours
        for buyer in self.buyers:
            if buyer not in late:
                self._commit(buyer, funder)
        mine_at(self.start + OPENS_AFTER[3])  # levels 1-4
        self._try_commit(refused.name, refused.account, 5_000 * UNIT)  # below the minimum level
        for buyer in late:
            self._commit(buyer, funder)
        view = self.deals.deal(self.deal_id)
        total = sum(view[2])
        target = self.deals.raiseTarget(self.deal_id)
        print(f"  committed {format_tokens(total)} tUSD against a {format_tokens(target)} tUSD target: "
              f"{total / target:.2f}x oversubscribed")

        mine_at(self.end)
        tx = self.deals.finalize(self.deal_id, {"from": keeper, **QUIET})
        self.finalized = tx.events["DealFinalized"]
        fee = int(self.finalized["fee"])
        print(f"  the deal ends {date(self.end)}; finalized: {format_tokens(self.finalized['proceeds'])} tUSD raised, "
              f"{format_tokens(fee)} tUSD fee to the stakers (RevenueDistributor), "
              f"{format_tokens(int(self.finalized['proceeds']) - fee)} tUSD to the seller, "
              f"{format_tokens(self.finalized['tokensSold'])} PRJ sold")
        for buyer in self.buyers:
            refund, tokens = self._claim(buyer)
            print(f"  {buyer.name:<5} claims at the TGE: {format_tokens(refund)} tUSD refund, {format_tokens(tokens, places=2)} PRJ")
        return fee

    def vesting_over(self) -> bool:
        return bool(self.deal_id) and not self.vested_claimed and now() >= self.end + VESTING

    def claim_vested(self, week: int) -> None:
        for buyer in self.buyers:
            if self.deals.claimable(self.deal_id, buyer.account)[1]:
                _, tokens = self._claim(buyer)
                print(f"  week {week:>2}: {buyer.name} claims the vested rest of its PRJ: {format_tokens(tokens, places=2)}")
        self.vested_claimed = True

    def check(self) -> dict[str, Any]:
        """Every number against SPEC 5.3's fill computed in plain Python; ScriptError on a difference."""
        expected = expected_fill({b.name: (b.level, b.amount) for b in self.buyers}, self.deals.raiseTarget(self.deal_id), PRICE)
        view = self.deals.deal(self.deal_id)
        problems = []
        for level in range(1, 11):
            if int(view[2][level - 1]) != expected["committed"][level] or int(view[3][level - 1]) != expected["fill"][level]:
                problems.append(f"level {level}: committed/filled {view[2][level - 1]}/{view[3][level - 1]}, "
                                f"expected {expected['committed'][level]}/{expected['fill'][level]}")
        if int(self.finalized["proceeds"]) != expected["proceeds"] or int(self.finalized["tokensSold"]) != expected["sold_total"]:
            problems.append(f"finalize: proceeds/sold {self.finalized['proceeds']}/{self.finalized['tokensSold']}, "
                            f"expected {expected['proceeds']}/{expected['sold_total']}")
        fee = expected["proceeds"] * FEE_BPS // BPS
        if int(self.finalized["fee"]) != fee:
            problems.append(f"finalize: fee {self.finalized['fee']}, expected {fee}")
        seller_paid, seller_back = self.pay_token.balanceOf(self.seller), self.sale_token.balanceOf(self.seller)
        if seller_paid != expected["proceeds"] - fee or seller_back != SALE_AMOUNT - expected["sold_total"]:
            problems.append(f"seller: {seller_paid} tUSD and {seller_back} PRJ, expected {expected['proceeds'] - fee} "
                            f"and {SALE_AMOUNT - expected['sold_total']}")
        for buyer in self.buyers:
            want = expected["buyers"][buyer.name]
            if buyer.refund != want["refund"]:
                problems.append(f"{buyer.name}: refund {buyer.refund}, expected {want['refund']}")
            if self.vested_claimed and buyer.claimed != want["tokens"]:
                problems.append(f"{buyer.name}: PRJ claimed {buyer.claimed}, expected {want['tokens']}")
            if buyer.claims and buyer.claims[0] < want["tokens"] * TGE_BPS // BPS:
                problems.append(f"{buyer.name}: TGE claim {buyer.claims[0]} below {TGE_BPS / 100:g}% of {want['tokens']}")
        if problems:
            raise ScriptError("deal: the contract's numbers differ from SPEC 5.3's fill:\n  " + "\n  ".join(problems))
        return expected

    def rows(self) -> list[dict[str, Any]]:
        expected = self.check()
        return [
            {"name": b.name, "level": b.level, "commitment": b.amount, "allocation": expected["buyers"][b.name]["allocation"],
             "refund": b.refund, "bought": expected["buyers"][b.name]["tokens"], "claimed": b.claimed}
            for b in self.buyers
        ]
