"""Sign a vote offline (EIP-712 Ballot) and add it to a ballot file for anyone to relay.

    brownie run scripts/sign_ballot.py main BALLOTS.json PROPOSAL_ID for|against|abstain [account=N | keystore=PATH] [nonce=N] [manifest=PATH] --network NETWORK

The key signs locally with eth-account and never leaves this process: Anvil account N on a
development network, else the keystore file (password in VOTER_KEYSTORE_PASSWORD) or the key in
VOTER_PRIVATE_KEY. The chain id and governor come from the manifest, the nonce from the governor
(`nonces(voter)`, counting ballots of the same voter already in the file) unless `nonce=` is given.
Sends nothing.
"""

from __future__ import annotations

from pathlib import Path

from brownie import web3

from harness.accounts import is_development
from harness.cli import ScriptError, script_errors
from harness.proposal_ballots import BallotFile, anvil_key, load_ballots, sign_ballot, voter_key
from harness.proposal_chain import (
    SUPPORT_NAMES,
    load_deployment,
    parse_proposal_id,
    parse_support,
    require_state,
    split_args,
)

USAGE = "sign_ballot.py main BALLOTS.json PROPOSAL_ID for|against|abstain [account=N|keystore=PATH] [nonce=N] [manifest=PATH]"


def main(*args: str) -> None:
    with script_errors():
        (out, id_text, support_text), options = split_args(
            args, USAGE, ["BALLOTS.json", "PROPOSAL_ID", "SUPPORT"], options={"account", "keystore", "nonce", "manifest"}
        )
        support = parse_support(support_text)
        deployment = load_deployment(options.get("manifest"))
        governor = deployment.governor
        proposal_id = parse_proposal_id(id_text, governor)
        require_state(governor, proposal_id, ("Pending", "Active"), "a ballot")
        if "account" in options:
            if not is_development():
                raise ScriptError("account=: only on a development network; use keystore= or VOTER_PRIVATE_KEY")
            if not options["account"].isdigit() or int(options["account"]) > 255:
                raise ScriptError(f"account=: must be an Anvil account index, got {options['account']!r}")
            key = anvil_key(int(options["account"]))
        else:
            key = voter_key(options.get("keystore"))
        chain_id, governor_address = web3.eth.chain_id, governor.address
        path = Path(out)
        book = load_ballots(path) if path.exists() else BallotFile(chain_id=chain_id, governor=governor_address)
        if (book.chain_id, book.governor) != (chain_id, governor_address):
            raise ScriptError(f"BALLOTS.json: {path} holds ballots for chain {book.chain_id} governor {book.governor}, not this deployment")
        from eth_account import Account

        voter = Account.from_key(key).address
        if governor.hasVoted(proposal_id, voter):
            raise ScriptError(f"voter: {voter} has already voted on proposal {proposal_id}")
        if "nonce" in options:
            if not options["nonce"].isdigit():
                raise ScriptError(f"nonce=: must be a non-negative integer, got {options['nonce']!r}")
            nonce = int(options["nonce"])
        else:
            pending = [b.nonce + 1 for b in book.ballots if b.voter == voter]
            nonce = max([int(governor.nonces(voter))] + pending)
        ballot = sign_ballot(key, chain_id, governor_address, proposal_id, support, nonce)
        book.ballots.append(ballot)
        book.save(path)
        print(f"{voter} signed {SUPPORT_NAMES[support]} on {proposal_id} (nonce {nonce}): {len(book.ballots)} ballot(s) in {path}")
