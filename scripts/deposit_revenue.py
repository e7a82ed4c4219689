"""Deposit platform revenue into the RevenueDistributor for this week's stakers (harness/ops/revenue.py).

    tools/run scripts/deposit_revenue.py TOKEN AMOUNT [manifest=PATH] [account=N]

TOKEN: an active reward token's symbol or address; AMOUNT in whole tokens (decimals allowed).
SIGNER (or account=N) names the paying account. Checks run before the first transaction.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, amount_argument, argument
from harness.ops import revenue

COMMAND = Command(
    "deposit_revenue.py",
    arguments=(Argument("token", "TOKEN"), Argument("amount", "AMOUNT")),
    options=(MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        reward = protocol.reward_token("token", argument("token", call["token"], str))
        amount = amount_argument("amount", call["amount"], reward.decimals())
        revenue.deposit(protocol, signer(call.option("account")), reward, amount)
    settle()
