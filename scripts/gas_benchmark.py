"""Gas per user-facing operation, checked against gas-snapshot.json.

    make gas          measure and compare (exit 1 on an increase over 1%, or a new/removed operation)
    make gas-update   measure and rewrite the snapshot (commit it, with the reason for any increase)
"""

from __future__ import annotations

import os
import sys

from harness.chain import settle
from harness.cli import script_errors
from harness.gas import SCALING_PAIR, SNAPSHOT, compare, load_snapshot, measure, scaling_failures, table, write_snapshot


def main() -> None:
    with script_errors():  # installs the fee policy first (harness/fees.py), as in every script
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
        print(f"\nwrote {SNAPSHOT}")
        return
    failures = compare(measured, snapshot)
    if failures:
        print("\ngas check FAILED:")
        for line in failures:
            print(f"  {line}")
        sys.exit(1)
    print(f"\ngas check passed: {len(measured)} operations within 1% of {SNAPSHOT.name}")
