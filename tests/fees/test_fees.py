"""Transactions on a chain that charges a base fee, as every public chain does (harness/chain/fees.py).

The test chain starts at 1 gwei of base fee, as a plain `anvil` (brownie-config.yaml), and EIP-1559
moves it block by block. Every brownie transaction is a type-2 one: the node's tip, a max fee of
twice the latest base fee plus the tip, and a fee paid of gas used x (base fee + tip)."""

from __future__ import annotations

import pytest
from brownie import chain, web3

from harness.chain import fees
from harness.chain.fees import HEADROOM, FeePolicy
from harness.chain.time import next_base_fee
from harness.core.units import GWEI


def rpc(method, params):
    response = web3.provider.make_request(method, params)
    assert "error" not in response, response
    return response.get("result")


def set_base_fee(wei: int) -> None:
    """Mine one block whose base fee is exactly `wei`: the latest block a sender prices from."""
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(wei)])
    rpc("evm_mine", [])
    assert web3.eth.get_block("latest").baseFeePerGas == wei


def sent(tx):
    return web3.eth.get_transaction(tx.txid), web3.eth.get_transaction_receipt(tx.txid)


def test_the_test_chain_charges_a_base_fee_from_genesis_on():
    assert web3.eth.get_block(0).baseFeePerGas == GWEI  # brownie's own development default is 0
    assert web3.eth.get_block("latest").baseFeePerGas > 0


def test_a_transaction_is_eip1559_with_the_nodes_tip_and_twice_the_latest_base_fee_as_headroom(token, holders):
    set_base_fee(3 * GWEI)
    latest, tip = web3.eth.get_block("latest"), web3.eth.max_priority_fee
    tx = token.transfer(holders[1], 1, {"from": holders[0]})
    transaction, receipt = sent(tx)
    assert tx.block_number == latest.number + 1
    assert transaction.type == 2
    assert transaction.maxPriorityFeePerGas == tip == GWEI  # Anvil's suggestion
    assert transaction.maxFeePerGas == HEADROOM * 3 * GWEI + tip
    block = web3.eth.get_block(tx.block_number)
    assert receipt.effectiveGasPrice == block.baseFeePerGas + tip < transaction.maxFeePerGas


def test_the_fee_paid_is_gas_used_times_the_effective_gas_price(token, holders):
    set_base_fee(5 * GWEI)
    sender = holders[0]
    before = web3.eth.get_balance(sender.address)
    tx = token.transfer(holders[1], 10**18, {"from": sender})
    _, receipt = sent(tx)
    paid = before - web3.eth.get_balance(sender.address)
    assert paid == tx.gas_used * receipt.effectiveGasPrice
    assert paid >= tx.gas_used * 5 * GWEI > 0


def test_the_headroom_absorbs_a_base_fee_that_doubles_before_inclusion(token, holders):
    set_base_fee(10 * GWEI)
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(2 * 10 * GWEI)])  # the next block: twice what the sender saw
    tx = token.transfer(holders[1], 1, {"from": holders[0]})
    transaction, receipt = sent(tx)
    assert web3.eth.get_block(tx.block_number).baseFeePerGas == 20 * GWEI
    assert transaction.maxFeePerGas == 21 * GWEI
    assert receipt.effectiveGasPrice == 21 * GWEI  # the whole tip still paid
    assert tx.status == 1


def test_a_base_fee_beyond_the_headroom_is_refused_by_the_node_and_nothing_is_mined(token, holders):
    """The control for the test above: the node does check the max fee against the next block's base fee."""
    set_base_fee(10 * GWEI)
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(21 * GWEI + 1)])
    nonce, block = holders[0].nonce, web3.eth.block_number
    with pytest.raises(ValueError, match="max fee per gas less than block base fee"):
        token.transfer(holders[1], 1, {"from": holders[0]})
    assert (holders[0].nonce, web3.eth.block_number) == (nonce, block)


def test_raw_web3_transactions_get_the_same_fees_as_brownie_ones(token, holders):
    """harness.governance.simulation sends as an impersonated address with web3 directly."""
    set_base_fee(4 * GWEI)
    fields = fees.transaction_fields()
    assert fields == {"maxFeePerGas": HEADROOM * 4 * GWEI + GWEI, "maxPriorityFeePerGas": GWEI}
    transaction, _ = sent(token.transfer(holders[1], 1, {"from": holders[0]}))
    assert (transaction.maxFeePerGas, transaction.maxPriorityFeePerGas) == (fields["maxFeePerGas"], fields["maxPriorityFeePerGas"])


def test_fixed_fees_from_the_policy_are_sent_as_given(token, holders):
    saved = fees.saved_settings()
    try:
        fees.install(FeePolicy(eip1559=True, max_fee=50 * GWEI, priority_fee=2 * GWEI))
        transaction, receipt = sent(token.transfer(holders[1], 1, {"from": holders[0]}))
        assert (transaction.type, transaction.maxFeePerGas, transaction.maxPriorityFeePerGas) == (2, 50 * GWEI, 2 * GWEI)
        assert fees.transaction_fields() == {"maxFeePerGas": 50 * GWEI, "maxPriorityFeePerGas": 2 * GWEI}
    finally:
        fees.restore_settings(saved)
    assert fees.active_policy() == FeePolicy(eip1559=True)


def test_on_a_legacy_policy_transactions_carry_the_nodes_gas_price(token, holders):
    """The fallback for a chain without EIP-1559 (its detection: tests/fees/test_fee_policy.py);
    a legacy transaction is valid on this chain too, so the real send path is exercised."""
    saved = fees.saved_settings()
    try:
        fees.install(FeePolicy(eip1559=False))
        set_base_fee(2 * GWEI)
        gas_price = web3.eth.gas_price
        transaction, receipt = sent(token.transfer(holders[1], 1, {"from": holders[0]}))
        assert transaction.type == 0 and transaction.gasPrice == gas_price > 2 * GWEI
        assert fees.transaction_fields() == {"gasPrice": web3.eth.gas_price}
    finally:
        fees.restore_settings(saved)


def test_after_a_revert_the_next_block_charges_what_eip1559_gives_the_block_reverted_to(token, holders):
    """Anvil keeps the next block's base fee across evm_revert; without harness.chain's fix a test
    that raised the base fee left every later test's transactions refused (max fee below base fee)."""
    chain.snapshot()
    head = web3.eth.get_block("latest")
    set_base_fee(40 * GWEI)
    token.transfer(holders[1], 1, {"from": holders[0]})
    chain.revert()
    assert web3.eth.get_block("latest").hash == head.hash
    tx = token.transfer(holders[1], 1, {"from": holders[0]})
    assert web3.eth.get_block(tx.block_number).baseFeePerGas == next_base_fee(head) < 40 * GWEI


@pytest.mark.parametrize(
    "base_fee, gas_used, expected",
    [
        (GWEI, 15_000_000, GWEI),  # at the target: unchanged
        (GWEI, 0, 875_000_000),  # empty: -12.5%
        (GWEI, 30_000_000, 1_125_000_000),  # full: +12.5%
        (GWEI, 7_500_000, 937_500_000),
        (GWEI, 15_000_001, 1_000_000_008),
        (7, 15_000_001, 8),  # above the target a base fee rises by at least 1 wei
        (7, 0, 7),  # 7 * 1/8 rounds to 0: the floor real chains sit on
    ],
)
def test_next_base_fee_follows_eip1559(base_fee, gas_used, expected):
    assert next_base_fee({"baseFeePerGas": base_fee, "gasUsed": gas_used, "gasLimit": 30_000_000}) == expected
