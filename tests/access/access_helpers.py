"""Helpers shared by the ServiceAccess tests (imported by conftest and test modules): the split most
tests use, the name of a skipped receipt's reason, fixed test keys, token flows of a payment and
batched view reads for the stateful invariants."""

from __future__ import annotations

from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3

from harness.core.abi import known_errors

# Split used by most tests: 50% stakers, 40% treasury, 10% burn.
SPLIT = (5_000, 4_000, 1_000)


def reason_name(raw) -> str:
    """The error name of a `bytes4 reason` read from an event or a call ("" for zero: no error), from
    the compiled project's errors (harness.core.abi)."""
    selector = bytes(HexBytes(raw))
    if selector == bytes(4):
        return ""
    return known_errors()[selector]["name"]


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


