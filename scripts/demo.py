"""`make demo`: deploy the protocol to the local Anvil chain brownie starts and show the result."""

from __future__ import annotations

from harness.chain import settle
from scripts import deploy


def main() -> None:
    deploy.main()
    settle()
