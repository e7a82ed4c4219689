"""harness.chain.fees.resolve: where each fee comes from and which settings are refused, without a chain.

Precedence: the environment (MAX_FEE_GWEI, PRIORITY_FEE_GWEI), then brownie's network settings
(brownie-config.yaml networks.<type>.max_fee / priority_fee), then the node at each transaction.
Every refusal names the variable or setting (the scripts print it as `error: ...` and exit 1
before any transaction)."""

from __future__ import annotations

import pytest

from harness.chain.fees import FeePolicy, NodeFees, parse_gwei, resolve
from harness.core.errors import ScriptError
from harness.core.units import GWEI

NODE = NodeFees(base_fee=GWEI, priority_fee=GWEI)  # a plain anvil at start: 1 gwei base fee, 1 gwei tip
AUTO = {"priority_fee": "auto", "max_fee": None, "gas_price": None}


def refused(environment, configured=AUTO, node=NODE, network_type="development") -> str:
    with pytest.raises(ScriptError) as error:
        resolve(environment, configured, network_type, node)
    return str(error.value)


def test_with_nothing_set_both_fees_come_from_the_node_at_each_transaction():
    assert resolve({}, AUTO, "development", NODE) == FeePolicy(eip1559=True, max_fee=None, priority_fee=None)
    assert resolve({}, {}, "live", NODE) == FeePolicy(eip1559=True)


def test_gwei_variables_become_exact_wei():
    policy = resolve({"MAX_FEE_GWEI": "30", "PRIORITY_FEE_GWEI": "1.5"}, AUTO, "live", NODE)
    assert policy == FeePolicy(eip1559=True, max_fee=30 * GWEI, priority_fee=1_500_000_000)
    assert parse_gwei("X", "0.000000001") == 1
    assert parse_gwei("X", " 2e1 ") == 20 * GWEI


def test_the_environment_wins_over_brownie_settings():
    configured = {"priority_fee": "3 gwei", "max_fee": "40 gwei"}
    assert resolve({}, configured, "live", NODE) == FeePolicy(eip1559=True, max_fee=40 * GWEI, priority_fee=3 * GWEI)
    assert resolve({"PRIORITY_FEE_GWEI": "2"}, configured, "live", NODE) == FeePolicy(
        eip1559=True, max_fee=40 * GWEI, priority_fee=2 * GWEI
    )
    assert resolve({"MAX_FEE_GWEI": "50"}, configured, "live", NODE).max_fee == 50 * GWEI


def test_brownie_settings_in_wei_are_taken_as_wei():
    assert resolve({}, {"priority_fee": 7, "max_fee": 10**10}, "live", NODE) == FeePolicy(
        eip1559=True, max_fee=10**10, priority_fee=7
    )


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("MAX_FEE_GWEI", "abc", "MAX_FEE_GWEI: expected a number of gwei such as 1.5, got 'abc'"),
        ("MAX_FEE_GWEI", "", "MAX_FEE_GWEI: is empty: unset it to take the fee from the node, or give a number of gwei such as 1.5"),
        ("MAX_FEE_GWEI", "nan", "MAX_FEE_GWEI: expected a number of gwei such as 1.5, got 'nan'"),
        ("MAX_FEE_GWEI", "inf", "MAX_FEE_GWEI: expected a number of gwei such as 1.5, got 'inf'"),
        ("MAX_FEE_GWEI", "-1", "MAX_FEE_GWEI: must be more than 0 gwei, got -1"),
        ("PRIORITY_FEE_GWEI", "0", "PRIORITY_FEE_GWEI: must be more than 0 gwei, got 0"),
        ("PRIORITY_FEE_GWEI", "1.0000000001", "PRIORITY_FEE_GWEI: 1.0000000001 gwei is not a whole number of wei (at most 9 decimals)"),
        ("PRIORITY_FEE_GWEI", "1 gwei", "PRIORITY_FEE_GWEI: expected a number of gwei such as 1.5, got '1 gwei'"),
        # 37 significant digits: exact arithmetic, not the default 28-digit context, sees the stray wei fraction
        ("MAX_FEE_GWEI", "123456789012345678901234567.0000000001",
         "MAX_FEE_GWEI: 123456789012345678901234567.0000000001 gwei is not a whole number of wei (at most 9 decimals)"),
    ],
)
def test_a_malformed_variable_is_refused_by_name(variable, value, message):
    assert refused({variable: value}) == message


def test_a_cap_below_the_tip_is_refused():
    assert refused({"MAX_FEE_GWEI": "1", "PRIORITY_FEE_GWEI": "2"}) == (
        "MAX_FEE_GWEI: 1 gwei is below the priority fee of 2 gwei (PRIORITY_FEE_GWEI)"
    )


def test_a_cap_below_the_latest_base_fee_is_refused():
    node = NodeFees(base_fee=30 * GWEI, priority_fee=GWEI)
    assert refused({"MAX_FEE_GWEI": "20", "PRIORITY_FEE_GWEI": "1"}, node=node) == (
        "MAX_FEE_GWEI: 20 gwei is below the latest block's base fee of 30 gwei: "
        "no transaction would be included until the base fee falls that low"
    )


def test_a_cap_below_the_nodes_tip_is_refused_when_the_tip_comes_from_the_node():
    node = NodeFees(base_fee=100, priority_fee=2 * GWEI)
    assert refused({"MAX_FEE_GWEI": "1.5"}, node=node) == (
        "MAX_FEE_GWEI: 1.5 gwei is below the node's priority fee of 2 gwei: raise it or set PRIORITY_FEE_GWEI too"
    )
    assert resolve({"MAX_FEE_GWEI": "2"}, AUTO, "development", node).max_fee == 2 * GWEI


def test_a_bad_brownie_setting_is_refused_by_its_place_in_brownie_config():
    assert refused({}, {"priority_fee": "lots"}, network_type="live") == (
        "brownie-config.yaml networks.live.priority_fee: expected wei or an amount with a unit such as '2 gwei', got 'lots'"
    )
    assert refused({}, {"max_fee": "auto"}) == (
        "brownie-config.yaml networks.development.max_fee: expected wei or an amount with a unit such as '2 gwei', got 'auto'"
    )
    assert refused({}, {"max_fee": -5}, network_type="live") == (
        "brownie-config.yaml networks.live.max_fee: must be more than 0, got -5 (leave it unset to take the fee from the node)"
    )


def test_a_chain_without_a_base_fee_uses_the_legacy_gas_price_and_refuses_eip1559_settings():
    legacy = NodeFees(base_fee=None, priority_fee=None)
    assert resolve({}, AUTO, "live", legacy) == FeePolicy(eip1559=False)
    assert refused({"PRIORITY_FEE_GWEI": "1"}, node=legacy) == (
        "PRIORITY_FEE_GWEI: the chain has no base fee (no EIP-1559): unset it to use the node's legacy gas price"
    )
    assert refused({}, {"max_fee": "3 gwei"}, node=legacy, network_type="live") == (
        "brownie-config.yaml networks.live.max_fee: the chain has no base fee (no EIP-1559): unset it to use the node's legacy gas price"
    )


def test_the_policy_describes_itself():
    assert FeePolicy(eip1559=True).describe() == (
        "EIP-1559: priority fee from the node (eth_maxPriorityFeePerGas), max fee 2 x latest base fee + tip"
    )
    assert FeePolicy(eip1559=True, max_fee=25 * GWEI, priority_fee=1_500_000_000).describe() == (
        "EIP-1559: priority fee 1.5 gwei, max fee 25 gwei"
    )
