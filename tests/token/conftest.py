"""Fixtures and helpers for the ServiceToken tests (tests/token): batch readers of the token's state and
the reference model of the shared `token` fixture. Reverts are matched byte for byte by
tests/support/reverts.py; hypothesis budgets are tests/support/profiles.py's "token"."""

from __future__ import annotations

import pytest
from brownie import web3
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak

from tests.models.errors import addr
from tests.models.token_model import TokenModel
from tests.support.constants import SUPPLY


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


_BALANCE_OF = _selector("balanceOf(address)")
_ALLOWANCE = _selector("allowance(address,address)")
_NONCES = _selector("nonces(address)")
_TOTAL_SUPPLY = _selector("totalSupply()")


def read_balances(token, addresses) -> dict[str, int]:
    """balanceOf every address in `addresses`, in one JSON-RPC batch at one block."""
    addresses = [addr(a) for a in addresses]
    block = hex(web3.eth.block_number)
    requests = [
        ("eth_call", [{"to": token.address, "data": "0x" + (_BALANCE_OF + abi_encode(["address"], [a])).hex()}, block])
        for a in addresses
    ]
    responses = sorted(web3.provider.make_batch_request(requests), key=lambda r: r["id"])
    assert len(responses) == len(addresses) and all("error" not in r for r in responses), responses
    return {a: abi_decode(["uint256"], bytes.fromhex(r["result"][2:]))[0] for a, r in zip(addresses, responses)}


def read_token_state(token, addresses):
    """Every balance, every ordered-pair allowance, every nonce and totalSupply of `token` for `addresses`,
    read with one JSON-RPC batch of eth_calls at the same block (hundreds of reads cost one round trip).

    Returns (balances, allowances, nonces, total_supply) keyed by checksummed address / address pair."""
    addresses = [addr(a) for a in addresses]
    block = web3.eth.block_number
    keys, requests = [], []

    def call(key, data: bytes):
        keys.append(key)
        requests.append(("eth_call", [{"to": token.address, "data": "0x" + data.hex()}, hex(block)]))

    call(("supply",), _TOTAL_SUPPLY)
    for a in addresses:
        call(("balance", a), _BALANCE_OF + abi_encode(["address"], [a]))
        call(("nonce", a), _NONCES + abi_encode(["address"], [a]))
        for b in addresses:
            call(("allowance", a, b), _ALLOWANCE + abi_encode(["address", "address"], [a, b]))
    responses = web3.provider.make_batch_request(requests)
    assert len(responses) == len(requests), responses
    by_id = sorted(responses, key=lambda r: r["id"])  # batch replies may come in any order
    balances, allowances, nonces, supply = {}, {}, {}, None
    for key, response in zip(keys, by_id):
        assert "error" not in response, response
        (value,) = abi_decode(["uint256"], bytes.fromhex(response["result"][2:]))
        if key[0] == "supply":
            supply = value
        elif key[0] == "balance":
            balances[key[1]] = value
        elif key[0] == "nonce":
            nonces[key[1]] = value
        else:
            allowances[(key[1], key[2])] = value
    return balances, allowances, nonces, supply


@pytest.fixture(scope="session")
def balances_of():
    return read_balances


@pytest.fixture(scope="session")
def token_state():
    return read_token_state


def shared_allocation(holders) -> tuple[list[str], list[int]]:
    """The allocations tests/conftest.py's `token` fixture deploys with, recomputed here."""
    share = SUPPLY // len(holders)
    amounts = [share] * len(holders)
    amounts[0] += SUPPLY - share * len(holders)
    return [addr(h) for h in holders], amounts


@pytest.fixture
def allocation(holders):
    """(recipients, amounts) of the shared `token`."""
    return shared_allocation(holders)


@pytest.fixture
def model(token, holders):
    """Reference model of the shared `token` right after deployment (computed, not read from the chain)."""
    return TokenModel.deploy(*shared_allocation(holders))
