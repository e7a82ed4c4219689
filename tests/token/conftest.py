"""Fixtures and helpers for the ServiceToken tests (tests/token).

Reverts are checked byte for byte: a reverted transaction is mined on Anvil (brownie sends with a fixed
gas limit on development networks, so nothing is estimated first), its raw return data is read back with
`debug_traceTransaction` + `callTracer`, and compared with the expected error's ABI encoding
(tests/models/token_model.py). brownie 1.22.2 itself only keeps the decoded form: a known project error
becomes `revert_msg == "Name: arg, arg"` (addresses in lower case, integers in decimal); that string is
checked too, so both views of the revert agree.

Hypothesis: profile `token` (what the tests here use) is `token-default` unless HYPOTHESIS_PROFILE=deep,
then it is `deep`. Only tests/token use these profiles; brownie's own profile stays loaded for the rest.
"""

from __future__ import annotations

import os

import pytest
from brownie import web3
from brownie.exceptions import VirtualMachineError
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak
from hypothesis import HealthCheck, settings

from models.token_model import ExpectedError, TokenModel, addr

SOLIDITY_PANIC_MESSAGES = {0x11: "Integer overflow"}  # brownie's decoding of Panic(uint256)

_BASE = settings.default  # brownie's profile from brownie-config.yaml (deadline=None etc.)
# The default run is derandomized: the same examples every run, so the state machine's check that it
# exercised both accepted and rejected steps cannot fail by luck; the deep profile explores at random.
settings.register_profile(
    "token-default",
    parent=_BASE,
    max_examples=12,
    stateful_step_count=25,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "deep",
    parent=_BASE,
    max_examples=200,
    stateful_step_count=80,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "token",
    parent=settings.get_profile("deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "token-default"),
)


def revert_data(txid: str) -> bytes:
    """Raw return data of a mined, reverted transaction (the encoded custom error)."""
    response = web3.provider.make_request("debug_traceTransaction", [txid, {"tracer": "callTracer"}])
    if "error" in response:
        raise RuntimeError(f"debug_traceTransaction({txid}) failed: {response['error']}")
    result = response["result"]
    assert result.get("error") == "execution reverted", f"transaction {txid} did not revert: {result}"
    return bytes.fromhex(result.get("output", "0x")[2:])


class RevertsWith:
    """`with RevertsWith(error): <send one transaction>` - the transaction must be mined, fail, and return
    exactly `error.encode()`; brownie's decoded `revert_msg` must match as well."""

    def __init__(self, expected: ExpectedError):
        self.expected = expected
        self.data: bytes | None = None
        self.exception: VirtualMachineError | None = None

    def __enter__(self) -> "RevertsWith":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            raise AssertionError(f"expected a revert with {self.expected}, but the transaction succeeded")
        if not issubclass(exc_type, VirtualMachineError):
            return False  # let other exceptions propagate
        self.exception = exc
        txid = getattr(exc, "txid", None)
        assert txid, f"revert without a mined transaction: {exc!r}"
        assert web3.eth.get_transaction_receipt(txid)["status"] == 0
        self.data = revert_data(txid)
        expected = self.expected.encode()
        assert self.data == expected, (
            f"revert data mismatch:\n  expected {self.expected} = 0x{expected.hex()}\n"
            f"  actual   0x{self.data.hex()} ({exc.revert_msg})"
        )
        if self.expected.name == "Panic":
            assert exc.revert_msg == SOLIDITY_PANIC_MESSAGES[self.expected.args[0]]
        else:
            assert exc.revert_msg == self.expected.brownie_message(), exc.revert_msg
        return True


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


@pytest.fixture(scope="session")
def reverts_with():
    return RevertsWith


SUPPLY = 1_000_000_000 * 10**18  # what tests/conftest.py's `token` fixture mints


def shared_allocation(holders) -> tuple[list[str], list[int]]:
    """The allocations tests/conftest.py's `token` fixture deploys with, recomputed here."""
    share = SUPPLY // len(holders)
    amounts = [share] * len(holders)
    amounts[0] += SUPPLY - share * len(holders)
    return [addr(h) for h in holders], amounts


@pytest.fixture(scope="session")
def raw_revert_data():
    return revert_data


@pytest.fixture
def allocation(holders):
    """(recipients, amounts) of the shared `token`."""
    return shared_allocation(holders)


@pytest.fixture
def model(token, holders):
    """Reference model of the shared `token` right after deployment (computed, not read from the chain)."""
    return TokenModel.deploy(*shared_allocation(holders))
