"""Claim revenue from the RevenueDistributor (harness/ops/claims.py).

    tools/run scripts/claim.py pay [TOKEN ...]            pay the signer's revenue to its wallet
    tools/run scripts/claim.py reinvest                   add the signer's staking-token revenue to its lock
    tools/run scripts/claim.py for ACCOUNT [TOKEN ...]    claim for ACCOUNT: reinvests if it opted in and the signer
                                                          is ACCOUNT or a keeper it approved, else pays ACCOUNT
    tools/run scripts/claim.py auto-compound on|off       opt in or out of reinvesting through `for`
    tools/run scripts/claim.py keeper ADDRESS on|off      approve or revoke ADDRESS as the signer's keeper

TOKEN: a reward token's symbol or address; default all active reward tokens. Options: manifest=PATH,
account=N (harness/core/cli.py); SIGNER names the account otherwise.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, ON_OFF, Action, Argument, Command, address_argument, switch_argument
from harness.ops import claims

TOKENS = Argument("token", "TOKEN", repeats=True)
COMMAND = Command(
    "claim.py",
    actions=(
        Action("pay", (TOKENS,)),
        Action("reinvest"),
        Action("for", (Argument("account", "ACCOUNT"), TOKENS)),
        Action("auto-compound", (Argument("auto-compound", choices=ON_OFF),)),
        Action("keeper", (Argument("address", "ADDRESS"), Argument("keeper", choices=ON_OFF))),
    ),
    options=(MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        account = signer(call.option("account"))
        if call.action == "auto-compound":
            claims.set_auto_compound(protocol, account, switch_argument(call["auto-compound"]))
        elif call.action == "keeper":
            keeper = address_argument("address", call["address"])
            claims.set_keeper(protocol, account, keeper, switch_argument(call["keeper"]))
        elif call.action == "reinvest":
            claims.reinvest(protocol, account)
        elif call.action == "for":
            beneficiary = address_argument("account", call["account"])
            claims.pay(protocol, account, claims.reward_tokens(protocol, call["token"]), beneficiary)
        else:
            claims.pay(protocol, account, claims.reward_tokens(protocol, call["token"]))
    settle()
