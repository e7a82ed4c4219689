"""Gas measured against the committed snapshot (gas-snapshot.json): what fails the check, the table
printed, and the snapshot file itself."""

from __future__ import annotations

import json
from pathlib import Path

from harness.core.paths import GAS_SNAPSHOT

TOLERANCE = 0.01  # an increase above 1% fails unless the snapshot is updated in the same commit
SCALING_PAIR = ("RevenueDistributor.claim (1 week, 1 staker)", "RevenueDistributor.claim (1 week, 200 stakers)")


def compare(measured: dict[str, int], snapshot: dict[str, int]) -> list[str]:
    """Why the measurement fails the snapshot (empty: it passes)."""
    failures = []
    for name, used in measured.items():
        if name not in snapshot:
            failures.append(f"{name}: not in the snapshot (run `make gas-update` and commit it)")
        elif used > snapshot[name] * (1 + TOLERANCE):
            failures.append(f"{name}: {used} gas, {used - snapshot[name]:+} over the snapshot's {snapshot[name]}")
    for name in snapshot.keys() - measured.keys():
        failures.append(f"{name}: in the snapshot but no longer measured (run `make gas-update`)")
    return failures


def scaling_failures(measured: dict[str, int]) -> list[str]:
    """SPEC 2.3: a claim's gas does not depend on the number of stakers."""
    one, many = (measured[name] for name in SCALING_PAIR)
    if one != many:
        return [f"claim gas depends on the number of stakers: {one} with 1, {many} with 200"]
    return []


def load_snapshot(path: Path = GAS_SNAPSHOT) -> dict[str, int]:
    return json.loads(path.read_text()) if path.exists() else {}


def write_snapshot(measured: dict[str, int], path: Path = GAS_SNAPSHOT) -> None:
    path.write_text(json.dumps(dict(sorted(measured.items())), indent=2) + "\n")


def table(measured: dict[str, int], snapshot: dict[str, int]) -> str:
    width = max(len(name) for name in measured)
    lines = [f"{'operation':<{width}}  {'gas':>10}  {'snapshot':>10}  {'change':>8}"]
    for name, used in measured.items():
        before = snapshot.get(name)
        change = f"{(used - before) / before:+.2%}" if before else "new"
        lines.append(f"{name:<{width}}  {used:>10,}  {before or 0:>10,}  {change:>8}")
    return "\n".join(lines)
