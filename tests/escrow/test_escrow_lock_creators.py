"""SPEC 7 locks for others: `createLockFor(account, ...)` only by the account, a lock creator it
approved, or a creator the owner (the timelock after deployment) trusts. `depositFor` stays open."""

import pytest

from harness.chain import time as tchain
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK, ZERO_ADDRESS
from tests.support.reverts import reverts


@pytest.fixture
def t0():
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


def test_stranger_cannot_create_a_lock_for_an_account(escrow, holders, t0):
    victim, stranger = holders[0], holders[1]
    with reverts("NotLockCreator", stranger.address, victim.address):
        escrow.createLockFor(victim, 5 * UNIT, t0 + 4 * WEEK, {"from": stranger})
    # the caller check comes before any amount check: nothing about the victim's lock leaks
    with reverts("NotLockCreator", stranger.address, victim.address):
        escrow.createLockFor(victim, 0, t0 + 4 * WEEK, {"from": stranger})
    assert escrow.locked(victim) == (0, 0, False)


def test_account_may_create_its_own_lock_through_create_lock_for(escrow, holders, t0):
    a = holders[0]
    tx = escrow.createLockFor(a, 5 * UNIT, t0 + 4 * WEEK, {"from": a})
    assert escrow.locked(a)[0] == 5 * UNIT
    assert tx.events["Deposit"]["payer"] == a


def test_approved_lock_creator_creates_until_revoked(escrow, token, holders, t0):
    account, creator = holders[0], holders[1]
    tx = escrow.setLockCreator(creator, True, {"from": account})
    assert tx.events["LockCreatorSet"].values() == [account, creator, True]
    assert escrow.isLockCreator(account, creator) is True
    assert escrow.isLockCreator(creator, account) is False
    before = token.balanceOf(creator)
    tx = escrow.createLockFor(account, 7 * UNIT, t0 + 8 * WEEK, {"from": creator})
    assert escrow.locked(account) == (7 * UNIT, (t0 + 8 * WEEK) // WEEK * WEEK, False)
    assert token.balanceOf(creator) == before - 7 * UNIT
    assert (tx.events["Deposit"]["account"], tx.events["Deposit"]["payer"]) == (account, creator)
    tx = escrow.setLockCreator(creator, False, {"from": account})
    assert tx.events["LockCreatorSet"].values() == [account, creator, False]
    assert escrow.isLockCreator(account, creator) is False
    with reverts("NotLockCreator", creator.address, holders[2].address):
        escrow.createLockFor(holders[2], 7 * UNIT, t0 + 8 * WEEK, {"from": creator})


def test_revoked_lock_creator_is_refused(escrow, holders, t0):
    account, creator = holders[0], holders[1]
    escrow.setLockCreator(creator, True, {"from": account})
    escrow.setLockCreator(creator, False, {"from": account})
    with reverts("NotLockCreator", creator.address, account.address):
        escrow.createLockFor(account, 7 * UNIT, t0 + 8 * WEEK, {"from": creator})


def test_approval_is_per_account(escrow, holders, t0):
    a, b, creator = holders[0], holders[1], holders[2]
    escrow.setLockCreator(creator, True, {"from": a})
    with reverts("NotLockCreator", creator.address, b.address):
        escrow.createLockFor(b, 7 * UNIT, t0 + 8 * WEEK, {"from": creator})


def test_set_lock_creator_zero_address(escrow, holders):
    with reverts("ZeroAddress"):
        escrow.setLockCreator(ZERO_ADDRESS, True, {"from": holders[0]})


def test_trusted_lock_creator_creates_for_anyone_until_untrusted(escrow, holders, deployer, t0):
    airdrop = holders[5]  # stands in for the airdrop's claim-and-lock contract
    tx = escrow.setTrustedLockCreator(airdrop, True, {"from": deployer})
    assert tx.events["TrustedLockCreatorSet"].values() == [airdrop, True]
    assert escrow.isTrustedLockCreator(airdrop) is True
    for account in holders[:3]:
        escrow.createLockFor(account, 2 * UNIT, t0 + 10 * WEEK, {"from": airdrop})
        assert escrow.locked(account)[0] == 2 * UNIT
    tx = escrow.setTrustedLockCreator(airdrop, False, {"from": deployer})
    assert tx.events["TrustedLockCreatorSet"].values() == [airdrop, False]
    assert escrow.isTrustedLockCreator(airdrop) is False
    with reverts("NotLockCreator", airdrop.address, holders[3].address):
        escrow.createLockFor(holders[3], 2 * UNIT, t0 + 10 * WEEK, {"from": airdrop})


def test_only_the_owner_trusts_lock_creators(escrow, holders, deployer):
    with reverts("OwnableUnauthorizedAccount", holders[0].address):
        escrow.setTrustedLockCreator(holders[0], True, {"from": holders[0]})
    with reverts("ZeroAddress"):
        escrow.setTrustedLockCreator(ZERO_ADDRESS, True, {"from": deployer})
    assert escrow.isTrustedLockCreator(holders[0]) is False


def test_deposit_for_stays_open(escrow, holders, t0):
    """Adding tokens to someone's lock needs no approval: it never changes the end."""
    a, stranger = holders[0], holders[1]
    escrow.createLock(UNIT, t0 + 10 * WEEK, {"from": a})
    end = escrow.locked(a)[1]
    escrow.depositFor(a, 1, {"from": stranger})
    assert escrow.locked(a) == (UNIT + 1, end, False)
