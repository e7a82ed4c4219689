"""Relay a file of signed ballots: each one is checked, then sent with `castVoteBySig`.

    brownie run scripts/relay_votes.py main BALLOTS.json [account=N] [manifest=PATH] --network NETWORK

Before sending a ballot the relay checks its signature (recovered offline; for a voter that is a
contract wallet such as a Safe, asked of the wallet with ERC-1271 `isValidSignature`, as the governor
does), the proposal's state,
the voter's nonce (a used nonce is a replay), that the voter has not voted, and a dry run of the
call. A ballot failing any check is reported and skipped; the rest go through. Exit status: 0 when
every ballot was relayed, 2 when at least one was skipped (the others were still sent), 1 for a
file that cannot be used at all (nothing sent).
"""

from __future__ import annotations

import sys

from brownie import web3
from eth_abi import encode

from harness.chain import settle
from harness.cli import ScriptError, script_errors
from harness.proposal_ballots import Ballot, ballot_digest, load_ballots, signer_of
from harness.proposal_chain import (
    STATES,
    SUPPORT_NAMES,
    GovernedDeployment,
    account_option,
    load_deployment,
    split_args,
    try_call,
)

USAGE = "relay_votes.py main BALLOTS.json [account=N] [manifest=PATH]"
SKIPPED_STATUS = 2


ERC1271_MAGIC = bytes.fromhex("1626ba7e")  # IERC1271.isValidSignature.selector


def wallet_accepts(wallet: str, digest: bytes, signature: str) -> bool:
    """Whether the contract `wallet` answers ERC-1271's magic value for `signature` over `digest`,
    asked as OpenZeppelin's SignatureChecker (inside castVoteBySig) asks it."""
    data = ERC1271_MAGIC + encode(["bytes32", "bytes"], [digest, bytes.fromhex(signature[2:])])
    response = web3.provider.make_request("eth_call", [{"to": wallet, "data": "0x" + data.hex()}, "latest"])
    result = bytes.fromhex(str(response.get("result") or "0x")[2:])
    return "error" not in response and len(result) == 32 and result[:4] == ERC1271_MAGIC


def problem_with(deployment: GovernedDeployment, ballot: Ballot, relayer: str) -> str | None:
    """Why `ballot` cannot be relayed now, or None."""
    governor = deployment.governor
    if web3.eth.get_code(ballot.voter):
        # a smart-contract wallet (a Safe): the governor asks the wallet itself (ERC-1271), so do we
        digest = ballot_digest(ballot, web3.eth.chain_id, governor.address)
        if not wallet_accepts(ballot.voter, digest, ballot.signature):
            return "bad signature: the voter is a contract and its isValidSignature (ERC-1271) refuses it"
    else:
        signer = signer_of(ballot, web3.eth.chain_id, governor.address)
        if signer is None:
            return "bad signature: it recovers to no address"
        if signer != ballot.voter:
            return f"bad signature: it does not recover to the voter (recovers to {signer})"
    if governor.proposalSnapshot(ballot.proposal_id) == 0:
        return f"no proposal {ballot.proposal_id}"
    state = STATES[int(governor.state(ballot.proposal_id))]
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


def main(*args: str) -> tuple[int, int]:
    with script_errors():
        (path,), options = split_args(args, USAGE, ["BALLOTS.json"], options={"account", "manifest"})
        book = load_ballots(path)
        deployment = load_deployment(options.get("manifest"))
        if book.chain_id != web3.eth.chain_id or book.governor != deployment.governor.address:
            raise ScriptError(
                f"BALLOTS.json: {path} is for chain {book.chain_id} governor {book.governor}; this deployment is "
                f"chain {web3.eth.chain_id} governor {deployment.governor.address}"
            )
        relayer = account_option(options)
        relayed, skipped = 0, 0
        for index, ballot in enumerate(book.ballots):
            label = f"[{index}] {ballot.voter} {SUPPORT_NAMES[ballot.support]} on {ballot.proposal_id}"
            problem = problem_with(deployment, ballot, relayer.address)
            if problem:
                skipped += 1
                print(f"SKIPPED {label}: {problem}")
                continue
            tx = deployment.governor.castVoteBySig(
                ballot.proposal_id, ballot.support, ballot.voter, ballot.signature, {"from": relayer}
            )
            weight = int(tx.events["VoteCast"]["weight"])
            relayed += 1
            print(f"RELAYED {label}: weight {weight} (tx {tx.txid})")
        print(f"\n{relayed} relayed, {skipped} skipped of {len(book.ballots)} ballot(s) in {path}")
    settle()
    if skipped:
        sys.exit(SKIPPED_STATUS)
    return relayed, skipped
