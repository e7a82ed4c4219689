"""What scripts/deploy.py prints after a run: the steps sent, the contracts and every allocation."""

from __future__ import annotations

from pathlib import Path

from harness.chain.protocol import handle
from harness.core.config import DeployConfig
from harness.core.manifest import Manifest
from harness.core.units import BPS, format_duration, format_tokens


def print_deployment(config: DeployConfig, manifest: Manifest, manifest_file: Path, sent: list[str]) -> None:
    status = f"{len(sent)} step(s) sent" if sent else "nothing sent: already deployed"
    print(f"\nDeployment on {manifest.network} (chain id {manifest.chain_id}): {status}")
    print(f"manifest: {manifest_file}")
    print("\nContracts")
    for key, record in manifest.contracts.items():
        print(f"  {key:<28} {record.address}  (block {record.block})")
    token = handle("ServiceToken", manifest.address_of("ServiceToken"))
    print(f"\nAllocations of {format_tokens(config.token.supply)} {config.token.symbol}")
    for name, recipient, amount in config.allocation_rows(manifest.address_of("TimelockController"), manifest.vesting_wallets(), manifest.deployer):
        share = amount * BPS // config.token.supply
        holder = recipient
        if config.airdrop_allocation is not None and name == config.airdrop_allocation.name:
            holder = manifest.contracts["CommunityAirdrop"].address if "CommunityAirdrop" in manifest.contracts else recipient
        print(
            f"  {name:<20} {holder}  {format_tokens(amount):>15} ({share / 100:.2f}%)"
            f"  balance now {format_tokens(token.balanceOf(holder))}"
            + ("  (the CommunityAirdrop; minted to the deployer, which funded it)" if holder != recipient else "")
        )
    split = config.access.split
    print(
        f"\nServices: split {split.stakers_bps / 100:g}% stakers / {split.treasury_bps / 100:g}% treasury / "
        f"{split.burn_bps / 100:g}% burn, credits withdrawable {format_duration(config.access.withdrawal_delay)} after a request"
    )
    for plan_id, plan in enumerate(config.access.plans, start=1):
        token_name = config.token.symbol if plan.pay_token == "staking" else plan.pay_token
        price = format_tokens(plan.price_per_period, plan.decimals)
        print(f"  plan {plan_id} {plan.name:<16} {price} {token_name} per {format_duration(plan.period)}")
