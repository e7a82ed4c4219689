"""propose / vote / queue / execute / status as a DAO member runs them: `brownie run ... --network
<this chain>` in a subprocess, so the tests see exactly which transactions were sent (none, for bad
input)."""

from __future__ import annotations

import re

from harness.chain.time import mine_at
from harness.chain.time import now as chain_now
from harness.core.units import utc
from tests.support.scripts import assert_rejected

GRANT = """\
title: Grant and a new reward token
description: Pays a grant and lists a reward token.
actions:
  - contract: ServiceToken
    function: transfer
    args: {to: "0x1111111111111111111111111111111111111111", value: "250000 AIS"}
  - contract: RevenueDistributor
    function: addRewardToken
    args: ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"]
"""


def proposal_id_of(output: str) -> int:
    return int(re.search(r"^proposal id (\d+)$", output, re.M)[1])


def test_full_lifecycle_through_the_scripts(gov, run, write_proposal, chain_marks, accounts):
    governor, token, distributor = gov.governor, gov.token, gov.distributor
    path = write_proposal(GRANT)

    proposed = run("scripts/propose.py", path, "suffix=yes", "account=2")
    assert proposed.returncode == 0, proposed.stdout + proposed.stderr
    pid = proposal_id_of(proposed.stdout)
    assert governor.state(pid) == 0 and governor.proposalProposer(pid) == accounts[2]
    assert "[0] ServiceToken.transfer(to=0x1111111111111111111111111111111111111111, value=250000000000000000000000 (250,000 tokens))" in proposed.stdout

    # the same file again: already proposed, nothing sent
    before = chain_marks()
    assert_rejected(run("scripts/propose.py", path, "suffix=yes", "account=2"), f"error: proposal: the same actions and description were already proposed as {pid} (Pending)")
    assert chain_marks() == before

    # voting not open yet
    assert_rejected(run("scripts/vote.py", pid, "for", "account=2"), f"error: proposal_id: proposal {pid} is Pending, voting needs it Active")
    assert chain_marks() == before
    pending = run("scripts/proposal_status.py", pid)
    assert pending.returncode == 0, pending.stderr
    assert (
        "  quorum     fixed at the snapshot: the larger of 4% of the total Staking Score then and the minimum "
        "quorum then (2,000,000 now)"
    ) in pending.stdout

    mine_at(governor.proposalSnapshot(pid) + 1)
    voted = run("scripts/vote.py", "latest", "for", "reason=grants grow the platform", "account=2")
    assert voted.returncode == 0, voted.stdout + voted.stderr
    against = run("scripts/vote.py", hex(pid), "against", "account=3")
    assert against.returncode == 0, against.stdout + against.stderr
    assert governor.hasVoted(pid, accounts[2]) and governor.hasVoted(pid, accounts[3])
    against_votes, for_votes, abstain = governor.proposalVotes(pid)
    assert for_votes > against_votes > 0 and abstain == 0

    before = chain_marks()
    assert_rejected(run("scripts/vote.py", pid, "for", "account=2"), f"error: account: {accounts[2]} has already voted on proposal {pid}")
    assert_rejected(run("scripts/vote.py", pid, "maybe", "account=4"), "error: support: must be for, against or abstain")
    assert_rejected(run("scripts/vote.py", pid, "for", "account=7"), f"error: account: {accounts[7]} had no Staking Score at the snapshot")
    assert_rejected(run("scripts/queue.py", pid), f"error: proposal_id: proposal {pid} is Active, queueing needs it Succeeded")
    assert chain_marks() == before

    status = run("scripts/proposal_status.py", pid)
    assert status.returncode == 0, status.stderr
    assert "state      Active" in status.stdout
    assert "quorum     " in status.stdout and "reached" in status.stdout
    assert re.search(r"snapshot   \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", status.stdout)
    assert "[1] RevenueDistributor.addRewardToken(token=0x036CbD53842c5426634e7929541eC2318f3dCF7e)" in status.stdout

    mine_at(governor.proposalDeadline(pid) + 1)
    queued = run("scripts/queue.py", pid, "account=4")
    assert queued.returncode == 0, queued.stdout + queued.stderr
    assert governor.state(pid) == 5
    eta = governor.proposalEta(pid)

    before = chain_marks()
    assert_rejected(run("scripts/execute.py", pid), f"error: proposal_id: {pid} is executable from ")
    assert chain_marks() == before
    status = run("scripts/proposal_status.py", pid)
    assert "state      Queued" in status.stdout and f"eta        " in status.stdout and f"({eta}, executable in" in status.stdout

    mine_at(eta + 1)
    grantee_before = token.balanceOf("0x1111111111111111111111111111111111111111")
    executed = run("scripts/execute.py", pid, "account=4")
    assert executed.returncode == 0, executed.stdout + executed.stderr
    assert governor.state(pid) == 7
    assert token.balanceOf("0x1111111111111111111111111111111111111111") == grantee_before + 250_000 * 10**18
    assert "0x036CbD53842c5426634e7929541eC2318f3dCF7e" in distributor.rewardTokens()

    listing = run("scripts/proposal_status.py")
    assert f"{pid}  Executed" in listing.stdout


def test_propose_bad_file_sends_nothing(gov, run, write_proposal, chain_marks):
    path = write_proposal(GRANT.replace('"250000 AIS"', '"-3 AIS"').replace("addRewardToken", "addRewardTokens"))
    before = chain_marks()
    result = run("scripts/propose.py", path, "account=2")
    assert_rejected(
        result,
        f"error: invalid proposal {path}:",
        "  - actions[0].args[value] (value: uint256): must not be negative for uint256",
        "  - actions[1].function: RevenueDistributor has no function 'addRewardTokens'",
    )
    assert chain_marks() == before


def test_propose_rejects_a_proposer_below_the_threshold_and_bad_arguments(gov, run, write_proposal, chain_marks, accounts, tmp_path):
    path = write_proposal(GRANT)
    before = chain_marks()
    assert_rejected(run("scripts/propose.py", path, "account=7"), f"error: account: {accounts[7]} has 0 Staking Score, the proposal threshold is 1,000,000")
    assert_rejected(run("scripts/propose.py", path, "suffix=maybe", "account=2"), "error: suffix=: must be yes or no")
    assert_rejected(run("scripts/propose.py", path, "colour=blue"), "error: colour: unknown option")
    assert_rejected(run("scripts/propose.py"), "error: proposal: missing (usage: scripts/propose.py PROPOSAL.yaml")
    assert_rejected(run("scripts/propose.py", tmp_path / "none.yaml"), "(file): no such file")
    assert_rejected(run("scripts/propose.py", path, f"manifest={tmp_path / 'none.json'}"), f"error: manifest: no such file {tmp_path / 'none.json'}")
    assert chain_marks() == before


def test_scripts_reject_unknown_proposal_ids(gov, run, chain_marks):
    before = chain_marks()
    for script, extra in (("scripts/vote.py", ["for"]), ("scripts/queue.py", []), ("scripts/execute.py", []), ("scripts/proposal_status.py", [])):
        assert_rejected(run(script, "12345", *extra), f"error: proposal_id: no proposal 12345 on the governor {gov.governor.address}")
    assert_rejected(run("scripts/proposal_status.py", "abc"), "error: proposal_id: must be a decimal or 0x-hex proposal id, or latest; got 'abc'")
    assert chain_marks() == before


def test_execute_dry_run_reports_a_failing_action(gov, run, write_proposal, chain_marks, accounts):
    """A proposal that passed but whose action reverts: execute names the revert, sends nothing."""
    path = write_proposal(GRANT.replace('"250000 AIS"', '"900000000 AIS"'))
    proposed = run("scripts/propose.py", path, "account=2")
    assert proposed.returncode == 0, proposed.stderr
    pid = proposal_id_of(proposed.stdout)
    governor = gov.governor
    mine_at(governor.proposalSnapshot(pid) + 1)
    governor.castVote(pid, 1, {"from": accounts[2]})
    mine_at(governor.proposalDeadline(pid) + 1)
    governor.queue["uint256"](pid, {"from": accounts[4]})
    mine_at(governor.proposalEta(pid) + 1)
    before = chain_marks()
    assert_rejected(run("scripts/execute.py", pid), "error: proposal_id: execution would revert: ERC20InsufficientBalance(sender=" + gov.timelock.address)
    assert chain_marks() == before


def test_propose_refuses_a_proposer_past_its_quota(gov, run, write_proposal, chain_marks, accounts):
    """SPEC 5.5: account 2 (level 10: four proposals a period) has made four; the script names the
    level, the quota and when the next period starts, and sends nothing."""
    governor = gov.governor
    period = governor.QUOTA_PERIOD()
    next_period = (chain_now() // period + 1) * period
    mine_at(next_period + 100)  # early in a period: the test's few seconds never cross into the next
    assert gov.levels.levelAt(accounts[2], chain_now() - 1) == 10
    for n in range(4):
        governor.propose([governor.address], [0], [governor.votingDelay.encode_input()], f"quota filler {n}", {"from": accounts[2]})
    path = write_proposal(GRANT)
    before = chain_marks()
    assert_rejected(
        run("scripts/propose.py", path, "account=2"),
        f"error: account: {accounts[2]} is at level 10, which allows 4 proposal(s) per 30-day period, and made 4 "
        f"this period; the next period starts {utc(next_period + period)}",
    )
    assert chain_marks() == before
