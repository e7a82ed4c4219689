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
from hypothesis import HealthCheck, settings

from models.token_model import ExpectedError, TokenModel, addr

SOLIDITY_PANIC_MESSAGES = {0x11: "Integer overflow"}  # brownie's decoding of Panic(uint256)

_BASE = settings.default  # brownie's profile from brownie-config.yaml (deadline=None etc.)
settings.register_profile(
    "token-default",
    parent=_BASE,
    max_examples=12,
    stateful_step_count=25,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "deep",
    parent=_BASE,
    max_examples=200,
    stateful_step_count=60,
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
