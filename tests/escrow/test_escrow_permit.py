"""SPEC 7 one-transaction locks for wallets: `createLockWithPermit` and `increaseAmountWithPermit` apply
the caller's EIP-2612 permit (signed with eth-account through harness.core.signing.sign_permit) and lock in
the same transaction; a permit already used by a front-runner does not make them fail when the
allowance is there; without an allowance the token's transfer reverts with the token's own error."""

import pytest
from brownie import chain

from harness.chain import time as tchain
from harness.core.signing import anvil_private_key, sign_permit
from harness.core.staking import week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK
from tests.support.reverts import reverts


@pytest.fixture
def t0():
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


@pytest.fixture
def wallet(escrow, token, holders, accounts):
    """A holder whose allowance to the escrow is 0 (the conftest approved everyone), with its key."""
    account = holders[3]
    token.approve(escrow, 0, {"from": account})
    return account, anvil_private_key(list(accounts).index(account))


def permit(escrow, token, key, owner, amount, deadline, nonce=None):
    nonce = token.nonces(owner) if nonce is None else nonce
    return sign_permit(key, token.name(), token.address, chain.id, owner.address, escrow.address, amount, nonce, deadline)


def test_create_lock_with_permit(escrow, token, wallet, t0):
    owner, key = wallet
    amount, deadline = 250 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    before = token.balanceOf(owner)
    tx = escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    end = (t0 + 30 * WEEK) // WEEK * WEEK
    assert escrow.locked(owner) == (amount, end, False)
    assert token.balanceOf(owner) == before - amount
    assert token.nonces(owner) == 1
    assert token.allowance(owner, escrow) == 0  # the permit's allowance was exactly what the lock took
    assert tx.events["Approval"][0]["value"] == amount
    ev = tx.events["Deposit"]
    assert (ev["account"], ev["payer"], ev["amount"], ev["depositType"]) == (owner, owner, amount, 0)
    assert escrow.balanceOf(owner) == amount + amount * (end - tx.timestamp) // MAX_LOCK


def test_create_lock_with_a_front_run_permit(escrow, token, wallet, holders, t0):
    """Someone submits the permit from the mempool first: the lock still goes through."""
    owner, key = wallet
    amount, deadline = 250 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    token.permit(owner, escrow, amount, deadline, v, r, s, {"from": holders[7]})
    assert token.allowance(owner, escrow) == amount and token.nonces(owner) == 1
    tx = escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner)[0] == amount
    assert token.allowance(owner, escrow) == 0
    assert "Approval" not in tx.events or all(e["owner"] != owner for e in tx.events["Approval"])


def test_create_lock_with_a_bad_permit_and_no_allowance(escrow, token, wallet, t0):
    """A permit for another amount fails inside, and without an allowance the transfer reverts with the
    token's ERC20InsufficientAllowance(spender, allowance, needed)."""
    owner, key = wallet
    amount, deadline = 250 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount - 1, deadline)
    with reverts("ERC20InsufficientAllowance", escrow.address, 0, amount):
        escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner) == (0, 0, False) and token.nonces(owner) == 0


def test_create_lock_with_an_expired_permit_and_no_allowance(escrow, token, wallet, t0):
    owner, key = wallet
    amount, deadline = 250 * UNIT, t0 + 10
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    tchain.mine_at(deadline + 1)
    with reverts("ERC20InsufficientAllowance", escrow.address, 0, amount):
        escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})


def test_create_lock_with_a_bad_permit_uses_an_existing_allowance(escrow, token, wallet, t0):
    owner, key = wallet
    amount, deadline = 250 * UNIT, t0 + 3600
    token.approve(escrow, amount, {"from": owner})
    v, r, s = permit(escrow, token, key, owner, amount, deadline, nonce=7)  # wrong nonce: fails inside
    escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner)[0] == amount and token.nonces(owner) == 0


def test_create_lock_with_permit_keeps_the_lock_rules(escrow, token, wallet, t0):
    """The escrow's own checks still apply; a failed call leaves the permit unused."""
    owner, key = wallet
    deadline = t0 + 3600
    v, r, s = permit(escrow, token, key, owner, UNIT - 1, deadline)
    with reverts("AmountBelowMinimum", UNIT - 1, UNIT):
        escrow.createLockWithPermit(UNIT - 1, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    v, r, s = permit(escrow, token, key, owner, 0, deadline)
    with reverts("ZeroAmount"):
        escrow.createLockWithPermit(0, t0 + 30 * WEEK, deadline, v, r, s, {"from": owner})
    assert token.nonces(owner) == 0


def test_increase_amount_with_permit(escrow, token, wallet, t0):
    owner, key = wallet
    token.approve(escrow, 10 * UNIT, {"from": owner})
    escrow.createLock(10 * UNIT, t0 + 30 * WEEK, {"from": owner})
    amount, deadline = 40 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    tx = escrow.increaseAmountWithPermit(amount, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner)[0] == 50 * UNIT
    assert tx.events["Deposit"]["depositType"] == 1
    assert token.allowance(owner, escrow) == 0 and token.nonces(owner) == 1


def test_increase_amount_with_a_front_run_permit(escrow, token, wallet, holders, t0):
    owner, key = wallet
    token.approve(escrow, 10 * UNIT, {"from": owner})
    escrow.createLock(10 * UNIT, t0 + 30 * WEEK, {"from": owner})
    amount, deadline = 40 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    token.permit(owner, escrow, amount, deadline, v, r, s, {"from": holders[7]})
    escrow.increaseAmountWithPermit(amount, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner)[0] == 50 * UNIT


def test_increase_amount_with_a_bad_permit_and_no_allowance(escrow, token, wallet, t0):
    owner, key = wallet
    token.approve(escrow, 10 * UNIT, {"from": owner})
    escrow.createLock(10 * UNIT, t0 + 30 * WEEK, {"from": owner})
    deadline = t0 + 3600
    v, r, s = permit(escrow, token, key, owner, 40 * UNIT, deadline)
    with reverts("ERC20InsufficientAllowance", escrow.address, 0, 41 * UNIT):
        escrow.increaseAmountWithPermit(41 * UNIT, deadline, v, r, s, {"from": owner})
    assert escrow.locked(owner)[0] == 10 * UNIT


def test_permit_is_the_callers_own(escrow, token, wallet, holders, t0):
    """A permit signed by the wallet cannot be spent by someone else's createLockWithPermit: the escrow
    applies it for msg.sender only, so another caller's permit fails and its own allowance is used."""
    owner, key = wallet
    other = holders[4]
    amount, deadline = 250 * UNIT, t0 + 3600
    v, r, s = permit(escrow, token, key, owner, amount, deadline)
    token.approve(escrow, 0, {"from": other})
    with reverts("ERC20InsufficientAllowance", escrow.address, 0, amount):
        escrow.createLockWithPermit(amount, t0 + 30 * WEEK, deadline, v, r, s, {"from": other})
    assert token.nonces(owner) == 0 and token.allowance(owner, escrow) == 0
