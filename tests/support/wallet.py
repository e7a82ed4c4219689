"""A test-only smart-contract wallet, shared by the escrow, governance and proposal-tooling tests: a
stand-in for a Safe with one owner. It sends the calls its owner asks for, and accepts a signature for
a digest (ERC-1271 `isValidSignature`) when the owner's key made it. A real Safe wraps the digest in a
SafeMessage before its owners sign; a contract only sees isValidSignature's answer either way.
Compiled inside the tests, never part of contracts/."""

from brownie import compile_source

WALLET_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract OwnerWallet {
    bytes4 internal constant MAGIC = 0x1626ba7e; // IERC1271.isValidSignature.selector
    address public immutable owner;
    error NotOwner(address caller);
    constructor(address owner_) { owner = owner_; }
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) assembly { revert(add(result, 32), mload(result)) }
        return result;
    }
    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        return ecrecover(digest, v, r, s) == owner ? MAGIC : bytes4(0xffffffff);
    }
}
"""

_compiled = {}


def wallet_container():
    """The OwnerWallet contract type (compiled once per session)."""
    if "p" not in _compiled:
        _compiled["p"] = compile_source(WALLET_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"].OwnerWallet
