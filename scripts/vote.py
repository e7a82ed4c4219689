"""Vote on a proposal with your Staking Score at its snapshot (harness/governance/lifecycle.py).

    tools/run scripts/vote.py PROPOSAL_ID for|against|abstain [reason=TEXT] [account=N] [manifest=PATH] --network NETWORK

PROPOSAL_ID is the decimal (or 0x hex) id or `latest`. With `reason=...` the vote is cast with
`castVoteWithReason`, otherwise with `castVote`. Nothing is sent unless the vote is open, the account
has not voted yet and it had Staking Score at the snapshot.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, Option
from harness.governance import lifecycle

COMMAND = Command(
    "vote.py",
    arguments=(Argument("proposal_id", "PROPOSAL_ID"), Argument("support", "for|against|abstain")),
    options=(Option("reason", "TEXT"), ACCOUNT, MANIFEST),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        support = lifecycle.parse_support(call["support"])
        protocol = Protocol.load(call.option("manifest"))
        proposal_id = lifecycle.parse_proposal_id(call["proposal_id"], protocol.governor)
        lifecycle.vote(protocol, signer(call.option("account")), proposal_id, support, call.option("reason"))
    settle()
