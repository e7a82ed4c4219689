"""Smart-contract wallets (review finding 9, docs/governance.md "Smart wallets"): a wallet that answers
ERC-1271 (a Safe does, through its fallback handler) votes by signature, because OpenZeppelin's Governor
checks `castVoteBySig` with SignatureChecker; the escrow's `delegateBySig` and the token's `permit` only
recover a plain-key ECDSA signer, so a wallet delegates and approves with its own transactions."""

import pytest
from brownie import accounts, web3

from harness.chain import time as hchain
from harness.core.signing import anvil_private_key, domain, sign_ballot, sign_permit, sign_typed
from harness.core.units import UNIT
from tests.governance.helpers import action, sender
from tests.models.system_model import AGAINST, FOR
from tests.support.reverts import reverts
from tests.support.wallet import wallet_container

OWNER_INDEX = 6  # Anvil account 6 (voters[1]) holds the wallet's key; it has no lock of its own
LOCKED = 4_000_000 * UNIT


@pytest.fixture(scope="module")
def owner(voters):
    assert voters[1] == accounts[OWNER_INDEX]
    return voters[1]


@pytest.fixture(scope="module")
def wallet(system, owner, community):
    """The owner's wallet with a permanent lock of 4M (8M votes), made by the wallet's own transactions
    (approve, createLock, lockPermanent), as a Safe would."""
    token, escrow = system.token, system.escrow
    w = wallet_container().deploy(owner, {"from": owner})
    token.transfer(w, LOCKED, {"from": community})
    w.execute(token, token.approve.encode_input(escrow, LOCKED), {"from": owner})
    w.execute(escrow, escrow.createLock.encode_input(LOCKED, hchain.now() + 300 * 86400), {"from": owner})
    w.execute(escrow, escrow.lockPermanent.encode_input(), {"from": owner})
    assert escrow.locked(w) == (LOCKED, 0, True)
    return w


def _ballot(system, key_index, proposal_id, support, voter, nonce):
    return sign_ballot(
        anvil_private_key(key_index), "ServiceGovernor", system.governor.address, web3.eth.chain_id,
        proposal_id, support, voter, nonce,
    )


def test_erc1271_wallet_votes_by_signature(gov, system, whale, wallet, owner, voters):
    """The owner's key signs the ballot naming the wallet as voter; a relayer submits it; the vote
    counts with the wallet's Staking Score, the nonce is the wallet's, the owner has not voted."""
    g = system.governor
    relayer = voters[4]
    p = gov.propose(whale, [action(g, "votingDelay")], "a Safe votes")
    gov.to_active(p)
    signature = _ballot(system, OWNER_INDEX, p.id, FOR, wallet.address, 0)
    tx = g.castVoteBySig(p.id, FOR, wallet, signature, {"from": relayer})
    assert [dict(e) for e in tx.events["VoteCast"]] == [
        {"voter": wallet.address, "proposalId": p.id, "support": FOR, "weight": 2 * LOCKED, "reason": ""}
    ]
    assert g.proposalVotes(p.id) == (0, 2 * LOCKED, 0)
    assert g.hasVoted(p.id, wallet) and not g.hasVoted(p.id, owner) and not g.hasVoted(p.id, relayer)
    assert g.nonces(wallet) == 1 and g.nonces(owner) == 0


def test_erc1271_wallet_refuses_a_signature_by_another_key(gov, system, whale, wallet, voters):
    """Another key's ballot for the wallet: isValidSignature says no, the Governor reverts naming the
    wallet; a replay of the owner's used ballot reverts the same way (the nonce moved on)."""
    g = system.governor
    p = gov.propose(whale, [action(g, "votingDelay")], "a forged Safe vote")
    gov.to_active(p)
    forged = _ballot(system, 7, p.id, AGAINST, wallet.address, 0)
    with reverts("GovernorInvalidSignature(address)", wallet.address):
        g.castVoteBySig(p.id, AGAINST, wallet, forged, sender(voters[4]))
    good = _ballot(system, OWNER_INDEX, p.id, FOR, wallet.address, 0)
    g.castVoteBySig(p.id, FOR, wallet, good, {"from": voters[4]})
    q = gov.propose(whale, [action(g, "votingPeriod")], "replay on another proposal")
    gov.to_active(q)
    replay = _ballot(system, OWNER_INDEX, q.id, FOR, wallet.address, 0)  # nonce 0 again
    with reverts("GovernorInvalidSignature(address)", wallet.address):
        g.castVoteBySig(q.id, FOR, wallet, replay, sender(voters[4]))
    assert g.proposalVotes(q.id) == (0, 0, 0)


DELEGATION_TYPES = {
    "Delegation": [
        {"name": "delegatee", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
}


def test_wallet_delegates_with_a_transaction_not_a_signature(system, wallet, owner, voters):
    """`delegateBySig` (IERC5805) carries no account: it delegates for whoever the ECDSA signature
    recovers to. The owner key's signature therefore names the owner (no permanent lock: refused),
    never the wallet; the wallet delegates with its own `delegate` transaction."""
    escrow = system.escrow
    delegatee = voters[3]
    expiry = hchain.now() + 3600
    v, r, s = sign_typed(
        anvil_private_key(OWNER_INDEX), domain(escrow.name(), "1", web3.eth.chain_id, escrow.address), DELEGATION_TYPES,
        {"delegatee": delegatee.address, "nonce": 0, "expiry": expiry},
    )
    with reverts("DelegationRequiresPermanentLock(address)", owner.address):
        escrow.delegateBySig(delegatee, 0, expiry, v, r, s, sender(voters[4]))
    assert escrow.delegates(wallet) == wallet.address
    wallet.execute(escrow, escrow.delegate.encode_input(delegatee), {"from": owner})
    assert escrow.delegates(wallet) == delegatee.address
    assert escrow.getVotes(delegatee) == 2 * LOCKED and escrow.getVotes(wallet) == 0


def test_wallet_cannot_permit_and_approves_with_a_transaction(system, wallet, owner, voters):
    """OpenZeppelin's ERC20Permit compares the ECDSA signer with `owner`: the wallet's owner key
    recovers to the owner, not the wallet, so the permit reverts; `approve` sent by the wallet works."""
    token = system.token
    spender = voters[4]
    deadline = hchain.now() + 3600
    v, r, s = sign_permit(
        anvil_private_key(OWNER_INDEX), token.name(), token.address, web3.eth.chain_id,
        wallet.address, spender.address, UNIT, token.nonces(wallet), deadline,
    )
    with reverts("ERC2612InvalidSigner(address,address)", owner.address, wallet.address):
        token.permit(wallet, spender, UNIT, deadline, v, r, s, sender(spender))
    assert token.allowance(wallet, spender) == 0
    wallet.execute(token, token.approve.encode_input(spender, UNIT), {"from": owner})
    assert token.allowance(wallet, spender) == UNIT
