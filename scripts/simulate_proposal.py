"""Simulate a proposal end to end on a local Anvil before proposing it for real
(harness/governance/simulation.py).

    tools/run scripts/simulate_proposal.py PROPOSAL.yaml [manifest=PATH] [voters=N] --network development

propose -> vote -> queue -> execute with time travel, voted by simulation voters whose locks are
created here; prints every action's return value or revert reason and the views it changed (before
-> after). The chain is reverted at the end. A manifest of the connected chain runs against its real
state; a manifest of another (live) network runs on a fresh local deployment made from its config
(no fork offline: see docs/governance.md). Exit status 1 when the proposal would not execute.
"""

from __future__ import annotations

import sys

from harness.chain.entry import script_errors
from harness.chain.time import settle
from harness.core.cli import MANIFEST, Argument, Command, Option, count_option
from harness.core.proposals.spec import load_proposal
from harness.governance.simulation import Simulation, simulate

COMMAND = Command(
    "simulate_proposal.py", arguments=(Argument("proposal", "PROPOSAL.yaml"),), options=(MANIFEST, Option("voters", "N"))
)
MAX_VOTERS = 10


def main(*args: str) -> Simulation:
    with script_errors():
        call = COMMAND.parse(args)
        voters = count_option("voters", call.option("voters", "2"), 1, MAX_VOTERS)
        spec = load_proposal(call["proposal"])
        sim = simulate(spec, call["proposal"], call.option("manifest"), voters)
    settle()
    if sim.failure:
        sys.exit(1)
    return sim
