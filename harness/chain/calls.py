"""Raw calls to the node: JSON-RPC requests, an `eth_call` pre-flight whose revert comes back decoded
(harness.core.abi.decode_revert), code checks and ERC-1271 questions to smart wallets."""

from __future__ import annotations

from typing import Any

from brownie import web3
from eth_abi import encode

from harness.core.abi import decode_revert

ERC1271_MAGIC = bytes.fromhex("1626ba7e")  # IERC1271.isValidSignature.selector


def rpc(method: str, params: list[Any]) -> Any:
    """A JSON-RPC request to the connected node; its result, or RuntimeError naming the method."""
    response = web3.provider.make_request(method, params)
    if "error" in response:
        raise RuntimeError(f"{method} failed: {response['error']}")
    return response.get("result")


def try_call(sender: str, to: str, data: bytes, value: int = 0) -> tuple[bool, bytes | str]:
    """eth_call at the latest block: (True, return data) or (False, decoded revert reason). What a
    script runs before sending, so a transaction that would revert is never sent."""
    tx = {"from": sender, "to": to, "data": "0x" + data.hex(), "value": hex(value)}
    response = web3.provider.make_request("eth_call", [tx, "latest"])
    if "error" in response:
        error = response["error"]
        revert = error.get("data") if isinstance(error, dict) else None
        if isinstance(revert, dict):
            revert = revert.get("data")
        if isinstance(revert, str) and revert.startswith("0x"):
            return False, decode_revert(revert)
        return False, str(error.get("message", error)) if isinstance(error, dict) else str(error)
    return True, bytes.fromhex(str(response["result"]).removeprefix("0x"))


def has_code(address: str) -> bool:
    return len(web3.eth.get_code(address)) > 0


def erc1271_accepts(wallet: str, digest: bytes, signature: bytes) -> bool:
    """Whether the contract `wallet` answers ERC-1271's magic value for `signature` over `digest`,
    asked as OpenZeppelin's SignatureChecker asks it (inside castVoteBySig and every SPEC 5 check)."""
    data = ERC1271_MAGIC + encode(["bytes32", "bytes"], [digest, signature])
    response = web3.provider.make_request("eth_call", [{"to": wallet, "data": "0x" + data.hex()}, "latest"])
    result = bytes.fromhex(str(response.get("result") or "0x")[2:])
    return "error" not in response and len(result) == 32 and result[:4] == ERC1271_MAGIC
