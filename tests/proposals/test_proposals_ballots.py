"""Gasless voting: ballots signed offline into a file, relayed with bad and replayed ones skipped."""

from __future__ import annotations

import json

from brownie import web3
from eth_account import Account

from harness.chain.time import mine_at, now
from harness.core.proposals.ballots import Ballot, BallotFile, load_ballots, signed_ballot, typed_ballot
from harness.core.signing import anvil_private_key
from tests.support.scripts import assert_rejected
from tests.support.wallet import wallet_container


def open_proposal(gov, accounts) -> int:
    governor = gov.governor
    calldata = gov.governor.updateQuorumNumerator.encode_input(5)
    tx = governor.propose([governor.address], [0], [calldata], "# quorum 5%", {"from": accounts[2]})
    pid = tx.events["ProposalCreated"]["proposalId"]
    mine_at(governor.proposalSnapshot(pid) + 1)
    return pid


def test_anvil_keys_match_the_accounts(accounts):
    from eth_account import Account

    assert Account.from_key(anvil_private_key(5)).address == accounts[5].address


def test_sign_and_relay_skips_bad_and_replayed_ballots(gov, run, tmp_path, accounts, chain_marks):
    governor = gov.governor
    pid = open_proposal(gov, accounts)
    ballots = tmp_path / "ballots.json"

    before = chain_marks()
    for index, support in ((5, "for"), (6, "abstain")):
        signed = run("scripts/sign_ballot.py", ballots, pid, support, f"account={index}")
        assert signed.returncode == 0, signed.stdout + signed.stderr
    assert chain_marks() == before  # signing sends nothing
    book = load_ballots(ballots)
    assert [(b.voter, b.support, b.nonce) for b in book.ballots] == [(accounts[5].address, 1, 0), (accounts[6].address, 2, 0)]

    # a forged ballot: account 8 signs a ballot naming account 3 as the voter
    forged = signed_ballot(anvil_private_key(8), web3.eth.chain_id, governor.address, pid, 0, 0)
    forged = forged.model_copy(update={"voter": accounts[3].address})
    book.ballots.insert(1, forged)
    book.ballots.append(book.ballots[0])  # the first ballot again: a replay
    book.save(ballots)

    relayer_nonce = accounts[4].nonce
    result = run("scripts/relay_votes.py", ballots, "account=4")
    output = result.stdout
    assert result.returncode == 2, output + result.stderr
    assert f"RELAYED [0] {accounts[5].address} for on {pid}" in output
    assert f"SKIPPED [1] {accounts[3].address} against on {pid}: bad signature: it does not recover to the voter" in output
    assert f"RELAYED [2] {accounts[6].address} abstain on {pid}" in output
    assert f"SKIPPED [3] {accounts[5].address} for on {pid}: replayed: nonce 0 of {accounts[5].address} is already used" in output
    assert "2 relayed, 2 skipped of 4 ballot(s)" in output
    assert accounts[4].nonce == relayer_nonce + 2  # the skipped ones were never sent

    against, for_votes, abstain = governor.proposalVotes(pid)
    snapshot = governor.proposalSnapshot(pid)
    assert for_votes == gov.escrow.getPastVotes(accounts[5], snapshot)
    assert abstain == gov.escrow.getPastVotes(accounts[6], snapshot)
    assert against == 0 and not governor.hasVoted(pid, accounts[3])

    # everything used up: a second relay sends nothing and skips all
    before = chain_marks()
    again = run("scripts/relay_votes.py", ballots, "account=4")
    assert again.returncode == 2 and "0 relayed, 4 skipped" in again.stdout
    assert chain_marks() == before


def test_relay_asks_a_contract_wallet_voter_with_erc1271(gov, run, tmp_path, accounts):
    """A ballot whose voter is a smart-contract wallet (a Safe) cannot recover to the voter: the relay
    asks the wallet (ERC-1271), as the governor does. Its owner's signature is relayed and counts with
    the wallet's Staking Score; another key's is skipped with the wallet's refusal and never sent."""
    token, escrow, governor = gov.token, gov.escrow, gov.governor
    owner, stranger = accounts[7], accounts[8]
    wallet = wallet_container().deploy(owner, {"from": owner})
    amount = 2_000_000 * 10**18
    token.transfer(wallet, amount, {"from": accounts[2]})
    wallet.execute(token, token.approve.encode_input(escrow, amount), {"from": owner})
    wallet.execute(escrow, escrow.createLock.encode_input(amount, now() + 300 * 86400), {"from": owner})
    pid = open_proposal(gov, accounts)

    def ballot(key_index, support):
        message = typed_ballot(web3.eth.chain_id, governor.address, pid, support, wallet.address, 0)
        signature = Account.sign_message(message, anvil_private_key(key_index)).signature
        return Ballot(proposal_id=pid, support=support, voter=wallet.address, nonce=0,
                      signature="0x" + bytes(signature).hex())

    book = BallotFile(chain_id=web3.eth.chain_id, governor=governor.address)
    book.ballots.extend([ballot(8, 0), ballot(7, 1)])
    path = tmp_path / "wallet-ballots.json"
    book.save(path)
    result = run("scripts/relay_votes.py", path, "account=4")
    output = result.stdout
    assert result.returncode == 2, output + result.stderr
    assert (f"SKIPPED [0] {wallet.address} against on {pid}: bad signature: the voter is a contract and its "
            "isValidSignature (ERC-1271) refuses it") in output
    assert f"RELAYED [1] {wallet.address} for on {pid}: weight " in output
    votes = escrow.getPastVotes(wallet, governor.proposalSnapshot(pid))
    assert votes > amount and governor.proposalVotes(pid) == (0, votes, 0)
    assert governor.hasVoted(pid, wallet) and not governor.hasVoted(pid, owner) and stranger.nonce == 0


def test_sign_ballot_bad_input(gov, run, tmp_path, accounts, chain_marks):
    pid = open_proposal(gov, accounts)
    ballots = tmp_path / "ballots.json"
    before = chain_marks()
    assert_rejected(run("scripts/sign_ballot.py", ballots, pid, "yes", "account=5"), "error: support: must be for, against or abstain")
    assert_rejected(run("scripts/sign_ballot.py", ballots, "777", "for", "account=5"), "error: proposal_id: no proposal 777")
    assert_rejected(run("scripts/sign_ballot.py", ballots, pid, "for"), "error: voter: set VOTER_PRIVATE_KEY")
    assert_rejected(run("scripts/sign_ballot.py", ballots, pid, "for", env={"VOTER_PRIVATE_KEY": "0x1234"}), "error: VOTER_PRIVATE_KEY: not a valid private key")
    assert not ballots.exists()
    ok = run("scripts/sign_ballot.py", ballots, pid, "against", env={"VOTER_PRIVATE_KEY": anvil_private_key(6)})
    assert ok.returncode == 0, ok.stderr
    assert load_ballots(ballots).ballots[0].voter == accounts[6].address
    assert chain_marks() == before


def test_relay_rejects_a_ballot_file_of_another_deployment(gov, run, tmp_path, chain_marks, accounts):
    path = tmp_path / "foreign.json"
    BallotFile(chain_id=1, governor=accounts[9].address).save(path)
    before = chain_marks()
    assert_rejected(run("scripts/relay_votes.py", path), f"error: ballots: {path} is for chain 1 governor {accounts[9].address}")
    broken = tmp_path / "broken.json"
    data = json.loads(path.read_text())
    data["ballots"] = [{"proposal_id": "1", "support": 7, "voter": accounts[1].address, "nonce": 0, "signature": "0x12"}]
    broken.write_text(json.dumps(data))
    assert_rejected(run("scripts/relay_votes.py", broken), "ballots[0].support: Input should be less than or equal to 2", "ballots[0].signature: must be a 0x-prefixed 65-byte hex signature")
    assert chain_marks() == before
