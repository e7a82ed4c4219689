"""Building proposals from YAML: exact calldata, the proposal id, and every validation error."""

from __future__ import annotations

import pytest
import yaml
from brownie import web3

from harness.core.errors import ProposalError
from harness.core.paths import REPO_ROOT as REPO
from harness.core.proposals.build import build_proposal, catalog_from_manifest, decode_call
from harness.core.proposals.spec import load_proposal, parse_proposal
from harness.core.units import UNIT

USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
GRANTEE = "0x1111111111111111111111111111111111111111"


@pytest.fixture(scope="module")
def catalog(system):
    return catalog_from_manifest(system.manifest, "AIS")


def build(data, catalog, **kw):
    return build_proposal(parse_proposal(data), catalog, **kw)


def errors_of(data, catalog) -> list[str]:
    with pytest.raises(ProposalError) as info:
        build(data, catalog)
    return info.value.problems


def one_action(**action) -> dict:
    return {"title": "t", "actions": [action]}


def test_example_reward_token_and_grant_calldata_is_exact(system, catalog):
    proposal = build_proposal(load_proposal(REPO / "proposals" / "add-reward-token-and-grant.yaml"), catalog)
    assert proposal.targets == [system.distributor.address, system.token.address]
    assert proposal.values == [0, 0]
    assert proposal.calldatas[0].hex() == system.distributor.addRewardToken.encode_input(USDC)[2:]
    assert proposal.calldatas[1].hex() == system.token.transfer.encode_input(GRANTEE, 250_000 * UNIT)[2:]
    assert proposal.description.startswith("# Add USDC as a reward token and fund the analytics-agent grant\n\n## Summary")


def test_example_change_quorum_calldata_and_id_match_the_governor(system, catalog):
    proposal = build_proposal(load_proposal(REPO / "proposals" / "change-quorum.yaml"), catalog)
    governor = system.governor
    assert proposal.calldatas == [bytes.fromhex(governor.updateQuorumNumerator.encode_input(3)[2:])]
    expected = governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, web3.keccak(text=proposal.description))
    assert proposal.proposal_id == expected


def test_example_change_minimum_quorum_is_whole_tokens_and_matches_the_governor(system, catalog):
    proposal = build_proposal(load_proposal(REPO / "proposals" / "change-minimum-quorum.yaml"), catalog)
    governor = system.governor
    assert proposal.targets == [governor.address] and proposal.values == [0]
    assert proposal.calldatas == [bytes.fromhex(governor.setMinimumQuorum.encode_input(15_000_000 * UNIT)[2:])]
    expected = governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, web3.keccak(text=proposal.description))
    assert proposal.proposal_id == expected


def test_named_args_manifest_references_units_and_full_signatures(system, catalog, accounts):
    data = {
        "title": "Many forms",
        "description": "body",
        "actions": [
            {"contract": "ServiceToken", "function": "transfer", "args": {"to": "@vesting:team-founders", "value": "1_234.5 AIS"}},
            {"contract": "ServiceGovernor", "function": "setVotingDelay", "args": ["2d"]},
            {"contract": "ServiceGovernor", "function": "setLateQuorumVoteExtension", "args": ["36h"]},
            {"contract": "ServiceToken", "function": "approve", "args": [accounts[1].address.lower(), 7]},
            {"contract": "ServiceGovernor", "function": "queue(uint256)", "args": ["5"]},
            {"contract": "TimelockController", "function": "grantRole",
             "args": ["0x" + "ab" * 32, "@ServiceGovernor"]},
        ],
    }
    proposal = build(data, catalog)
    vesting = system.manifest.address_of("vesting:team-founders")
    governor, token, timelock = system.governor, system.token, system.timelock
    expected = [
        token.transfer.encode_input(vesting, 1_234_500 * UNIT // 1000),
        governor.setVotingDelay.encode_input(2 * 86400),
        governor.setLateQuorumVoteExtension.encode_input(36 * 3600),
        token.approve.encode_input(accounts[1], 7),
        governor.queue["uint256"].encode_input(5),
        timelock.grantRole.encode_input("0x" + "ab" * 32, governor.address),
    ]
    assert ["0x" + c.hex() for c in proposal.calldatas] == expected
    assert proposal.description == "# Many forms\n\nbody"
    assert decode_call(catalog, token.address, proposal.calldatas[0]) == (
        f"ServiceToken.transfer(to={vesting}, value={1_234_500 * UNIT // 1000} (1,234.5 tokens))"
    )


def test_proposer_suffix(catalog, accounts):
    proposal = build(one_action(contract="ServiceGovernor", function="updateQuorumNumerator", args=[5]), catalog, proposer=accounts[2].address)
    assert proposal.description == f"# t\n\n#proposer={accounts[2].address}"


@pytest.mark.parametrize(
    "action, expected",
    [
        (dict(contract="Nope", function="x"), "actions[0].contract: 'Nope' is not a contract of the manifest (known: CommunityAirdrop, EarlyAccessDeals, RevenueDistributor, ServiceAccess, ServiceGovernor, ServiceToken, StakingLevels"),
        (dict(contract="ServiceToken", function="mint", args=[1]), "actions[0].function: ServiceToken has no function 'mint' (state-changing ones: approve, burn, burnFrom, permit, transfer, transferFrom)"),
        (dict(contract="ServiceToken", function="balanceOf", args=[GRANTEE]), "actions[0].function: ServiceToken.balanceOf(address) is a view function"),
        (dict(contract="ServiceGovernor", function="queue", args=[1]), "actions[0].function: ServiceGovernor.queue is overloaded: write the full signature, 'queue(address[],uint256[],bytes[],bytes32)' or 'queue(uint256)'"),
        (dict(contract="ServiceGovernor", function="queue(uint8)", args=[1]), "actions[0].function: ServiceGovernor has no function queue(uint8) (it has queue(address[],uint256[],bytes[],bytes32), queue(uint256))"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE]), "actions[0].args: transfer(address,uint256) takes 2 argument(s) (to, value), got 1"),
        (dict(contract="ServiceToken", function="transfer", args={"to": GRANTEE}), "actions[0].args: transfer(address,uint256) takes parameters ['to', 'value']: missing ['value']"),
        (dict(contract="ServiceToken", function="transfer", args={"to": GRANTEE, "value": 1, "amount": 2}), "unknown ['amount']"),
        (dict(contract="ServiceToken", function="transfer", args=["0x1234", 1]), "actions[0].args[0] (to: address): must be a 0x-prefixed 20-byte hex address or @ContractName, got '0x1234'"),
        (dict(contract="ServiceToken", function="transfer", args=["0x036cbd53842c5426634e7929541eC2318f3dCF7e", 1]), "actions[0].args[0] (to: address): has a wrong EIP-55 checksum"),
        (dict(contract="ServiceToken", function="transfer", args=["@Treasury", 1]), "actions[0].args[0] (to: address): '@Treasury' names no contract of the manifest"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, -5]), "actions[0].args[1] (value: uint256): must not be negative for uint256, got -5"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, 2**256]), "actions[0].args[1] (value: uint256): does not fit in uint256"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, "1e9 AIS"]), "actions[0].args[1] (value: uint256): must be an integer or a string like \"N AIS\""),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, "5 USDC"]), "actions[0].args[1] (value: uint256): unknown unit 'USDC' in '5 USDC'"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, "0.0000000000000000001 AIS"]), "has more than 18 decimals of AIS"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, 1.5]), "actions[0].args[1] (value: uint256): must be an integer, got the float 1.5"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, True]), "must be an integer, got the boolean True"),
        (dict(contract="ServiceGovernor", function="setVotingDelay", args=[2**48]), "actions[0].args[0] (newVotingDelay: uint48): does not fit in uint48"),
        (dict(contract="ServiceGovernor", function="setVotingDelay", args=["-1d"]), "must not be negative for uint48"),
        (dict(contract="TimelockController", function="grantRole", args=["0x1234", GRANTEE]), "actions[0].args[0] (role: bytes32): must be exactly 32 bytes for bytes32, got 2"),
        (dict(contract="TimelockController", function="grantRole", args=["xyz", GRANTEE]), "must be 0x-prefixed hex"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, 1], value="1 ETH"), "actions[0].value: ServiceToken.transfer(address,uint256) is not payable, value must be 0"),
        (dict(contract="ServiceToken", function="transfer", args=[GRANTEE, 1], value=-1), "actions[0].value: must not be negative"),
    ],
)
def test_each_validation_error_names_the_action_and_field(catalog, action, expected):
    problems = errors_of(one_action(**action), catalog)
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_with_its_action_index(catalog):
    data = {
        "title": "t",
        "actions": [
            {"contract": "ServiceGovernor", "function": "updateQuorumNumerator", "args": [3]},
            {"contract": "ServiceToken", "function": "transfer", "args": ["0x12", -1]},
            {"contract": "Ghost", "function": "boo"},
        ],
    }
    problems = errors_of(data, catalog)
    assert [p.split(" ")[0] for p in problems] == ["actions[1].args[0]", "actions[1].args[1]", "actions[2].contract:"]


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"actions": [{"contract": "ServiceToken", "function": "transfer"}]}, "title: Field required"),
        ({"title": "a\nb", "actions": [{"contract": "X", "function": "y"}]}, "title: must be one non-empty line"),
        ({"title": "t", "actions": []}, "actions: List should have at least 1 item"),
        ({"title": "t"}, "actions: Field required"),
        ({"title": "t", "actions": [{"contract": "ServiceToken", "function": "transfer", "gas": 1}]}, "actions[0].gas: Extra inputs are not permitted"),
        ({"title": "t", "actions": [{"function": "transfer"}]}, "actions[0].contract: Field required"),
        ({"title": "t", "actions": [{"contract": "ServiceToken", "function": "transfer", "args": "x"}]}, "actions[0].args: must be a list of arguments or a mapping"),
        (["not", "a", "mapping"], "(top level): must be a mapping"),
    ],
)
def test_schema_errors(data, expected):
    with pytest.raises(ProposalError) as info:
        parse_proposal(data, "p.yaml")
    assert any(problem.startswith(expected) for problem in info.value.problems), info.value.problems
    assert str(info.value).startswith("invalid proposal p.yaml:\n  - ")


def test_file_errors(tmp_path):
    with pytest.raises(ProposalError, match=r"\(file\): no such file"):
        load_proposal(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n")
    with pytest.raises(ProposalError, match=r"\(file\): not valid YAML"):
        load_proposal(bad)


def test_examples_are_valid_yaml_with_notes():
    for path in (REPO / "proposals").glob("*.yaml"):
        spec = load_proposal(path)
        assert spec.title and spec.actions, path
        assert yaml.safe_load(path.read_text())["actions"]
