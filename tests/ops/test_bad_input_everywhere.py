"""Every script, fed wrong types, negative and overflowing numbers, unknown addresses and missing
files: a clear message naming the argument, exit status 1, and no transaction."""

import pytest

from harness.core.paths import REPO_ROOT as REPO
from harness.core.units import UNIT

UNKNOWN = "0x000000000000000000000000000000000000dEaD"
HUGE = str(2**256)
SIGNER_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # Anvil account 2, the signer of every case below

CASES = [
    ("deploy.py", ("missing.yaml",), "invalid deploy config missing.yaml:\n  - (file): no such file"),
    ("verify_deployment.py", ("manifest=missing.json",), "error: manifest: no such file missing.json"),
    ("verify_deployment.py", ("manifest=README.md",), "error: manifest README.md: not a valid manifest"),
    ("lock.py", ("create", "-1", "52w"), "error: amount: must be greater than 0"),
    ("lock.py", ("create", HUGE, "52w"), "error: amount: does not fit in uint256"),
    ("lock.py", ("create", "[1]", "52w"), "error: amount: must be a number of whole tokens"),
    ("lock.py", ("create", "10", "-3w"), "error: duration: must be seconds or a number with a unit"),
    ("lock.py", ("create", "10", "99999999999999999999999w"), "error: duration: does not fit in uint64"),
    ("lock.py", ("delegate", "0xZZ"), "error: address: must be a 0x-prefixed 20-byte hex address"),
    ("lock.py", ("delegate", "0x" + "00" * 20), "error: address: must not be the zero address"),
    ("claim.py", ("pay", UNKNOWN), f"error: token: '{UNKNOWN}' is not an active reward token"),
    ("claim.py", ("for", "-1"), "error: account: must be a 0x-prefixed 20-byte hex address"),
    ("deposit_revenue.py", ("AIS", "-5"), "error: amount: must be greater than 0"),
    ("deposit_revenue.py", ("AIS", HUGE), "error: amount: does not fit in uint256"),
    ("deposit_revenue.py", (UNKNOWN, "5"), f"error: token: '{UNKNOWN}' is not an active reward token"),
    ("status.py", ("12345",), "error: account: must be a 0x-prefixed 20-byte hex address"),
    ("levels.py", ("12345",), "error: address: must be a 0x-prefixed 20-byte hex address"),
    ("subscribe.py", ("quote", "7", "1"), "error: plan: no plan '7'; the plans are 1 (research), 2 (pro)"),
    ("subscribe.py", ("buy", "basic", "1"), "error: plan: no plan 'basic'"),
    ("subscribe.py", ("buy", "research", "0"), "error: periods: must be a positive whole number, got '0'"),
    ("subscribe.py", ("buy", "research", "-1"), "error: periods: must be a positive whole number, got '-1'"),
    ("subscribe.py", ("buy", "research", "1.5"), "error: periods: must be a positive whole number, got '1.5'"),
    ("subscribe.py", ("buy", "research", HUGE), "error: periods: at most"),
    ("subscribe.py", ("buy", "pro", "400000"), "error: periods: 400,000,000 AIS is more than the balance of"),
    ("subscribe.py", ("buy", "pro", "1", f"referrer={SIGNER_2}"), f"error: referrer: {SIGNER_2} cannot refer itself"),
    ("subscribe.py", ("buy", "pro", "1", "referrer=0xZZ"), "error: referrer: must be a 0x-prefixed 20-byte hex address"),
    ("subscribe.py", ("buy", "pro", "1", "for=0x" + "00" * 20), "error: for: must not be the zero address"),
    ("subscribe.py", ("quote", "pro", "1", f"referrer={UNKNOWN}"), "error: referrer=: only for `buy`"),
    ("subscribe.py", ("status", "nobody"), "error: address: must be a 0x-prefixed 20-byte hex address"),
    ("credits.py", ("deposit", "-5"), "error: amount: must be greater than 0"),
    ("credits.py", ("deposit", HUGE), "error: amount: does not fit in uint256"),
    ("credits.py", ("deposit", "5", UNKNOWN), f"error: token: '{UNKNOWN}' is not an active reward token"),
    ("credits.py", ("deposit", "400000000"), "error: amount: 400,000,000 AIS is more than the balance of"),
    ("credits.py", ("balance", "USDC"), "error: token: 'USDC' is not an active reward token"),
    ("credits.py", ("sign", "0"), "error: cumulative: must be greater than 0"),
    ("credits.py", ("sign", "5", "deadline=-1w"), "error: deadline: must be seconds or a number with a unit"),
    ("credits.py", ("deposit", "5", "out=r.json"), "error: out=: only for `sign`"),
    ("credits.py", ("withdraw-request",), "error: token: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC has no AIS credits to withdraw"),
    ("credits.py", ("withdraw",), "error: token: no withdrawal request for AIS (run `withdraw-request` first)"),
    ("deal.py", ("show", "1"), "error: deal: no deal '1'; there are no deals yet"),
    ("deal.py", ("commit", "abc", "5"), "error: deal: no deal 'abc'; there are no deals yet"),
    ("deal.py", ("claim", "-1"), "error: deal: no deal '-1'; there are no deals yet"),
    ("deal.py", ("finalize", HUGE), "error: deal: no deal '" + HUGE + "'; there are no deals yet"),
    ("deal.py", ("finalize",), "error: deal: missing (usage: scripts/deal.py finalize DEAL"),
    ("deal.py", ("commit", "1"), "error: amount: missing (usage: scripts/deal.py commit DEAL AMOUNT"),
    ("deal.py", ("sell", "1"), "error: action: expected one of list, show, commit, finalize, claim, got 'sell'"),
    ("redeem.py", ("missing.json",), "error: file: no such file missing.json"),
    ("redeem.py", ("missing.json", "dry-run=maybe"), "error: dry-run=: must be yes or no, got 'maybe'"),
    ("propose.py", ("missing.yaml",), "missing.yaml"),
    ("vote.py", ("-1", "for"), "error: proposal_id:"),
    ("vote.py", (str(2**300), "for"), "error: proposal_id:"),
    ("vote.py", ("1", "maybe"), "error: support:"),
    ("queue.py", ("abc",), "error: proposal_id:"),
    ("execute.py", ("12345",), "error: proposal_id:"),
    ("proposal_status.py", ("-5",), "error: proposal_id:"),
    ("relay_votes.py", ("missing.json",), "missing.json"),
    ("sign_ballot.py", (), "error:"),
]


@pytest.mark.parametrize("script, args, message", CASES, ids=[f"{c[0]}:{' '.join(c[1]) or '-'}" for c in CASES])
def test_bad_input_is_named_and_sends_nothing(run, marks, script, args, message):
    before = marks()
    result = run(script, *args, signer=2)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert marks() == before


# ---- the one command-line convention (harness/core/cli.py): every script, the same shapes of mistake

PROPOSAL = "proposals/demo-add-tusd-and-grant.yaml"
# every script with words that get it past its own arguments (the checks below come after those)
SCRIPTS = {
    "deploy.py": (), "verify_deployment.py": (), "lock.py": ("create", "10", "52w"), "claim.py": ("auto-compound", "on"),
    "deposit_revenue.py": ("AIS", "5"), "status.py": (), "propose.py": (PROPOSAL,), "vote.py": ("1", "for"),
    "queue.py": ("1",), "execute.py": ("1",), "proposal_status.py": (), "sign_ballot.py": ("b.json", "1", "for"),
    "relay_votes.py": ("b.json",), "simulate_proposal.py": (PROPOSAL,), "gas_benchmark.py": (), "demo.py": (),
    "levels.py": (), "subscribe.py": ("plans",), "credits.py": ("balance",), "redeem.py": ("b.json",), "deal.py": ("list",),
}


@pytest.fixture
def ballots(system, tmp_path, monkeypatch):
    """An empty ballot file of this deployment's governor, as b.json in the working directory."""
    from brownie import web3

    from harness.core.proposals.ballots import BallotFile

    monkeypatch.chdir(tmp_path)
    BallotFile(chain_id=web3.eth.chain_id, governor=system.governor.address).save(tmp_path / "b.json")
    (tmp_path / "proposals").mkdir()
    (tmp_path / PROPOSAL).write_text((REPO / PROPOSAL).read_text())
    return tmp_path


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_an_unknown_option_is_named_with_the_usage_line(run, marks, ballots, script):
    before = marks()
    result = run(script, *SCRIPTS[script], "colour=blue", signer=2)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"error: colour: unknown option (usage: scripts/{script}"), result.stderr
    assert marks() == before


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_one_argument_too_many_is_named_with_the_usage_line(run, marks, ballots, script):
    before = marks()
    result = run(script, *SCRIPTS[script], "extra", "words", signer=2)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"': one argument too many (usage: scripts/{script}" in result.stderr, result.stderr
    assert marks() == before


MANIFEST_SCRIPTS = ["verify_deployment.py", "lock.py", "claim.py", "deposit_revenue.py", "status.py", "propose.py",
                    "vote.py", "queue.py", "execute.py", "proposal_status.py", "sign_ballot.py", "relay_votes.py",
                    "simulate_proposal.py", "levels.py", "subscribe.py", "credits.py", "redeem.py", "deal.py"]


@pytest.mark.parametrize("script", MANIFEST_SCRIPTS)
def test_every_script_that_reads_a_deployment_takes_manifest_equals_path(run, marks, ballots, script):
    before = marks()
    result = run(script, *SCRIPTS[script], "manifest=elsewhere/none.json", signer=2)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == "error: manifest: no such file elsewhere/none.json"
    assert marks() == before


@pytest.mark.parametrize("script", ["lock.py", "claim.py", "deposit_revenue.py", "status.py", "levels.py", "subscribe.py", "credits.py",
                                    "deal.py"])
def test_a_holder_script_acts_on_the_manifest_it_is_given(run, system, ballots, script, tmp_path):
    """manifest=PATH instead of the connected network's: the holder scripts find their contracts in it."""
    import shutil

    copy = tmp_path / "elsewhere" / "mine.json"
    copy.parent.mkdir()
    shutil.copy(system.manifest_file, copy)
    result = run(script, *SCRIPTS[script], f"manifest={copy}", signer=2, env={"DEPLOYMENTS_DIR": str(tmp_path / "empty")})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "script", ["deploy.py", "lock.py", "claim.py", "deposit_revenue.py", "propose.py", "relay_votes.py", "levels.py",
               "subscribe.py", "credits.py", "redeem.py", "deal.py"]
)
def test_account_equals_n_names_an_anvil_account_or_is_refused(run, marks, ballots, script):
    before = marks()
    result = run(script, *SCRIPTS[script], "account=99", signer=2)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == "error: account=: must be an Anvil account index 0..9, got '99'"
    assert marks() == before


def test_account_equals_n_signs_instead_of_signer(run, system, accounts):
    """account=N is the development shorthand for SIGNER=N, and wins over it."""
    result = run("lock.py", "create", "10", "52w", "account=3", signer=2)
    assert result.returncode == 0, result.stdout + result.stderr
    assert system.escrow.locked(accounts[3])[0] == 10 * UNIT
    assert system.escrow.locked(accounts[2])[0] == 0
