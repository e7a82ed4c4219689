"""`make demo`: the whole system at work on the local Anvil chain brownie starts, in a few minutes.

    tools/run scripts/demo.py --network development

The story (deploy, locks, 20 weeks of revenue, a proposal, claims, an early exit, charts in
reports/) is harness/demo/story.py.
"""

from __future__ import annotations

from harness.chain.entry import script_errors
from harness.chain.time import settle
from harness.core.cli import Command
from harness.demo import story

COMMAND = Command("demo.py")


def main(*args: str) -> None:
    with script_errors():
        COMMAND.parse(args)
        story.run()
    settle()
