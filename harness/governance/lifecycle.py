"""A proposal through the governor: propose, vote, queue, execute (scripts/propose.py, vote.py,
queue.py, execute.py and the demo). Each step checks what it can before sending (the proposal's
state, the account's Staking Score, and an eth_call dry run whose revert comes back decoded) and
raises a ScriptError naming the argument, so a step that would fail is never sent.

Queueing and executing are one step, `advance`, with two stages: the governor's `queue(uint256)` /
`execute(uint256)` (OpenZeppelin GovernorStorage: the proposal's actions are read from storage).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from harness.chain.accounts import signer
from harness.chain.calls import try_call
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol, handle
from harness.chain.time import now, settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command
from harness.core.errors import ScriptError
from harness.core.proposals.build import Proposal, build_proposal
from harness.core.proposals.spec import ProposalFile
from harness.core.units import format_duration, format_tokens, utc

STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"]
SUPPORT = {"against": 0, "for": 1, "abstain": 2}
SUPPORT_NAMES = {value: name for name, value in SUPPORT.items()}
SCORE_PLACES = 6  # a Staking Score shown to a voter: six decimals are plenty


def score(base_units: int) -> str:
    return format_tokens(base_units, places=SCORE_PLACES)


# ---- reading a proposal's arguments ------------------------------------------------------------


def parse_support(text: str) -> int:
    key = str(text).strip().lower()
    if key in SUPPORT:
        return SUPPORT[key]
    if key in ("0", "1", "2"):
        return int(key)
    raise ScriptError(f"support: must be for, against or abstain (or 1, 0, 2), got {text!r}")


def parse_proposal_id(text: str, governor: Any) -> int:
    """A proposal id (decimal or 0x hex) or `latest`, checked to exist on `governor`."""
    text = str(text).strip()
    if text == "latest":
        count = governor.proposalCount()
        if count == 0:
            raise ScriptError("proposal_id: latest: the governor has no proposal yet")
        return int(governor.proposalDetailsAt(count - 1)[0])
    try:
        proposal_id = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise ScriptError(f"proposal_id: must be a decimal or 0x-hex proposal id, or latest; got {text!r}") from None
    if not 0 <= proposal_id < 2**256 or governor.proposalSnapshot(proposal_id) == 0:
        raise ScriptError(f"proposal_id: no proposal {text} on the governor {governor.address}")
    return proposal_id


def state_name(governor: Any, proposal_id: int) -> str:
    return STATES[int(governor.state(proposal_id))]


def require_state(governor: Any, proposal_id: int, allowed: tuple[str, ...], doing: str) -> str:
    state = state_name(governor, proposal_id)
    if state not in allowed:
        raise ScriptError(f"proposal_id: proposal {proposal_id} is {state}, {doing} needs it {' or '.join(allowed)}")
    return state


def _dry_run(sender: str, contract: Any, calldata: str) -> tuple[bool, bytes | str]:
    return try_call(sender, contract.address, bytes.fromhex(calldata.removeprefix("0x")))


# ---- propose -----------------------------------------------------------------------------------


def check_can_propose(protocol: Protocol, proposal: Proposal, proposer: Any) -> None:
    governor = protocol.governor
    proposal_id = proposal.proposal_id
    if governor.proposalSnapshot(proposal_id) != 0:
        raise ScriptError(
            f"proposal: the same actions and description were already proposed as {proposal_id} "
            f"({state_name(governor, proposal_id)}); change the description to propose them again"
        )
    votes = int(governor.getVotes(proposer.address, now() - 1))
    threshold = int(governor.proposalThreshold())
    if votes < threshold:
        raise ScriptError(
            f"account: {proposer.address} has {score(votes)} Staking Score, the proposal threshold is "
            f"{score(threshold)}"
        )
    check_quota(protocol, proposer.address)
    calldata = governor.propose.encode_input(proposal.targets, proposal.values, proposal.calldatas, proposal.description)
    ok, result = _dry_run(proposer.address, governor, calldata)
    if not ok:
        raise ScriptError(f"proposal: propose would revert: {result}")


def check_quota(protocol: Protocol, proposer: str) -> None:
    """The proposal quota of SPEC 5.5: `proposer`'s level at `clock() - 1` allows one more proposal
    this 30-day period."""
    governor = protocol.governor
    if int(governor.proposalsLeft(proposer)) > 0:
        return
    levels = handle("StakingLevels", governor.stakingLevels())  # governance may have swapped it
    level = int(levels.levelAt(proposer, now() - 1))
    quota = int(levels.proposalsPerMonth(level))
    period = int(governor.QUOTA_PERIOD())
    next_period = (now() // period + 1) * period
    raise ScriptError(
        f"account: {proposer} is at level {level}, which allows {quota} proposal(s) per 30-day period, "
        f"and made {int(governor.proposalsUsed(proposer))} this period; the next period starts {utc(next_period)}"
    )


def propose(protocol: Protocol, proposer: Any, spec: ProposalFile, source: str | Path, with_suffix: bool = False) -> int:
    """Build `spec` against the deployment (every action ABI-checked), check the proposer can propose
    it, propose it; returns the proposal id. `with_suffix` appends `#proposer=<address>` to the
    description (OpenZeppelin's protection against a copy of the proposal sent first by another)."""
    proposal = build_proposal(spec, protocol.catalog, proposer.address if with_suffix else None, source=str(source))
    check_can_propose(protocol, proposal, proposer)
    print(f"proposing {source}: {proposal.title}")
    for action in proposal.actions:
        print(f"  [{action.index}] {action.describe()}")
    governor = protocol.governor
    tx = governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description, {"from": proposer})
    proposal_id = int(tx.events["ProposalCreated"]["proposalId"])
    print(f"proposal id {proposal_id}")
    print(f"  voting opens  {utc(governor.proposalSnapshot(proposal_id))}")
    print(f"  voting closes {utc(governor.proposalDeadline(proposal_id))}")
    return proposal_id


# ---- vote --------------------------------------------------------------------------------------


def vote(protocol: Protocol, voter: Any, proposal_id: int, support: int, reason: str | None = None) -> int:
    """Cast `voter`'s vote (with `reason`: castVoteWithReason); returns its weight, the voter's
    Staking Score at the snapshot. Nothing is sent unless the vote is open, the voter has not voted
    and has a score."""
    governor = protocol.governor
    require_state(governor, proposal_id, ("Active",), "voting")
    if governor.hasVoted(proposal_id, voter.address):
        raise ScriptError(f"account: {voter.address} has already voted on proposal {proposal_id}")
    weight = int(governor.getVotes(voter.address, governor.proposalSnapshot(proposal_id)))
    if weight == 0:
        raise ScriptError(f"account: {voter.address} had no Staking Score at the snapshot: the vote would count 0")
    if reason is not None:
        tx = governor.castVoteWithReason(proposal_id, support, reason, {"from": voter})
    else:
        tx = governor.castVote(proposal_id, support, {"from": voter})
    print(f"{voter.address} voted {SUPPORT_NAMES[support]} on {proposal_id} with {score(weight)} Staking Score (tx {tx.txid})")
    return weight


# ---- queue and execute: one step, two stages ---------------------------------------------------


@dataclass(frozen=True)
class Stage:
    function: str  # the governor's function, called as `function(uint256 proposalId)`; also the script's name
    needs: str  # the state the proposal must be in
    doing: str  # what errors call the step
    waits_for_eta: bool  # the timelock's delay must be over first


QUEUE = Stage(function="queue", needs="Succeeded", doing="queueing", waits_for_eta=False)
EXECUTE = Stage(function="execute", needs="Queued", doing="execution", waits_for_eta=True)
PROPOSAL_ID = Argument("proposal_id", "PROPOSAL_ID")


def advance(protocol: Protocol, sender: Any, proposal_id: int, stage: Stage) -> Any:
    """Queue or execute a proposal (anyone may); nothing is sent unless it is in the stage's state,
    its ETA has passed (execute) and a dry run succeeds (a failing action is named with its revert
    reason). Returns the transaction."""
    governor = protocol.governor
    require_state(governor, proposal_id, (stage.needs,), stage.doing)
    if stage.waits_for_eta:
        eta = int(governor.proposalEta(proposal_id))
        if eta > now():
            raise ScriptError(f"proposal_id: {proposal_id} is executable from {utc(eta)}, in {format_duration(eta - now())}")
    function = getattr(governor, stage.function)["uint256"]
    ok, reason = _dry_run(sender.address, governor, function.encode_input(proposal_id))
    if not ok:
        raise ScriptError(f"proposal_id: {stage.doing} would revert: {reason}")
    return function(proposal_id, {"from": sender})


def queue(protocol: Protocol, sender: Any, proposal_id: int) -> int:
    """Queue a proposal that passed into the timelock; returns its ETA."""
    tx = advance(protocol, sender, proposal_id, QUEUE)
    eta = int(protocol.governor.proposalEta(proposal_id))
    print(f"queued {proposal_id} (tx {tx.txid}); executable from {utc(eta)} ({eta})")
    return eta


def execute(protocol: Protocol, sender: Any, proposal_id: int) -> None:
    """Execute a queued proposal once its timelock delay has passed."""
    tx = advance(protocol, sender, proposal_id, EXECUTE)
    print(f"executed {proposal_id} (tx {tx.txid})")


def stage_script(stage: Stage) -> tuple[Command, Callable[..., None]]:
    """The command line and `main` of scripts/queue.py and scripts/execute.py:
    `PROPOSAL_ID [account=N] [manifest=PATH]`, then `queue` or `execute`."""
    command = Command(f"{stage.function}.py", arguments=(PROPOSAL_ID,), options=(ACCOUNT, MANIFEST))
    step = queue if stage is QUEUE else execute

    def main(*args: str) -> None:
        with script_errors():
            call = command.parse(args)
            protocol = Protocol.load(call.option("manifest"))
            proposal_id = parse_proposal_id(call["proposal_id"], protocol.governor)
            step(protocol, signer(call.option("account")), proposal_id)
        settle()

    return command, main
