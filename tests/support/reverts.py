"""The one revert matcher of the test suite: a block must revert with exactly the expected error, its
selector and every argument.

    with reverts("NoLock", holder):                       # types from the compiled ABI (harness.core.abi)
        escrow.increaseAmount(1, {"from": holder})
    with reverts("GovernorUnableToCancel(uint256,address)", proposal_id, voter):   # types as written
        governor.cancel(proposal_id, {"from": voter})
    with reverts("Panic", 0x11):                          # Panic(uint256); "Error" is Error(string)
        ...
    with reverts(ERC20InsufficientBalance(holder, 0, 1)): # an ExpectedError from a reference model
        ...

A reverted transaction is mined on Anvil (brownie sends a transaction that fails its gas estimate
anyway on development networks, `reverting_tx_gas_limit: max`), so its raw revert data is read back
with `debug_traceTransaction` and compared byte for byte with the expected error's ABI encoding; the
message brownie decoded (`revert_msg`: `Name: arg, arg`, addresses in lower case, a panic by its
description) must read as the expected error too, so both views agree. A reverted call (a view,
nothing mined) has only brownie's decoded message, compared the same way: name and every argument.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from brownie import web3
from brownie.exceptions import VirtualMachineError, decode_typed_error
from hexbytes import HexBytes

from harness.core.abi import canonical_type, error_named
from tests.models.errors import ExpectedError

BUILTIN_ERRORS = {"Panic": ("uint256",), "Error": ("string",)}


def split_types(types: str) -> tuple[str, ...]:
    """`address,(uint256,bool)[],bytes32` -> ("address", "(uint256,bool)[]", "bytes32")."""
    out, depth, current = [], 0, ""
    for ch in types:
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        current += ch
    if current:
        out.append(current)
    return tuple(out)


def error(name_or_signature: str, *args: Any) -> ExpectedError:
    """The expected error: `Name` (argument types from the project's compiled ABI, or Panic / Error)
    or a full signature `Name(type,...)`; `args` must be exactly its arguments."""
    if "(" in name_or_signature:
        name = name_or_signature[: name_or_signature.index("(")]
        types = split_types(name_or_signature[len(name) + 1 : -1])
    elif name_or_signature in BUILTIN_ERRORS:
        name, types = name_or_signature, BUILTIN_ERRORS[name_or_signature]
    else:
        name = name_or_signature
        types = tuple(canonical_type(p) for p in error_named(name)["inputs"])
    if len(args) != len(types):
        raise TypeError(f"{name}({','.join(types)}) takes {len(types)} argument(s), the test gave {len(args)}: {args}")
    return ExpectedError(name, types, tuple(args))


def tx_revert_data(txid: str) -> bytes:
    """The exact revert data of a mined, reverted transaction (the top-level call's output)."""
    response = web3.provider.make_request("debug_traceTransaction", [txid, {"tracer": "callTracer"}])
    assert "error" not in response, response
    trace = response["result"]
    assert trace.get("error") == "execution reverted", f"transaction {txid} did not revert: {trace}"
    return bytes(HexBytes(trace.get("output", "0x")))


def call_revert_data(sender: str, to: str, data: bytes | str) -> bytes | None:
    """eth_call from `sender`: None if it succeeds, else its exact revert data (nothing is mined)."""
    response = web3.provider.make_request(
        "eth_call", [{"from": sender, "to": to, "data": HexBytes(data).to_0x_hex()}, "latest"]
    )
    if "error" not in response:
        return None
    data_field = response["error"].get("data")
    if isinstance(data_field, dict):
        data_field = data_field.get("data")
    return bytes(HexBytes(data_field or "0x"))


class Reverted:
    """What `reverts` caught: the exception, and the raw revert data when a transaction was mined."""

    exception: VirtualMachineError | None = None
    data: bytes | None = None


@contextmanager
def reverts(expected: str | ExpectedError, *args: Any) -> Iterator[Reverted]:
    """The block must revert with exactly `expected` (see the module docstring)."""
    wanted = expected if isinstance(expected, ExpectedError) else error(expected, *args)
    if isinstance(expected, ExpectedError) and args:
        raise TypeError("reverts(ExpectedError) takes no further arguments")
    encoded = wanted.encode()
    caught = Reverted()
    try:
        yield caught
    except VirtualMachineError as exc:
        caught.exception = exc
        if exc.txid:
            caught.data = tx_revert_data(exc.txid)
            assert caught.data == encoded, (
                f"revert data mismatch:\n  expected {wanted} = 0x{encoded.hex()}\n"
                f"  actual   0x{caught.data.hex()} ({exc.revert_msg})"
            )
        expected_message = (
            decode_typed_error(HexBytes(encoded).to_0x_hex()) if wanted.name == "Panic" else wanted.brownie_message()
        )
        assert exc.revert_msg == expected_message, f"reverted with {exc.revert_msg!r}, expected {wanted} ({expected_message!r})"
    else:
        raise AssertionError(f"did not revert (expected {wanted})")
