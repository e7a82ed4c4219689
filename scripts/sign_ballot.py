"""Sign a vote offline (EIP-712 Ballot) and add it to a ballot file for anyone to relay
(harness/governance/ballots.py).

    tools/run scripts/sign_ballot.py BALLOTS.json PROPOSAL_ID for|against|abstain [account=N | keystore=PATH] [nonce=N] [manifest=PATH] --network NETWORK

The key signs locally with eth-account and never leaves this process: Anvil account N on a
development network, else the keystore file (password in VOTER_KEYSTORE_PASSWORD) or the key in
VOTER_PRIVATE_KEY. The chain id and governor come from the manifest, the nonce from the governor
(`nonces(voter)`, counting ballots of the same voter already in the file) unless `nonce=` is given.
Sends nothing.
"""

from __future__ import annotations

from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, Option
from harness.core.errors import ScriptError
from harness.core.units import is_whole_number
from harness.governance import ballots
from harness.governance.lifecycle import parse_proposal_id, parse_support

COMMAND = Command(
    "sign_ballot.py",
    arguments=(Argument("ballots", "BALLOTS.json"), Argument("proposal_id", "PROPOSAL_ID"), Argument("support", "for|against|abstain")),
    options=(ACCOUNT, Option("keystore", "PATH"), Option("nonce", "N"), MANIFEST),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        support = parse_support(call["support"])
        protocol = Protocol.load(call.option("manifest"))
        proposal_id = parse_proposal_id(call["proposal_id"], protocol.governor)
        key = ballots.voter_key(call.option("account"), call.option("keystore"))
        nonce = call.option("nonce")
        if nonce is not None and not is_whole_number(nonce):
            raise ScriptError(f"nonce=: must be a non-negative integer, got {nonce!r}")
        ballots.sign_into(protocol, call["ballots"], key, proposal_id, support, None if nonce is None else int(nonce))
