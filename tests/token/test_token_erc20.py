"""ERC-20 / ERC20Burnable behaviour of ServiceToken, property-based over accounts and amounts.

Every example starts from the shared `token` (brownie's `given` reverts the chain between examples):
accounts[0] holds nothing, accounts[1..9] hold SUPPLY / 9 each (accounts[1] also the rounding remainder).
"""

import pytest
from brownie import accounts as brownie_accounts
from brownie.test import given, strategy
from hypothesis import assume
from hypothesis import strategies as st

from harness.core.units import MAX_UINT256, ZERO_ADDRESS
from tests.models.token_model import (
    ERC20InsufficientAllowance,
    ERC20InsufficientBalance,
    ERC20InvalidApprover,
    ERC20InvalidReceiver,
    ERC20InvalidSpender,
)
from tests.support.profiles import examples
from tests.support.reverts import reverts

account = strategy("address")  # one of the 10 Anvil accounts
fraction = st.fractions(min_value=0, max_value=1)
excess = st.one_of(st.integers(1, 10), st.integers(1, 2**128))
any_amount = st.one_of(st.integers(0, 2**96), strategy("uint256"), st.just(MAX_UINT256), st.just(0))


def everyone():
    return [a.address for a in brownie_accounts] + [ZERO_ADDRESS]


@pytest.fixture
def balances(balances_of):
    """balances(token): every Anvil account's balance and the zero address's (one batched read)."""
    return lambda token: balances_of(token, everyone())


def part(value: int, frac) -> int:
    return value * frac.numerator // frac.denominator


def transfer_events(tx):
    return [dict(e) for e in tx.events["Transfer"]] if "Transfer" in tx.events else []


def approval_events(tx):
    return [dict(e) for e in tx.events["Approval"]] if "Approval" in tx.events else []


def assert_supply_is_sum(token, balances):
    assert sum(balances(token).values()) == token.totalSupply()


# --- transfer ---------------------------------------------------------------------------------------------
@examples("token")
@given(sender=account, receiver=account, frac=fraction)
def test_transfer_moves_exactly_the_amount(token, balances, sender, receiver, frac):
    before = balances(token)
    supply = token.totalSupply()
    amount = part(before[sender.address], frac)
    tx = token.transfer(receiver, amount, {"from": sender})
    assert tx.return_value is True
    expected = dict(before)
    expected[sender.address] -= amount
    expected[receiver.address] += amount
    assert balances(token) == expected  # sender -x, receiver +x (net 0 for a self-transfer), others unchanged
    assert token.totalSupply() == supply
    assert transfer_events(tx) == [{"from": sender.address, "to": receiver.address, "value": amount}]
    assert approval_events(tx) == []
    assert_supply_is_sum(token, balances)


@examples("token")
@given(holder=account, frac=fraction)
def test_self_transfer_leaves_balance_unchanged(token, balances, holder, frac):
    before = balances(token)
    amount = part(before[holder.address], frac)
    tx = token.transfer(holder, amount, {"from": holder})
    assert balances(token) == before
    assert transfer_events(tx) == [{"from": holder.address, "to": holder.address, "value": amount}]


def test_self_transfer_of_whole_balance(token, holders):
    balance = token.balanceOf(holders[2])
    token.transfer(holders[2], balance, {"from": holders[2]})
    assert token.balanceOf(holders[2]) == balance


@examples("token")
@given(sender=account, receiver=account)
def test_zero_amount_transfer_succeeds_and_emits(token, balances, sender, receiver):
    before = balances(token)
    tx = token.transfer(receiver, 0, {"from": sender})  # also from accounts[0], which holds nothing
    assert tx.return_value is True
    assert balances(token) == before
    assert transfer_events(tx) == [{"from": sender.address, "to": receiver.address, "value": 0}]


def test_zero_amount_transfer_from_empty_account(token, deployer, holders):
    assert token.balanceOf(deployer) == 0
    tx = token.transfer(holders[0], 0, {"from": deployer})
    assert transfer_events(tx) == [{"from": deployer.address, "to": holders[0].address, "value": 0}]
    assert token.balanceOf(deployer) == 0


@examples("token")
@given(sender=account, amount=any_amount)
def test_transfer_to_zero_address_reverts(token, balances, sender, amount):
    before = balances(token)
    with reverts(ERC20InvalidReceiver(ZERO_ADDRESS)):
        token.transfer(ZERO_ADDRESS, amount, {"from": sender})
    assert balances(token) == before


@examples("token")
@given(sender=account, receiver=account, extra=excess)
def test_transfer_over_balance_reverts(token, balances, sender, receiver, extra):
    before = balances(token)
    balance = before[sender.address]
    needed = balance + extra
    with reverts(ERC20InsufficientBalance(sender, balance, needed)):
        token.transfer(receiver, needed, {"from": sender})
    assert balances(token) == before


def test_transfer_exact_balance_then_one_more_wei(token, holders):
    sender, receiver = holders[3], holders[4]
    balance = token.balanceOf(sender)
    token.transfer(receiver, balance, {"from": sender})
    assert token.balanceOf(sender) == 0
    assert token.balanceOf(receiver) == 2 * balance
    with reverts(ERC20InsufficientBalance(sender, 0, 1)):
        token.transfer(receiver, 1, {"from": sender})


# --- approve ----------------------------------------------------------------------------------------------
@examples("token")
@given(owner=account, spender=account, first=any_amount, second=any_amount)
def test_approve_overwrites(token, owner, spender, first, second):
    tx1 = token.approve(spender, first, {"from": owner})
    assert tx1.return_value is True
    assert token.allowance(owner, spender) == first
    assert approval_events(tx1) == [{"owner": owner.address, "spender": spender.address, "value": first}]
    tx2 = token.approve(spender, second, {"from": owner})
    assert token.allowance(owner, spender) == second  # replaced, not added
    assert approval_events(tx2) == [{"owner": owner.address, "spender": spender.address, "value": second}]
    assert transfer_events(tx2) == []


@examples("token")
@given(owner=account, amount=any_amount)
def test_approve_zero_spender_reverts(token, owner, amount):
    with reverts(ERC20InvalidSpender(ZERO_ADDRESS)):
        token.approve(ZERO_ADDRESS, amount, {"from": owner})
    assert token.allowance(owner, ZERO_ADDRESS) == 0


def test_allowances_are_per_pair(token, holders):
    token.approve(holders[1], 5, {"from": holders[0]})
    assert token.allowance(holders[0], holders[1]) == 5
    assert token.allowance(holders[1], holders[0]) == 0
    assert token.allowance(holders[0], holders[2]) == 0


# --- transferFrom -----------------------------------------------------------------------------------------
@examples("token")
@given(owner=account, spender=account, receiver=account, allowance=any_amount, frac=fraction)
def test_transfer_from_spends_allowance_exactly(token, balances, owner, spender, receiver, allowance, frac):
    assume(allowance != MAX_UINT256)
    token.approve(spender, allowance, {"from": owner})
    before = balances(token)
    amount = part(min(allowance, before[owner.address]), frac)
    tx = token.transferFrom(owner, receiver, amount, {"from": spender})
    assert tx.return_value is True
    assert token.allowance(owner, spender) == allowance - amount
    expected = dict(before)
    expected[owner.address] -= amount
    expected[receiver.address] += amount
    assert balances(token) == expected
    assert transfer_events(tx) == [{"from": owner.address, "to": receiver.address, "value": amount}]
    assert approval_events(tx) == []  # OpenZeppelin 5 does not emit Approval when spending


@examples("token")
@given(owner=account, spender=account, receiver=account, frac=fraction, repeats=st.integers(1, 3))
def test_infinite_allowance_is_not_decreased(token, balances, owner, spender, receiver, frac, repeats):
    token.approve(spender, MAX_UINT256, {"from": owner})
    for _ in range(repeats):
        amount = part(token.balanceOf(owner), frac)
        before = balances(token)
        tx = token.transferFrom(owner, receiver, amount, {"from": spender})
        assert token.allowance(owner, spender) == MAX_UINT256
        expected = dict(before)
        expected[owner.address] -= amount
        expected[receiver.address] += amount
        assert balances(token) == expected
        assert approval_events(tx) == []


def test_allowance_one_below_infinite_is_spent(token, holders):
    owner, spender = holders[0], holders[1]
    token.approve(spender, MAX_UINT256 - 1, {"from": owner})
    token.transferFrom(owner, spender, 3, {"from": spender})
    assert token.allowance(owner, spender) == MAX_UINT256 - 4


@examples("token")
@given(owner=account, spender=account, receiver=account, allowance=st.integers(0, 2**100), extra=excess)
def test_transfer_from_over_allowance_reverts(token, balances, owner, spender, receiver, allowance, extra):
    token.approve(spender, allowance, {"from": owner})
    before = balances(token)
    needed = allowance + extra
    # the allowance is checked first, whether or not the owner's balance would cover it
    with reverts(ERC20InsufficientAllowance(spender, allowance, needed)):
        token.transferFrom(owner, receiver, needed, {"from": spender})
    assert token.allowance(owner, spender) == allowance
    assert balances(token) == before


@examples("token")
@given(owner=account, spender=account, receiver=account, extra=excess, infinite=st.booleans())
def test_transfer_from_over_balance_reverts(token, balances, owner, spender, receiver, extra, infinite):
    balance = token.balanceOf(owner)
    needed = balance + extra
    allowance = MAX_UINT256 if infinite else needed
    token.approve(spender, allowance, {"from": owner})
    before = balances(token)
    with reverts(ERC20InsufficientBalance(owner, balance, needed)):
        token.transferFrom(owner, receiver, needed, {"from": spender})
    assert token.allowance(owner, spender) == allowance  # the spend is rolled back
    assert balances(token) == before


def test_transfer_from_without_approval(token, holders):
    with reverts(ERC20InsufficientAllowance(holders[1], 0, 1)):
        token.transferFrom(holders[0], holders[1], 1, {"from": holders[1]})
    tx = token.transferFrom(holders[0], holders[1], 0, {"from": holders[1]})  # zero needs no allowance
    assert transfer_events(tx) == [{"from": holders[0].address, "to": holders[1].address, "value": 0}]


def test_transfer_from_to_zero_address_reverts(token, holders):
    token.approve(holders[1], 100, {"from": holders[0]})
    with reverts(ERC20InvalidReceiver(ZERO_ADDRESS)):
        token.transferFrom(holders[0], ZERO_ADDRESS, 10, {"from": holders[1]})
    assert token.allowance(holders[0], holders[1]) == 100


def test_transfer_from_zero_address_owner(token, holders):
    """address(0) can never approve; spending its zero allowance re-approves it, which OZ rejects."""
    with reverts(ERC20InvalidApprover(ZERO_ADDRESS)):
        token.transferFrom(ZERO_ADDRESS, holders[1], 0, {"from": holders[1]})
    with reverts(ERC20InsufficientAllowance(holders[1], 0, 1)):
        token.transferFrom(ZERO_ADDRESS, holders[1], 1, {"from": holders[1]})


def test_spender_cannot_use_anothers_allowance(token, holders):
    token.approve(holders[1], 50, {"from": holders[0]})
    with reverts(ERC20InsufficientAllowance(holders[2], 0, 50)):
        token.transferFrom(holders[0], holders[2], 50, {"from": holders[2]})


# --- burn / burnFrom --------------------------------------------------------------------------------------
@examples("token")
@given(holder=account, frac=fraction)
def test_burn_reduces_balance_and_supply(token, balances, holder, frac):
    before = balances(token)
    supply = token.totalSupply()
    amount = part(before[holder.address], frac)
    tx = token.burn(amount, {"from": holder})
    expected = dict(before)
    expected[holder.address] -= amount
    assert balances(token) == expected
    assert token.totalSupply() == supply - amount
    assert transfer_events(tx) == [{"from": holder.address, "to": ZERO_ADDRESS, "value": amount}]
    assert_supply_is_sum(token, balances)


@examples("token")
@given(holder=account, extra=excess)
def test_burn_above_balance_reverts(token, balances, holder, extra):
    before = balances(token)
    supply = token.totalSupply()
    balance = before[holder.address]
    with reverts(ERC20InsufficientBalance(holder, balance, balance + extra)):
        token.burn(balance + extra, {"from": holder})
    assert balances(token) == before
    assert token.totalSupply() == supply


def test_burn_whole_supply(token, holders):
    for h in holders:
        token.burn(token.balanceOf(h), {"from": h})
    assert token.totalSupply() == 0
    assert all(token.balanceOf(h) == 0 for h in holders)


@examples("token")
@given(owner=account, spender=account, allowance=any_amount, frac=fraction)
def test_burn_from_spends_allowance(token, balances, owner, spender, allowance, frac):
    token.approve(spender, allowance, {"from": owner})
    before = balances(token)
    supply = token.totalSupply()
    amount = part(min(allowance, before[owner.address]), frac)
    tx = token.burnFrom(owner, amount, {"from": spender})
    assert token.allowance(owner, spender) == (MAX_UINT256 if allowance == MAX_UINT256 else allowance - amount)
    expected = dict(before)
    expected[owner.address] -= amount
    assert balances(token) == expected
    assert token.totalSupply() == supply - amount
    assert transfer_events(tx) == [{"from": owner.address, "to": ZERO_ADDRESS, "value": amount}]
    assert approval_events(tx) == []


@examples("token")
@given(owner=account, spender=account, allowance=st.integers(0, 2**100), extra=excess)
def test_burn_from_over_allowance_reverts(token, owner, spender, allowance, extra):
    token.approve(spender, allowance, {"from": owner})
    supply = token.totalSupply()
    with reverts(ERC20InsufficientAllowance(spender, allowance, allowance + extra)):
        token.burnFrom(owner, allowance + extra, {"from": spender})
    assert token.allowance(owner, spender) == allowance
    assert token.totalSupply() == supply


def test_burn_from_over_balance_reverts(token, holders):
    owner, spender = holders[5], holders[6]
    balance = token.balanceOf(owner)
    token.approve(spender, balance + 1, {"from": owner})
    with reverts(ERC20InsufficientBalance(owner, balance, balance + 1)):
        token.burnFrom(owner, balance + 1, {"from": spender})
    assert token.allowance(owner, spender) == balance + 1


def test_burn_from_zero_address(token, holders):
    with reverts(ERC20InvalidApprover(ZERO_ADDRESS)):
        token.burnFrom(ZERO_ADDRESS, 0, {"from": holders[0]})
    with reverts(ERC20InsufficientAllowance(holders[0], 0, 1)):
        token.burnFrom(ZERO_ADDRESS, 1, {"from": holders[0]})


def test_burned_tokens_cannot_be_spent_again(token, holders):
    holder = holders[7]
    balance = token.balanceOf(holder)
    token.burn(balance - 10, {"from": holder})
    with reverts(ERC20InsufficientBalance(holder, 10, 11)):
        token.transfer(holders[0], 11, {"from": holder})
    token.transfer(holders[0], 10, {"from": holder})
    assert token.balanceOf(holder) == 0
