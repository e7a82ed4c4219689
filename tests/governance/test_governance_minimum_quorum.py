"""The minimum quorum (SPEC 7, review finding 5): quorum(t) = max(4% of the past total Staking Score,
minimumQuorum at t). Right after launch, while little is locked, a proposer at the threshold cannot pass
a proposal on its own votes; the minimum changes only through a proposal, is checkpointed by timestamp
and never moves the quorum of a proposal whose snapshot is past. Expected quorums come from the
reference rule `quorum_rule` (tests/models/system_model.py)."""

import pytest
from brownie import ServiceGovernor, chain
from brownie.test import given
from brownie.test import strategy as st

from harness.chain import time as hchain
from harness.core.staking import staking_score, week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK
from tests.governance.helpers import (
    LATE_QUORUM_EXTENSION,
    MINIMUM_QUORUM,
    QUORUM_NUMERATOR,
    THRESHOLD,
    VOTING_DELAY,
    VOTING_PERIOD,
    action,
    amount_for_score,
    impersonate,
    permanent_lock,
    raw_send,
    sender,
)
from tests.models.system_model import DEFEATED, EXECUTED, FOR, QUEUED, SUCCEEDED, max_voting_power, quorum_rule
from tests.support.profiles import examples
from tests.support.reverts import error, reverts

# where 4% of the total Staking Score equals the minimum: 50M of Staking Score (25M tokens, permanent)
CROSSOVER_SUPPLY = MINIMUM_QUORUM * 100 // QUORUM_NUMERATOR


def bitmap(*states):
    return sum(1 << s for s in states).to_bytes(32, "big")


def state_error(proposal_id, state, *allowed):
    return error("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", proposal_id, state, bitmap(*allowed))


def noop(gov):
    return [action(gov.governor, "votingDelay")]


def expected_quorum(escrow, t, minimum=MINIMUM_QUORUM, numerator=QUORUM_NUMERATOR):
    return quorum_rule(escrow.totalSupplyAt(t), numerator, minimum)


def _lock_scoring_at_snapshot(gov, account, target):
    """A decaying lock for `account` and a propose time T such that the lock's score at the snapshot
    T + VOTING_DELAY is exactly `target`. The lock is created now; returns T."""
    now = hchain.now()
    end = week_start(now) + 52 * WEEK
    if end > now + MAX_LOCK - 10:
        end -= WEEK
    t = now + 100
    while (amount := amount_for_score(target, end - (t + VOTING_DELAY))) is None:
        t += 1
    gov.escrow.createLock(amount, end, {"from": account})
    assert staking_score(amount, end, t + VOTING_DELAY) == target
    return t


# ------------------------------------------------------------------------------- the early-governance attack


def test_proposer_at_threshold_cannot_drain_the_treasury_right_after_launch(gov, system, voters):
    """Finding 5: the only lock is the attacker's, exactly at the proposal threshold. Under the 4% rule
    alone the quorum would be 40,000 and its 1M votes would pass a transfer of the whole treasury; with
    the minimum the quorum is 2M and the proposal is Defeated: nothing can be queued or executed."""
    token, escrow, g, timelock = system.token, system.escrow, system.governor, system.timelock
    attacker = voters[0]
    permanent_lock(escrow, attacker, THRESHOLD // 2)  # Staking Score exactly the threshold, constant
    treasury = token.balanceOf(timelock)
    assert treasury == 400_000_000 * UNIT
    p = gov.propose(attacker, [action(token, "transfer", attacker, treasury)], "Move the treasury")
    gov.to_active(p)
    snap = g.proposalSnapshot(p.id)
    assert escrow.getPastTotalSupply(snap) == THRESHOLD  # little locked: only the attacker
    fraction_alone = THRESHOLD * QUORUM_NUMERATOR // 100
    assert fraction_alone == 40_000 * UNIT  # what the attack needed before the fix
    assert g.quorum(snap) == quorum_rule(THRESHOLD, QUORUM_NUMERATOR, MINIMUM_QUORUM) == MINIMUM_QUORUM

    vote = gov.vote(p, attacker, FOR)
    assert vote.events["VoteCast"]["weight"] == THRESHOLD > fraction_alone
    assert "ProposalExtended" not in vote.events  # quorum not reached
    assert g.proposalVotes(p.id) == (0, THRESHOLD, 0)
    gov.to_end(p)
    assert g.state(p.id) == DEFEATED
    with reverts(state_error(p.id, DEFEATED, SUCCEEDED)):
        gov.governor.queue["address[],uint256[],bytes[],bytes32"](*p.args, sender(attacker))
    with reverts(state_error(p.id, DEFEATED, SUCCEEDED, QUEUED)):
        gov.governor.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(attacker))
    assert token.balanceOf(timelock) == treasury


@pytest.mark.parametrize("short, expected", [(0, SUCCEEDED), (1, DEFEATED)], ids=["at-minimum", "one-wei-under"])
def test_votes_must_reach_the_minimum_while_little_is_locked(gov, system, voters, short, expected):
    """Below the crossover the minimum is the quorum: the attacker at the threshold and a helper whose
    decaying lock scores exactly `MINIMUM_QUORUM - THRESHOLD - short` at the snapshot pass the proposal
    with exactly the minimum (for votes), and fail one wei under it."""
    escrow, g = system.escrow, system.governor
    attacker, helper = voters[0], voters[1]
    permanent_lock(escrow, attacker, THRESHOLD // 2)
    t = _lock_scoring_at_snapshot(gov, helper, MINIMUM_QUORUM - THRESHOLD - short)
    hchain.next_block_at(t)
    p = gov.propose(attacker, noop(gov), "helped", settle=False)
    snap = g.proposalSnapshot(p.id)
    assert snap == t + VOTING_DELAY
    gov.to_active(p)
    supply = escrow.getPastTotalSupply(snap)
    assert supply == MINIMUM_QUORUM - short < CROSSOVER_SUPPLY  # everything locked votes for
    assert g.quorum(snap) == quorum_rule(supply, QUORUM_NUMERATOR, MINIMUM_QUORUM) == MINIMUM_QUORUM
    gov.vote(p, attacker, FOR)
    gov.vote(p, helper, FOR)
    assert g.proposalVotes(p.id) == (0, MINIMUM_QUORUM - short, 0)
    gov.to_end(p)
    assert g.state(p.id) == expected


# ------------------------------------------------------------------------------- the max of both rules


def test_quorum_is_the_larger_rule_on_each_side_of_the_crossover(gov, system, voters, community):
    """Permanent locks make the total exact: 40M (the minimum 2M is above 4% = 1.6M), the crossover 50M
    (both 2M), 50M + 50 wei (4% = 2M + 2 wei, above the minimum) and 120M + 50 wei (4.8M + 2 wei)."""
    escrow, g = system.escrow, system.governor
    gov.token.transfer(voters[2], 5_000_000 * UNIT, {"from": community})
    times = []

    def step():
        # a timepoint after the change, then one more second: Anvil may mine the next transaction
        # at the same timestamp as the latest block
        times.append(hchain.advance(1))
        hchain.advance(1)

    permanent_lock(escrow, voters[0], 20_000_000 * UNIT)
    step()
    permanent_lock(escrow, voters[1], 5_000_000 * UNIT)
    step()
    escrow.increaseAmount(25, {"from": voters[1]})  # a permanent lock scores 2 x 25 wei more
    step()
    permanent_lock(escrow, voters[2], 35_000_000 * UNIT)
    step()
    expected = [
        (40_000_000 * UNIT, MINIMUM_QUORUM),
        (CROSSOVER_SUPPLY, MINIMUM_QUORUM),
        (CROSSOVER_SUPPLY + 50, MINIMUM_QUORUM + 2),
        (120_000_000 * UNIT + 50, 4_800_000 * UNIT + 2),
    ]
    for t, (supply, quorum) in zip(times, expected):
        assert escrow.getPastTotalSupply(t) == supply
        assert g.quorum(t) == quorum_rule(supply, QUORUM_NUMERATOR, MINIMUM_QUORUM) == quorum
    assert 40_000_000 * UNIT * QUORUM_NUMERATOR // 100 < MINIMUM_QUORUM  # the minimum ruled at 40M


@examples("governance")
@given(
    amount=st("uint256", min_value=UNIT, max_value=60_000_000 * UNIT),
    weeks=st("uint256", min_value=1, max_value=52),
    permanent=st("bool"),
)
def test_quorum_matches_the_reference_rule(gov, system, voters, community, amount, weeks, permanent):
    """Any lock size on either side of the crossover, decaying or permanent: quorum(t) is the reference
    max(4% of getPastTotalSupply(t), minimum) at the lock's time and later."""
    escrow, g = system.escrow, system.governor
    locker = voters[0]
    gov.token.transfer(locker, amount, {"from": community})
    if permanent:
        permanent_lock(escrow, locker, amount)
    else:
        end = week_start(hchain.now()) + weeks * WEEK
        if end <= hchain.now() + 1:
            end += WEEK
        escrow.createLock(amount, end, {"from": locker})
    t1 = hchain.advance(1)
    t2 = hchain.advance(3 * DAY)
    hchain.advance(1)
    for t in (t1, t2):
        assert g.quorum(t) == expected_quorum(escrow, t)


# ------------------------------------------------------------------------------- changing the minimum


def test_set_minimum_quorum_through_a_proposal(gov, system, whale, voters):
    g, escrow = system.governor, system.escrow
    new_minimum = 50_000_000 * UNIT  # above 4% of the whale's 200M (8M)
    p, ex = gov.run(whale, [action(g, "setMinimumQuorum", new_minimum)], "Minimum quorum 50M", [whale], voters[4])
    assert g.state(p.id) == EXECUTED
    assert [dict(e) for e in ex.events["MinimumQuorumUpdated"]] == [
        {"oldMinimumQuorum": MINIMUM_QUORUM, "newMinimumQuorum": new_minimum}
    ]
    assert g.minimumQuorum() == new_minimum
    assert g.minimumQuorum(ex.timestamp - 1) == MINIMUM_QUORUM
    assert g.minimumQuorum(ex.timestamp) == new_minimum
    hchain.advance(1)
    assert g.quorum(ex.timestamp - 1) == expected_quorum(escrow, ex.timestamp - 1) == 8_000_000 * UNIT
    assert g.quorum(ex.timestamp) == expected_quorum(escrow, ex.timestamp, new_minimum) == new_minimum


def test_set_minimum_quorum_refuses_direct_calls(deployer, system, voters):
    """Everyone but the governor executing a proposal is refused: the deployer, a holder and the
    governor contract itself with GovernorOnlyExecutor, the timelock outside a proposal with the
    empty governance-call queue (OpenZeppelin's onlyGovernance: Panic 0x31)."""
    g = system.governor
    data = g.setMinimumQuorum.encode_input(1)
    for account in (deployer, voters[0], impersonate(g.address)):
        with reverts("GovernorOnlyExecutor(address)", account.address):
            raw_send(account, g, data)
    with reverts("Panic", 0x31):
        raw_send(impersonate(system.timelock.address), g, data)
    assert g.minimumQuorum() == MINIMUM_QUORUM


def test_a_change_does_not_move_the_quorum_of_existing_proposals(gov, system, whale, voters):
    """The whale (200M) raises the minimum to 250M, above its own votes. A proposal whose snapshot is
    before the change keeps quorum 8M and passes with the whale's vote cast after the change; one
    proposed before the change but whose snapshot comes after it, and one proposed after it, need
    250M and are Defeated by the same vote."""
    g, escrow = system.governor, system.escrow
    raised = 250_000_000 * UNIT
    change = gov.propose(whale, [action(g, "setMinimumQuorum", raised)], "Minimum quorum 250M")
    t0 = change.tx.timestamp
    gov.to_active(change)
    gov.vote(change, whale, FOR)
    hchain.mine_at(t0 + 5 * DAY)
    before = gov.propose(whale, noop(gov), "snapshot before the change")  # snapshot t0 + 6d
    gov.to_end(change)
    gov.queue(change, voters[0])
    eta = g.proposalEta(change.id)
    hchain.mine_at(eta - DAY // 2)
    pending = gov.propose(whale, noop(gov), "proposed before the change, snapshot after")
    assert g.proposalSnapshot(before.id) < eta < g.proposalSnapshot(pending.id)
    hchain.mine_at(eta)
    ex = gov.execute(change, voters[0])
    assert g.minimumQuorum() == raised
    after = gov.propose(whale, noop(gov), "proposed after the change")

    for p in (before, pending, after):
        hchain.mine_at(max(hchain.now(), g.proposalSnapshot(p.id)) + 1)
        assert gov.vote(p, whale, FOR).events["VoteCast"]["weight"] == 200_000_000 * UNIT
    snap_before = g.proposalSnapshot(before.id)
    assert snap_before < ex.timestamp
    assert g.quorum(snap_before) == expected_quorum(escrow, snap_before) == 8_000_000 * UNIT
    for p in (pending, after):
        assert g.quorum(g.proposalSnapshot(p.id)) == raised
    hchain.mine_at(max(g.proposalDeadline(p.id) for p in (before, pending, after)) + 1)
    assert [g.state(p.id) for p in (before, pending, after)] == [SUCCEEDED, DEFEATED, DEFEATED]


def test_minimum_quorum_history(gov, system, whale, voters):
    """Checkpointed by timestamp: 0 before the deployment, the configured 2M from the deployment block
    (event from 0), two changes in one execution keep only the second for that timestamp (two events),
    a later change on top; every past value and quorum stays readable."""
    g, escrow = system.governor, system.escrow
    record = system.manifest.contracts["ServiceGovernor"]
    deployed = chain[record.block].timestamp
    created = chain.get_transaction(record.tx_hash)
    assert [dict(e) for e in created.events["MinimumQuorumUpdated"]] == [
        {"oldMinimumQuorum": 0, "newMinimumQuorum": MINIMUM_QUORUM}
    ]
    first, second, third = 3_000_000 * UNIT, 12_000_000 * UNIT, 9_000_000 * UNIT
    _, ex1 = gov.run(whale, [action(g, "setMinimumQuorum", first), action(g, "setMinimumQuorum", second)],
                     "two changes", [whale], voters[4])
    assert [(e["oldMinimumQuorum"], e["newMinimumQuorum"]) for e in ex1.events["MinimumQuorumUpdated"]] == [
        (MINIMUM_QUORUM, first), (first, second)
    ]
    _, ex2 = gov.run(whale, [action(g, "setMinimumQuorum", third)], "third change", [whale], voters[4])
    hchain.advance(1)
    history = [
        (deployed - 1, 0),
        (deployed, MINIMUM_QUORUM),
        (ex1.timestamp - 1, MINIMUM_QUORUM),
        (ex1.timestamp, second),  # `first` never applied to any timepoint
        (ex2.timestamp - 1, second),
        (ex2.timestamp, third),
        (hchain.now() - 1, third),
    ]
    for t, minimum in history:
        assert g.minimumQuorum(t) == minimum, t
        assert g.quorum(t) == expected_quorum(escrow, t, minimum), t
    assert g.minimumQuorum() == third
    # the whale's 200M locked since before the first change: 4% = 8M sits between the values
    assert g.quorum(ex1.timestamp) == second and g.quorum(ex2.timestamp) == third
    assert g.quorum(ex1.timestamp - 1) == 8_000_000 * UNIT


# ------------------------------------------------------------------------------- an unreachable minimum


def test_a_minimum_above_any_possible_score_is_refused(gov, system, whale, voters):
    """2 x the token supply is the most Staking Score there can be (every token permanent): a minimum
    above it would make every later proposal fail, the one lowering it included. Such a proposal's
    execution reverts (and stays Queued); exactly 2 x supply is accepted."""
    g = system.governor
    ceiling = max_voting_power(system.token.totalSupply())
    assert ceiling == 2_000_000_000 * UNIT
    p = gov.propose(whale, [action(g, "setMinimumQuorum", ceiling + 1)], "unreachable minimum")
    gov.pass_vote(p, [whale])
    gov.queue(p, voters[0])
    hchain.mine_at(g.proposalEta(p.id))
    with reverts("GovernorMinimumQuorumUnreachable(uint256,uint256)", ceiling + 1, ceiling):
        g.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[0]))
    assert g.state(p.id) == QUEUED and g.minimumQuorum() == MINIMUM_QUORUM
    gov.run(whale, [action(g, "setMinimumQuorum", ceiling)], "the largest possible minimum", [whale], voters[0])
    assert g.minimumQuorum() == ceiling


def _deploy_governor(system, minimum, account):
    args = (system.escrow, system.timelock, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_NUMERATOR,
            LATE_QUORUM_EXTENSION, minimum, system.levels)
    return ServiceGovernor.deploy(*args, {"from": account, "gas_limit": 8_000_000, "allow_revert": True})


def test_constructor_bounds_the_minimum_by_the_live_token_supply(system, community):
    """The constructor applies the same bound, read from the staking token when it runs: after a burn
    of 1 token the ceiling is 2 tokens lower."""
    token = system.token
    token.burn(1 * UNIT, {"from": community})
    ceiling = max_voting_power(token.totalSupply())
    assert ceiling == 2_000_000_000 * UNIT - 2 * UNIT
    with reverts("GovernorMinimumQuorumUnreachable(uint256,uint256)", ceiling + 1, ceiling):
        _deploy_governor(system, ceiling + 1, community)
    governor = _deploy_governor(system, ceiling, community)
    assert governor.minimumQuorum() == ceiling
    assert [dict(e) for e in governor.tx.events["MinimumQuorumUpdated"]] == [
        {"oldMinimumQuorum": 0, "newMinimumQuorum": ceiling}
    ]
