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
