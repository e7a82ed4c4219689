"""Show a proposal: state, votes, quorum at the snapshot, times (UTC), ETA and its actions decoded
(harness/governance/status.py).

    tools/run scripts/proposal_status.py [PROPOSAL_ID|latest] [manifest=PATH] --network NETWORK

Without PROPOSAL_ID, lists every proposal of the governor with its state. Sends nothing.
"""

from __future__ import annotations

from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.core.cli import MANIFEST, Argument, Command
from harness.governance import status
from harness.governance.lifecycle import parse_proposal_id

COMMAND = Command(
    "proposal_status.py", arguments=(Argument("proposal_id", "PROPOSAL_ID|latest", optional=True),), options=(MANIFEST,)
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        if call["proposal_id"] is None:
            print("\n".join(status.listing(protocol)))
        else:
            print("\n".join(status.status_lines(protocol, parse_proposal_id(call["proposal_id"], protocol.governor))))
