"""Constants and helpers shared by the ServiceAccess tests (imported by conftest and test modules)."""

from __future__ import annotations

import os
from contextlib import contextmanager

from brownie.exceptions import VirtualMachineError
from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3

# Default profile keeps tests/services within a few minutes; HYPOTHESIS_PROFILE=deep digs further.
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
EXAMPLES = 100 if DEEP else 12

E18 = 10**18
BIG = 10**30
MAX_UINT = 2**256 - 1
DAY = 86400
WEEK = 7 * DAY
MAX_LOCK = 365 * DAY
ZERO = "0x0000000000000000000000000000000000000000"
# Split used by most tests: 50% stakers, 40% treasury, 10% burn.
SPLIT = (5_000, 4_000, 1_000)


def selector(signature: str) -> str:
    """0x-prefixed 4-byte selector of an error signature, as `UsageReceiptSkipped.reason` carries it."""
    return "0x" + bytes(Web3.keccak(text=signature)[:4]).hex()


REASONS = {
    "NotRewardToken": selector("NotRewardToken(address)"),
    "ReceiptExpired": selector("ReceiptExpired(uint256)"),
    "ReceiptNotNewer": selector("ReceiptNotNewer(uint256,uint256)"),
    "InsufficientCredits": selector("InsufficientCredits(uint256,uint256)"),
    "InvalidSignature": selector("InvalidSignature()"),
}


def reason_name(raw) -> str:
    """The error name of a `bytes4 reason` read from an event or a call."""
    value = "0x" + bytes(raw).hex() if isinstance(raw, (bytes, bytearray)) else str(raw)
    value = value if value.startswith("0x") else "0x" + value
    for name, sel in REASONS.items():
        if sel.lower() == value.lower():
            return name
    if int(value, 16) == 0:
        return ""
    raise AssertionError(f"unknown reason {value}")


def error_name(exc) -> str:
    msg = getattr(exc, "revert_msg", None) or str(exc)
    return msg.split(":")[0].strip()


@contextmanager
def reverts_with(name: str, *args):
    """The block must revert with custom error `name` (and, if given, exactly these arguments, in
    brownie's decoded "Name: a, b" form)."""
    try:
        yield
    except VirtualMachineError as exc:
        got = error_name(exc)
        assert got == name, f"reverted with {exc.revert_msg!r}, expected {name}"
        if args:
            values = [v.strip().lower() for v in exc.revert_msg.split(":", 1)[1].split(",")]
            assert values == [str(a).lower() for a in args], f"{exc.revert_msg!r} != {name}{args}"
    else:
        raise AssertionError(f"did not revert (expected {name})")


def key_for(label: str) -> str:
    """A fixed private key per label: the same signers (and so the same calldata) every run."""
    return "0x" + bytes(Web3.keccak(text=f"service-access-tests:{label}")).hex()


def address_for(label: str) -> str:
    return Account.from_key(key_for(label)).address


class Flows:
    """Token balances of the parties to a payment, before and after: `delta()` maps each name (and
    "supply" for the token's total supply) to its change."""

    def __init__(self, token, **parties):
        self.token = token
        self.parties = {name: str(address) for name, address in parties.items()}
        self.before = self._read()

    def _read(self) -> dict:
        out = {name: self.token.balanceOf(address) for name, address in self.parties.items()}
        out["supply"] = self.token.totalSupply()
        return out

    def delta(self) -> dict:
        after = self._read()
        return {name: after[name] - self.before[name] for name in after}


class Batch:
    """Collect view calls, then read them all in one eth_call through the test Reader contract:
    `add(fn, *args)` returns an index into the list `run()` returns (values decoded as brownie does)."""

    def __init__(self, reader):
        self.reader = reader
        self.calls: list = []

    def add(self, fn, *args) -> int:
        self.calls.append((fn, fn._address, fn.encode_input(*args)))
        return len(self.calls) - 1

    def run(self) -> list:
        if not self.calls:
            return []
        raw = self.reader.read([c[1] for c in self.calls], [c[2] for c in self.calls])
        out = [fn.decode_output(HexBytes(data).to_0x_hex()) for (fn, _, _), data in zip(self.calls, raw)]
        self.calls = []
        return out
