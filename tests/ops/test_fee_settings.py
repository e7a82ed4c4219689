"""MAX_FEE_GWEI and PRIORITY_FEE_GWEI as a holder sets them for a script (harness/chain/fees.py): every
transaction the script sends carries them; a bad value stops every script before its first
transaction, naming the variable, with exit status 1."""

from __future__ import annotations

import pytest
from brownie import web3

from harness.chain import fees
from harness.chain.fees import HEADROOM, FeePolicy
from harness.core.units import GWEI

COMMUNITY = 2  # Anvil account holding 300M tokens


def rpc(method, params):
    response = web3.provider.make_request(method, params)
    assert "error" not in response, response
    return response.get("result")


def transactions_since(block_number):
    """Every transaction mined after `block_number`, oldest first."""
    found = []
    for number in range(block_number + 1, web3.eth.block_number + 1):
        found += [web3.eth.get_transaction(h) for h in web3.eth.get_block(number).transactions]
    return found


def test_fee_variables_price_every_transaction_of_the_script(run, accounts):
    start = web3.eth.block_number
    result = run("lock.py", "create", "1000", "52w", signer=COMMUNITY, env={"MAX_FEE_GWEI": "40", "PRIORITY_FEE_GWEI": "2.5"})
    assert result.returncode == 0, result.stdout + result.stderr
    sent = transactions_since(start)
    assert [tx["from"] for tx in sent] == [accounts[COMMUNITY].address] * 2  # approve, createLock
    assert {(tx.type, tx.maxFeePerGas, tx.maxPriorityFeePerGas) for tx in sent} == {(2, 40 * GWEI, 2_500_000_000)}
    # after the script, this process prices by the node again (tests/conftest.py run_script restores)
    assert fees.active_policy() == FeePolicy(eip1559=True)


def test_a_tip_alone_keeps_the_cap_at_twice_the_latest_base_fee_plus_that_tip(run):
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(6 * GWEI)])
    rpc("evm_mine", [])
    start = web3.eth.block_number
    result = run("deposit_revenue.py", "AIS", "10", signer=COMMUNITY, env={"PRIORITY_FEE_GWEI": "3"})
    assert result.returncode == 0, result.stdout + result.stderr
    for tx in transactions_since(start):
        parent = web3.eth.get_block(tx.blockNumber - 1)
        assert (tx.type, tx.maxPriorityFeePerGas) == (2, 3 * GWEI)
        assert tx.maxFeePerGas == HEADROOM * parent.baseFeePerGas + 3 * GWEI


# one of each: the scripts that send, read or sign all pass through harness.chain.entry.script_errors
SCRIPTS = [
    ("deploy.py", ()), ("lock.py", ("create", "1000", "52w")), ("claim.py", ("pay",)),
    ("deposit_revenue.py", ("AIS", "5")), ("status.py", ()), ("propose.py", ("proposals/demo-add-tusd-and-grant.yaml",)),
    ("vote.py", ("1", "for")), ("queue.py", ("1",)), ("execute.py", ("1",)), ("proposal_status.py", ()),
]


@pytest.mark.parametrize("script, args", SCRIPTS, ids=[s for s, _ in SCRIPTS])
def test_a_malformed_fee_variable_stops_every_script_before_any_transaction(run, marks, script, args):
    before = marks()
    result = run(script, *args, signer=COMMUNITY, env={"MAX_FEE_GWEI": "twenty"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == "error: MAX_FEE_GWEI: expected a number of gwei such as 1.5, got 'twenty'"
    assert marks() == before


@pytest.mark.parametrize(
    "env, message",
    [
        ({"PRIORITY_FEE_GWEI": "0"}, "error: PRIORITY_FEE_GWEI: must be more than 0 gwei, got 0"),
        ({"MAX_FEE_GWEI": "1", "PRIORITY_FEE_GWEI": "2"}, "error: MAX_FEE_GWEI: 1 gwei is below the priority fee of 2 gwei (PRIORITY_FEE_GWEI)"),
        ({"MAX_FEE_GWEI": "0.5"}, "error: MAX_FEE_GWEI: 0.5 gwei is below the node's priority fee of 1 gwei: raise it or set PRIORITY_FEE_GWEI too"),
    ],
)
def test_an_unusable_fee_setting_stops_the_script_before_any_transaction(run, marks, env, message):
    before = marks()
    result = run("lock.py", "create", "1000", "52w", signer=COMMUNITY, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == message
    assert marks() == before


def test_a_cap_below_the_current_base_fee_stops_the_script_before_any_transaction(run, marks):
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(30 * GWEI)])
    rpc("evm_mine", [])
    before = marks()
    result = run("lock.py", "create", "1000", "52w", signer=COMMUNITY, env={"MAX_FEE_GWEI": "20", "PRIORITY_FEE_GWEI": "1"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: MAX_FEE_GWEI: 20 gwei is below the latest block's base fee of 30 gwei: "
        "no transaction would be included until the base fee falls that low"
    )
    assert marks() == before
