"""EIP-2612 permit of ServiceToken, signed with eth-account by fresh keys (`Account.create()`).

The owner never sends a transaction: a relayer (a funded holder) submits every permit. Expected signers for
the failure cases are recovered in Python from the digest the contract builds, so `ERC2612InvalidSigner`
is matched with its exact arguments.
"""

import pytest
from brownie import chain
from brownie.test import given, strategy
from eth_account import Account
from hypothesis import strategies as st

from harness.chain.time import next_block_at, now
from harness.core import signing
from harness.core.units import MAX_UINT256, ZERO_ADDRESS
from tests.models.token_model import (
    ECDSAInvalidSignature,
    ECDSAInvalidSignatureS,
    ERC20InsufficientAllowance,
    ERC20InvalidSpender,
    ERC2612ExpiredSignature,
    ERC2612InvalidSigner,
    domain_separator,
    permit_digest,
    recover_signer,
)
from tests.support.profiles import examples
from tests.support.reverts import reverts

NAME = "Service Token"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
FAR = 2**64  # a deadline that never passes in these tests


@pytest.fixture
def owner(token, holders):
    """A fresh key that holds 1000 tokens (from holders[0]) and no ether."""
    acct = Account.create()
    token.transfer(acct.address, 1000 * 10**18, {"from": holders[0]})
    return acct


@pytest.fixture
def relayer(holders):
    return holders[8]


@pytest.fixture
def spender(holders):
    return holders[1]


def sign(token, key, owner, spender, value, nonce, deadline, chain_id=None, name=NAME, contract=None):
    return signing.sign_permit(
        key, name, contract or token.address, chain.id if chain_id is None else chain_id,
        owner, spender, value, nonce, deadline,
    )


def expected_signer(token, v, r, s, owner, spender, value, nonce, deadline):
    """Who the contract recovers for this signature given the permit it is asked to apply."""
    return recover_signer(permit_digest(NAME, chain.id, token.address, owner, spender, value, nonce, deadline), v, r, s)


# --- domain -----------------------------------------------------------------------------------------------
def test_domain_separator_matches_python(token):
    expected = domain_separator(NAME, chain.id, token.address)
    assert token.DOMAIN_SEPARATOR() == "0x" + expected.hex()
    # harness.core.signing's message (eth-account's EIP-712 encoder) agrees: its header is the domain separator
    message = signing.permit_message(NAME, token.address, chain.id, ZERO_ADDRESS, ZERO_ADDRESS, 0, 0, 0)
    assert message.header == expected
    assert domain_separator(NAME, 1, token.address) != expected  # the chain id is part of it


def test_eip712_domain_fields(token):
    fields, name, version, chain_id, contract, salt, extensions = token.eip712Domain()
    assert fields == "0x0f"  # name, version, chainId, verifyingContract
    assert (name, version, chain_id, contract) == (NAME, "1", chain.id, token.address)
    assert salt == "0x" + "00" * 32
    assert extensions == ()


def test_python_digest_matches_eth_account(token, owner, spender):
    message = signing.permit_message(NAME, token.address, chain.id, owner.address, spender.address, 5, 3, 99)
    assert signing.digest(message) == permit_digest(
        NAME, chain.id, token.address, owner.address, spender.address, 5, 3, 99
    )


# --- valid permits ----------------------------------------------------------------------------------------
@examples("token")
@given(value=st.one_of(st.integers(0, 10**30), st.just(MAX_UINT256)), spender_acct=strategy("address"),
       deadline_offset=st.integers(0, 10**9))
def test_valid_permit_sets_allowance_and_bumps_nonce(token, owner, relayer, value, spender_acct, deadline_offset):
    deadline = now() + 100 + deadline_offset
    v, r, s = sign(token, owner.key, owner.address, spender_acct.address, value, 0, deadline)
    tx = token.permit(owner.address, spender_acct, value, deadline, v, r, s, {"from": relayer})
    assert token.allowance(owner.address, spender_acct) == value
    assert token.nonces(owner.address) == 1
    assert [(e.name, dict(e)) for e in tx.events] == [
        ("Approval", {"owner": owner.address, "spender": spender_acct.address, "value": value})
    ]
    assert token.balanceOf(owner.address) == 1000 * 10**18  # a permit moves nothing


def test_permit_overwrites_allowance_and_nonces_count_up(token, owner, spender, relayer):
    for nonce, value in enumerate([50, 7, 0, 123]):
        assert token.nonces(owner.address) == nonce
        v, r, s = sign(token, owner.key, owner.address, spender.address, value, nonce, FAR)
        token.permit(owner.address, spender, value, FAR, v, r, s, {"from": relayer})
        assert token.allowance(owner.address, spender) == value
    assert token.nonces(owner.address) == 4
    assert token.nonces(spender) == 0 and token.nonces(relayer) == 0


def test_permit_then_transfer_from(token, owner, spender, relayer, holders):
    v, r, s = sign(token, owner.key, owner.address, spender.address, 300 * 10**18, 0, FAR)
    token.permit(owner.address, spender, 300 * 10**18, FAR, v, r, s, {"from": relayer})
    receiver = holders[5]
    receiver_before = token.balanceOf(receiver)
    tx = token.transferFrom(owner.address, receiver, 120 * 10**18, {"from": spender})
    assert [dict(e) for e in tx.events["Transfer"]] == [
        {"from": owner.address, "to": receiver.address, "value": 120 * 10**18}
    ]
    assert token.allowance(owner.address, spender) == 180 * 10**18
    assert token.balanceOf(owner.address) == 880 * 10**18
    assert token.balanceOf(receiver) == receiver_before + 120 * 10**18


def test_permit_allowance_is_bounded(token, owner, spender, relayer):
    v, r, s = sign(token, owner.key, owner.address, spender.address, 10, 0, FAR)
    token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})
    with reverts(ERC20InsufficientAllowance(spender, 10, 11)):
        token.transferFrom(owner.address, spender, 11, {"from": spender})


def test_permit_from_owner_without_tokens(token, spender, relayer):
    empty = Account.create()
    v, r, s = sign(token, empty.key, empty.address, spender.address, 10**18, 0, FAR)
    token.permit(empty.address, spender, 10**18, FAR, v, r, s, {"from": relayer})
    assert token.allowance(empty.address, spender) == 10**18


def test_anyone_may_submit_the_permit(token, owner, spender):
    v, r, s = sign(token, owner.key, owner.address, spender.address, 9, 0, FAR)
    token.permit(owner.address, spender, 9, FAR, v, r, s, {"from": spender})  # the spender relays it
    assert token.allowance(owner.address, spender) == 9


# --- deadline ---------------------------------------------------------------------------------------------
def test_deadline_equal_to_block_time_is_accepted(token, owner, spender, relayer):
    t = now() + 1000
    v, r, s = sign(token, owner.key, owner.address, spender.address, 77, 0, t)
    next_block_at(t)
    tx = token.permit(owner.address, spender, 77, t, v, r, s, {"from": relayer})
    assert tx.timestamp == t
    assert token.allowance(owner.address, spender) == 77


def test_deadline_one_second_before_block_time_expires(token, owner, spender, relayer):
    t = now() + 1000
    v, r, s = sign(token, owner.key, owner.address, spender.address, 77, 0, t - 1)
    next_block_at(t)
    with reverts(ERC2612ExpiredSignature(t - 1)) as caught:
        token.permit(owner.address, spender, 77, t - 1, v, r, s, {"from": relayer})
    assert chain.get_transaction(caught.exception.txid).timestamp == t
    assert token.allowance(owner.address, spender) == 0
    assert token.nonces(owner.address) == 0


@examples("token")
@given(age=st.integers(1, 10**8), value=st.integers(0, 10**30))
def test_expired_permit_reverts(token, owner, spender, relayer, age, value):
    t = now() + 10
    deadline = max(t - age, 0)
    v, r, s = sign(token, owner.key, owner.address, spender.address, value, 0, deadline)
    next_block_at(t)
    with reverts(ERC2612ExpiredSignature(deadline)):
        token.permit(owner.address, spender, value, deadline, v, r, s, {"from": relayer})
    assert token.nonces(owner.address) == 0
    assert token.allowance(owner.address, spender) == 0


def test_expiry_is_checked_before_the_signature(token, owner, spender, relayer):
    with reverts(ERC2612ExpiredSignature(1)):
        token.permit(owner.address, spender, 5, 1, 27, b"\x01" * 32, b"\x02" * 32, {"from": relayer})


# --- bad signatures ---------------------------------------------------------------------------------------
def test_wrong_signer_reverts(token, owner, spender, relayer):
    other = Account.create()
    v, r, s = sign(token, other.key, owner.address, spender.address, 10, 0, FAR)
    with reverts(ERC2612InvalidSigner(other.address, owner.address)):
        token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})
    assert token.nonces(owner.address) == 0
    assert token.allowance(owner.address, spender) == 0


def test_replayed_permit_reverts(token, owner, spender, relayer):
    v, r, s = sign(token, owner.key, owner.address, spender.address, 10, 0, FAR)
    token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})
    token.approve(spender, 0, {"from": relayer})  # unrelated state change in between
    # the contract now hashes nonce 1, so the nonce-0 signature recovers to an unrelated address
    recovered = expected_signer(token, v, r, s, owner.address, spender.address, 10, 1, FAR)
    assert recovered != owner.address
    with reverts(ERC2612InvalidSigner(recovered, owner.address)):
        token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})
    assert token.nonces(owner.address) == 1
    assert token.allowance(owner.address, spender) == 10


def test_future_nonce_is_rejected_until_its_turn(token, owner, spender, relayer):
    sig1 = sign(token, owner.key, owner.address, spender.address, 20, 1, FAR)
    recovered = expected_signer(token, *sig1, owner.address, spender.address, 20, 0, FAR)
    with reverts(ERC2612InvalidSigner(recovered, owner.address)):
        token.permit(owner.address, spender, 20, FAR, *sig1, {"from": relayer})
    sig0 = sign(token, owner.key, owner.address, spender.address, 10, 0, FAR)
    token.permit(owner.address, spender, 10, FAR, *sig0, {"from": relayer})
    token.permit(owner.address, spender, 20, FAR, *sig1, {"from": relayer})
    assert token.allowance(owner.address, spender) == 20
    assert token.nonces(owner.address) == 2


@examples("token")
@given(chain_id=st.one_of(st.just(1), st.integers(0, 2**64)))
def test_wrong_chain_id_reverts(token, owner, spender, relayer, chain_id):
    if chain_id == chain.id:
        chain_id += 1
    v, r, s = sign(token, owner.key, owner.address, spender.address, 10, 0, FAR, chain_id=chain_id)
    recovered = expected_signer(token, v, r, s, owner.address, spender.address, 10, 0, FAR)
    assert recovered != owner.address
    with reverts(ERC2612InvalidSigner(recovered, owner.address)):
        token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})
    assert token.nonces(owner.address) == 0


@pytest.mark.parametrize("field", ["name", "contract", "value", "spender", "deadline", "owner"])
def test_tampered_permit_reverts(token, owner, spender, relayer, holders, field):
    """Signed for something else than what is submitted: the recovered address is not the owner."""
    signed = dict(name=NAME, contract=token.address, owner=owner.address, spender=spender.address, value=10,
                  deadline=FAR)
    submitted = dict(signed)
    if field in ("name", "contract"):
        signed[field] = "Other Token" if field == "name" else holders[0].address
    elif field == "value":
        submitted["value"] = 11
    elif field == "spender":
        submitted["spender"] = holders[2].address
    elif field == "deadline":
        submitted["deadline"] = FAR + 1
    else:
        submitted["owner"] = holders[3].address  # someone else's tokens, with owner's signature
    v, r, s = signing.sign_permit(owner.key, signed["name"], signed["contract"], chain.id, signed["owner"],
                                  signed["spender"], signed["value"], 0, signed["deadline"])
    recovered = expected_signer(token, v, r, s, submitted["owner"], submitted["spender"], submitted["value"], 0,
                                submitted["deadline"])
    assert recovered != submitted["owner"]
    with reverts(ERC2612InvalidSigner(recovered, submitted["owner"])):
        token.permit(submitted["owner"], submitted["spender"], submitted["value"], submitted["deadline"], v, r, s,
                     {"from": relayer})
    assert token.allowance(submitted["owner"], submitted["spender"]) == 0


def test_permit_to_zero_spender_reverts(token, owner, relayer):
    v, r, s = sign(token, owner.key, owner.address, ZERO_ADDRESS, 10, 0, FAR)
    with reverts(ERC20InvalidSpender(ZERO_ADDRESS)):
        token.permit(owner.address, ZERO_ADDRESS, 10, FAR, v, r, s, {"from": relayer})
    assert token.nonces(owner.address) == 0  # the nonce is only consumed by a successful permit


def test_malleable_high_s_signature_reverts(token, owner, spender, relayer):
    v, r, s = sign(token, owner.key, owner.address, spender.address, 10, 0, FAR)
    high_s = (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big")  # same signature, other half
    flipped_v = 55 - v  # 27 <-> 28
    with reverts(ECDSAInvalidSignatureS(high_s)):
        token.permit(owner.address, spender, 10, FAR, flipped_v, r, high_s, {"from": relayer})
    token.permit(owner.address, spender, 10, FAR, v, r, s, {"from": relayer})  # the low-s form is accepted
    assert token.allowance(owner.address, spender) == 10


@pytest.mark.parametrize("v, r", [(0, b"\x11" * 32), (29, b"\x11" * 32), (27, b"\x00" * 32)])
def test_unrecoverable_signature_reverts(token, owner, spender, relayer, v, r):
    with reverts(ECDSAInvalidSignature()):
        token.permit(owner.address, spender, 10, FAR, v, r, b"\x01" * 32, {"from": relayer})
