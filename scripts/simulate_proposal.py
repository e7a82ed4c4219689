"""Simulate a proposal end to end on a local Anvil before proposing it for real.

    brownie run scripts/simulate_proposal.py main PROPOSAL.yaml [manifest=PATH] [voters=N] --network development

propose -> vote -> queue -> execute with time travel, voted by simulation voters whose locks are
created here; prints every action's return value or revert reason and the views it changed (before
-> after). The chain is reverted at the end. A manifest of the connected chain runs against its real
state; a manifest of another (live) network runs on a fresh local deployment made from its config
(no fork offline: see docs/governance.md). Exit status 1 when the proposal would not execute.
"""

from __future__ import annotations

import sys

from harness.chain import settle
from harness.cli import ScriptError, script_errors
from harness.proposal_chain import split_args
from harness.proposal_sim import Simulation, simulate
from harness.proposals import load_proposal

USAGE = "simulate_proposal.py main PROPOSAL.yaml [manifest=PATH] [voters=N]"


def main(*args: str) -> Simulation:
    with script_errors():
        (path,), options = split_args(args, USAGE, ["PROPOSAL.yaml"], options={"manifest", "voters"})
        voters = options.get("voters", "2")
        if not voters.isdigit() or not 1 <= int(voters) <= 10:
            raise ScriptError(f"voters=: must be 1..10, got {voters!r}")
        spec = load_proposal(path)
        sim = simulate(spec, path, options.get("manifest"), int(voters))
    settle()
    if sim.failure:
        sys.exit(1)
    return sim
