"""Calldata with dummy arguments for every state-changing function of an ABI: the access-control
tests call each one by eth_call and read the revert, so an owner-only function a contract gains
later is found without anybody listing it."""

from __future__ import annotations

from eth_abi import encode as abi_encode

from harness.core.abi import canonical_type, selector_of, signature_of
from tests.support.reverts import split_types

PROBE_ADDRESS = "0x000000000000000000000000000000000000dEaD"


def dummy_value(abi_type: str):
    """A value of canonical ABI type `abi_type` (tuples as `(a,b)`, arrays fixed or dynamic)."""
    if abi_type.endswith("]"):
        inner, size = abi_type[: abi_type.rindex("[")], abi_type[abi_type.rindex("[") + 1 : -1]
        return [dummy_value(inner) for _ in range(int(size))] if size else []
    if abi_type.startswith("("):
        return tuple(dummy_value(part) for part in split_types(abi_type[1:-1]))
    if abi_type == "address":
        return PROBE_ADDRESS
    if abi_type.startswith(("uint", "int")):
        return 1
    if abi_type == "bool":
        return True
    if abi_type == "string":
        return ""
    if abi_type == "bytes":
        return b""
    if abi_type.startswith("bytes"):
        return b"\x01" * int(abi_type[5:])
    raise NotImplementedError(abi_type)


def state_changing(contract) -> dict[str, bytes]:
    """{signature: calldata with dummy arguments} of every non-view function in `contract`'s ABI."""
    out = {}
    for item in contract.abi:
        if item["type"] != "function" or item["stateMutability"] in ("view", "pure"):
            continue
        types = [canonical_type(i) for i in item["inputs"]]
        out[signature_of(item)] = selector_of(item) + abi_encode(types, [dummy_value(t) for t in types])
    return out
