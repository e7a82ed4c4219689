"""scripts/deploy.py and its library: fresh deployment, manifest contents, resume, no re-sends."""

import json

import pytest
from brownie import RevenueDistributor, ServiceToken, chain, web3

from harness.chain.protocol import handle
from harness.core.config import parse_config
from harness.core.errors import DeployError
from harness.core.manifest import git_commit, load_manifest
from harness.core.units import UNIT
from tests.deploy.helpers import rewrite

ALL_STEPS = [
    "TimelockController",
    "vesting:team-founders",
    "vesting:team-engineering",
    "ServiceToken",
    "VotingEscrow",
    "RevenueDistributor",
    "VotingEscrow.setRevenueDistributor",
    "StakingLevels",
    "ServiceAccess",
    # no ServiceAccess.setWithdrawalDelay: config/local.yaml asks for the contract's default, 1 day
    "ServiceAccess.createPlan:research",
    "ServiceAccess.createPlan:pro",
    "ServiceGovernor",
    "TimelockController.grantRole:PROPOSER_ROLE",
    "TimelockController.grantRole:CANCELLER_ROLE",
    "EarlyAccessDeals",
    "CommunityAirdrop",
    "ServiceToken.transfer:CommunityAirdrop",
    "VotingEscrow.setTrustedLockCreator:CommunityAirdrop",
    "VotingEscrow.transferOwnership",
    "RevenueDistributor.transferOwnership",
    "StakingLevels.transferOwnership",
    "ServiceAccess.transferOwnership",
    "EarlyAccessDeals.transferOwnership",
    "TimelockController.renounceRole:DEFAULT_ADMIN_ROLE",
]


def deployed(manifest, key: str):
    """The contract the manifest records under `key`, as the type it records (brownie traces it)."""
    record = manifest.contracts[key]
    return handle(record.contract, record.address, project=True)


def test_fresh_deployment_mints_every_allocation(deploy, config, manifest_file, accounts):
    nonce = accounts[0].nonce
    deployment = deploy()
    manifest = deployment.manifest
    assert deployment.sent == ALL_STEPS
    assert accounts[0].nonce == nonce + len(ALL_STEPS)
    token = deployed(manifest, "ServiceToken")
    assert token.totalSupply() == config.token.supply == 1_000_000_000 * UNIT
    timelock = manifest.address_of("TimelockController")
    rows = config.allocation_rows(timelock, manifest.vesting_wallets(), manifest.deployer)
    assert [(name, amount) for name, _, amount in rows] == [
        ("treasury", 400_000_000 * UNIT),
        ("community", 299_000_000 * UNIT),
        ("liquidity", 100_000_000 * UNIT),
        ("team-founders", 150_000_000 * UNIT),
        ("team-engineering", 50_000_000 * UNIT),
        ("community-airdrop", 1_000_000 * UNIT),
    ]
    for name, recipient, amount in rows[:-1]:
        assert token.balanceOf(recipient) == amount, name
    assert rows[0][1] == timelock
    # the airdrop allocation was minted to the deployer, which passed all of it to the airdrop
    assert rows[-1][1] == accounts[0].address and token.balanceOf(accounts[0]) == 0
    airdrop = manifest.address_of("CommunityAirdrop")
    assert token.balanceOf(airdrop) == 1_000_000 * UNIT
    assert deployed(manifest, "VotingEscrow").isTrustedLockCreator(airdrop)


def test_vesting_wallets_follow_the_schedule(deploy, config):
    manifest = deploy().manifest
    founders = config.allocations[3]
    wallet = deployed(manifest, "vesting:team-founders")
    assert wallet.owner() == founders.beneficiary
    assert wallet.start() == founders.start
    assert wallet.duration() == founders.duration
    assert wallet.cliff() == founders.start + founders.cliff
    token = manifest.address_of("ServiceToken")
    assert wallet.vestedAmount(token, founders.start + founders.cliff - 1) == 0
    half = founders.start + founders.duration // 2
    assert wallet.vestedAmount(token, half) == founders.amount // 2
    assert wallet.vestedAmount(token, founders.start + founders.duration) == founders.amount


def test_manifest_records_what_the_chain_shows(deploy, config, manifest_file):
    deploy()
    manifest = load_manifest(manifest_file)
    assert manifest.complete
    assert manifest.chain_id == chain.id
    assert manifest.config_digest == config.digest()
    assert manifest.compiler["solc"].startswith("0.8.28")
    assert manifest.compiler["evm_version"] == "cancun"
    assert manifest.git_commit == git_commit()
    for record in manifest.contracts.values():
        receipt = web3.eth.get_transaction_receipt(record.tx_hash)
        assert receipt["contractAddress"] == record.address
        assert receipt["blockNumber"] == record.block
    founders = config.allocations[3]
    assert manifest.contracts["vesting:team-founders"].constructor_args == [
        founders.beneficiary, founders.start, founders.duration, founders.cliff
    ]
    # amounts above 2**53 are strings in the JSON, so JavaScript readers lose nothing
    raw = json.loads(manifest_file.read_text())
    assert raw["contracts"]["ServiceToken"]["constructor_args"][3][0] == str(400_000_000 * UNIT)


def test_rerun_of_a_finished_deployment_sends_nothing(deploy, accounts, manifest_file):
    deploy()
    before = (accounts[0].nonce, manifest_file.read_text())
    again = deploy()
    assert again.sent == []
    assert accounts[0].nonce == before[0]
    assert load_manifest(manifest_file).contracts == load_manifest(manifest_file).contracts
    assert json.loads(manifest_file.read_text())["contracts"] == json.loads(before[1])["contracts"]


def test_deployment_cut_off_part_way_resumes(deploy, accounts, manifest_file, monkeypatch):
    def cut_off(*args, **kwargs):
        raise ConnectionError("RPC went away")

    monkeypatch.setattr(RevenueDistributor, "deploy", cut_off)
    nonce = accounts[0].nonce
    with pytest.raises(ConnectionError):
        deploy()
    partial = load_manifest(manifest_file)
    assert not partial.complete
    assert list(partial.contracts) == ALL_STEPS[:5]
    assert accounts[0].nonce == nonce + 5

    monkeypatch.undo()
    resumed = deploy()
    assert resumed.sent == ALL_STEPS[5:]
    assert accounts[0].nonce == nonce + len(ALL_STEPS)
    manifest = load_manifest(manifest_file)
    assert manifest.complete
    assert {k: v.address for k, v in manifest.contracts.items() if k in partial.contracts} == {
        k: v.address for k, v in partial.contracts.items()
    }
    escrow = deployed(manifest, "VotingEscrow")
    assert escrow.token() == manifest.address_of("ServiceToken")


def test_transaction_sent_but_not_recorded_is_not_sent_again(deploy, accounts, manifest_file):
    """A run killed between a transaction and the manifest write: the chain shows the effect."""
    deploy()
    rewrite(manifest_file, lambda d: (d.update(complete=False), d["transactions"].clear()))
    nonce = accounts[0].nonce
    assert deploy().sent == []
    assert accounts[0].nonce == nonce
    assert load_manifest(manifest_file).complete


def test_staking_contracts_are_wired_and_owned_by_the_timelock(deploy, config):
    manifest = deploy().manifest
    token = manifest.address_of("ServiceToken")
    escrow = deployed(manifest, "VotingEscrow")
    distributor = deployed(manifest, "RevenueDistributor")
    assert escrow.token() == token
    assert escrow.maxEarlyPenaltyBps() == config.escrow.max_early_penalty_bps == 5000
    assert escrow.revenueDistributor() == distributor.address
    assert distributor.votingEscrow() == escrow.address
    assert distributor.rewardTokens() == [token]
    assert escrow.owner() == distributor.owner() == manifest.address_of("TimelockController")


def test_configured_reward_tokens_are_added(deploy, config_data, accounts):
    extra = [ServiceToken.deploy("USD Stand-in", "USDX", [accounts[2].address], [10**24], {"from": accounts[2]})]
    data = config_data
    data["distributor"] = {"reward_tokens": [extra[0].address]}
    deployment = deploy(parse_config(data))
    distributor = deployed(deployment.manifest, "RevenueDistributor")
    assert distributor.rewardTokens() == [deployment.manifest.address_of("ServiceToken"), extra[0].address]
    assert f"RevenueDistributor.addRewardToken:{extra[0].address}" in deployment.sent


def test_manifest_naming_nothing_on_chain_starts_anew(deploy, accounts, manifest_file):
    deploy()
    chain.revert()  # the local chain restarted: the manifest's contracts are gone
    nonce = accounts[0].nonce
    fresh = deploy()
    assert fresh.sent == ALL_STEPS and accounts[0].nonce == nonce + len(ALL_STEPS)


def test_changed_config_does_not_resume_over_a_live_deployment(deploy, config_data, manifest_file, accounts):
    deploy()
    changed = parse_config(
        {**config_data, "escrow": {"max_early_penalty_bps": 100}}, "changed.yaml"
    )
    nonce = accounts[0].nonce
    with pytest.raises(DeployError, match="digest"):
        deploy(changed)
    assert accounts[0].nonce == nonce


def test_manifest_for_another_chain_is_refused(deploy, manifest_file, accounts):
    deploy()
    data = json.loads(manifest_file.read_text())
    data["chain_id"] = 1
    manifest_file.write_text(json.dumps(data))
    nonce = accounts[0].nonce
    with pytest.raises(DeployError, match="chain id 1"):
        deploy()
    assert accounts[0].nonce == nonce


def test_governance_is_wired_and_the_deployer_holds_nothing(deploy, config, accounts):
    manifest = deploy().manifest
    deployer = accounts[0]
    timelock = deployed(manifest, "TimelockController")
    governor = deployed(manifest, "ServiceGovernor")
    escrow = manifest.address_of("VotingEscrow")
    assert governor.token() == escrow and governor.timelock() == timelock.address
    assert governor.votingDelay() == 86400 and governor.votingPeriod() == 5 * 86400
    assert governor.proposalThreshold() == config.token.supply // 1000 == 1_000_000 * UNIT
    assert governor.quorumNumerator() == 4 and governor.lateQuorumVoteExtension() == 2 * 86400
    assert governor.minimumQuorum() == config.minimum_quorum == 2_000_000 * UNIT
    assert governor.CLOCK_MODE() == "mode=timestamp"
    assert timelock.getMinDelay() == 2 * 86400
    roles = {name: getattr(timelock, name)() for name in ("PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE", "DEFAULT_ADMIN_ROLE")}
    assert timelock.hasRole(roles["PROPOSER_ROLE"], governor) and timelock.hasRole(roles["CANCELLER_ROLE"], governor)
    assert timelock.hasRole(roles["EXECUTOR_ROLE"], "0x0000000000000000000000000000000000000000")
    assert timelock.hasRole(roles["DEFAULT_ADMIN_ROLE"], timelock)
    for role in roles.values():
        assert not timelock.hasRole(role, deployer)
    token = deployed(manifest, "ServiceToken")
    assert token.balanceOf(timelock) == 400_000_000 * UNIT
