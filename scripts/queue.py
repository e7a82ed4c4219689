"""Queue a proposal that passed into the timelock.

    brownie run scripts/queue.py main PROPOSAL_ID [account=N] [manifest=PATH] --network NETWORK

Anyone may queue (the governor's `queue(uint256)` from GovernorStorage). Nothing is sent unless the
proposal has Succeeded.
"""

from __future__ import annotations

from harness.chain import settle
from harness.cli import ScriptError, script_errors
from harness.proposal_chain import (
    account_option,
    load_deployment,
    parse_proposal_id,
    require_state,
    split_args,
    try_call,
    utc,
)

USAGE = "queue.py main PROPOSAL_ID [account=N] [manifest=PATH]"


def main(*args: str) -> None:
    with script_errors():
        (id_text,), options = split_args(args, USAGE, ["PROPOSAL_ID"], options={"account", "manifest"})
        deployment = load_deployment(options.get("manifest"))
        governor = deployment.governor
        proposal_id = parse_proposal_id(id_text, governor)
        sender = account_option(options)
        require_state(governor, proposal_id, ("Succeeded",), "queueing")
        queue = governor.queue["uint256"]
        ok, reason = try_call(sender.address, governor.address, bytes.fromhex(queue.encode_input(proposal_id)[2:]))
        if not ok:
            raise ScriptError(f"proposal_id: queueing would revert: {reason}")
        tx = queue(proposal_id, {"from": sender})
        eta = int(governor.proposalEta(proposal_id))
        print(f"queued {proposal_id} (tx {tx.txid}); executable from {utc(eta)} ({eta})")
    settle()
