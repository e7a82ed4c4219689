"""Gasless votes: EIP-712 ballots signed offline with eth-account, kept in a JSON file, relayed by
anyone through `castVoteBySig(proposalId, support, voter, signature)` (OpenZeppelin 5.4).

The ballot file:

    {"chain_id": 31337, "governor": "0x…",
     "ballots": [{"proposal_id": "1234…", "support": 1, "voter": "0x…", "nonce": 0, "signature": "0x…"}]}

`proposal_id` is a decimal string (JavaScript readers lose no precision); `support` is 0 against,
1 for, 2 abstain; `nonce` is the voter's `nonces(voter)` on the governor when the ballot is used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

from eth_account import Account
from eth_account.messages import SignableMessage
from eth_utils import is_hex, to_checksum_address
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, ValidationError

from harness.core import signing
from harness.core.errors import ScriptError
from harness.core.paths import write_json_atomically

GOVERNOR_NAME = "ServiceGovernor"  # the governor's EIP-712 domain name (its constructor fixes it)


def _address(value: object) -> str:
    if not isinstance(value, str) or not is_hex(value) or len(value) != 42:
        raise ValueError(f"must be a 0x-prefixed 20-byte hex address, got {value!r}")
    return to_checksum_address(value)


def _signature(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("0x") or not is_hex(value) or len(value) != 132:
        raise ValueError("must be a 0x-prefixed 65-byte hex signature")
    return value.lower()


Address = Annotated[str, BeforeValidator(_address)]
Signature = Annotated[str, BeforeValidator(_signature)]  # 65 bytes r || s || v, lower-case hex
BigInt = Annotated[int, Field(ge=0, lt=2**256), PlainSerializer(str, return_type=str)]


class Ballot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    proposal_id: BigInt
    support: Annotated[int, Field(ge=0, le=2)]
    voter: Address
    nonce: Annotated[int, Field(ge=0, lt=2**256)]
    signature: Signature


class BallotFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    chain_id: Annotated[int, Field(gt=0)]
    governor: Address
    ballots: list[Ballot] = Field(default_factory=list)

    def save(self, path: Path) -> None:
        write_json_atomically(path, self.model_dump(mode="json"))


def load_ballots(path: str | Path) -> BallotFile:
    """Read and validate a ballot file; a ScriptError names the broken field."""
    path = Path(path)
    if not path.is_file():
        raise ScriptError(f"ballots: no such file {path}")
    try:
        return BallotFile.model_validate_json(path.read_text())
    except ValidationError as error:
        raise ScriptError(f"ballots {path}: {validation_problems(error)}") from None


def validation_problems(error: ValidationError) -> str:
    """Each broken field of a pydantic error as `where: what` (`ballots[2].nonce: ...`, `[0].deadline: ...`)."""
    problems = []
    for item in error.errors():
        where = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(item["loc"]))
        problems.append(f"{where or '(top level)'}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


def typed_ballot(chain_id: int, governor: str, proposal_id: int, support: int, voter: str, nonce: int) -> SignableMessage:
    return signing.ballot_message(GOVERNOR_NAME, governor, chain_id, proposal_id, support, voter, nonce)


def signed_ballot(private_key: str, chain_id: int, governor: str, proposal_id: int, support: int, nonce: int) -> Ballot:
    """A ballot of the key's address, signed (harness.core.signing.sign_ballot)."""
    voter = Account.from_key(private_key).address
    signature = signing.sign_ballot(private_key, GOVERNOR_NAME, governor, chain_id, proposal_id, support, voter, nonce)
    return Ballot(proposal_id=proposal_id, support=support, voter=voter, nonce=nonce, signature="0x" + signature.hex())


def ballot_digest(ballot: Ballot, chain_id: int, governor: str) -> bytes:
    """The EIP-712 digest the governor checks `ballot`'s signature against (what a contract wallet's
    ERC-1271 `isValidSignature(digest, signature)` is asked about)."""
    return signing.digest(typed_ballot(chain_id, governor, ballot.proposal_id, ballot.support, ballot.voter, ballot.nonce))


def signer_of(ballot: Ballot, chain_id: int, governor: str) -> str | None:
    """The address that signed `ballot`'s fields, or None for a signature that recovers to nothing."""
    message = typed_ballot(chain_id, governor, ballot.proposal_id, ballot.support, ballot.voter, ballot.nonce)
    return signing.recover(message, bytes.fromhex(ballot.signature[2:]))


def voter_key(keystore: str | None) -> str:
    """The voter's key for signing offline: a keystore file (password from VOTER_KEYSTORE_PASSWORD)
    or VOTER_PRIVATE_KEY. Never printed."""
    if keystore:
        path = Path(keystore)
        if not path.is_file():
            raise ScriptError(f"keystore=: no such file {path}")
        password = os.environ.get("VOTER_KEYSTORE_PASSWORD")
        if password is None:
            raise ScriptError("VOTER_KEYSTORE_PASSWORD: set it to the keystore's password")
        try:
            return Account.decrypt(json.loads(path.read_text()), password).hex()
        except (ValueError, KeyError):
            raise ScriptError("VOTER_KEYSTORE_PASSWORD: wrong password for the keystore, or not a keystore file") from None
    key = os.environ.get("VOTER_PRIVATE_KEY")
    if not key:
        raise ScriptError("voter: set VOTER_PRIVATE_KEY, or pass keystore=PATH (or account=N on a development network)")
    try:
        Account.from_key(key)
    except Exception:  # noqa: BLE001
        raise ScriptError("VOTER_PRIVATE_KEY: not a valid private key") from None
    return key
