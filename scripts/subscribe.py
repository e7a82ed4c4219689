"""Subscriptions to the AI-service plans of ServiceAccess (harness/ops/access.py).

    tools/run scripts/subscribe.py plans                               every plan: id, name, pay token, price, period, active
    tools/run scripts/subscribe.py quote PLAN PERIODS                  the signer's cost and discount (and why no discount)
    tools/run scripts/subscribe.py buy PLAN PERIODS [referrer=ADDRESS] [for=ADDRESS]
                                                                       pay for PERIODS periods (maxCost = the quote)
    tools/run scripts/subscribe.py status [ADDRESS]                    access per plan and the referrer (default the signer)

PLAN: a plan id or its name in the manifest (`research`). `for=ADDRESS` buys for another account (its
level and lock set the discount, the signer pays). Options: manifest=PATH, account=N
(harness/core/cli.py); SIGNER names the account otherwise. Every check runs before the first transaction.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Action, Argument, Command, Option, address_argument
from harness.ops import access

PLAN, PERIODS = Argument("plan", "PLAN"), Argument("periods", "PERIODS")
COMMAND = Command(
    "subscribe.py",
    actions=(
        Action("plans"),
        Action("quote", (PLAN, PERIODS)),
        Action("buy", (PLAN, PERIODS)),
        Action("status", (Argument("address", "ADDRESS", optional=True),)),
    ),
    options=(Option("referrer", "ADDRESS"), Option("for", "ADDRESS"), MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        call.options_only_for("buy", "referrer", "for")
        protocol = Protocol.load(call.option("manifest"))
        # the signer is needed to quote, buy and show its own status; an account=N given is checked always
        needs_signer = call.action in ("quote", "buy") or (call.action == "status" and call["address"] is None)
        account = signer(call.option("account")) if needs_signer or call.option("account") is not None else None
        if call.action == "plans":
            access.print_plans(protocol)
            return
        if call.action == "status":
            address = call["address"]
            access.print_access(protocol, address_argument("address", address) if address is not None else account.address)
            return
        plan = access.plan_argument(protocol, call["plan"])
        periods = access.periods_argument(call["periods"])
        if call.action == "quote":
            access.print_quote(access.quote(protocol, account.address, plan, periods), account.address)
            return
        referrer = call.option("referrer")
        beneficiary = call.option("for")
        access.buy(
            protocol, account, plan, periods,
            referrer=address_argument("referrer", referrer) if referrer is not None else None,
            account=address_argument("for", beneficiary) if beneficiary is not None else None,
        )
    settle()
