"""Expected reverts as plain data: a Solidity error (custom, Panic or Error) with its arguments, which
ABI-encodes itself (selector + arguments) so a test compares a revert's raw data byte for byte. The
reference models return or raise these; tests/support/reverts.py matches them. No brownie import."""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode as abi_encode
from eth_utils import keccak, to_bytes, to_checksum_address


def addr(value) -> str:
    """Checksummed address of a str / brownie Account / anything with `.address`."""
    return to_checksum_address(getattr(value, "address", value))


def _brownie_argument(abi_type: str, value) -> str:
    """One argument as brownie prints a decoded error's: eth_abi's decoded value through str(), so an
    address in lower case and a `bytes`/`bytesN` value as a Python bytes literal (b'...'), whether the
    test wrote it as bytes or as a 0x hex string."""
    if abi_type == "address":
        return str(addr(value)).lower()
    if abi_type.startswith("bytes") and not abi_type.endswith("]"):
        raw = to_bytes(hexstr=value) if isinstance(value, str) else bytes(value)
        return str(raw)
    return str(value)


@dataclass(frozen=True)
class ExpectedError:
    """A Solidity error with its arguments."""

    name: str
    types: tuple[str, ...]
    args: tuple

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(self.types)})"

    @property
    def selector(self) -> bytes:
        return keccak(text=self.signature)[:4]

    def encode(self) -> bytes:
        """Exact revert data: 4-byte selector followed by the ABI-encoded arguments."""
        args = tuple(addr(a) if t == "address" else a for t, a in zip(self.types, self.args))
        return self.selector + abi_encode(list(self.types), list(args))

    def brownie_message(self) -> str:
        """The string brownie 1.22.2 decodes this error to (`Name: arg, arg`, addresses in lower case;
        Error(string): the string itself)."""
        if self.name == "Panic":
            raise ValueError("brownie reports panics by description, not as `Panic: code`")
        if self.name == "Error":
            return self.args[0]
        parts = [_brownie_argument(t, a) for t, a in zip(self.types, self.args)]
        return f"{self.name}: {', '.join(parts)}" if parts else f"{self.name}: "

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))})"
