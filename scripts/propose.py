"""Propose a YAML proposal file to the ServiceGovernor.

    brownie run scripts/propose.py main PROPOSAL.yaml [suffix=yes] [account=N] [manifest=PATH] --network NETWORK

The file is validated and every action checked against the ABI before anything is sent. `suffix=yes`
appends `#proposer=<your address>` to the description (OpenZeppelin's protection against a copy of
the proposal sent first by someone else). `account=N` picks Anvil account N (development only).
"""

from __future__ import annotations

from brownie.network.account import Account

from harness.chain import now, settle
from harness.cli import ScriptError, script_errors
from harness.proposal_chain import (
    GovernedDeployment,
    account_option,
    load_deployment,
    split_args,
    state_name,
    tokens,
    try_call,
    utc,
)
from harness.proposals import Proposal, build_proposal, load_proposal

USAGE = "propose.py main PROPOSAL.yaml [suffix=yes|no] [account=N] [manifest=PATH]"


def parse_flag(text: str, name: str) -> bool:
    if text.lower() in ("yes", "true", "1"):
        return True
    if text.lower() in ("no", "false", "0"):
        return False
    raise ScriptError(f"{name}=: must be yes or no, got {text!r}")


def check_can_propose(deployment: GovernedDeployment, proposal: Proposal, proposer: Account) -> None:
    governor = deployment.governor
    proposal_id = proposal.proposal_id
    if governor.proposalSnapshot(proposal_id) != 0:
        raise ScriptError(
            f"proposal: the same actions and description were already proposed as {proposal_id} "
            f"({state_name(governor, proposal_id)}); change the description to propose them again"
        )
    votes = int(governor.getVotes(proposer.address, now() - 1))
    threshold = int(governor.proposalThreshold())
    if votes < threshold:
        raise ScriptError(
            f"account: {proposer.address} has {tokens(votes)} Staking Score, the proposal threshold is "
            f"{tokens(threshold)}"
        )
    calldata = governor.propose.encode_input(proposal.targets, proposal.values, proposal.calldatas, proposal.description)
    ok, result = try_call(proposer.address, governor.address, bytes.fromhex(calldata[2:]))
    if not ok:
        raise ScriptError(f"proposal: propose would revert: {result}")


def main(*args: str) -> int:
    with script_errors():
        (path,), options = split_args(args, USAGE, ["PROPOSAL.yaml"], options={"suffix", "account", "manifest"})
        spec = load_proposal(path)
        deployment = load_deployment(options.get("manifest"))
        proposer = account_option(options)
        with_suffix = parse_flag(options.get("suffix", "no"), "suffix")
        proposal = build_proposal(spec, deployment.catalog, proposer.address if with_suffix else None, source=path)
        check_can_propose(deployment, proposal, proposer)
        print(f"proposing {path}: {proposal.title}")
        for action in proposal.actions:
            print(f"  [{action.index}] {action.describe()}")
        tx = deployment.governor.propose(
            proposal.targets, proposal.values, proposal.calldatas, proposal.description, {"from": proposer}
        )
        proposal_id = int(tx.events["ProposalCreated"]["proposalId"])
        governor = deployment.governor
        print(f"proposal id {proposal_id}")
        print(f"  voting opens  {utc(governor.proposalSnapshot(proposal_id))}")
        print(f"  voting closes {utc(governor.proposalDeadline(proposal_id))}")
    settle()
    return proposal_id
