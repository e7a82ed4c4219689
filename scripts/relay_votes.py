"""Relay a file of signed ballots: each one is checked, then sent with `castVoteBySig`
(harness/governance/ballots.py).

    tools/run scripts/relay_votes.py BALLOTS.json [account=N] [manifest=PATH] --network NETWORK

Before sending a ballot the relay checks its signature (recovered offline; for a voter that is a
contract wallet such as a Safe, asked of the wallet with ERC-1271 `isValidSignature`, as the governor
does), the proposal's state, the voter's nonce (a used nonce is a replay), that the voter has not
voted, and a dry run of the call. A ballot failing any check is reported and skipped; the rest go
through. Exit status: 0 when every ballot was relayed, 2 when at least one was skipped (the others
were still sent), 1 for a file that cannot be used at all (nothing sent).
"""

from __future__ import annotations

import sys

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command
from harness.core.proposals.ballots import load_ballots
from harness.governance import ballots

COMMAND = Command("relay_votes.py", arguments=(Argument("ballots", "BALLOTS.json"),), options=(ACCOUNT, MANIFEST))
SKIPPED_STATUS = 2


def main(*args: str) -> tuple[int, int]:
    with script_errors():
        call = COMMAND.parse(args)
        book = load_ballots(call["ballots"])  # a file that cannot be used stops here, before the chain is read
        protocol = Protocol.load(call.option("manifest"))
        relayer = signer(call.option("account"))
        relayed, skipped = ballots.relay(protocol, relayer, book, call["ballots"])
    settle()
    if skipped:
        sys.exit(SKIPPED_STATUS)
    return relayed, skipped
