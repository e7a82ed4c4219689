"""The community airdrop in the deployment (SPEC 5.4, issue 15): config `airdrop` plus an allocation of
kind `airdrop`, minted to the deployer, which funds the airdrop with all of it; the airdrop is a trusted
lock creator, its tree dump is written beside the manifest, and verify checks all of it. Bad airdrop
input stops the deployment before its first transaction, naming the field."""

import json

import pytest

from harness.core.config import parse_config
from harness.core.errors import DeployError
from harness.core.merkle import airdrop_tree, read_airdrop_csv
from harness.core.paths import airdrop_tree_path
from harness.core.units import UNIT
from tests.deploy.conftest import LOCAL_CONFIG
from tests.deploy.helpers import rewrite
from tests.deploy.test_verify import run_verify

CSV = LOCAL_CONFIG.parent / "airdrop-local.csv"


def test_the_airdrop_is_deployed_funded_trusted_and_dumped(deploy, config, manifest_file, accounts):
    manifest = deploy().manifest
    from brownie import CommunityAirdrop, ServiceToken, VotingEscrow

    airdrop = CommunityAirdrop.at(manifest.address_of("CommunityAirdrop"))
    token = ServiceToken.at(manifest.address_of("ServiceToken"))
    tree = airdrop_tree(read_airdrop_csv(CSV))
    total = sum(e.amount for e in read_airdrop_csv(CSV))
    assert "0x" + bytes(airdrop.merkleRoot()).hex() == tree.root
    assert airdrop.airdropTotal() == total == 500_000 * UNIT + UNIT // 2
    assert airdrop.bonusReserve() == config.airdrop.bonus_reserve
    assert airdrop.treasury() == manifest.address_of("TimelockController")
    assert token.balanceOf(airdrop) == 1_000_000 * UNIT and token.balanceOf(accounts[0]) == 0
    assert VotingEscrow.at(manifest.address_of("VotingEscrow")).isTrustedLockCreator(airdrop)
    assert json.loads(airdrop_tree_path(manifest_file).read_text()) == tree.dump()
    assert run_verify(manifest_file, config).mismatches == []


def test_the_claim_window_runs_from_the_deployment_and_survives_a_resume(deploy, config, manifest_file):
    from brownie import CommunityAirdrop, chain

    manifest = deploy().manifest
    record = manifest.contracts["CommunityAirdrop"]
    deployed_at = chain[record.block].timestamp
    assert CommunityAirdrop.at(record.address).claimDeadline() == deployed_at + config.airdrop.claim_window
    assert deploy().sent == []  # resumed later: the recorded deadline is the one asked for again


def test_an_allocation_not_matching_the_tree_stops_before_any_transaction(deploy, config_data, accounts):
    config_data["allocations"][-1]["amount"] = 1_000_001
    config_data["allocations"][1]["amount"] -= 1
    nonce = accounts[0].nonce
    with pytest.raises(DeployError) as raised:
        deploy(parse_config(config_data))
    assert str(raised.value) == (
        "allocations.5.amount (community-airdrop): 1,000,001 tokens, the airdrop needs exactly 500,000.5 "
        "(the total of airdrop-local.csv) + 499,999.5 (airdrop.bonus_reserve) = 1,000,000"
    )
    assert accounts[0].nonce == nonce


def test_a_bad_csv_stops_before_any_transaction(deploy, config_data, accounts, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("address,amount\n0x70997970C51812dc3A010C7d01b50e0d17dc79C8,10\n0x1234,5\n")
    config_data["airdrop"]["csv"] = str(bad)
    nonce = accounts[0].nonce
    with pytest.raises(DeployError) as raised:
        deploy(parse_config(config_data))
    assert str(raised.value).startswith(f"airdrop.csv: {bad}: line 3: address ")
    config_data["airdrop"]["csv"] = str(tmp_path / "missing.csv")
    with pytest.raises(DeployError) as raised:
        deploy(parse_config(config_data))
    assert str(raised.value) == f"airdrop.csv: cannot read {tmp_path / 'missing.csv'}: No such file or directory"
    assert accounts[0].nonce == nonce


def test_a_past_fixed_deadline_stops_before_any_transaction(deploy, config_data, accounts):
    del config_data["airdrop"]["claim_window"]
    config_data["airdrop"]["deadline"] = 1_000_000
    nonce = accounts[0].nonce
    with pytest.raises(DeployError) as raised:
        deploy(parse_config(config_data))
    assert str(raised.value).startswith("airdrop.deadline: 1000000 is not after the chain's time ")
    assert accounts[0].nonce == nonce


def test_verify_catches_an_airdrop_of_another_tree(deploy, config, manifest_file, accounts):
    """The manifest's airdrop swapped for one with another root (same other parameters)."""
    from brownie import CommunityAirdrop

    manifest = deploy().manifest
    record = manifest.contracts["CommunityAirdrop"]
    escrow, _, total, deadline, bps, treasury = record.constructor_args
    impostor = CommunityAirdrop.deploy(escrow, "0x" + "ab" * 32, total, deadline, bps, treasury, {"from": accounts[7]})
    rewrite(manifest_file, lambda d: d["contracts"]["CommunityAirdrop"].update(address=impostor.address))
    mismatches = run_verify(manifest_file, config).mismatches
    assert any(m.startswith("CommunityAirdrop.merkleRoot: chain has '0x" + "ab" * 32) for m in mismatches), mismatches
    assert any(m.startswith("VotingEscrow.isTrustedLockCreator(CommunityAirdrop): chain has False") for m in mismatches)
