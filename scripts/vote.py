"""Vote on a proposal with your Staking Score at its snapshot.

    brownie run scripts/vote.py main PROPOSAL_ID for|against|abstain [reason=TEXT] [account=N] [manifest=PATH] --network NETWORK

PROPOSAL_ID is the decimal (or 0x hex) id or `latest`. With `reason=...` the vote is cast with
`castVoteWithReason`, otherwise with `castVote`. Nothing is sent unless the vote is open, the account
has not voted yet and it had Staking Score at the snapshot.
"""

from __future__ import annotations

from harness.chain import settle
from harness.cli import ScriptError, script_errors
from harness.proposal_chain import (
    SUPPORT_NAMES,
    account_option,
    load_deployment,
    parse_proposal_id,
    parse_support,
    require_state,
    split_args,
    tokens,
)

USAGE = "vote.py main PROPOSAL_ID for|against|abstain [reason=TEXT] [account=N] [manifest=PATH]"


def main(*args: str) -> None:
    with script_errors():
        (id_text, support_text), options = split_args(
            args, USAGE, ["PROPOSAL_ID", "SUPPORT"], options={"reason", "account", "manifest"}
        )
        support = parse_support(support_text)
        deployment = load_deployment(options.get("manifest"))
        governor = deployment.governor
        proposal_id = parse_proposal_id(id_text, governor)
        voter = account_option(options)
        require_state(governor, proposal_id, ("Active",), "voting")
        if governor.hasVoted(proposal_id, voter.address):
            raise ScriptError(f"account: {voter.address} has already voted on proposal {proposal_id}")
        weight = int(governor.getVotes(voter.address, governor.proposalSnapshot(proposal_id)))
        if weight == 0:
            raise ScriptError(f"account: {voter.address} had no Staking Score at the snapshot: the vote would count 0")
        if "reason" in options:
            tx = governor.castVoteWithReason(proposal_id, support, options["reason"], {"from": voter})
        else:
            tx = governor.castVote(proposal_id, support, {"from": voter})
        print(f"{voter.address} voted {SUPPORT_NAMES[support]} on {proposal_id} with {tokens(weight)} Staking Score (tx {tx.txid})")
    settle()
