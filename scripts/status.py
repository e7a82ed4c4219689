"""Protocol or account status on the connected network, read-only (harness/ops/status.py).

    tools/run scripts/status.py [manifest=PATH]            the whole protocol: supply, locks, Staking Score,
                                                           weekly revenue and pending claims per reward token
    tools/run scripts/status.py ACCOUNT [manifest=PATH]    one account: lock, score, votes, claimable revenue
"""

from __future__ import annotations

from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.core.cli import MANIFEST, Argument, Command, address_argument
from harness.ops import status

COMMAND = Command("status.py", arguments=(Argument("account", "ACCOUNT", optional=True),), options=(MANIFEST,))


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        if call["account"] is None:
            status.print_protocol(protocol)
        else:
            status.print_account(protocol, address_argument("account", call["account"]))
