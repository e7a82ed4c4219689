"""The compiled project read as plain data: the ABI of each contract type (build/contracts/<type>.json,
brownie's artifacts), every custom error by selector and by name, and revert data decoded into
`Name(arg=value, ...)`. Nothing here needs a network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Mapping

from eth_abi import decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from harness.core.paths import BUILD_CONTRACTS

ERROR_STRING = function_signature_to_4byte_selector("Error(string)")
PANIC = function_signature_to_4byte_selector("Panic(uint256)")


@lru_cache(maxsize=None)
def _artifact_abi(contract_type: str) -> tuple[Any, ...]:
    return tuple(json.loads((BUILD_CONTRACTS / f"{contract_type}.json").read_text())["abi"])


def abi_of(contract_type: str) -> list[dict[str, Any]]:
    """The ABI brownie compiled for `contract_type` (a copy: callers may keep or change it)."""
    return json.loads(json.dumps(_artifact_abi(contract_type)))


def canonical_type(param: Mapping[str, Any]) -> str:
    """The ABI type as it appears in a signature: tuples spelled out, e.g. `(address,uint256)[]`."""
    kind = param["type"]
    if kind.startswith("tuple"):
        inner = ",".join(canonical_type(component) for component in param["components"])
        return f"({inner}){kind[len('tuple'):]}"
    return kind


def signature_of(entry: Mapping[str, Any]) -> str:
    """`name(type,type)` of a function or error ABI entry."""
    return f"{entry['name']}({','.join(canonical_type(p) for p in entry['inputs'])})"


def selector_of(entry: Mapping[str, Any]) -> bytes:
    return function_signature_to_4byte_selector(signature_of(entry))


@lru_cache(maxsize=1)
def known_errors() -> dict[bytes, dict[str, Any]]:
    """Every custom error of the compiled project (OpenZeppelin's included), by selector."""
    errors: dict[bytes, dict[str, Any]] = {}
    for path in sorted(BUILD_CONTRACTS.glob("*.json")):
        for entry in json.loads(path.read_text()).get("abi", []):
            if entry.get("type") == "error":
                errors[selector_of(entry)] = entry
    return errors


def error_named(name: str) -> dict[str, Any]:
    """The ABI entry of the project's custom error `name` (KeyError if there is none; ValueError if
    two contracts declare errors of that name with different arguments)."""
    found = {signature_of(entry): entry for entry in known_errors().values() if entry["name"] == name}
    if not found:
        raise KeyError(f"no custom error named {name!r} in {BUILD_CONTRACTS}")
    if len(found) > 1:
        raise ValueError(f"custom error {name!r} is declared with different arguments: {', '.join(sorted(found))}")
    return next(iter(found.values()))


def error_name(selector: bytes | str) -> str:
    """The name of the project's custom error with this 4-byte selector (a `reason` a contract reports
    without the arguments, e.g. ServiceAccess's `UsageReceiptSkipped`), or `unknown error 0x...`."""
    if isinstance(selector, str):
        selector = bytes.fromhex(selector.removeprefix("0x"))
    entry = known_errors().get(bytes(selector)[:4])
    return entry["name"] if entry else f"unknown error 0x{bytes(selector).hex()}"


def decode_revert(data: bytes | str | None) -> str:
    """Error(string), Panic(uint256) or a custom error of the project, with its arguments."""
    if isinstance(data, str):
        data = bytes.fromhex(data.removeprefix("0x"))
    if not data:
        return "reverted without a reason"
    selector, body = data[:4], data[4:]
    if selector == ERROR_STRING:
        return f"Error: {decode(['string'], body)[0]}"
    if selector == PANIC:
        return f"Panic(0x{decode(['uint256'], body)[0]:x})"
    entry = known_errors().get(selector)
    if entry is None:
        return f"unknown error 0x{data.hex()}"
    inputs = entry["inputs"]
    try:
        args = decode([canonical_type(p) for p in inputs], body)
    except Exception:  # noqa: BLE001 - undecodable data is shown raw
        return f"{entry['name']}(<undecodable 0x{body.hex()}>)"
    shown = ", ".join(
        f"{param['name'] or i}={to_checksum_address(arg) if param['type'] == 'address' else arg}"
        for i, (param, arg) in enumerate(zip(inputs, args))
    )
    return f"{entry['name']}({shown})"
