"""Show a proposal: state, votes, quorum at the snapshot, times (UTC), ETA and its actions decoded.

    brownie run scripts/proposal_status.py main [PROPOSAL_ID] [manifest=PATH] --network NETWORK

Without PROPOSAL_ID, lists every proposal of the governor with its state. Sends nothing.
"""

from __future__ import annotations

from harness.cli import script_errors
from harness.proposal_chain import load_deployment, parse_proposal_id, split_args, state_name, status_lines

USAGE = "proposal_status.py main [PROPOSAL_ID|latest] [manifest=PATH]"


def main(*args: str) -> None:
    with script_errors():
        values, options = split_args(args, USAGE, ["PROPOSAL_ID"], optional=1, options={"manifest"})
        deployment = load_deployment(options.get("manifest"))
        governor = deployment.governor
        if not values:
            count = int(governor.proposalCount())
            print(f"{count} proposal(s) on the governor {governor.address}")
            for index in range(count):
                proposal_id = int(governor.proposalDetailsAt(index)[0])
                print(f"  [{index}] {proposal_id}  {state_name(governor, proposal_id)}")
            return
        proposal_id = parse_proposal_id(values[0], governor)
        print("\n".join(status_lines(deployment, proposal_id)))
