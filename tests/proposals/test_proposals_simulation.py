"""The simulation: every action's effect printed, a failing action's revert reason, chain untouched."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.scripts import REPO, assert_rejected

GRANTEE = "0x1111111111111111111111111111111111111111"


def test_simulation_prints_effects_and_leaves_the_chain_as_it_was(gov, run, chain_marks):
    treasury = gov.token.balanceOf(gov.timelock)
    before = chain_marks()
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "add-reward-token-and-grant.yaml")
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "  execute    at " in output and ": Executed" in output
    assert "  [0] RevenueDistributor.addRewardToken(token=0x036CbD53842c5426634e7929541eC2318f3dCF7e)" in output
    assert "0x036CbD53842c5426634e7929541eC2318f3dCF7e)" in output.split("rewardTokens(): ")[1].split("\n")[0]
    assert "      returns True" in output
    assert f"balanceOf(TimelockController {gov.timelock.address}): {treasury} (" in output
    assert f"balanceOf({GRANTEE}): 0 -> 250000000000000000000000 (250,000 tokens)" in output
    assert "RESULT: the proposal would pass and execute" in output
    assert "mnemonic" not in output
    assert chain_marks() == before
    assert gov.token.balanceOf(GRANTEE) == 0


def test_simulation_of_a_governor_setting(gov, run):
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "change-quorum.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "quorumNumerator(): 4 -> 3" in result.stdout
    assert gov.governor.quorumNumerator() == 4


def test_simulation_of_the_minimum_quorum(gov, run):
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "change-minimum-quorum.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "minimumQuorum(): 2000000000000000000000000 (2,000,000 tokens) -> 15000000000000000000000000 (15,000,000 tokens)"
        in result.stdout
    )
    assert "RESULT: the proposal would pass and execute" in result.stdout
    assert gov.governor.minimumQuorum() == 2_000_000 * 10**18


def test_simulation_reports_the_failing_action(gov, run, write_proposal, chain_marks):
    path = write_proposal(
        """\
title: Broken
actions:
  - contract: ServiceToken
    function: transfer
    args: ["0x1111111111111111111111111111111111111111", "1 AIS"]
  - contract: RevenueDistributor
    function: addRewardToken
    args: ["@ServiceToken"]
  - contract: ServiceGovernor
    function: updateQuorumNumerator
    args: [3]
"""
    )
    before = chain_marks()
    result = run("scripts/simulate_proposal.py", path)
    output = result.stdout
    assert result.returncode == 1, output + result.stderr
    reason = f"TokenAlreadyActive(token={gov.token.address})"
    assert f"      REVERTS: {reason}" in output
    assert "      not reached: an earlier action reverts" in output
    assert "balanceOf(0x1111111111111111111111111111111111111111): 0 -> 1000000000000000000" in output
    assert f"RESULT: the proposal would FAIL: execution reverts: {reason}" in output
    assert chain_marks() == before


def test_simulation_of_a_live_manifest_uses_a_fresh_deployment(gov, run, deployments, tmp_path):
    live = json.loads(next(Path(deployments).glob("*.json")).read_text())
    live.update(network="base-sepolia", chain_id=84532)
    manifest = tmp_path / "base-sepolia-84532.json"
    manifest.write_text(json.dumps(live))
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "change-quorum.yaml", f"manifest={manifest}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "on a FRESH local deployment from " in result.stdout
    assert "cannot be forked offline here" in result.stdout
    assert "quorumNumerator(): 4 -> 3" in result.stdout


def test_simulation_voters_reach_the_default_minimum_quorum_on_a_fresh_deployment(gov, run, deployments, tmp_path):
    """A fresh deployment has no Staking Score: one simulation voter must reach the 1% default minimum
    quorum (10M) by itself, not only the threshold, or every simulation would report Defeated."""
    import yaml

    config = yaml.safe_load((REPO / "config" / "local.yaml").read_text())
    del config["governance"]["minimum_quorum"]  # the default: 1% of the 1B supply
    config["airdrop"]["csv"] = str(REPO / "config" / "airdrop-local.csv")  # the config moves to tmp_path
    config_path = tmp_path / "public-like.yaml"
    config_path.write_text(yaml.safe_dump(config))
    live = json.loads(next(Path(deployments).glob("*.json")).read_text())
    live.update(network="base-sepolia", chain_id=84532, config_path=str(config_path))
    manifest = tmp_path / "base-sepolia-84532.json"
    manifest.write_text(json.dumps(live))
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "change-minimum-quorum.yaml",
                 f"manifest={manifest}", "voters=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "each locking 10,000,000 AIS" in result.stdout
    assert ", quorum 10,000,000 (opened " in result.stdout
    assert "minimumQuorum(): 10000000000000000000000000 (10,000,000 tokens) -> 15000000000000000000000000" in result.stdout
    assert "RESULT: the proposal would pass and execute" in result.stdout


def test_simulation_bad_input(gov, run, write_proposal, chain_marks, tmp_path):
    before = chain_marks()
    bad = write_proposal("title: x\nactions:\n  - contract: ServiceToken\n    function: transfer\n    args: [1, 2]\n")
    assert_rejected(run("scripts/simulate_proposal.py", bad), "actions[0].args[0] (to: address): must be a 0x-prefixed")
    assert_rejected(run("scripts/simulate_proposal.py", bad, "voters=0"), "error: voters=: must be 1..10")
    assert_rejected(run("scripts/simulate_proposal.py", bad, f"manifest={tmp_path / 'x.json'}"), "error: manifest: no such file")
    assert chain_marks() == before


def test_simulation_of_the_services_proposal_changes_prices_split_and_table(gov, run, chain_marks):
    """proposals/services-prices-and-split.yaml: the timelock re-prices plan 2, adds plan 3, moves the
    split and the level-10 discounts; the simulation shows each change and leaves the chain as it was."""
    before = chain_marks()
    result = run("scripts/simulate_proposal.py", REPO / "proposals" / "services-prices-and-split.yaml")
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "  [0] ServiceAccess.setPlanPrice(planId=2, pricePerPeriod=900000000000000000000" in output
    assert "planCount(): 2 -> 3" in output
    assert "stakersBps(): 5000 -> 6000" in output and "treasuryBps(): 4000 -> 3000" in output
    assert "RESULT: the proposal would pass and execute" in output
    assert chain_marks() == before
    assert gov.access.planCount() == 2 and gov.access.stakersBps() == 5_000
    assert tuple(gov.access.plans(2))[1] == 1_000 * 10**18


def test_the_deal_template_creates_the_deal_through_the_governor_and_timelock(gov, run, write_proposal, chain_marks,
                                                                             accounts, ServiceToken):
    """proposals/deal-template.yaml with its EDIT fields filled in (seller, sale token, absolute times):
    the seller approves first; the simulation shows the deal created; then the real proposal passes
    through the governor and the timelock and deal 1 holds exactly the template's parameters."""
    import yaml

    from harness.chain.time import mine_at, now
    from harness.core.proposals.build import build_proposal
    from harness.core.proposals.spec import load_proposal
    from harness.core.units import DAY, HOUR, UNIT
    from harness.governance import lifecycle

    template = REPO / "proposals" / "deal-template.yaml"
    build_proposal(load_proposal(template), gov.catalog)  # the committed template is valid as it is

    seller = accounts[7]
    sale = ServiceToken.deploy("Example", "EXAMPLE", [seller], [1_000_000 * UNIT], {"from": accounts[0]})
    sale.approve(gov.deals, 1_000_000 * UNIT, {"from": seller})  # the off-chain step before proposing
    data = yaml.safe_load(template.read_text())
    params = data["actions"][0]["args"]["params"]
    snapshot, start = now() - 60, now() + 10 * DAY
    params.update(seller=seller.address, saleToken=sale.address, snapshot=snapshot, start=start, end=start + 3 * DAY)
    path = write_proposal(yaml.safe_dump(data, sort_keys=False), "deal.yaml")

    before = chain_marks()
    result = run("scripts/simulate_proposal.py", path)
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert f"  [0] EarlyAccessDeals.createDeal(params=({seller.address}, {sale.address}, " in output
    assert "      returns 1\n" in output
    assert "dealCount(): 0 -> 1" in output
    assert "RESULT: the proposal would pass and execute" in output
    assert chain_marks() == before and gov.deals.dealCount() == 0

    proposer = accounts[2]
    proposal_id = lifecycle.propose(gov, proposer, load_proposal(path), path)
    mine_at(int(gov.governor.proposalSnapshot(proposal_id)) + 1)
    for voter in (accounts[2], accounts[3]):
        lifecycle.vote(gov, voter, proposal_id, 1)
    mine_at(int(gov.governor.proposalDeadline(proposal_id)) + 1)
    lifecycle.queue(gov, proposer, proposal_id)
    mine_at(int(gov.governor.proposalEta(proposal_id)))
    lifecycle.execute(gov, proposer, proposal_id)

    assert gov.deals.dealCount() == 1
    view = gov.deals.deal(1)
    created = [list(value) if isinstance(value, (list, tuple)) else value for value in view[0]]
    assert created == [
        seller.address, sale.address, 1_000_000 * UNIT, gov.token.address, UNIT // 20, snapshot, start, start + 3 * DAY,
        [18 * HOUR] * 4 + [12 * HOUR] * 3 + [0] * 3,
        [amount * UNIT for amount in (500, 750, 1_000, 1_500, 2_500, 3_500, 5_000, 7_500, 10_000, 15_000)],
        1, 20_000 * UNIT, 2_000, 90 * DAY, 500,
    ]
    assert view[1] == 1  # Open
    assert gov.deals.raiseTarget(1) == 50_000 * UNIT
    assert sale.balanceOf(gov.deals) == 1_000_000 * UNIT and sale.balanceOf(seller) == 0
