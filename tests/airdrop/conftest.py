"""Fixtures for the CommunityAirdrop tests (SPEC 5.4): the real VotingEscrow (no mocks), a merkle tree
built with the project's StandardMerkleTree (harness/core/merkle.py, byte-identical to OpenZeppelin's),
users with known keys (they sign ClaimAndLock messages), an ERC-1271 wallet in the tree
(tests/support/wallet.py), and the airdrop deployed, funded by plain transfers (the airdrop total plus a
bonus reserve) and trusted by the escrow to create locks (SPEC 7)."""

from __future__ import annotations

import pytest
from brownie import accounts, chain
from eth_account import Account
from web3 import Web3

from harness.chain.time import mine_at, now
from harness.core.merkle import AIRDROP_LEAF_ENCODING, StandardMerkleTree
from harness.core.signing import AIRDROP_DOMAIN_NAME, CLAIM_AND_LOCK_TYPES, DOMAIN_VERSION, claim_and_lock_message, domain  # noqa: F401
from harness.core.signing import sign_claim_and_lock as sign_claim_and_lock_with
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_LOCK, MAX_UINT256, UNIT, WEEK
from tests.support.constants import PENALTY_BPS
from tests.support.wallet import wallet_container

DOMAIN_NAME = AIRDROP_DOMAIN_NAME
BONUS_BPS = 5_000  # a claim into a 12-month lock earns up to 50% more
RESERVE = 50_000 * UNIT  # the bonus reserve the fixture funds beyond the airdrop total
WINDOW = 60 * DAY  # claims close this long after deployment
USERS = 5
# users[i] is allocated ALLOCATIONS[i]; the last one is below the escrow's MIN_LOCK_AMOUNT.
ALLOCATIONS = [10_000 * UNIT, 20_000 * UNIT + 7, 30_000 * UNIT, 5_000 * UNIT, UNIT // 2]
WALLET_ALLOCATION = 12_345 * UNIT
OTHERS = 7  # further accounts in the tree nobody here claims for (a bigger tree, deeper proofs)


def key_for(label: str) -> str:
    """A fixed private key per label: the same signers (and so the same calldata) every run."""
    return "0x" + bytes(Web3.keccak(text=f"community-airdrop-tests:{label}")).hex()


def address_for(label: str) -> str:
    return Account.from_key(key_for(label)).address


class User:
    """A brownie LocalAccount with its private key (it signs ClaimAndLock messages)."""

    def __init__(self, label: str):
        self.key = key_for(label)
        self.account = accounts.add(self.key)
        self.address = self.account.address

    def __str__(self):
        return self.address


def sign_claim_and_lock(key: str, airdrop: str, account: str, amount: int, unlock_time: int, deadline: int) -> bytes:
    """The 65-byte signature r || s || v of ClaimAndLock(account, amount, unlockTime, deadline)."""
    return sign_claim_and_lock_with(key, chain.id, airdrop, account, amount, unlock_time, deadline)


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer):
    # Every module starts an hour into a fresh week, so week arithmetic in tests is simple.
    mine_at(week_start(now()) + WEEK + 3600)
    return VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})


@pytest.fixture(scope="module")
def users(token, ve, holders, deployer):
    """Five users with 100k tokens each (for locks of their own), approved to the escrow."""
    out = []
    for i in range(USERS):
        u = User(f"user-{i}")
        deployer.transfer(u.account, 10 * UNIT)
        token.transfer(u.account, 100_000 * UNIT, {"from": holders[i]})
        token.approve(ve, MAX_UINT256, {"from": u.account})
        out.append(u)
    return out


@pytest.fixture(scope="module")
def wallet(users, deployer):
    """An ERC-1271 smart wallet owned by users[0] (its owner's key signs for it)."""
    return wallet_container().deploy(users[0].address, {"from": deployer})


@pytest.fixture(scope="module")
def treasury():
    """A fresh address with no tokens: everything it holds came from a sweep."""
    return address_for("treasury")


@pytest.fixture(scope="module")
def allocations(users, wallet):
    """The tree's (account, amount) list, in the order given to the tree."""
    entries = [(u.address, a) for u, a in zip(users, ALLOCATIONS)]
    entries.append((wallet.address, WALLET_ALLOCATION))
    entries += [(address_for(f"other-{i}"), (i + 1) * 1_000 * UNIT + i) for i in range(OTHERS)]
    return entries


@pytest.fixture(scope="module")
def tree(allocations):
    return StandardMerkleTree.of([(a, str(v)) for a, v in allocations], AIRDROP_LEAF_ENCODING)


@pytest.fixture(scope="module")
def total(allocations):
    return sum(v for _, v in allocations)


@pytest.fixture(scope="module")
def deadline(ve):
    """The claim deadline: WINDOW after the module's start."""
    return now() + WINDOW


@pytest.fixture(scope="module")
def airdrop(CommunityAirdrop, ve, tree, total, deadline, treasury, token, holders, deployer):
    drop = CommunityAirdrop.deploy(ve, tree.root, total, deadline, BONUS_BPS, treasury, {"from": deployer})
    token.transfer(drop, total + RESERVE, {"from": holders[8]})
    ve.setTrustedLockCreator(drop, True, {"from": deployer})
    return drop


class Drop:
    """Proofs, signatures and lock set-ups for one test."""

    def __init__(self, airdrop, ve, token, tree, allocations):
        self.airdrop, self.ve, self.token, self.tree = airdrop, ve, token, tree
        self.allocations = allocations
        self.index = {str(a): i for i, (a, _) in enumerate(allocations)}

    def amount(self, account) -> int:
        return self.allocations[self.index[str(account)]][1]

    def proof(self, account) -> list:
        return self.tree.proof(self.index[str(account)])

    def leaf(self, account):
        """(account, amount, proof) of `account`'s leaf."""
        return str(account), self.amount(account), self.proof(account)

    def sign(self, user, account=None, amount=None, unlock_time=None, deadline=None):
        """A ClaimAndLock signature by `user`'s key (for `account`, by default the user itself);
        returns (unlock_time, deadline, signature)."""
        account = str(account or user.address)
        amount = self.amount(account) if amount is None else amount
        unlock_time = now() + MAX_LOCK if unlock_time is None else unlock_time
        deadline = now() + DAY if deadline is None else deadline
        return unlock_time, deadline, sign_claim_and_lock(user.key, self.airdrop, account, amount, unlock_time, deadline)

    def lock(self, user, amount=1_000 * UNIT, weeks=52):
        """A decaying lock of the user's own tokens ending `weeks` week boundaries from now (capped)."""
        end = min(week_start(now()) + weeks * WEEK, now() + MAX_LOCK)
        return self.ve.createLock(amount, end, {"from": user.account})

    def lock_permanent(self, user, amount=1_000 * UNIT):
        self.lock(user, amount)
        return self.ve.lockPermanent({"from": user.account})


@pytest.fixture(scope="module")
def drop(airdrop, ve, token, tree, allocations):
    return Drop(airdrop, ve, token, tree, allocations)
