"""Propose a YAML proposal file to the ServiceGovernor (harness/governance/lifecycle.py).

    tools/run scripts/propose.py PROPOSAL.yaml [suffix=yes|no] [account=N] [manifest=PATH] --network NETWORK

The file is validated and every action checked against the ABI before anything is sent. `suffix=yes`
appends `#proposer=<your address>` to the description (OpenZeppelin's protection against a copy of
the proposal sent first by someone else). SIGNER (or account=N) names the proposer.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, Option, flag_option
from harness.core.proposals.spec import load_proposal
from harness.governance import lifecycle

COMMAND = Command(
    "propose.py", arguments=(Argument("proposal", "PROPOSAL.yaml"),), options=(Option("suffix", "yes|no"), ACCOUNT, MANIFEST)
)


def main(*args: str) -> int:
    with script_errors():
        call = COMMAND.parse(args)
        spec = load_proposal(call["proposal"])
        protocol = Protocol.load(call.option("manifest"))
        proposer = signer(call.option("account"))
        with_suffix = flag_option("suffix", call.option("suffix", "no"))
        proposal_id = lifecycle.propose(protocol, proposer, spec, call["proposal"], with_suffix)
    settle()
    return proposal_id
