"""EIP-712 signatures made offline with eth-account (permit, and later delegation and ballots)."""

from __future__ import annotations

from eth_account import Account
from eth_account.messages import encode_typed_data

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


# The local Anvil chain's default accounts come from this public, well-known mnemonic: their keys sign
# permits and ballots in tests and the gas benchmark, never anything on a live network.
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"


def anvil_private_key(index: int) -> str:
    """Private key (0x hex) of default Anvil account `index`: a public test key, for local chains only."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key.to_0x_hex()


def domain(name: str, version: str, chain_id: int, verifying_contract: str) -> dict:
    return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract}


def sign_typed(private_key: str, domain_data: dict, types: dict, message: dict) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an EIP-712 signature over `message`."""
    signable = encode_typed_data(domain_data=domain_data, message_types=types, message_data=message)
    signed = Account.sign_message(signable, private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def sign_permit(
    private_key: str, token_name: str, token: str, chain_id: int,
    owner: str, spender: str, value: int, nonce: int, deadline: int,
) -> tuple[int, bytes, bytes]:
    """EIP-2612 permit for an OpenZeppelin ERC20Permit (domain version "1")."""
    message = {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    return sign_typed(private_key, domain(token_name, "1", chain_id, token), PERMIT_TYPES, message)


BALLOT_TYPES = {
    "Ballot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ]
}


def sign_ballot(
    private_key: str, governor_name: str, governor: str, chain_id: int,
    proposal_id: int, support: int, voter: str, nonce: int,
) -> bytes:
    """EIP-712 ballot for OpenZeppelin 5 `castVoteBySig(proposalId, support, voter, signature)`:
    the 65-byte signature r || s || v."""
    message = {"proposalId": proposal_id, "support": support, "voter": voter, "nonce": nonce}
    v, r, s = sign_typed(private_key, domain(governor_name, "1", chain_id, governor), BALLOT_TYPES, message)
    return r + s + bytes([v])
