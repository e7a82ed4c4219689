"""Queue a proposal that passed into the timelock (harness/governance/lifecycle.py).

    tools/run scripts/queue.py PROPOSAL_ID [account=N] [manifest=PATH] --network NETWORK

Anyone may queue (the governor's `queue(uint256)` from GovernorStorage). Nothing is sent unless the
proposal has Succeeded and a dry run of the call succeeds.
"""

from __future__ import annotations

from harness.governance.lifecycle import QUEUE, stage_script

COMMAND, main = stage_script(QUEUE)
