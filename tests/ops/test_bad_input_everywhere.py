"""Every script, fed wrong types, negative and overflowing numbers, unknown addresses and missing
files: a clear message naming the argument, exit status 1, and no transaction."""

import pytest

UNKNOWN = "0x000000000000000000000000000000000000dEaD"
HUGE = str(2**256)

CASES = [
    ("deploy.py", ("missing.yaml",), "invalid deploy config missing.yaml:\n  - (file): no such file"),
    ("verify_deployment.py", ("missing.json",), "error: manifest: no such file missing.json"),
    ("verify_deployment.py", ("README.md",), "error: manifest README.md: not a valid manifest"),
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
