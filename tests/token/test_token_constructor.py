"""ServiceToken constructor: fixed supply minted to the allocations, its custom errors, metadata, ABI surface."""

import brownie
import pytest
from brownie import ServiceToken, web3
from brownie.test import given, strategy
from eth_utils import keccak
from hypothesis import strategies as st

from harness.core.units import MAX_UINT256, ZERO_ADDRESS
from tests.models.token_model import (
    PANIC_OVERFLOW,
    AllocationLengthMismatch,
    ERC20InvalidReceiver,
    NoAllocations,
    Panic,
    TokenModel,
    ZeroAllocation,
    addr,
)
from tests.support.constants import SUPPLY
from tests.support.profiles import examples
from tests.support.reverts import reverts, tx_revert_data


def events_in_order(tx):
    """(name, args) of every decoded event of `tx`, in log order."""
    return [(event.name, dict(event)) for event in tx.events]


def expected_constructor_events(recipients, amounts):
    out = []
    for recipient, amount in zip(recipients, amounts):
        out.append(("Transfer", {"from": ZERO_ADDRESS, "to": addr(recipient), "value": amount}))
        out.append(("Allocated", {"recipient": addr(recipient), "amount": amount}))
    return out


# --- the shared fixture token ----------------------------------------------------------------------------
def test_shared_token_supply_and_balances(token, holders, deployer, model, allocation):
    recipients, amounts = allocation
    assert recipients == [h.address for h in holders]
    assert token.totalSupply() == SUPPLY == sum(amounts) == model.total_supply
    for holder, amount in zip(holders, amounts):
        assert token.balanceOf(holder) == amount == model.balance_of(holder)
    assert token.balanceOf(deployer) == 0
    assert token.balanceOf(ZERO_ADDRESS) == 0
    assert sum(token.balanceOf(h) for h in holders) == token.totalSupply()


def test_metadata(token):
    assert token.name() == "Service Token"
    assert token.symbol() == "SVC"
    assert token.decimals() == 18


# --- successful construction ------------------------------------------------------------------------------
def test_constructor_mints_each_allocation_and_emits_in_order(deployer, accounts):
    recipients = [accounts[3].address, accounts[5].address, accounts[3].address]  # a repeated recipient adds up
    amounts = [7, 10**27, 1]
    token = ServiceToken.deploy("Name", "SYM", recipients, amounts, {"from": deployer})
    tx = token.tx
    assert token.totalSupply() == 10**27 + 8
    assert token.balanceOf(accounts[3]) == 8
    assert token.balanceOf(accounts[5]) == 10**27
    assert token.balanceOf(deployer) == 0
    assert events_in_order(tx) == expected_constructor_events(recipients, amounts)
    assert len(tx.events["Allocated"]) == 3


def test_constructor_single_allocation_of_max_uint(deployer, accounts):
    token = ServiceToken.deploy("N", "S", [accounts[1]], [MAX_UINT256], {"from": deployer})
    assert token.totalSupply() == MAX_UINT256
    assert token.balanceOf(accounts[1]) == MAX_UINT256


def test_constructor_supply_exactly_max_uint_over_two_allocations(deployer, accounts):
    token = ServiceToken.deploy("N", "S", [accounts[1], accounts[2]], [MAX_UINT256 - 5, 5], {"from": deployer})
    assert token.totalSupply() == MAX_UINT256
    assert token.balanceOf(accounts[1]) == MAX_UINT256 - 5
    assert token.balanceOf(accounts[2]) == 5


names = st.text(min_size=0, max_size=40)  # > 31 bytes exercises ShortStrings' storage fallback


@examples("token")
@given(
    allocations=st.lists(
        st.tuples(strategy("address"), strategy("uint256", min_value=1, max_value=2**200)), min_size=1, max_size=6
    ),
    name=names,
    symbol=names,
)
def test_constructor_allocations_property(deployer, allocations, name, symbol):
    recipients = [a.address for a, _ in allocations]
    amounts = [amount for _, amount in allocations]
    model = TokenModel.deploy(recipients, amounts)
    assert isinstance(model, TokenModel)
    token = ServiceToken.deploy(name, symbol, recipients, amounts, {"from": deployer})
    assert token.totalSupply() == sum(amounts) == model.total_supply
    for recipient in set(recipients) | {deployer.address}:
        assert token.balanceOf(recipient) == model.balance_of(recipient)
    assert sum(token.balanceOf(r) for r in set(recipients)) == token.totalSupply()
    assert events_in_order(token.tx) == expected_constructor_events(recipients, amounts)
    assert (token.name(), token.symbol(), token.decimals()) == (name, symbol, 18)
    assert token.eip712Domain()[1] == name  # the permit domain uses the token name


# --- constructor errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "n_recipients, n_amounts",
    [(3, 2), (2, 3), (0, 1), (1, 0), (2, 0)],
)
def test_constructor_length_mismatch(deployer, accounts, n_recipients, n_amounts):
    recipients = [a.address for a in accounts[1 : 1 + n_recipients]]
    amounts = [10**18] * n_amounts
    with reverts(AllocationLengthMismatch(n_recipients, n_amounts)):
        ServiceToken.deploy("N", "S", recipients, amounts, {"from": deployer})


def test_constructor_no_allocations(deployer):
    with reverts(NoAllocations()):
        ServiceToken.deploy("N", "S", [], [], {"from": deployer})


@pytest.mark.parametrize("zero_index", [0, 1, 3])
def test_constructor_zero_allocation(deployer, accounts, zero_index):
    recipients = [a.address for a in accounts[1:5]]
    amounts = [5, 6, 7, 8]
    amounts[zero_index] = 0
    with reverts(ZeroAllocation(zero_index)):
        ServiceToken.deploy("N", "S", recipients, amounts, {"from": deployer})


def test_constructor_first_zero_allocation_is_reported(deployer, accounts):
    with reverts(ZeroAllocation(1)):
        ServiceToken.deploy("N", "S", [accounts[1], accounts[2], accounts[3]], [1, 0, 0], {"from": deployer})


@pytest.mark.parametrize("zero_index", [0, 2])
def test_constructor_zero_address_recipient(deployer, accounts, zero_index):
    recipients = [accounts[1].address, accounts[2].address, accounts[3].address]
    recipients[zero_index] = ZERO_ADDRESS
    with reverts(ERC20InvalidReceiver(ZERO_ADDRESS)):
        ServiceToken.deploy("N", "S", recipients, [1, 2, 3], {"from": deployer})


def test_constructor_zero_amount_checked_before_zero_recipient(deployer, accounts):
    # allocation 0 has both faults: the amount check comes first
    with reverts(ZeroAllocation(0)):
        ServiceToken.deploy("N", "S", [ZERO_ADDRESS, accounts[1]], [0, 1], {"from": deployer})


def test_constructor_supply_overflow_panics(deployer, accounts):
    with reverts(Panic(PANIC_OVERFLOW)):
        ServiceToken.deploy("N", "S", [accounts[1], accounts[2]], [MAX_UINT256, 1], {"from": deployer})


@examples("token")
@given(
    allocations=st.lists(
        st.tuples(
            st.one_of(st.just(ZERO_ADDRESS), strategy("address").map(lambda a: a.address)),
            st.one_of(st.just(0), st.integers(1, 10**30), st.just(MAX_UINT256)),
        ),
        max_size=5,
    ),
    extra_amounts=st.integers(min_value=-2, max_value=2),
)
def test_constructor_outcome_matches_model(deployer, allocations, extra_amounts):
    """Any allocation list: the constructor succeeds exactly when the model does, else reverts with the
    model's error (length, emptiness, zero amount, zero recipient, overflow: first fault wins)."""
    recipients = [r for r, _ in allocations]
    amounts = [a for _, a in allocations]
    if extra_amounts > 0:
        amounts += [1] * extra_amounts
    elif extra_amounts < 0:
        amounts = amounts[: max(0, len(amounts) + extra_amounts)]
    expected = TokenModel.deploy(recipients, amounts)
    if isinstance(expected, TokenModel):
        token = ServiceToken.deploy("N", "S", recipients, amounts, {"from": deployer})
        assert token.totalSupply() == expected.total_supply
        for recipient in set(recipients):
            assert token.balanceOf(recipient) == expected.balance_of(recipient)
    else:
        with reverts(expected):
            ServiceToken.deploy("N", "S", recipients, amounts, {"from": deployer})


# --- ABI surface: fixed supply, no admin ------------------------------------------------------------------
EXPECTED_FUNCTIONS = {
    "DOMAIN_SEPARATOR",
    "allowance",
    "approve",
    "balanceOf",
    "burn",
    "burnFrom",
    "decimals",
    "eip712Domain",
    "name",
    "nonces",
    "permit",
    "symbol",
    "totalSupply",
    "transfer",
    "transferFrom",
}


def test_abi_has_no_mint_owner_or_pause(token):
    functions = {item["name"] for item in token.abi if item["type"] == "function"}
    assert functions == EXPECTED_FUNCTIONS
    lowered = {f.lower() for f in functions}
    for forbidden in ("mint", "owner", "transferownership", "renounceownership", "pause", "unpause"):
        assert forbidden not in lowered
    events = {item["name"] for item in token.abi if item["type"] == "event"}
    assert events == {"Transfer", "Approval", "Allocated", "EIP712DomainChanged"}
    assert not [item for item in token.abi if item["type"] in ("fallback", "receive")]


def test_contract_errors_in_abi(token):
    errors = {
        item["name"]: tuple(i["type"] for i in item["inputs"]) for item in token.abi if item["type"] == "error"
    }
    assert errors["AllocationLengthMismatch"] == ("uint256", "uint256")
    assert errors["NoAllocations"] == ()
    assert errors["ZeroAllocation"] == ("uint256",)


@pytest.mark.parametrize(
    "signature", ["mint(address,uint256)", "owner()", "pause()", "transferOwnership(address)"]
)
def test_admin_selectors_are_not_dispatched(token, holders, signature):
    """The bytecode has no such function: a call with its selector reverts with empty data."""
    selector = keccak(text=signature)[:4]
    calldata = selector + (b"\x00" * 12 + bytes.fromhex(holders[0].address[2:]) + (10**18).to_bytes(32, "big"))
    supply = token.totalSupply()
    with pytest.raises(brownie.exceptions.VirtualMachineError) as info:
        holders[0].transfer(token, 0, data="0x" + calldata.hex())
    assert tx_revert_data(info.value.txid) == b""
    assert token.totalSupply() == supply
    with pytest.raises(Exception):
        web3.eth.call({"to": token.address, "data": "0x" + calldata.hex()})
