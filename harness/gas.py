"""Gas benchmark: run each user-facing operation on a fresh local chain, compare with the snapshot.

An operation's gas is `gas_used` of its receipt. A scenario sets up state and returns
{operation name: receipt}; later parts of the protocol add scenarios to SCENARIOS.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from brownie import ServiceToken, accounts, chain
from eth_account import Account

from harness.config import UNIT
from harness.signing import sign_permit

REPO_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO_ROOT / "gas-snapshot.json"
BENCHMARK_KEY = "0x" + "42" * 32
TOLERANCE = 0.01  # an increase above 1% fails unless the snapshot is updated in the same commit

Receipts = dict[str, Any]


def token_scenario() -> Receipts:
    holder, other, spender = accounts[1], accounts[2], accounts[3]
    token = ServiceToken.deploy(
        "AI Service Token", "AIS", [holder.address], [1_000_000 * UNIT], {"from": accounts[0]}
    )
    signer = Account.from_key(BENCHMARK_KEY)  # fixed key: calldata, hence gas, is the same every run
    token.transfer(signer.address, 10 * UNIT, {"from": holder})
    deadline = chain[-1].timestamp + 3600
    v, r, s = sign_permit(
        signer.key.hex(), token.name(), token.address, chain.id,
        signer.address, spender.address, 5 * UNIT, token.nonces(signer.address), deadline,
    )
    receipts: Receipts = {"ServiceToken.deploy (1 allocation)": token.tx}
    receipts["ServiceToken.transfer (to new holder)"] = token.transfer(other, UNIT, {"from": holder})
    receipts["ServiceToken.transfer (to existing holder)"] = token.transfer(other, UNIT, {"from": holder})
    receipts["ServiceToken.approve"] = token.approve(spender, 10 * UNIT, {"from": holder})
    receipts["ServiceToken.transferFrom"] = token.transferFrom(holder, other, UNIT, {"from": spender})
    receipts["ServiceToken.permit"] = token.permit(
        signer.address, spender, 5 * UNIT, deadline, v, r, s, {"from": spender}
    )
    receipts["ServiceToken.burn"] = token.burn(UNIT, {"from": holder})
    return receipts


SCENARIOS: list[Callable[[], Receipts]] = [token_scenario]


def measure() -> dict[str, int]:
    gas: dict[str, int] = {}
    for scenario in SCENARIOS:
        for name, receipt in scenario().items():
            gas[name] = int(receipt.gas_used)
    return gas


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


def load_snapshot(path: Path = SNAPSHOT) -> dict[str, int]:
    return json.loads(path.read_text()) if path.exists() else {}


def write_snapshot(measured: dict[str, int], path: Path = SNAPSHOT) -> None:
    path.write_text(json.dumps(dict(sorted(measured.items())), indent=2) + "\n")


def table(measured: dict[str, int], snapshot: dict[str, int]) -> str:
    width = max(len(name) for name in measured)
    lines = [f"{'operation':<{width}}  {'gas':>10}  {'snapshot':>10}  {'change':>8}"]
    for name, used in measured.items():
        before = snapshot.get(name)
        change = f"{(used - before) / before:+.2%}" if before else "new"
        lines.append(f"{name:<{width}}  {used:>10,}  {before or 0:>10,}  {change:>8}")
    return "\n".join(lines)
