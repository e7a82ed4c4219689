"""Early access deals of EarlyAccessDeals (harness/ops/deals.py; proposing one: docs/deals.md "Governance and scripts").

    tools/run scripts/deal.py list                        every deal: status, sale, price, committed / target, times
    tools/run scripts/deal.py show DEAL [ADDRESS]         one deal, and ADDRESS's level, window, cap left,
                                                          commitment and claimable (default the signer)
    tools/run scripts/deal.py commit DEAL AMOUNT          commit AMOUNT whole pay tokens (approves first if needed)
    tools/run scripts/deal.py finalize DEAL               settle a deal after its end (anyone)
    tools/run scripts/deal.py claim DEAL                  the signer's refund and vested sale tokens

DEAL: a deal id. AMOUNT: whole tokens of the deal's pay token, in its decimals (`250.5`). Options:
manifest=PATH, account=N (harness/core/cli.py); SIGNER names the account otherwise. Every check runs
before the first transaction: the deal exists and is open, the signer's level is eligible and its
window open, the amount within what it may still commit and its balance.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Action, Argument, Command, address_argument, amount_argument
from harness.ops import deals

DEAL = Argument("deal", "DEAL")
COMMAND = Command(
    "deal.py",
    actions=(
        Action("list"),
        Action("show", (DEAL, Argument("address", "ADDRESS", optional=True))),
        Action("commit", (DEAL, Argument("amount", "AMOUNT"))),
        Action("finalize", (DEAL,)),
        Action("claim", (DEAL,)),
    ),
    options=(MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        needs_signer = call.action in ("commit", "finalize", "claim") or (call.action == "show" and call["address"] is None)
        account = signer(call.option("account")) if needs_signer or call.option("account") is not None else None
        if call.action == "list":
            deals.print_deals(protocol)
            return
        deal = deals.deal_argument(protocol, call["deal"])
        if call.action == "show":
            address = call["address"]
            deals.print_deal(protocol, deal, address_argument("address", address) if address is not None else account.address)
            return
        if call.action == "commit":
            amount = amount_argument("amount", call["amount"], deal.pay_token.decimals())
            deals.commit(protocol, account, deal, amount)
        elif call.action == "finalize":
            deals.finalize(protocol, account, deal)
        else:
            deals.claim(protocol, account, deal)
    settle()
