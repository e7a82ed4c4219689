"""scripts/airdrop.py as holders and the deployer run it (SPEC 5.4) against the deployment of
config/local.yaml, whose airdrop (config/airdrop-local.csv) gives the demo holders, Anvil accounts
1 and 4..9, their allocations: exact effects on chain (the bonus from its plain-Python formula) and
every refusal before any transaction, with exit 1."""

import json

from brownie import chain

from harness.chain.time import mine_at, now
from harness.core.merkle import airdrop_tree, read_airdrop_csv
from harness.core.paths import REPO_ROOT, airdrop_tree_path
from harness.core.staking import week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK
from tests.ops.test_ops_scripts import ok, refused

CSV = REPO_ROOT / "config" / "airdrop-local.csv"
BONUS_BPS = 5_000  # config/local.yaml airdrop.max_lock_bonus_bps
ALLOCATION = {1: 50_000 * UNIT, 4: 40_000 * UNIT, 5: 60_000 * UNIT, 6: 80_000 * UNIT, 7: 30_000 * UNIT}


def bonus(amount: int, remaining: int) -> int:
    """SPEC 5.4: amount * maxLockBonusBps * remaining / (MAX_LOCK * 10_000), rounded down."""
    return amount * BONUS_BPS * remaining // (MAX_LOCK * 10_000)


def claim_time() -> int:
    return chain[-1].timestamp


def test_claim_liquid_then_again_is_refused(run, system, accounts, marks):
    token, airdrop = system.token, system.airdrop
    before = token.balanceOf(accounts[1])
    out = ok(run("airdrop.py", "claim", signer=1))
    assert token.balanceOf(accounts[1]) == before + ALLOCATION[1] and airdrop.claimed(accounts[1])
    assert "claimed 50,000 AIS to" in out
    refused(run("airdrop.py", "claim", signer=1), f"error: account: {accounts[1].address} already claimed its 50,000 tokens", marks(), marks)


def test_claim_into_a_new_lock_gets_the_bonus(run, system, accounts):
    out = ok(run("airdrop.py", "claim", "lock", "52w", signer=4))
    t = claim_time()
    end = week_start(t + 52 * WEEK)
    expected = ALLOCATION[4] + bonus(ALLOCATION[4], end - t)
    assert system.escrow.locked(accounts[4]) == (expected, end, False)
    assert f"claiming 40,000 + bonus " in out and system.airdrop.claimed(accounts[4])


def test_claim_permanent_without_a_lock_locks_for_a_year_then_makes_it_permanent(run, system, accounts):
    ok(run("airdrop.py", "claim", "permanent", signer=5))
    claimed_block = chain[-2]  # the claim, then lockPermanent
    t = claimed_block.timestamp
    end = week_start(t + MAX_LOCK)
    assert system.escrow.locked(accounts[5]) == (ALLOCATION[5] + bonus(ALLOCATION[5], end - t), 0, True)


def test_claim_into_an_existing_lock(run, system, accounts, marks):
    refused(run("airdrop.py", "claim", "lock", "existing", signer=6),
            f"error: lock: {accounts[6].address} has no lock to claim into", marks(), marks)
    system.token.transfer(accounts[6], 1_000 * UNIT, {"from": accounts[2]})
    ok(run("lock.py", "create", "1000", "26w", signer=6))
    amount, end, _ = system.escrow.locked(accounts[6])
    refused(run("airdrop.py", "claim", "lock", "52w", signer=6),
            "already has a lock that is active: claim into it with `claim lock existing`", marks(), marks)
    ok(run("airdrop.py", "claim", "lock", "existing", signer=6))
    t = claim_time()
    assert system.escrow.locked(accounts[6]) == (amount + ALLOCATION[6] + bonus(ALLOCATION[6], end - t), end, False)


def test_status_shows_the_airdrop_and_an_account(run, system, accounts):
    out = ok(run("airdrop.py", "status", accounts[7].address, signer=0))
    assert f"claimed       0 of 500,000.5 AIS" in out
    assert f"{accounts[7].address}: 30,000 AIS to claim; bonus " in out


def test_outsiders_and_bad_words_are_refused(run, accounts, marks):
    before = marks()
    refused(run("airdrop.py", "claim", signer=3), f"error: account: {accounts[3].address} is not in the airdrop", before, marks)
    refused(run("airdrop.py", "claim", "soon", signer=7), "error: into: expected lock or permanent, got 'soon'", before, marks)
    refused(run("airdrop.py", "claim", "lock", signer=7), "error: duration: missing", before, marks)
    refused(run("airdrop.py", "claim", "lock", "54w", signer=7), "error: duration: at most 365 days", before, marks)
    refused(run("airdrop.py", "claim", "permanent", "52w", signer=7), "one argument too many", before, marks)
    refused(run("airdrop.py", "claim", "out=/tmp", signer=7), "error: out=: only for `build`", before, marks)
    refused(run("airdrop.py", "sweep", signer=7), "error: airdrop: claims are open until", before, marks)


def test_after_the_deadline_claims_are_refused_and_the_sweep_pays_the_treasury(run, system, accounts, marks):
    airdrop, token, timelock = system.airdrop, system.token, system.timelock
    mine_at(airdrop.claimDeadline() + 1)
    refused(run("airdrop.py", "claim", signer=7), "error: airdrop: claims closed on", marks(), marks)
    left, treasury = token.balanceOf(airdrop), token.balanceOf(timelock)
    out = ok(run("airdrop.py", "sweep", signer=9))
    assert token.balanceOf(airdrop) == 0 and token.balanceOf(timelock) == treasury + left
    assert "swept 1,000,000 AIS to the treasury" in out
    refused(run("airdrop.py", "sweep", signer=9), "error: airdrop: nothing left to sweep", marks(), marks)


def test_build_writes_the_deployed_tree_and_every_proof(run, system, tmp_path):
    out = ok(run("airdrop.py", "build", str(CSV), f"out={tmp_path}", signer=0))
    tree = airdrop_tree(read_airdrop_csv(CSV))
    assert f"root   {tree.root}" in out and tree.root == "0x" + bytes(system.airdrop.merkleRoot()).hex()
    assert (tmp_path / "airdrop-local.tree.json").read_text() == tree.dump_json()
    assert json.loads((tmp_path / "airdrop-local.tree.json").read_text()) == json.loads(
        airdrop_tree_path(system.manifest_file).read_text()
    )
    proofs = json.loads((tmp_path / "airdrop-local.proofs.json").read_text())
    assert proofs["root"] == tree.root and len(proofs["claims"]) == 9
    for address, claim in proofs["claims"].items():
        assert system.airdrop.claimed(address) is False
        assert int(claim["amount"]) > 0 and claim["proof"]


def test_build_names_the_bad_line(run, tmp_path, accounts, marks):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{accounts[1].address},10\n{accounts[1].address},5\n")
    refused(run("airdrop.py", "build", str(bad), signer=0),
            f"error: csv: {bad}: line 2: duplicate address {accounts[1].address} (first on line 1)", marks(), marks)
