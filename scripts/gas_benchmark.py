"""Gas per user-facing operation, checked against gas-snapshot.json (harness/gas).

    make gas          measure and compare (exit 1 on an increase over 1%, or a new/removed operation)
    make gas-update   measure and rewrite the snapshot (commit it, with the reason for any increase)
"""

from __future__ import annotations

import os
import sys

from harness.chain.entry import script_errors
from harness.chain.time import settle
from harness.core.cli import Command
from harness.core.paths import GAS_SNAPSHOT
from harness.gas.scenarios import measure
from harness.gas.snapshot import SCALING_PAIR, compare, load_snapshot, scaling_failures, table, write_snapshot

COMMAND = Command("gas_benchmark.py")


def main(*args: str) -> None:
    with script_errors():
        COMMAND.parse(args)
        measured = measure()
    settle()
    snapshot = load_snapshot()
    print("\n" + table(measured, snapshot))
    one, many = (measured[name] for name in SCALING_PAIR)
    print(f"\nclaim of one week: {one:,} gas with 1 staker, {many:,} gas with 200 stakers")
    scaling = scaling_failures(measured)
    if scaling:
        print(f"\ngas check FAILED: {scaling[0]}")
        sys.exit(1)
    if os.environ.get("GAS_SNAPSHOT_UPDATE") == "1":
        write_snapshot(measured)
        print(f"\nwrote {GAS_SNAPSHOT}")
        return
    failures = compare(measured, snapshot)
    if failures:
        print("\ngas check FAILED:")
        for line in failures:
            print(f"  {line}")
        sys.exit(1)
    print(f"\ngas check passed: {len(measured)} operations within 1% of {GAS_SNAPSHOT.name}")
