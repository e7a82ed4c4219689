"""Many view calls in one eth_call: the stateful tests' invariants read about a hundred values after
every step, and one round trip per value would dominate their run time."""

from __future__ import annotations

from brownie import compile_source
from hexbytes import HexBytes

READER_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
/// Test-only: many view calls in one eth_call; a failing call's revert data is passed on as is.
contract BatchReader {
    function read(address[] calldata targets, bytes[] calldata data) external view returns (bytes[] memory out) {
        out = new bytes[](targets.length);
        for (uint256 i; i < targets.length; ++i) {
            (bool ok, bytes memory ret) = targets[i].staticcall(data[i]);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
            out[i] = ret;
        }
    }
}
"""

_compiled: dict = {}


def reader_container():
    """The BatchReader contract type (compiled once per process)."""
    if "p" not in _compiled:
        _compiled["p"] = compile_source(READER_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"].BatchReader


class Batch:
    """Collect view calls, then read them all in one eth_call through a deployed BatchReader:
    `b.add(fn, *args)` returns an index into the list `b.run()` returns (each value decoded as brownie
    would: a single output unwrapped)."""

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
