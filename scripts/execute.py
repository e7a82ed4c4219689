"""Execute a queued proposal once its timelock delay has passed (harness/governance/lifecycle.py).

    tools/run scripts/execute.py PROPOSAL_ID [account=N] [manifest=PATH] --network NETWORK

Anyone may execute. Nothing is sent unless the proposal is Queued, its ETA has passed and a dry run
of the execution succeeds (a failing action is reported with its revert reason).
"""

from __future__ import annotations

from harness.governance.lifecycle import EXECUTE, stage_script

COMMAND, main = stage_script(EXECUTE)
