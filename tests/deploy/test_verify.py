"""verify_deployment: a good deployment passes; every kind of tampering is reported."""

from brownie import ServiceToken
from brownie import accounts as brownie_accounts
from brownie import web3

from harness.core.config import parse_config
from harness.core.manifest import load_manifest
from harness.core.units import UNIT
from harness.deploy.verify import verify_deployment
from tests.deploy.helpers import rewrite


def run_verify(manifest_file, config):
    return verify_deployment(load_manifest(manifest_file), config)


def test_good_deployment_has_no_mismatch(deploy, config, manifest_file):
    deploy()
    report = run_verify(manifest_file, config)
    assert report.mismatches == []
    assert report.checked >= 20


def test_holders_moving_tokens_later_is_not_a_mismatch(deploy, config, manifest_file, accounts):
    manifest = deploy().manifest
    token = ServiceToken.at(manifest.address_of("ServiceToken"))
    token.transfer(accounts[7], 5 * UNIT, {"from": accounts[2]})  # the community pool pays someone
    assert run_verify(manifest_file, config).mismatches == []


def test_swapped_address_is_caught(deploy, config, manifest_file):
    manifest = deploy().manifest
    wallet = manifest.address_of("vesting:team-founders")
    rewrite(manifest_file, lambda d: d["contracts"]["ServiceToken"].update(address=wallet))
    mismatches = run_verify(manifest_file, config).mismatches
    assert any(m.startswith("ServiceToken.name: call failed") for m in mismatches), mismatches
    assert any(m.startswith("ServiceToken deployment tx: contract address") for m in mismatches), mismatches


def test_tampered_constructor_args_are_caught(deploy, config, manifest_file):
    deploy()
    rewrite(manifest_file, lambda d: d["contracts"]["vesting:team-founders"]["constructor_args"].__setitem__(3, 1))
    mismatches = run_verify(manifest_file, config).mismatches
    assert mismatches == [
        "vesting:team-founders constructor args (manifest): chain has "
        f"{load_manifest(manifest_file).contracts['vesting:team-founders'].constructor_args!r}, expected "
        f"{[config.allocations[3].beneficiary, config.allocations[3].start, config.allocations[3].duration, config.allocations[3].cliff]!r}"
    ]


def test_address_without_code_is_caught(deploy, config, manifest_file):
    deploy()
    empty = brownie_accounts[9].address
    rewrite(manifest_file, lambda d: d["contracts"]["vesting:team-engineering"].update(address=empty))
    assert run_verify(manifest_file, config).mismatches == [f"vesting:team-engineering: no contract code at {empty}"]


def test_wrong_chain_and_digest_are_caught(deploy, config, manifest_file):
    deploy()
    rewrite(manifest_file, lambda d: d.update(chain_id=5, config_digest="0x00"))
    mismatches = run_verify(manifest_file, config).mismatches
    assert mismatches[:2] == ["chain id: chain has 31337, expected 5", f"config digest: chain has {config.digest()!r}, expected '0x00'"]


def test_config_that_differs_from_the_deployment_is_caught(deploy, config_data, manifest_file):
    deploy()
    data = config_data
    data["allocations"][3]["cliff"] = "51w"
    other = parse_config(data)
    mismatches = run_verify(manifest_file, other).mismatches
    assert mismatches[0].startswith("config digest")
    # digest differs, so the rest is not read: the report says why rather than guessing


def test_incomplete_deployment_is_reported(deploy, config, manifest_file):
    deploy()
    rewrite(manifest_file, lambda d: d.update(complete=False))
    assert run_verify(manifest_file, config).mismatches == [
        "manifest: deployment is not complete (re-run scripts/deploy.py to resume)"
    ]


def test_wrong_owner_wiring_and_roles_are_caught(deploy, config, manifest_file, accounts):
    """The timelock (through a proposal, simulated here by acting as it) hands the escrow to someone
    else, adds a reward token and grants a role: verify reports each against the config."""
    from brownie import RevenueDistributor, TimelockController, VotingEscrow

    manifest = deploy().manifest
    timelock_address = manifest.address_of("TimelockController")
    # acting as the timelock costs gas on a chain with a base fee, and the timelock holds no ETH
    web3.provider.make_request("anvil_setBalance", [timelock_address, hex(10**18)])
    as_timelock = {"from": accounts.at(timelock_address, force=True)}
    escrow = VotingEscrow.at(manifest.address_of("VotingEscrow"))
    distributor = RevenueDistributor.at(manifest.address_of("RevenueDistributor"))
    timelock = TimelockController.at(timelock_address)
    escrow.transferOwnership(accounts[7], as_timelock)
    stray = ServiceToken.deploy("Stray", "STR", [accounts[7].address], [10**18], {"from": accounts[7]})
    distributor.addRewardToken(stray, as_timelock)
    timelock.grantRole(timelock.PROPOSER_ROLE(), accounts[0], as_timelock)
    mismatches = run_verify(manifest_file, config).mismatches
    token = manifest.address_of("ServiceToken")
    assert mismatches == [
        f"VotingEscrow.owner: chain has {accounts[7].address!r}, expected {timelock_address!r}",
        f"RevenueDistributor.rewardTokens: chain has {[token, stray.address]!r}, expected {[token]!r}",
        "TimelockController PROPOSER_ROLE holders: chain has "
        f"{sorted([manifest.address_of('ServiceGovernor'), accounts[0].address])!r}, "
        f"expected {[manifest.address_of('ServiceGovernor')]!r}",
        f"TimelockController: the deployer {accounts[0].address} still holds role "
        f"0x{bytes(timelock.PROPOSER_ROLE()).hex()}",
    ]


def test_a_governor_with_another_minimum_quorum_is_caught(deploy, config, manifest_file, accounts):
    """The manifest's governor swapped for one deployed with the same arguments but another minimum
    quorum: verify reads the minimum from the chain (and sees the timelock's roles go elsewhere)."""
    from brownie import ServiceGovernor

    manifest = deploy().manifest
    governance = config.governance
    impostor = ServiceGovernor.deploy(
        manifest.address_of("VotingEscrow"), manifest.address_of("TimelockController"), governance.voting_delay,
        governance.voting_period, config.proposal_threshold, governance.quorum_percent,
        governance.late_quorum_extension, config.minimum_quorum // 2, manifest.address_of("StakingLevels"),
        {"from": accounts[7]},
    )
    rewrite(manifest_file, lambda d: d["contracts"]["ServiceGovernor"].update(address=impostor.address))
    mismatches = run_verify(manifest_file, config).mismatches
    assert mismatches[0] == (
        f"ServiceGovernor.minimumQuorum: chain has {config.minimum_quorum // 2!r}, expected {config.minimum_quorum!r}"
    )
    assert [m.split(":")[0] for m in mismatches[1:]] == [
        "TimelockController PROPOSER_ROLE holders", "TimelockController CANCELLER_ROLE holders"
    ]
