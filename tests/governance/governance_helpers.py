"""Constants and helpers for the governance tests (SPEC 2.4): exact custom-error matching, proposal
driving (propose -> vote -> queue -> execute) and the Staking Score formula (SPEC 2.2)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from brownie import accounts, web3
from brownie.exceptions import VirtualMachineError
from hypothesis import settings
from eth_abi import encode as abi_encode
from eth_account import Account as EthAccount
from hexbytes import HexBytes

from harness import chain as hchain

DAY = 86400
WEEK = 7 * DAY
MAX_LOCK = 365 * DAY
TOKEN = 10**18

# config/local.yaml
VOTING_DELAY = 1 * DAY
VOTING_PERIOD = 5 * DAY
THRESHOLD = 1_000_000 * TOKEN  # 0.1% of the 1e9 supply
QUORUM_NUMERATOR = 4
MINIMUM_QUORUM = 2_000_000 * TOKEN  # SPEC 7 floor of the quorum: twice the threshold
LATE_QUORUM_EXTENSION = 2 * DAY
TIMELOCK_DELAY = 2 * DAY

AGAINST, FOR, ABSTAIN = 0, 1, 2
PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = range(8)

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ZERO_BYTES32 = b"\x00" * 32
# A gas limit on every transaction that is expected to revert: brownie then sends it without an
# estimate, Anvil mines it, and the revert data can be read back exactly from its trace.
GAS = 3_000_000

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"


def private_key(index: int) -> str:
    """Private key of Anvil account `index` (the default mnemonic)."""
    EthAccount.enable_unaudited_hdwallet_features()
    acct = EthAccount.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    assert acct.address == accounts[index].address
    return acct.key.hex()


# ---------------------------------------------------------------------------------- revert data


def error_data(signature: str, *args) -> bytes:
    """ABI-encoded custom error: `signature` like "Name(address,uint256)" and its arguments."""
    selector = web3.keccak(text=signature)[:4]
    types = signature[signature.index("(") + 1 : -1]
    type_list = _split_types(types)
    return bytes(selector) + (abi_encode(type_list, list(args)) if type_list else b"")


def _split_types(types: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in types:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur:
        out.append(cur)
    return out


def panic_data(code: int) -> bytes:
    return error_data("Panic(uint256)", code)


def tx_revert_data(txid: str) -> bytes:
    """The exact revert data of a mined, reverted transaction (top-level call output)."""
    response = web3.provider.make_request("debug_traceTransaction", [txid, {"tracer": "callTracer"}])
    assert "error" not in response, response
    trace = response["result"]
    assert trace.get("error"), f"transaction {txid} did not revert: {trace}"
    return bytes(HexBytes(trace.get("output", "0x")))


@contextmanager
def reverts_exact(expected: bytes):
    """The block must send one transaction (with `gas_limit` set, see `GAS`) that is mined and reverts
    with exactly `expected` as revert data (selector and every argument)."""
    try:
        yield
    except VirtualMachineError as exc:
        assert exc.txid, f"reverted before being mined (no gas_limit?): {exc}"
        got = tx_revert_data(exc.txid)
        assert got == expected, f"revert data {got.hex()} ({exc.revert_msg}) != expected {expected.hex()}"
    else:
        raise AssertionError(f"did not revert (expected 0x{expected.hex()})")


def call_revert_data(sender: str, to: str, data: bytes | str) -> bytes | None:
    """eth_call from `sender`: None if it succeeds, else its exact revert data (nothing is mined)."""
    response = web3.provider.make_request(
        "eth_call", [{"from": sender, "to": to, "data": HexBytes(data).to_0x_hex()}, "latest"]
    )
    if "error" not in response:
        return None
    err = response["error"]
    data_field = err.get("data")
    if isinstance(data_field, dict):
        data_field = data_field.get("data")
    return bytes(HexBytes(data_field or "0x"))


def impersonate(address):
    """A brownie account that sends as `address` (Anvil impersonation)."""
    web3.provider.make_request("anvil_setBalance", [address, hex(10**20)])
    return accounts.at(address, force=True)


def raw_send(account, to, data):
    """Send raw calldata from `account`; may revert (mined, see reverts_exact)."""
    return account.transfer(to, 0, data=HexBytes(data).to_0x_hex(), gas_limit=GAS, allow_revert=True)


def sender(account) -> dict:
    """Transaction parameters for a call that may revert (mined even then)."""
    return {"from": account, "gas_limit": GAS, "allow_revert": True}


# ---------------------------------------------------------------------------------- Staking Score


def score(amount: int, end: int, t: int, permanent: bool = False) -> int:
    """SPEC 2.2 Staking Score of one lock at time `t`."""
    if permanent:
        return 2 * amount
    if t >= end:
        return 0
    return amount + amount * (end - t) // MAX_LOCK


def amount_for_score(target: int, remaining: int) -> int | None:
    """Smallest lock amount whose score with `remaining` seconds to its end is exactly `target`
    (None if the score steps over `target`)."""
    lo, hi = 0, target
    while lo < hi:
        mid = (lo + hi) // 2
        if mid + mid * remaining // MAX_LOCK < target:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo + lo * remaining // MAX_LOCK == target else None


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
    """Drives proposals through the governor of a `System` (tests/conftest.py)."""

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
    end = hchain.week_start(hchain.now()) + weeks * WEEK
    if end > hchain.now() + MAX_LOCK:
        end -= WEEK
    return escrow.createLock(amount, end, {"from": account}), end


# Hypothesis settings of the property tests here, applied with @settings (never loaded globally:
# that would change every other suite's settings).
settings.register_profile("governance", deadline=None, max_examples=8)
settings.register_profile("governance-deep", deadline=None, max_examples=100)
GOVERNANCE_SETTINGS = settings.get_profile(
    "governance-deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "governance"
)
