"""Unit tests: IERC5805 / IERC6372 voting, permanent-lock delegation, delegateBySig (EIP-712)."""

import pytest
from brownie import accounts, chain
from eth_account import Account

from harness.chain import time as tchain
from harness.core.signing import delegation_message, recover, sign_delegation
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK, ZERO_ADDRESS
from tests.support.reverts import reverts
from tests.support.wallet import wallet_container


@pytest.fixture
def t0():
    return tchain.mine_at(week_start(tchain.now()) + 2 * WEEK + 1000)


def events(tx, name):
    return [dict(e) for e in tx.events[name]] if name in tx.events else []


def test_clock(escrow, t0):
    assert escrow.clock() >= tchain.now()
    assert escrow.CLOCK_MODE() == "mode=timestamp"


def test_default_self_votes(escrow, holders, t0):
    a = holders[0]
    tx = escrow.createLock(10 * UNIT, t0 + 20 * WEEK, {"from": a})
    assert escrow.delegates(a) == a
    assert escrow.getVotes(a) == escrow.balanceOf(a)
    tchain.advance(WEEK)
    assert escrow.getPastVotes(a, tx.timestamp) == escrow.balanceOfAt(a, tx.timestamp)
    assert escrow.getPastTotalSupply(tx.timestamp) == escrow.totalSupplyAt(tx.timestamp)
    assert escrow.getPastVotes(a, tx.timestamp - 1) == 0


def test_future_lookups(escrow, holders, t0):
    now = tchain.now()
    clock = escrow.clock()
    with reverts("ERC5805FutureLookup", clock, clock):
        escrow.getPastVotes(holders[0], clock)
    with reverts("ERC5805FutureLookup", clock + 5, clock):
        escrow.getPastTotalSupply(clock + 5)
    assert escrow.getPastTotalSupply(now - 1) == 0


def test_decaying_lock_cannot_delegate(escrow, holders, t0):
    a, b = holders[0], holders[1]
    with reverts("DelegationRequiresPermanentLock", a.address):
        escrow.delegate(b, {"from": a})
    escrow.createLock(UNIT, t0 + 5 * WEEK, {"from": a})
    with reverts("DelegationRequiresPermanentLock", a):
        escrow.delegate(b, {"from": a})
    with reverts("ZeroAddress"):
        escrow.delegate(ZERO_ADDRESS, {"from": a})
    tx = escrow.delegate(a, {"from": a})  # to self: allowed, nothing moves
    assert events(tx, "DelegateChanged") == [{"delegator": a, "fromDelegate": a, "toDelegate": a}]
    assert escrow.delegates(a) == a


def test_permanent_delegation(escrow, holders, t0):
    a, b, c = holders[0], holders[1], holders[2]
    escrow.createLock(10 * UNIT, t0 + 5 * WEEK, {"from": a})
    escrow.createLock(UNIT, t0 + 50 * WEEK, {"from": b})
    tx0 = escrow.lockPermanent({"from": a})
    tchain.advance(100)
    tx1 = escrow.delegate(b, {"from": a})
    assert escrow.delegates(a) == b
    assert escrow.getVotes(a) == 0
    assert escrow.getVotes(b) == escrow.balanceOf(b) + 20 * UNIT
    assert events(tx1, "DelegateChanged") == [{"delegator": a, "fromDelegate": a, "toDelegate": b}]
    moved = events(tx1, "DelegateVotesChanged")
    assert moved[0] == {"delegate": a, "previousVotes": 20 * UNIT, "newVotes": 0}
    votes_b = escrow.balanceOfAt(b, tx1.timestamp)
    assert moved[1] == {"delegate": b, "previousVotes": votes_b, "newVotes": votes_b + 20 * UNIT}
    assert escrow.balanceOf(a) == 20 * UNIT  # the score itself is unchanged

    tchain.advance(100)
    tx2 = escrow.depositFor(a, 5 * UNIT, {"from": c})  # delegated power follows the amount
    assert escrow.getVotes(b) == escrow.balanceOf(b) + 30 * UNIT
    ev = events(tx2, "DelegateVotesChanged")
    assert len(ev) == 1 and ev[0]["delegate"] == b and ev[0]["newVotes"] - ev[0]["previousVotes"] == 10 * UNIT

    tchain.advance(100)
    tx3 = escrow.delegate(c, {"from": a})  # re-delegate
    assert escrow.getVotes(b) == escrow.balanceOf(b)
    assert escrow.getVotes(c) == 30 * UNIT
    tchain.advance(100)
    tx4 = escrow.delegate(a, {"from": a})  # back to self
    assert escrow.getVotes(c) == 0 and escrow.getVotes(a) == 30 * UNIT
    tchain.advance(100)

    for t in (tx1.timestamp, tx2.timestamp, tx3.timestamp, tx4.timestamp):
        total = sum(escrow.getPastVotes(x, t) for x in (a, b, c))
        supply = escrow.getPastTotalSupply(t)
        assert 0 <= supply - total < 2
    assert escrow.getPastVotes(a, tx1.timestamp) == 0
    assert escrow.getPastVotes(b, tx1.timestamp) == escrow.balanceOfAt(b, tx1.timestamp) + 20 * UNIT
    assert escrow.getPastVotes(b, tx2.timestamp) == escrow.balanceOfAt(b, tx2.timestamp) + 30 * UNIT
    assert escrow.getPastVotes(c, tx3.timestamp) == 30 * UNIT
    assert escrow.getPastVotes(a, tx4.timestamp) == 30 * UNIT
    assert escrow.getPastVotes(a, tx0.timestamp) == 20 * UNIT


def test_unlock_permanent_resets_delegation(escrow, holders, t0):
    a, b = holders[0], holders[1]
    escrow.createLock(4 * UNIT, t0 + 5 * WEEK, {"from": a})
    escrow.lockPermanent({"from": a})
    escrow.delegate(b, {"from": a})
    assert escrow.getVotes(b) == 8 * UNIT
    tchain.advance(50)
    tx = escrow.unlockPermanent({"from": a})
    assert escrow.delegates(a) == a
    assert escrow.getVotes(b) == 0
    assert escrow.getVotes(a) == escrow.balanceOf(a)
    assert events(tx, "DelegateChanged") == [{"delegator": a, "fromDelegate": b, "toDelegate": a}]
    ev = events(tx, "DelegateVotesChanged")
    assert {"delegate": b, "previousVotes": 8 * UNIT, "newVotes": 0} in ev
    assert ev[-1]["delegate"] == a and ev[-1]["newVotes"] == escrow.balanceOf(a)
    tchain.advance(10)
    assert escrow.getPastVotes(b, tx.timestamp - 1) == 8 * UNIT
    assert escrow.getPastVotes(b, tx.timestamp) == 0


# ------------------------------------------------------------------------------------ delegateBySig


@pytest.fixture
def signer(escrow, token, holders, deployer, t0):
    acct = accounts.add()
    deployer.transfer(acct, 10**18)
    token.transfer(acct, 100 * UNIT, {"from": holders[0]})
    token.approve(escrow, 2**256 - 1, {"from": acct})
    escrow.createLock(10 * UNIT, t0 + 5 * WEEK, {"from": acct})
    escrow.lockPermanent({"from": acct})
    return acct


def sign_delegation_to(escrow, private_key, delegatee, nonce, expiry):
    """(v, r, s) of a delegation to `delegatee` for `escrow.delegateBySig` (harness.core.signing)."""
    return sign_delegation(private_key, escrow.name(), escrow.address, chain.id, str(delegatee), nonce, expiry)


def test_eip712_domain(escrow):
    fields, name, version, chain_id, contract, _, _ = escrow.eip712Domain()
    assert name == "veService Token" and version == "1" and chain_id == chain.id and contract == escrow


def test_delegate_by_sig(escrow, signer, holders):
    b = holders[1]
    expiry = tchain.now() + 3600
    v, r, s = sign_delegation_to(escrow, signer.private_key, b, 0, expiry)
    tx = escrow.delegateBySig(b, 0, expiry, v, r, s, {"from": holders[4]})
    assert escrow.delegates(signer) == b
    assert escrow.nonces(signer) == 1
    assert escrow.getVotes(b) == escrow.balanceOf(b) + 20 * UNIT
    assert events(tx, "DelegateChanged")[0] == {"delegator": signer, "fromDelegate": signer, "toDelegate": b}
    # replay
    with reverts("InvalidAccountNonce", signer.address, 1):
        escrow.delegateBySig(b, 0, expiry, v, r, s, {"from": holders[4]})


def test_delegate_by_sig_expired(escrow, signer, holders):
    expiry = tchain.now() + 10
    v, r, s = sign_delegation_to(escrow, signer.private_key, holders[1], 0, expiry)
    tchain.mine_at(expiry + 1)
    with reverts("VotesExpiredSignature", expiry):
        escrow.delegateBySig(holders[1], 0, expiry, v, r, s, {"from": holders[4]})


def test_delegate_by_sig_wrong_signer(escrow, signer, holders):
    """A signature by another key delegates that key's (absent) lock, never the intended account's."""
    other = Account.create()
    expiry = tchain.now() + 3600
    v, r, s = sign_delegation_to(escrow, other.key, holders[1], 0, expiry)
    with reverts("DelegationRequiresPermanentLock", other.address):
        escrow.delegateBySig(holders[1], 0, expiry, v, r, s, {"from": signer})
    # a signature over other data recovers some unrelated address whose nonce is 0, not 5
    v, r, s = sign_delegation_to(escrow, signer.private_key, holders[1], 5, expiry)
    submitted = delegation_message(escrow.name(), escrow.address, chain.id, holders[1].address, 5, expiry + 1)
    unrelated = recover(submitted, r + s + bytes([v]))
    assert unrelated not in (signer.address, None)
    with reverts("InvalidAccountNonce", unrelated, 0):
        escrow.delegateBySig(holders[1], 5, expiry + 1, v, r, s, {"from": signer})
    assert escrow.delegates(signer) == signer
    assert escrow.nonces(signer) == 0


# ------------------------------------------------------------------------------------ smart wallets

def test_smart_wallet_delegates_by_calling_delegate_not_by_signature(escrow, token, holders, deployer, t0):
    """delegateBySig is ECDSA only (issue 9, finding 9): IERC5805's signature names no signer, so the
    owner key's signature recovers the key's address, never the wallet's; the wallet delegates its
    permanent lock by calling `delegate` itself."""
    owner_key = accounts.add()
    deployer.transfer(owner_key, 10**18)
    wallet = wallet_container().deploy(owner_key, {"from": deployer})
    token.transfer(wallet, 100 * UNIT, {"from": holders[0]})
    for target, data in ((token, token.approve.encode_input(escrow, 100 * UNIT)),
                         (escrow, escrow.createLock.encode_input(100 * UNIT, t0 + 10 * WEEK)),
                         (escrow, escrow.lockPermanent.encode_input())):
        wallet.execute(target, data, {"from": owner_key})
    assert escrow.locked(wallet) == (100 * UNIT, 0, True)
    delegatee = holders[1]
    expiry = t0 + 3600
    v, r, s = sign_delegation_to(escrow, owner_key.private_key, delegatee, 0, expiry)
    with reverts("DelegationRequiresPermanentLock", owner_key.address):
        escrow.delegateBySig(delegatee, 0, expiry, v, r, s, {"from": holders[4]})
    assert escrow.delegates(wallet) == wallet
    wallet.execute(escrow, escrow.delegate.encode_input(delegatee), {"from": owner_key})
    assert escrow.delegates(wallet) == delegatee
    assert escrow.getVotes(delegatee) == escrow.balanceOf(delegatee) + 200 * UNIT
