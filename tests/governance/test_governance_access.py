"""Who can do what (SPEC 2, 2.4): cancel rules, every owner-only / onlyGovernance / timelock-admin
function refused to everyone but the timelock executing a proposal, the timelock cannot be bypassed,
`#proposer=` protects proposal ids from front-running."""

import pytest
from hexbytes import HexBytes

from harness.chain import time as hchain
from harness.core.units import UNIT, ZERO_BYTES32
from tests.governance.helpers import TIMELOCK_DELAY, action, impersonate, permanent_lock, raw_send, sender
from tests.models.system_model import ACTIVE, CANCELED, EXECUTED, FOR, PENDING, QUEUED, SUCCEEDED
from tests.support.abi_probe import state_changing
from tests.support.reverts import call_revert_data, error, reverts

READY = (1 << 2).to_bytes(32, "big")  # TimelockController: _encodeStateBitmap(OperationState.Ready)
DEFAULT_ADMIN_ROLE = ZERO_BYTES32


def noop(gov):
    return [action(gov.governor, "votingDelay")]


def bitmap(*states):
    return sum(1 << s for s in states).to_bytes(32, "big")


# ------------------------------------------------------------------------------- cancel


def test_proposer_cancels_while_pending(gov, whale, voters):
    g = gov.governor
    p = gov.propose(whale, noop(gov), "to cancel")
    # anyone else: refused
    with reverts("GovernorUnableToCancel(uint256,address)", p.id, voters[0].address):
        g.cancel["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[0]))
    with reverts("GovernorUnableToCancel(uint256,address)", p.id, voters[0].address):
        g.cancel["uint256"](p.id, sender(voters[0]))
    tx = g.cancel["address[],uint256[],bytes[],bytes32"](*p.args, {"from": whale})
    assert [dict(e) for e in tx.events["ProposalCanceled"]] == [{"proposalId": p.id}]
    assert g.state(p.id) == CANCELED
    gov.to_active(p)
    assert g.state(p.id) == CANCELED
    with reverts("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", p.id, CANCELED, bitmap(ACTIVE)):
        g.castVote(p.id, FOR, sender(whale))
    # the same proposal cannot be made again
    with reverts("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", p.id, CANCELED, ZERO_BYTES32):
        g.propose(p.targets, p.values, p.calldatas, p.description, sender(whale))


def test_cancel_by_id_while_pending(gov, whale):
    g = gov.governor
    p = gov.propose(whale, noop(gov), "cancel by id")
    tx = g.cancel["uint256"](p.id, {"from": whale})
    assert tx.events["ProposalCanceled"][0]["proposalId"] == p.id
    assert g.state(p.id) == CANCELED


def test_proposer_cannot_cancel_after_pending(deployer, gov, whale, voters, system):
    g, timelock = gov.governor, gov.timelock
    p = gov.propose(whale, noop(gov), "too late to cancel")
    gov.to_active(p)
    for state in (ACTIVE, SUCCEEDED, QUEUED):
        if state == SUCCEEDED:
            gov.vote(p, whale, FOR)
            gov.to_end(p)
        if state == QUEUED:
            gov.queue(p, voters[0])
        assert g.state(p.id) == state
        with reverts("GovernorUnableToCancel(uint256,address)", p.id, whale.address):
            g.cancel["address[],uint256[],bytes[],bytes32"](*p.args, sender(whale))
    # the queued timelock operation: only the governor holds CANCELLER_ROLE
    op_id = _op_id(gov, p)
    assert timelock.isOperationPending(op_id)
    canceller = timelock.CANCELLER_ROLE()
    assert timelock.hasRole(canceller, g.address)
    for account in (deployer, whale, voters[0]):
        assert not timelock.hasRole(canceller, account)
        with reverts("AccessControlUnauthorizedAccount(address,bytes32)", account.address, canceller):
            timelock.cancel(op_id, sender(account))
    assert timelock.isOperationPending(op_id)
    hchain.mine_at(g.proposalEta(p.id))
    gov.execute(p, voters[0])
    assert g.state(p.id) == EXECUTED


def _op_id(gov, p):
    d = int.from_bytes(p.description_hash, "big")
    salt = (int(gov.governor.address, 16) << 96 ^ d).to_bytes(32, "big")
    return gov.timelock.hashOperationBatch(p.targets, p.values, p.calldatas, ZERO_BYTES32, salt)


# ------------------------------------------------------------------------------- owner-only discovery

def guarded(contract, probe, error_sig):
    """Signatures of `contract`'s state-changing functions that refuse `probe` with exactly
    `error_sig(probe)`: found by eth_call with dummy arguments (the guard runs before any argument
    check, so any arguments do)."""
    expected = error(error_sig, probe.address).encode()
    return {
        sig: data
        for sig, data in state_changing(contract).items()
        if call_revert_data(probe.address, contract.address, data) == expected
    }


ESCROW_OWNER_ONLY = {
    "setRevenueDistributor(address)",
    "setTrustedLockCreator(address,bool)",
    "transferOwnership(address)",
    "renounceOwnership()",
}
DISTRIBUTOR_OWNER_ONLY = {
    "addRewardToken(address)",
    "removeRewardToken(address)",
    "transferOwnership(address)",
    "renounceOwnership()",
}
GOVERNOR_ONLY_GOVERNANCE = {
    "setVotingDelay(uint48)",
    "setVotingPeriod(uint32)",
    "setProposalThreshold(uint256)",
    "updateQuorumNumerator(uint256)",
    "setMinimumQuorum(uint256)",
    "setLateQuorumVoteExtension(uint48)",
    "updateTimelock(address)",
    "setStakingLevels(address)",
    "relay(address,uint256,bytes)",
}


@pytest.fixture(scope="module")
def owner_only(system, voters):
    """Discovered from the ABIs: {contract name: {signature: dummy calldata}}."""
    probe = voters[0]
    return {
        "VotingEscrow": guarded(system.escrow, probe, "OwnableUnauthorizedAccount(address)"),
        "RevenueDistributor": guarded(system.distributor, probe, "OwnableUnauthorizedAccount(address)"),
        "ServiceGovernor": guarded(system.governor, probe, "GovernorOnlyExecutor(address)"),
    }


def test_discovered_admin_surface(owner_only, system):
    """The ABI scan finds exactly SPEC 2's owner-only functions (plus Ownable's own) and the governor's
    onlyGovernance functions; every owner is the timelock."""
    assert set(owner_only["VotingEscrow"]) == ESCROW_OWNER_ONLY
    assert set(owner_only["RevenueDistributor"]) == DISTRIBUTOR_OWNER_ONLY
    assert set(owner_only["ServiceGovernor"]) == GOVERNOR_ONLY_GOVERNANCE
    assert system.escrow.owner() == system.timelock.address
    assert system.distributor.owner() == system.timelock.address


@pytest.mark.parametrize("contract_name", ["VotingEscrow", "RevenueDistributor", "ServiceGovernor"])
def test_admin_functions_refuse_everyone(deployer, owner_only, system, voters, contract_name):
    """Each guarded function, sent for real by the deployer, a holder and the governor contract itself,
    reverts with exactly the guard's error naming the sender."""
    contract = {
        "VotingEscrow": system.escrow,
        "RevenueDistributor": system.distributor,
        "ServiceGovernor": system.governor,
    }[contract_name]
    error = "GovernorOnlyExecutor(address)" if contract_name == "ServiceGovernor" else "OwnableUnauthorizedAccount(address)"
    senders = [deployer, voters[1], impersonate(system.governor.address)]
    for sig, data in owner_only[contract_name].items():
        for account in senders:
            with reverts(error, account.address):
                raw_send(account, contract, data)


def test_governor_setters_only_inside_a_proposal(owner_only, system):
    """Even the timelock (the executor) cannot call an onlyGovernance function outside a governor
    execution: the call was not registered by `execute`, the governance-call queue is empty."""
    timelock = impersonate(system.timelock.address)
    for sig, data in owner_only["ServiceGovernor"].items():
        with reverts("Panic", 0x31):
            raw_send(timelock, system.governor, data)


def test_timelock_admin_functions_refuse_everyone(deployer, system, voters):
    timelock = system.timelock
    proposer_role = timelock.PROPOSER_ROLE()
    for account in (deployer, voters[1], impersonate(system.governor.address)):
        assert not timelock.hasRole(DEFAULT_ADMIN_ROLE, account)
        with reverts("TimelockUnauthorizedCaller(address)", account.address):
            timelock.updateDelay(0, sender(account))
        for fn in (timelock.grantRole, timelock.revokeRole):
            with reverts("AccessControlUnauthorizedAccount(address,bytes32)", account.address, DEFAULT_ADMIN_ROLE):
                fn(proposer_role, voters[1], sender(account))
    # the timelock is its own (only) admin; the deployer renounced everything
    assert timelock.hasRole(DEFAULT_ADMIN_ROLE, timelock)
    for role in (DEFAULT_ADMIN_ROLE, proposer_role, timelock.CANCELLER_ROLE(), timelock.EXECUTOR_ROLE()):
        assert not timelock.hasRole(role, deployer)
    assert timelock.hasRole(timelock.EXECUTOR_ROLE(), "0x0000000000000000000000000000000000000000")


def test_admin_functions_succeed_through_governance(gov, system, whale, voters):
    """The timelock, executing a proposal, passes every guard: a lock creator is trusted, escrow and
    distributor ownership moves, the timelock delay changes and a role is granted."""
    escrow, dist, timelock = system.escrow, system.distributor, system.timelock
    new_owner = voters[3]
    proposer_role = timelock.PROPOSER_ROLE()
    actions = [
        action(escrow, "setTrustedLockCreator", voters[1], True),
        action(escrow, "transferOwnership", new_owner),
        action(dist, "transferOwnership", new_owner),
        action(timelock, "updateDelay", 3 * 86400),
        action(timelock, "grantRole", proposer_role, voters[4]),
    ]
    _, ex = gov.run(whale, actions, "admin handover", [whale])
    assert ex.events["TrustedLockCreatorSet"].values() == [voters[1].address, True]
    assert escrow.isTrustedLockCreator(voters[1])
    owners = [(e["previousOwner"], e["newOwner"]) for e in ex.events["OwnershipTransferred"]]
    assert owners == [(timelock.address, new_owner.address)] * 2
    assert escrow.owner() == dist.owner() == new_owner.address
    assert timelock.getMinDelay() == 3 * 86400
    assert timelock.hasRole(proposer_role, voters[4])
    assert [
        (HexBytes(e["role"]), e["account"], e["sender"]) for e in ex.events["RoleGranted"]
    ] == [(HexBytes(proposer_role), voters[4].address, timelock.address)]


def test_set_revenue_distributor_passes_owner_check_through_governance(gov, system, whale, voters):
    """setRevenueDistributor is owner-only and set-once: executed by the timelock it gets past
    `onlyOwner` and fails on the set-once rule, and the proposal's execution reverts with that error."""
    escrow, dist = system.escrow, system.distributor
    p = gov.propose(whale, [action(escrow, "setRevenueDistributor", dist)], "set distributor again")
    gov.pass_vote(p, [whale])
    gov.queue(p, whale)
    hchain.mine_at(gov.governor.proposalEta(p.id))
    with reverts("RevenueDistributorAlreadySet(address)", dist.address):
        gov.governor.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[0]))
    assert gov.governor.state(p.id) == QUEUED


# ------------------------------------------------------------------------------- timelock bypass


def test_timelock_cannot_be_bypassed(gov, system, whale, voters):
    token, timelock = system.token, system.timelock
    holder = voters[0]
    data = token.transfer.encode_input(holder, 1_000 * UNIT)
    salt = b"\x07" * 32
    proposer_role = timelock.PROPOSER_ROLE()
    with reverts("AccessControlUnauthorizedAccount(address,bytes32)", holder.address, proposer_role):
        timelock.schedule(token, 0, data, ZERO_BYTES32, salt, TIMELOCK_DELAY, sender(holder))
    with reverts("AccessControlUnauthorizedAccount(address,bytes32)", holder.address, proposer_role):
        timelock.scheduleBatch([token], [0], [data], ZERO_BYTES32, salt, TIMELOCK_DELAY, sender(holder))
    op = timelock.hashOperation(token, 0, data, ZERO_BYTES32, salt)
    with reverts("TimelockUnexpectedOperationState(bytes32,bytes32)", op, READY):
        timelock.execute(token, 0, data, ZERO_BYTES32, salt, sender(holder))
    op_batch = timelock.hashOperationBatch([token], [0], [data], ZERO_BYTES32, salt)
    with reverts("TimelockUnexpectedOperationState(bytes32,bytes32)", op_batch, READY):
        timelock.executeBatch([token], [0], [data], ZERO_BYTES32, salt, sender(holder))
    assert token.balanceOf(timelock) == 400_000_000 * UNIT


def test_queued_proposal_waits_for_the_delay(gov, system, whale, voters):
    g, token, timelock = system.governor, system.token, system.timelock
    grantee = voters[0]
    p = gov.propose(whale, [action(token, "transfer", grantee, 1_000 * UNIT)], "grant, early execute")
    # execute before queueing (Succeeded is executable in OZ only without a timelock): refused by the timelock
    gov.pass_vote(p, [whale])
    op = _op_id(gov, p)
    with reverts("TimelockUnexpectedOperationState(bytes32,bytes32)", op, READY):
        g.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[1]))
    q = gov.queue(p, voters[1])
    eta = q.timestamp + TIMELOCK_DELAY
    d = int.from_bytes(p.description_hash, "big")
    salt = (int(g.address, 16) << 96 ^ d).to_bytes(32, "big")
    hchain.mine_at(eta - 3)
    hchain.next_block_at(eta - 2)  # directly at the timelock, one block early
    with reverts("TimelockUnexpectedOperationState(bytes32,bytes32)", op, READY):
        timelock.executeBatch(p.targets, p.values, p.calldatas, ZERO_BYTES32, salt, sender(voters[1]))
    hchain.next_block_at(eta - 1)  # through the governor, one second early
    with reverts("TimelockUnexpectedOperationState(bytes32,bytes32)", op, READY):
        g.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[1]))
    assert g.state(p.id) == QUEUED
    hchain.next_block_at(eta)
    before = token.balanceOf(grantee)
    gov.execute(p, voters[1])
    assert token.balanceOf(grantee) == before + 1_000 * UNIT
    assert g.state(p.id) == EXECUTED


def test_relay_is_only_governance(gov, system, whale, voters):
    g, token = system.governor, system.token
    holder = voters[0]
    token.transfer(g, 1_000 * UNIT, {"from": holder})  # sent to the governor by mistake
    data = token.transfer.encode_input(holder, 1_000 * UNIT)
    with reverts("GovernorOnlyExecutor(address)", holder.address):
        g.relay(token, 0, data, sender(holder))
    before = token.balanceOf(holder)
    gov.run(whale, [action(g, "relay", token, 0, data)], "recover tokens from the governor", [whale])
    assert token.balanceOf(g) == 0
    assert token.balanceOf(holder) == before + 1_000 * UNIT


# ------------------------------------------------------------------------------- front-running


def test_proposer_suffix_restricts_who_proposes(gov, system, whale, voters):
    g = system.governor
    frontrunner = voters[0]
    permanent_lock(system.escrow, frontrunner, 1_000_000 * UNIT)
    hchain.advance(1)
    description = f"Treasury grant #proposer={whale.address}"
    targets, values, calldatas = [g.address], [0], [g.votingDelay.encode_input()]
    with reverts("GovernorRestrictedProposer(address)", frontrunner.address):
        g.propose(targets, values, calldatas, description, sender(frontrunner))
    # lower-case address in the suffix is the same address
    with reverts("GovernorRestrictedProposer(address)", frontrunner.address):
        g.propose(targets, values, calldatas, description.lower(), sender(frontrunner))
    tx = g.propose(targets, values, calldatas, description, {"from": whale})
    assert tx.events["ProposalCreated"][0]["proposer"] == whale.address


def test_without_suffix_the_id_can_be_front_run(gov, system, whale, voters):
    """Same actions and description give the same id: whoever proposes first owns it (and could cancel
    it while Pending); the real author's transaction then reverts."""
    g = system.governor
    frontrunner = voters[0]
    permanent_lock(system.escrow, frontrunner, 1_000_000 * UNIT)
    targets, values, calldatas = [g.address], [0], [g.votingDelay.encode_input()]
    description = "Treasury grant"
    hchain.advance(1)
    tx = g.propose(targets, values, calldatas, description, {"from": frontrunner})
    pid = tx.events["ProposalCreated"][0]["proposalId"]
    assert g.proposalProposer(pid) == frontrunner.address
    with reverts("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", pid, PENDING, ZERO_BYTES32):
        g.propose(targets, values, calldatas, description, sender(whale))
    g.cancel["uint256"](pid, {"from": frontrunner})
    assert g.state(pid) == CANCELED
