"""What scripts/deploy.py prints after a run: the steps sent, the contracts and every allocation."""

from __future__ import annotations

from pathlib import Path

from harness.chain.protocol import handle
from harness.core.config import DeployConfig
from harness.core.manifest import Manifest
from harness.core.units import BPS, format_tokens


def print_deployment(config: DeployConfig, manifest: Manifest, manifest_file: Path, sent: list[str]) -> None:
    status = f"{len(sent)} step(s) sent" if sent else "nothing sent: already deployed"
    print(f"\nDeployment on {manifest.network} (chain id {manifest.chain_id}): {status}")
    print(f"manifest: {manifest_file}")
    print("\nContracts")
    for key, record in manifest.contracts.items():
        print(f"  {key:<28} {record.address}  (block {record.block})")
    token = handle("ServiceToken", manifest.address_of("ServiceToken"))
    print(f"\nAllocations of {format_tokens(config.token.supply)} {config.token.symbol}")
    for name, recipient, amount in config.allocation_rows(manifest.address_of("TimelockController"), manifest.vesting_wallets()):
        share = amount * BPS // config.token.supply
        print(
            f"  {name:<20} {recipient}  {format_tokens(amount):>15} ({share / 100:.2f}%)"
            f"  balance now {format_tokens(token.balanceOf(recipient))}"
        )
