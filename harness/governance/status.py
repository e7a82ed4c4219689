"""A proposal read back from the governor: state, votes, quorum at the snapshot, times (UTC), ETA and
its actions decoded (scripts/proposal_status.py). Sends nothing."""

from __future__ import annotations

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.proposals.build import decode_call
from harness.core.units import format_duration, utc
from harness.governance.lifecycle import score, state_name


def listing(protocol: Protocol) -> list[str]:
    """Every proposal of the governor with its state, oldest first."""
    governor = protocol.governor
    count = int(governor.proposalCount())
    lines = [f"{count} proposal(s) on the governor {governor.address}"]
    for index in range(count):
        proposal_id = int(governor.proposalDetailsAt(index)[0])
        lines.append(f"  [{index}] {proposal_id}  {state_name(governor, proposal_id)}")
    return lines


def status_lines(protocol: Protocol, proposal_id: int) -> list[str]:
    governor = protocol.governor
    state = state_name(governor, proposal_id)
    snapshot = int(governor.proposalSnapshot(proposal_id))
    deadline = int(governor.proposalDeadline(proposal_id))
    against, for_votes, abstain = (int(v) for v in governor.proposalVotes(proposal_id))
    clock = now()
    lines = [
        f"proposal {proposal_id}",
        f"  state      {state}",
        f"  proposer   {governor.proposalProposer(proposal_id)}",
        f"  snapshot   {utc(snapshot)} ({snapshot})" + ("  (votes open then)" if snapshot >= clock else ""),
        f"  deadline   {utc(deadline)} ({deadline})",
        f"  votes      for {score(for_votes)}  against {score(against)}  abstain {score(abstain)}  (Staking Score)",
    ]
    if snapshot < clock:
        quorum = int(governor.quorum(snapshot))
        counted = for_votes + abstain
        reached = "reached" if counted >= quorum else f"not reached: {score(quorum - counted)} more for/abstain needed"
        lines.append(f"  quorum     {score(quorum)} at the snapshot ({reached})")
    else:
        lines.append(
            f"  quorum     fixed at the snapshot: the larger of {governor.quorumNumerator()}% of the total Staking Score "
            f"then and the minimum quorum then ({score(int(governor.minimumQuorum()))} now)"
        )
    eta = int(governor.proposalEta(proposal_id))
    if eta:
        ready = "executable now" if eta <= clock else f"executable in {format_duration(eta - clock)}"
        lines.append(f"  eta        {utc(eta)} ({eta}, {ready})")
    targets, values, calldatas, description_hash = governor.proposalDetails(proposal_id)
    lines.append(f"  actions    {len(targets)} (description hash {description_hash})")
    for index, (target, value, calldata) in enumerate(zip(targets, values, calldatas)):
        lines.append(f"    [{index}] {decode_call(protocol.catalog, target, bytes(calldata), int(value))}")
    return lines
