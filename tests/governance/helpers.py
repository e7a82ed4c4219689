"""Constants and helpers for the governance tests (SPEC 2.4): the deployed parameters, transactions
that may revert (mined, so tests/support/reverts.py reads their exact revert data), proposal driving
(propose -> vote -> queue -> execute) and locks of a chosen Staking Score."""

from __future__ import annotations

from dataclasses import dataclass, field

from brownie import accounts, web3
from hexbytes import HexBytes

from harness.chain import time as hchain
from harness.core.staking import staking_score, week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK
from tests.models.system_model import FOR

# config/local.yaml
VOTING_DELAY = 1 * DAY
VOTING_PERIOD = 5 * DAY
THRESHOLD = 1_000_000 * UNIT  # 0.1% of the 1e9 supply
QUORUM_NUMERATOR = 4
MINIMUM_QUORUM = 2_000_000 * UNIT  # SPEC 7 floor of the quorum: twice the threshold
LATE_QUORUM_EXTENSION = 2 * DAY
TIMELOCK_DELAY = 2 * DAY

# A gas limit on every transaction that is expected to revert: brownie then sends it without an
# estimate, Anvil mines it, and the revert data can be read back exactly from its trace.
GAS = 3_000_000

def impersonate(address):
    """A brownie account that sends as `address` (Anvil impersonation)."""
    web3.provider.make_request("anvil_setBalance", [address, hex(10**20)])
    return accounts.at(address, force=True)


def raw_send(account, to, data):
    """Send raw calldata from `account`; may revert (mined, see tests/support/reverts.py)."""
    return account.transfer(to, 0, data=HexBytes(data).to_0x_hex(), gas_limit=GAS, allow_revert=True)


def sender(account) -> dict:
    """Transaction parameters for a call that may revert (mined even then)."""
    return {"from": account, "gas_limit": GAS, "allow_revert": True}


# ---------------------------------------------------------------------------------- Staking Score


def amount_for_score(target: int, remaining: int) -> int | None:
    """Smallest lock amount whose score with `remaining` seconds to its end is exactly `target`
    (None if the score steps over `target`)."""
    lo, hi = 0, target
    while lo < hi:
        mid = (lo + hi) // 2
        if staking_score(mid, remaining, 0) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo if staking_score(lo, remaining, 0) == target else None


# ---------------------------------------------------------------------------------- proposals


@dataclass
class Proposal:
    targets: list
    values: list
    calldatas: list
    description: str
    proposer: object = None
    id: int = 0
    tx: object = None
    extra: dict = field(default_factory=dict)

    @property
    def description_hash(self) -> bytes:
        return bytes(web3.keccak(text=self.description))

    @property
    def args(self) -> tuple:
        return (self.targets, self.values, self.calldatas, self.description_hash)


def action(contract, fn_name: str, *args, value: int = 0):
    """(target, value, calldata) calling `contract.fn_name(*args)`."""
    return (contract.address, value, HexBytes(getattr(contract, fn_name).encode_input(*args)))


def make_proposal(actions, description: str) -> Proposal:
    return Proposal(
        targets=[a[0] for a in actions],
        values=[a[1] for a in actions],
        calldatas=[a[2] for a in actions],
        description=description,
    )


class Gov:
    """Drives proposals through the governor of the `system` deployment (tests/conftest.py, a Protocol)."""

    def __init__(self, system):
        self.system = system
        self.governor = system.governor
        self.timelock = system.timelock
        self.escrow = system.escrow
        self.token = system.token

    def propose(self, proposer, actions, description: str, settle: bool = True) -> Proposal:
        """`settle`: first mine a block one second later, so locks made in the latest blocks count at
        `clock() - 1` (where the threshold is checked)."""
        if settle:
            hchain.advance(1)
        p = make_proposal(actions, description)
        p.proposer = proposer
        p.id = self.governor.hashProposal(*p.args)
        p.tx = self.governor.propose(p.targets, p.values, p.calldatas, p.description, {"from": proposer})
        return p

    def to_active(self, p: Proposal) -> int:
        """Mine the first block in which the vote is open (snapshot + 1)."""
        return hchain.mine_at(self.governor.proposalSnapshot(p.id) + 1)

    def to_end(self, p: Proposal) -> int:
        """Mine the first block after the (possibly extended) deadline."""
        return hchain.mine_at(self.governor.proposalDeadline(p.id) + 1)

    def vote(self, p: Proposal, voter, support: int = FOR):
        return self.governor.castVote(p.id, support, {"from": voter})

    def queue(self, p: Proposal, caller):
        return self.governor.queue["address[],uint256[],bytes[],bytes32"](*p.args, {"from": caller})

    def execute(self, p: Proposal, caller):
        return self.governor.execute["address[],uint256[],bytes[],bytes32"](*p.args, {"from": caller})

    def pass_vote(self, p: Proposal, voters) -> None:
        """Active -> votes for by `voters` -> past the deadline (Succeeded)."""
        self.to_active(p)
        for v in voters:
            self.vote(p, v, FOR)
        self.to_end(p)

    def run(self, proposer, actions, description: str, voters, caller=None):
        """A proposal through the whole lifecycle; returns (proposal, execute tx)."""
        p = self.propose(proposer, actions, description)
        self.pass_vote(p, voters)
        self.queue(p, caller or proposer)
        hchain.mine_at(self.governor.proposalEta(p.id))
        return p, self.execute(p, caller or proposer)


def permanent_lock(escrow, account, amount: int):
    """A lock of `amount` made permanent (score exactly 2 * amount)."""
    escrow.createLock(amount, hchain.now() + MAX_LOCK, {"from": account})
    return escrow.lockPermanent({"from": account})


def decaying_lock(escrow, account, amount: int, weeks: int = 52):
    """A decaying lock ending `weeks` week boundaries from now (at most MAX_LOCK away)."""
    end = week_start(hchain.now()) + weeks * WEEK
    if end > hchain.now() + MAX_LOCK:
        end -= WEEK
    return escrow.createLock(amount, end, {"from": account}), end
