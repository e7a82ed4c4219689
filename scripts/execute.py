"""Execute a queued proposal once its timelock delay has passed.

    brownie run scripts/execute.py main PROPOSAL_ID [account=N] [manifest=PATH] --network NETWORK

Anyone may execute. Nothing is sent unless the proposal is Queued, its ETA has passed and a dry run
of the execution succeeds (a failing action is reported with its revert reason).
"""

from __future__ import annotations

from harness.chain import now, settle
from harness.cli import ScriptError, script_errors
from harness.proposal_chain import (
    account_option,
    duration,
    load_deployment,
    parse_proposal_id,
    require_state,
    split_args,
    try_call,
    utc,
)

USAGE = "execute.py main PROPOSAL_ID [account=N] [manifest=PATH]"


def main(*args: str) -> None:
    with script_errors():
        (id_text,), options = split_args(args, USAGE, ["PROPOSAL_ID"], options={"account", "manifest"})
        deployment = load_deployment(options.get("manifest"))
        governor = deployment.governor
        proposal_id = parse_proposal_id(id_text, governor)
        sender = account_option(options)
        require_state(governor, proposal_id, ("Queued",), "execution")
        eta = int(governor.proposalEta(proposal_id))
        if eta > now():
            raise ScriptError(f"proposal_id: {proposal_id} is executable from {utc(eta)}, in {duration(eta - now())}")
        execute = governor.execute["uint256"]
        ok, reason = try_call(sender.address, governor.address, bytes.fromhex(execute.encode_input(proposal_id)[2:]))
        if not ok:
            raise ScriptError(f"proposal_id: execution would revert: {reason}")
        tx = execute(proposal_id, {"from": sender})
        print(f"executed {proposal_id} (tx {tx.txid})")
    settle()
