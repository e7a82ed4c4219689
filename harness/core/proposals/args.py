"""Turn the human-readable arguments of a proposal action into ABI values, checking each one.

Every check raises `ArgError(path, message)`; the caller prefixes the action index, so an error reads
`actions[1].args[0] (to: address): ...`.

Integers (`uintN` / `intN`, and an action's `value`) may be written as
- a YAML integer or a string of digits (base units, `_` allowed as a separator): `1000`, `"1_000"`;
- whole tokens with the unit after the number: `"250000 AIS"`, `"0.5 AIS"` (the ServiceToken's symbol,
  18 decimals: multiplied by 10**18, must come out exact);
- a duration with a unit s/m/h/d/w: `"2d"`, `"36h"` (seconds).
Addresses are 0x-prefixed hex (a mixed-case one must carry a correct EIP-55 checksum) or `@Name`, a
contract of the deployment manifest (`@TimelockController`, `@ServiceToken`, `@vesting:team`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Mapping

from eth_utils import is_hex, to_checksum_address

from harness.core.abi import canonical_type
from harness.core.errors import ArgError
from harness.core.units import DURATION_UNITS

_NUMBER = re.compile(r"^\s*(-?[0-9][0-9_]*(?:\.[0-9_]+)?)\s*([A-Za-z]+)?\s*$")
_ARRAY = re.compile(r"^(.*)\[(\d*)\]$")


class Units:
    """What the unit after a number means: token symbols (decimals) and duration letters."""

    def __init__(self, tokens: Mapping[str, int] | None = None):
        self.tokens = dict(tokens or {})

    def describe(self) -> str:
        names = [f'"N {symbol}"' for symbol in self.tokens] + ['"N s/m/h/d/w"']
        return ", ".join(names)


def to_integer(value: Any, path: str, units: Units) -> int:
    """A YAML int or a string: digits, whole tokens with a symbol, or a duration with a unit."""
    if isinstance(value, bool):
        raise ArgError(path, f"must be an integer, got the boolean {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise ArgError(path, f"must be an integer, got the float {value!r}: write amounts as strings, e.g. \"1.5 AIS\"")
    if not isinstance(value, str) or not (match := _NUMBER.match(value)):
        raise ArgError(path, f"must be an integer or a string like {units.describe()}, got {value!r}")
    number, unit = match[1].replace("_", ""), match[2]
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise ArgError(path, f"not a number: {value!r}") from None
    if unit is None:
        scale = 1
    elif unit in units.tokens:
        scale = 10 ** units.tokens[unit]
    elif unit in DURATION_UNITS:
        scale = DURATION_UNITS[unit]
    else:
        raise ArgError(path, f"unknown unit {unit!r} in {value!r}: use {units.describe()}")
    scaled = Fraction(amount) * scale  # exact: Decimal multiplication would round to 28 significant digits
    if scaled.denominator != 1:
        if unit in units.tokens:
            raise ArgError(path, f"{value!r} has more than {units.tokens[unit]} decimals of {unit}")
        raise ArgError(path, f"{value!r} is not a whole number of base units")
    return scaled.numerator


def check_int_range(number: int, abi_type: str, path: str) -> int:
    bits = int(abi_type.lstrip("uint") or 256)
    if abi_type.startswith("uint"):
        if number < 0:
            raise ArgError(path, f"must not be negative for {abi_type}, got {number}")
        if number >= 2**bits:
            raise ArgError(path, f"does not fit in {abi_type} (max 2**{bits} - 1), got {number}")
    else:
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise ArgError(path, f"does not fit in {abi_type}, got {number}")
    return number


def to_address(value: Any, path: str, addresses: Mapping[str, str]) -> str:
    if isinstance(value, str) and value.startswith("@"):
        name = value[1:]
        if name not in addresses:
            raise ArgError(path, f"{value!r} names no contract of the manifest (known: {', '.join(sorted(addresses))})")
        return to_checksum_address(addresses[name])
    if not isinstance(value, str) or not re.fullmatch(r"0x[0-9a-fA-F]{40}", value):
        raise ArgError(path, f"must be a 0x-prefixed 20-byte hex address or @ContractName, got {value!r}")
    digits = value[2:]
    if digits != digits.lower() and digits != digits.upper() and to_checksum_address(value) != value:
        raise ArgError(path, f"has a wrong EIP-55 checksum: {value!r} (expected {to_checksum_address(value)})")
    return to_checksum_address(value)


def to_bytes(value: Any, abi_type: str, path: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("0x") or not is_hex(value) or len(value) % 2:
        raise ArgError(path, f"must be 0x-prefixed hex with an even number of digits for {abi_type}, got {value!r}")
    data = bytes.fromhex(value[2:])
    if abi_type != "bytes":
        size = int(abi_type[len("bytes"):])
        if len(data) != size:
            raise ArgError(path, f"must be exactly {size} bytes for {abi_type}, got {len(data)}")
    return data


def convert(value: Any, param: Mapping[str, Any], path: str, units: Units, addresses: Mapping[str, str]) -> Any:
    """`value` as the Python value eth-abi encodes for ABI parameter `param`."""
    abi_type = param["type"]
    array = _ARRAY.match(abi_type)
    if array:
        if not isinstance(value, list):
            raise ArgError(path, f"must be a list for {canonical_type(param)}, got {value!r}")
        if array[2] and len(value) != int(array[2]):
            raise ArgError(path, f"must have exactly {array[2]} items for {canonical_type(param)}, got {len(value)}")
        item = {**param, "type": array[1]}
        return [convert(v, item, f"{path}[{i}]", units, addresses) for i, v in enumerate(value)]
    if abi_type == "tuple":
        components = param["components"]
        names = [component["name"] for component in components]
        if isinstance(value, dict):
            if set(value) != set(names):
                raise ArgError(path, f"must have exactly the fields {names}, got {sorted(value)}")
            value = [value[name] for name in names]
        if not isinstance(value, list) or len(value) != len(components):
            raise ArgError(path, f"must be a list of {len(components)} items or a mapping of {names}, got {value!r}")
        return tuple(
            convert(v, component, f"{path}.{component['name'] or i}", units, addresses)
            for i, (v, component) in enumerate(zip(value, components))
        )
    if abi_type.startswith(("uint", "int")):
        return check_int_range(to_integer(value, path, units), abi_type, path)
    if abi_type == "address":
        return to_address(value, path, addresses)
    if abi_type == "bool":
        if not isinstance(value, bool):
            raise ArgError(path, f"must be true or false, got {value!r}")
        return value
    if abi_type == "string":
        if not isinstance(value, str):
            raise ArgError(path, f"must be a string, got {value!r}")
        return value
    if abi_type.startswith("bytes"):
        return to_bytes(value, abi_type, path)
    raise ArgError(path, f"ABI type {abi_type} is not supported in proposal files")
