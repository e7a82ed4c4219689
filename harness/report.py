"""Terminal output shared by the scripts."""

from __future__ import annotations

from pathlib import Path

from brownie import ServiceToken

from harness.config import DeployConfig, format_tokens
from harness.deploy import allocation_rows, read_only, vesting_wallets
from harness.manifest import Manifest


def print_deployment(config: DeployConfig, manifest: Manifest, manifest_file: Path, sent: list[str]) -> None:
    status = f"{len(sent)} step(s) sent" if sent else "nothing sent: already deployed"
    print(f"\nDeployment on {manifest.network} (chain id {manifest.chain_id}): {status}")
    print(f"manifest: {manifest_file}")
    print("\nContracts")
    for key, record in manifest.contracts.items():
        print(f"  {key:<28} {record.address}  (block {record.block})")
    token = read_only(ServiceToken, manifest.address_of("ServiceToken"))
    print(f"\nAllocations of {format_tokens(config.token.supply)} {config.token.symbol}")
    for name, recipient, amount in allocation_rows(config, manifest.address_of("TimelockController"), vesting_wallets(manifest)):
        share = amount * 10_000 // config.token.supply
        print(
            f"  {name:<20} {recipient}  {format_tokens(amount):>15} ({share / 100:.2f}%)"
            f"  balance now {format_tokens(token.balanceOf(recipient))}"
        )
