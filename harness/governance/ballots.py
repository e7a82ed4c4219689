"""Gasless votes on a chain: a ballot signed offline into a ballot file (scripts/sign_ballot.py), and a
file of ballots relayed with `castVoteBySig` (scripts/relay_votes.py). The file format and the
signing are plain Python: harness/core/proposals/ballots.py and harness/core/signing.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brownie import web3
from eth_account import Account

from harness.chain.accounts import is_development
from harness.chain.calls import erc1271_accepts, has_code, try_call
from harness.chain.protocol import Protocol
from harness.core.errors import ScriptError
from harness.core.proposals.ballots import Ballot, BallotFile, ballot_digest, load_ballots, signed_ballot, signer_of
from harness.core.proposals.ballots import voter_key as offline_voter_key
from harness.core.signing import anvil_private_key
from harness.core.units import is_whole_number
from harness.governance.lifecycle import SUPPORT_NAMES, require_state, state_name

MAX_ANVIL_INDEX = 255  # `account=N` for a ballot is a key of Anvil's mnemonic, not one of brownie's accounts


def voter_key(account_option: str | None, keystore: str | None) -> str:
    """The key that signs a ballot: Anvil account N's (`account=N`, development only), else the
    keystore file's or VOTER_PRIVATE_KEY (harness.core.proposals.ballots.voter_key)."""
    if account_option is None:
        return offline_voter_key(keystore)
    if not is_development():
        raise ScriptError("account=: only on a development network; use keystore= or VOTER_PRIVATE_KEY")
    if not is_whole_number(account_option) or int(account_option) > MAX_ANVIL_INDEX:
        raise ScriptError(f"account=: must be an Anvil account index, got {account_option!r}")
    return anvil_private_key(int(account_option))


def sign_into(protocol: Protocol, path: Path, key: str, proposal_id: int, support: int, nonce: int | None = None) -> Ballot:
    """Sign `support` on `proposal_id` with `key` and add the ballot to the file at `path` (created
    if missing). The nonce is the governor's `nonces(voter)`, counting ballots of the same voter
    already in the file, unless given. Sends nothing."""
    governor = protocol.governor
    require_state(governor, proposal_id, ("Pending", "Active"), "a ballot")
    chain_id, governor_address = web3.eth.chain_id, governor.address
    path = Path(path)
    book = load_ballots(path) if path.exists() else BallotFile(chain_id=chain_id, governor=governor_address)
    if (book.chain_id, book.governor) != (chain_id, governor_address):
        raise ScriptError(f"ballots: {path} holds ballots for chain {book.chain_id} governor {book.governor}, not this deployment")
    voter = Account.from_key(key).address
    if governor.hasVoted(proposal_id, voter):
        raise ScriptError(f"voter: {voter} has already voted on proposal {proposal_id}")
    if nonce is None:
        pending = [b.nonce + 1 for b in book.ballots if b.voter == voter]
        nonce = max([int(governor.nonces(voter))] + pending)
    ballot = signed_ballot(key, chain_id, governor_address, proposal_id, support, nonce)
    book.ballots.append(ballot)
    book.save(path)
    print(f"{voter} signed {SUPPORT_NAMES[support]} on {proposal_id} (nonce {nonce}): {len(book.ballots)} ballot(s) in {path}")
    return ballot


def problem_with(protocol: Protocol, ballot: Ballot, relayer: str) -> str | None:
    """Why `ballot` cannot be relayed now, or None: its signature (recovered offline; for a voter that
    is a contract wallet such as a Safe, asked of the wallet with ERC-1271, as the governor does),
    the proposal's state, the voter's nonce (a used one is a replay), a vote already cast, and a dry
    run of the call."""
    governor = protocol.governor
    if has_code(ballot.voter):
        digest = ballot_digest(ballot, web3.eth.chain_id, governor.address)
        if not erc1271_accepts(ballot.voter, digest, bytes.fromhex(ballot.signature[2:])):
            return "bad signature: the voter is a contract and its isValidSignature (ERC-1271) refuses it"
    else:
        signer = signer_of(ballot, web3.eth.chain_id, governor.address)
        if signer is None:
            return "bad signature: it recovers to no address"
        if signer != ballot.voter:
            return f"bad signature: it does not recover to the voter (recovers to {signer})"
    if governor.proposalSnapshot(ballot.proposal_id) == 0:
        return f"no proposal {ballot.proposal_id}"
    state = state_name(governor, ballot.proposal_id)
    if state != "Active":
        return f"proposal is {state}, not Active"
    next_nonce = int(governor.nonces(ballot.voter))
    if ballot.nonce < next_nonce:
        return f"replayed: nonce {ballot.nonce} of {ballot.voter} is already used"
    if ballot.nonce > next_nonce:
        return f"nonce {ballot.nonce} is ahead of the voter's next nonce {next_nonce}: relay the earlier ballot first"
    if governor.hasVoted(ballot.proposal_id, ballot.voter):
        return f"{ballot.voter} has already voted on this proposal"
    data = governor.castVoteBySig.encode_input(ballot.proposal_id, ballot.support, ballot.voter, ballot.signature)
    ok, reason = try_call(relayer, governor.address, bytes.fromhex(data[2:]))
    return None if ok else f"castVoteBySig would revert: {reason}"


def relay(protocol: Protocol, relayer: Any, book: BallotFile, path: Path) -> tuple[int, int]:
    """Relay every ballot of `book` (read from `path`) that passes `problem_with`; report and skip the
    others. Returns (relayed, skipped)."""
    governor = protocol.governor
    if book.chain_id != web3.eth.chain_id or book.governor != governor.address:
        raise ScriptError(
            f"ballots: {path} is for chain {book.chain_id} governor {book.governor}; this deployment is "
            f"chain {web3.eth.chain_id} governor {governor.address}"
        )
    relayed, skipped = 0, 0
    for index, ballot in enumerate(book.ballots):
        label = f"[{index}] {ballot.voter} {SUPPORT_NAMES[ballot.support]} on {ballot.proposal_id}"
        problem = problem_with(protocol, ballot, relayer.address)
        if problem:
            skipped += 1
            print(f"SKIPPED {label}: {problem}")
            continue
        tx = governor.castVoteBySig(ballot.proposal_id, ballot.support, ballot.voter, ballot.signature, {"from": relayer})
        weight = int(tx.events["VoteCast"]["weight"])
        relayed += 1
        print(f"RELAYED {label}: weight {weight} (tx {tx.txid})")
    print(f"\n{relayed} relayed, {skipped} skipped of {len(book.ballots)} ballot(s) in {path}")
    return relayed, skipped
