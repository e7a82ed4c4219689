"""Tally compatibility (SPEC 2.4): the stock OZ 5 ABI and views, timestamp clock, GovernorStorage
enumeration. Also a self-check of the exact revert matcher the other modules rely on."""

import pytest
from brownie import web3
from hexbytes import HexBytes

from harness.chain import time as hchain
from harness.core.units import UNIT
from tests.governance.helpers import (
    LATE_QUORUM_EXTENSION,
    MINIMUM_QUORUM,
    QUORUM_NUMERATOR,
    THRESHOLD,
    VOTING_DELAY,
    VOTING_PERIOD,
    action,
    sender,
)
from tests.models.system_model import FOR, quorum_rule
from tests.support.reverts import call_revert_data, error, reverts


def test_identity_and_clock(system, whale):
    g = system.governor
    assert g.name() == "ServiceGovernor"
    assert g.version() == "1"
    assert g.CLOCK_MODE() == "mode=timestamp"
    assert system.escrow.CLOCK_MODE() == "mode=timestamp"
    t = hchain.advance(100)
    assert g.clock() == t == system.escrow.clock()
    assert g.COUNTING_MODE() == "support=bravo&quorum=for,abstain"
    assert g.token() == system.escrow.address
    assert g.timelock() == system.timelock.address
    assert g.votingDelay() == VOTING_DELAY
    assert g.votingPeriod() == VOTING_PERIOD
    assert g.proposalThreshold() == THRESHOLD
    assert g.lateQuorumVoteExtension() == LATE_QUORUM_EXTENSION
    assert g.quorumNumerator() == QUORUM_NUMERATOR
    assert g.quorumDenominator() == 100
    assert g.minimumQuorum() == MINIMUM_QUORUM  # SPEC 7: the only view the stock OZ ABI lacks
    assert HexBytes(g.BALLOT_TYPEHASH()) == web3.keccak(
        text="Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"
    )
    # EIP-712 domain (ERC-5267), what Tally and wallets read to sign ballots
    fields, name, version, chain_id, verifying, salt, extensions = g.eip712Domain()
    assert (HexBytes(fields), name, version, chain_id, verifying) == (
        HexBytes("0x0f"), "ServiceGovernor", "1", web3.eth.chain_id, g.address
    )


def test_quorum_follows_past_total_supply(system, whale, voters):
    g, escrow = system.governor, system.escrow
    t0 = hchain.advance(10)
    hchain.advance(1)
    escrow.createLock(7_777_777 * UNIT + 3, hchain.now() + 40 * 7 * 86400, {"from": voters[0]})
    t1 = hchain.advance(1000)
    hchain.advance(1)
    for t in (t0, t1, t1 - 500):
        supply = escrow.totalSupplyAt(t)
        assert supply * 4 // 100 > MINIMUM_QUORUM  # the fraction rules here (the floor: minimum_quorum tests)
        assert g.quorum(t) == quorum_rule(supply, 4, MINIMUM_QUORUM) == supply * 4 // 100
        assert escrow.getPastTotalSupply(t) == supply
    assert g.quorum(t0) == 8_000_000 * UNIT  # 4% of the whale's 200M (2 x 100M permanent)
    assert g.quorum(t1) > g.quorum(t0)
    # the present and future are not past timepoints
    now = hchain.now()
    data = g.quorum.encode_input(now)
    assert call_revert_data(voters[0].address, g.address, data) == error(
        "ERC5805FutureLookup(uint256,uint48)", now, now
    ).encode()


def test_proposal_storage_enumeration(gov, system, whale):
    g = system.governor
    assert g.proposalCount() == 0
    props = []
    for i in range(3):
        p = gov.propose(whale, [action(g, "setVotingPeriod", VOTING_PERIOD + i)], f"proposal {i}")
        props.append(p)
    assert g.proposalCount() == 3
    for i, p in enumerate(props):
        pid, targets, values, calldatas, dhash = g.proposalDetailsAt(i)
        assert pid == p.id
        assert list(targets) == p.targets and list(values) == p.values
        assert [HexBytes(c) for c in calldatas] == [HexBytes(c) for c in p.calldatas]
        assert HexBytes(dhash) == HexBytes(p.description_hash)
        targets2, values2, calldatas2, dhash2 = g.proposalDetails(p.id)
        assert list(targets2) == p.targets and HexBytes(dhash2) == HexBytes(p.description_hash)
    # GovernorStorage's id-only queue/execute (what an L2-friendly UI uses)
    p = props[0]
    gov.pass_vote(p, [whale])
    g.queue["uint256"](p.id, {"from": whale})
    hchain.mine_at(g.proposalEta(p.id))
    tx = g.execute["uint256"](p.id, {"from": whale})
    assert tx.events["ProposalExecuted"][0]["proposalId"] == p.id
    assert g.votingPeriod() == VOTING_PERIOD


def test_proposal_views_for_indexers(gov, system, whale):
    g = system.governor
    p = gov.propose(whale, [action(g, "votingDelay")], "views")
    t = p.tx.timestamp
    assert g.hashProposal(*p.args) == p.id
    assert g.proposalSnapshot(p.id) == t + VOTING_DELAY
    assert g.proposalDeadline(p.id) == t + VOTING_DELAY + VOTING_PERIOD
    assert g.proposalNeedsQueuing(p.id) is True
    assert g.proposalEta(p.id) == 0
    gov.to_active(p)
    snap = g.proposalSnapshot(p.id)
    assert g.getVotes(whale, snap) == 200_000_000 * UNIT
    assert g.getVotesWithParams(whale, snap, b"") == 200_000_000 * UNIT
    gov.vote(p, whale, FOR)
    assert g.hasVoted(p.id, whale)
    unknown = p.id + 1
    data = g.state.encode_input(unknown)
    assert call_revert_data(whale.address, g.address, data) == error("GovernorNonexistentProposal(uint256)", unknown).encode()


def test_exact_revert_matcher_rejects_wrong_data(system, voters):
    """`reverts_exact` fails on a different argument, a different error and no revert."""
    g = system.governor
    args = ([g.address], [0], [g.votingDelay.encode_input()], "x")
    sig = "GovernorInsufficientProposerVotes(address,uint256,uint256)"
    with pytest.raises(AssertionError):
        with reverts(sig, voters[0].address, 1, THRESHOLD):
            g.propose(*args, sender(voters[0]))
    with pytest.raises(AssertionError):
        with reverts("GovernorRestrictedProposer(address)", voters[0].address):
            g.propose(*args, sender(voters[0]))
    with pytest.raises(AssertionError):
        with reverts(sig, voters[0].address, 0, THRESHOLD):
            g.votingDelay()
    with reverts(sig, voters[0].address, 0, THRESHOLD):
        g.propose(*args, sender(voters[0]))
