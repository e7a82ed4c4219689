"""Every EIP-712 message the project signs, made offline with eth-account: EIP-2612 permits
(ServiceToken, for permit locks), governor ballots (`castVoteBySig`), escrow delegations
(`delegateBySig`) and ServiceAccess usage receipts (`redeemUsage`). The one place their type lists are written; scripts, the gas benchmark and the
tests sign through these functions.

Each signed struct has two helpers: its message (`*_message`: what `digest` hashes and `recover`
checks) and its signature with a private key (`sign_*`).
"""

from __future__ import annotations

from typing import Any

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils import keccak

# The local Anvil chain's default accounts come from this public, well-known mnemonic: their keys sign
# permits and ballots in tests, the gas benchmark and the demo, never anything on a live network.
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"

# OpenZeppelin's EIP712 domains are (name, version "1", chain id, contract): the token's name for a
# permit, the governor's name for a ballot, the escrow's name (veSYMBOL's long name) for a delegation,
# "ServiceAccess" for a usage receipt.
DOMAIN_VERSION = "1"
SERVICE_ACCESS_DOMAIN_NAME = "ServiceAccess"  # ServiceAccess's EIP712("ServiceAccess", "1")

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}
BALLOT_TYPES = {
    "Ballot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ]
}
USAGE_TYPES = {  # ServiceAccess.USAGE_TYPEHASH
    "Usage": [
        {"name": "account", "type": "address"},
        {"name": "token", "type": "address"},
        {"name": "cumulative", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}
AIRDROP_DOMAIN_NAME = "CommunityAirdrop"  # CommunityAirdrop's EIP712("CommunityAirdrop", "1")
CLAIM_AND_LOCK_TYPES = {  # CommunityAirdrop.CLAIM_AND_LOCK_TYPEHASH
    "ClaimAndLock": [
        {"name": "account", "type": "address"},
        {"name": "amount", "type": "uint256"},
        {"name": "unlockTime", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}
DELEGATION_TYPES = {  # OpenZeppelin Votes.delegateBySig, as VotingEscrow implements it
    "Delegation": [
        {"name": "delegatee", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
}


def anvil_private_key(index: int) -> str:
    """Private key (0x hex) of default Anvil account `index`: a public test key, for local chains only."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key.to_0x_hex()


def domain(name: str, version: str, chain_id: int, verifying_contract: str) -> dict:
    return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract}


def typed_message(domain_data: dict, types: dict, message: dict) -> SignableMessage:
    return encode_typed_data(domain_data=domain_data, message_types=types, message_data=message)


def digest(signable: SignableMessage) -> bytes:
    """The 32-byte EIP-712 digest a contract checks a signature against (`_hashTypedDataV4`; what a
    smart wallet's ERC-1271 `isValidSignature(digest, signature)` is asked about)."""
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def sign_typed(private_key: str, domain_data: dict, types: dict, message: dict) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an EIP-712 signature over `message`."""
    return vrs(Account.sign_message(typed_message(domain_data, types, message), private_key))


def vrs(signed: Any) -> tuple[int, bytes, bytes]:
    """(v, r, s) of a signed message, as the permit-style functions take them."""
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def recover(signable: SignableMessage, signature: bytes) -> str | None:
    """The address that made `signature` (65 bytes r || s || v) over `signable`, or None for bytes
    that recover to nothing."""
    try:
        return Account.recover_message(signable, signature=signature)
    except Exception:  # noqa: BLE001 - a malformed signature is a finding, not a crash
        return None


# ---- EIP-2612 permit (ServiceToken is OpenZeppelin ERC20Permit) ----------------------------------


def permit_message(
    token_name: str, token: str, chain_id: int, owner: str, spender: str, value: int, nonce: int, deadline: int
) -> SignableMessage:
    message = {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    return typed_message(domain(token_name, DOMAIN_VERSION, chain_id, token), PERMIT_TYPES, message)


def sign_permit(
    private_key: str, token_name: str, token: str, chain_id: int,
    owner: str, spender: str, value: int, nonce: int, deadline: int,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an EIP-2612 permit for an OpenZeppelin ERC20Permit."""
    signable = permit_message(token_name, token, chain_id, owner, spender, value, nonce, deadline)
    return vrs(Account.sign_message(signable, private_key))


# ---- governor ballot (OpenZeppelin 5 Governor.castVoteBySig) -------------------------------------


def ballot_message(
    governor_name: str, governor: str, chain_id: int, proposal_id: int, support: int, voter: str, nonce: int
) -> SignableMessage:
    message = {"proposalId": proposal_id, "support": support, "voter": voter, "nonce": nonce}
    return typed_message(domain(governor_name, DOMAIN_VERSION, chain_id, governor), BALLOT_TYPES, message)


def sign_ballot(
    private_key: str, governor_name: str, governor: str, chain_id: int,
    proposal_id: int, support: int, voter: str, nonce: int,
) -> bytes:
    """The 65-byte signature r || s || v of a ballot, for `castVoteBySig(proposalId, support, voter,
    signature)`."""
    signable = ballot_message(governor_name, governor, chain_id, proposal_id, support, voter, nonce)
    return bytes(Account.sign_message(signable, private_key).signature)


# ---- escrow delegation (VotingEscrow.delegateBySig, IERC5805) ------------------------------------


def delegation_message(
    escrow_name: str, escrow: str, chain_id: int, delegatee: str, nonce: int, expiry: int
) -> SignableMessage:
    message = {"delegatee": delegatee, "nonce": nonce, "expiry": expiry}
    return typed_message(domain(escrow_name, DOMAIN_VERSION, chain_id, escrow), DELEGATION_TYPES, message)


def sign_delegation(
    private_key: str, escrow_name: str, escrow: str, chain_id: int, delegatee: str, nonce: int, expiry: int
) -> tuple[int, bytes, bytes]:
    """(v, r, s) for `delegateBySig(delegatee, nonce, expiry, v, r, s)`: ECDSA only (the signature
    names no signer, so a smart wallet delegates by calling `delegate`)."""
    signable = delegation_message(escrow_name, escrow, chain_id, delegatee, nonce, expiry)
    return vrs(Account.sign_message(signable, private_key))


# ---- usage receipt (ServiceAccess.redeemUsage / redeemUsageBatch) --------------------------------


def usage_message(
    service_access: str, chain_id: int, account: str, token: str, cumulative: int, deadline: int
) -> SignableMessage:
    """"The metered use of `token` by `account` so far totals `cumulative`", valid until `deadline`:
    what ServiceAccess's `usageDigest` hashes."""
    message = {"account": account, "token": token, "cumulative": cumulative, "deadline": deadline}
    return typed_message(
        domain(SERVICE_ACCESS_DOMAIN_NAME, DOMAIN_VERSION, chain_id, service_access), USAGE_TYPES, message
    )


def sign_usage(
    private_key: str, service_access: str, chain_id: int, account: str, token: str, cumulative: int, deadline: int
) -> bytes:
    """The 65-byte signature r || s || v of a usage receipt, for `redeemUsage(account, token,
    cumulative, deadline, signature)` (an ERC-1271 wallet's owner signs the same digest)."""
    signable = usage_message(service_access, chain_id, account, token, cumulative, deadline)
    return bytes(Account.sign_message(signable, private_key).signature)


def claim_and_lock_message(account: str, amount: int, unlock_time: int, deadline: int) -> dict:
    """The ClaimAndLock message of CLAIM_AND_LOCK_TYPES."""
    return {"account": str(account), "amount": amount, "unlockTime": unlock_time, "deadline": deadline}


def sign_claim_and_lock(
    private_key: str, chain_id: int, airdrop: str, account: str, amount: int, unlock_time: int, deadline: int
) -> bytes:
    """The 65-byte signature r || s || v of CommunityAirdrop's ClaimAndLock(account, amount, unlockTime,
    deadline) (SPEC 5.4), for `claimAndLockBySig`."""
    v, r, s = sign_typed(
        private_key, domain(AIRDROP_DOMAIN_NAME, DOMAIN_VERSION, chain_id, str(airdrop)), CLAIM_AND_LOCK_TYPES,
        claim_and_lock_message(account, amount, unlock_time, deadline),
    )
    return r + s + bytes([v])
