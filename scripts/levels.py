"""An account's benefit level (harness/ops/levels.py), read-only.

    tools/run scripts/levels.py [ADDRESS]      Staking Score, level, score to the next level, benefits, the table

ADDRESS: default the signer. Options: manifest=PATH, account=N (harness/core/cli.py); SIGNER names
the account otherwise.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, address_argument
from harness.ops import levels

COMMAND = Command("levels.py", arguments=(Argument("address", "ADDRESS", optional=True),), options=(MANIFEST, ACCOUNT))


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        if call["address"] is None:
            account = signer(call.option("account")).address
        else:
            account = address_argument("address", call["address"])
        levels.print_levels(protocol, account)
