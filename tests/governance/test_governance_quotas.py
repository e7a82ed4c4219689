"""Proposal quotas by Staking Level (SPEC 5.5): at most `proposalsPerMonth(level)` proposals per proposer
per 30-day period (`clock() / 30 days`), the level read at `clock() - 1`, level 0 none; a proposal
cancelled before its vote starts gives its slot back; `setStakingLevels` only through governance.
Expected counts and reverts come from the reference model (tests/models/quota_model.py).

Most tests use a second governor on the deployed escrow and levels with a proposal threshold of 0,
so that every level, level 0 included, can propose; the governance tests use the deployed one."""

import pytest
from brownie import ServiceGovernor, StakingLevels, ZERO_ADDRESS

from harness.chain import time as hchain

from tests.governance.helpers import (
    LATE_QUORUM_EXTENSION,
    MINIMUM_QUORUM,
    QUORUM_NUMERATOR,
    VOTING_DELAY,
    VOTING_PERIOD,
    action,
    make_proposal,
    permanent_lock,
    sender,
)
from tests.models.levels_model import DEFAULT_BENEFITS, Benefits, LevelsModel
from tests.models.quota_model import QUOTA_PERIOD, QuotaModel, period_of, quota_exceeded
from tests.models.system_model import ACTIVE, CANCELED, PENDING
from tests.support.reverts import reverts

MAX_UINT = 2**256 - 1


def _deploy(system, levels, account):
    return ServiceGovernor.deploy(
        system.escrow, system.timelock, VOTING_DELAY, VOTING_PERIOD, 0, QUORUM_NUMERATOR, LATE_QUORUM_EXTENSION,
        MINIMUM_QUORUM, levels, {"from": account, "gas_limit": 8_000_000, "allow_revert": True},
    )


@pytest.fixture(scope="module")
def levels_model(system):
    return LevelsModel(thresholds=tuple(system.levels.thresholds()), benefits=Benefits.from_tuple(system.levels.benefits()))


@pytest.fixture(scope="module")
def quota_governor(system, community):
    """A governor with threshold 0 and the deployed StakingLevels (config/local.yaml's table)."""
    return _deploy(system, system.levels, community)


@pytest.fixture
def model(system, levels_model):
    return QuotaModel(levels=levels_model)


class Proposer:
    """Makes distinct proposals on one governor and checks each against the model."""

    def __init__(self, governor, model, account, escrow):
        self.governor, self.model, self.account, self.escrow = governor, model, account, escrow
        self.count = 0

    def proposal(self):
        self.count += 1
        return make_proposal([action(self.governor, "votingDelay")], f"quota test {self.account.address} #{self.count}")

    def propose(self, at=None):
        """Proposes in a block at `at` (default: a second after the latest); checks the model. Returns
        (proposal, mined) where `mined` says whether it passed (a revert is matched exactly)."""
        at = hchain.now() + 1 if at is None else at
        if at - 1 > hchain.now():
            hchain.mine_at(at - 1)  # the model reads the level at `at - 1` from the chain
        p = self.proposal()
        expected = self.model.check(self.account, at, self.score(at - 1))
        hchain.next_block_at(at)
        if expected is None:
            tx = self.governor.propose(p.targets, p.values, p.calldatas, p.description, {"from": self.account})
            assert tx.timestamp == at
            p.id = tx.events["ProposalCreated"]["proposalId"]
            self.model.propose(self.account, p.id, at)
        else:
            with reverts(expected):
                self.governor.propose(p.targets, p.values, p.calldatas, p.description, sender(self.account))
        self.check()
        return p, expected is None

    def cancel(self, p):
        tx = self.governor.cancel["address[],uint256[],bytes[],bytes32"](*p.args, {"from": self.account})
        self.model.cancel(self.account, p.id, tx.timestamp)
        self.check()
        return tx

    def score(self, t):
        return self.escrow.balanceOfAt(self.account, t)

    def check(self):
        now = hchain.now()
        assert self.governor.proposalsUsed(self.account) == self.model.used(self.account, now)
        assert self.governor.proposalsLeft(self.account) == self.model.left(self.account, now, self.score(now - 1))


def lock_at_level(system, community, account, level):
    """A permanent lock whose score (2 x amount) is exactly level `level`'s threshold (level 0: one
    wei-pair below level 1's)."""
    thresholds = system.levels.thresholds()
    amount = thresholds[0] // 2 - 1 if level == 0 else thresholds[level - 1] // 2
    system.token.transfer(account, amount, {"from": community})
    system.token.approve(system.escrow, amount, {"from": account})
    permanent_lock(system.escrow, account, amount)
    to_early_in_a_period()


def to_early_in_a_period():
    """Mine a block 100 s into the next period: a test's few seconds then never straddle a boundary."""
    hchain.mine_at((hchain.now() // QUOTA_PERIOD + 1) * QUOTA_PERIOD + 100)


@pytest.mark.parametrize("level", range(11))
def test_each_level_proposes_its_quota_then_reverts(system, community, quota_governor, model, accounts, level):
    """Level L makes proposalsPerMonth(L) proposals this period (level 0: none), the next one reverts with
    ProposalQuotaExceeded(proposer, L, quota) and changes nothing."""
    account = accounts[5]
    lock_at_level(system, community, account, level)
    assert system.levels.levelAt(account, hchain.now() - 1) == level
    quota = system.levels.proposalsPerMonth(level)
    proposer = Proposer(quota_governor, model, account, system.escrow)
    for _ in range(quota):
        assert proposer.propose()[1]
    count_before = quota_governor.proposalCount()
    assert not proposer.propose()[1]
    assert quota_governor.proposalCount() == count_before
    assert quota_governor.proposalsUsed(account) == quota and quota_governor.proposalsLeft(account) == 0


def test_a_proposal_revert_names_the_level_and_quota(system, community, quota_governor, accounts):
    account = accounts[5]
    lock_at_level(system, community, account, 4)
    p = make_proposal([action(quota_governor, "votingDelay")], "a")
    q = make_proposal([action(quota_governor, "votingDelay")], "b")
    quota_governor.propose(p.targets, p.values, p.calldatas, p.description, {"from": account})
    quota_governor.propose(q.targets, q.values, q.calldatas, "c", {"from": account})
    with reverts(quota_exceeded(account, 4, 2)):
        quota_governor.propose(q.targets, q.values, q.calldatas, q.description, sender(account))


def test_the_period_boundary_second(system, community, quota_governor, model, accounts):
    """The last second of a period still counts in it; the first second of the next starts afresh."""
    account = accounts[5]
    lock_at_level(system, community, account, 1)
    boundary = (hchain.now() // QUOTA_PERIOD + 1) * QUOTA_PERIOD
    proposer = Proposer(quota_governor, model, account, system.escrow)
    assert proposer.propose(at=boundary - 2)[1]
    assert not proposer.propose(at=boundary - 1)[1]  # still period P: its quota of 1 is used
    assert proposer.propose(at=boundary)[1]  # period P + 1
    assert period_of(boundary) == period_of(boundary - 1) + 1


def test_the_level_is_read_at_the_previous_second(system, community, quota_governor, model, accounts):
    """A lock made one second before the proposal counts; the quota is the level at clock() - 1."""
    account = accounts[5]
    thresholds = system.levels.thresholds()
    amount = thresholds[6] // 2  # level 7: 3 proposals
    to_early_in_a_period()
    system.token.transfer(account, amount, {"from": community})
    system.token.approve(system.escrow, amount, {"from": account})
    permanent_lock(system.escrow, account, amount)
    t = hchain.now()
    proposer = Proposer(quota_governor, model, account, system.escrow)
    assert proposer.propose(at=t + 1)[1]
    assert system.levels.levelAt(account, t) == 7 and quota_governor.proposalsLeft(account) == 2


def test_cancel_before_the_vote_starts_gives_the_slot_back(system, community, quota_governor, model, accounts):
    account = accounts[5]
    lock_at_level(system, community, account, 1)
    proposer = Proposer(quota_governor, model, account, system.escrow)
    p, _ = proposer.propose()
    assert quota_governor.proposalsLeft(account) == 0
    proposer.cancel(p)
    assert quota_governor.state(p.id) == CANCELED and quota_governor.proposalsLeft(account) == 1
    assert proposer.propose()[1]


def test_cancel_in_the_snapshot_second_still_gives_it_back(system, community, quota_governor, model, accounts):
    """Pending lasts through the snapshot second itself (OpenZeppelin: snapshot >= clock())."""
    account = accounts[5]
    lock_at_level(system, community, account, 1)
    proposer = Proposer(quota_governor, model, account, system.escrow)
    p, _ = proposer.propose()
    hchain.next_block_at(quota_governor.proposalSnapshot(p.id))
    proposer.cancel(p)
    assert quota_governor.proposalsLeft(account) == 1


def test_no_cancel_after_the_vote_starts_and_the_slot_stays_used(system, community, quota_governor, model, accounts):
    account = accounts[5]
    lock_at_level(system, community, account, 1)
    proposer = Proposer(quota_governor, model, account, system.escrow)
    p, _ = proposer.propose(at=(hchain.now() // QUOTA_PERIOD + 1) * QUOTA_PERIOD)  # a period's first second
    hchain.mine_at(quota_governor.proposalSnapshot(p.id) + 1)
    assert quota_governor.state(p.id) == ACTIVE
    with reverts("GovernorUnableToCancel(uint256,address)", p.id, account):
        quota_governor.cancel["address[],uint256[],bytes[],bytes32"](*p.args, sender(account))
    assert quota_governor.proposalsLeft(account) == 0


def test_cancelling_last_periods_proposal_frees_no_slot_this_period(system, community, quota_governor, model, accounts):
    """The attack the give-back invites: propose in the last second of period P (the vote starts in
    P + 1), use P + 1's quota, then cancel the P proposal, still Pending, to get another P + 1 slot.
    It fails: the cancelled proposal took a P slot, not a P + 1 one."""
    account = accounts[5]
    lock_at_level(system, community, account, 1)
    boundary = (hchain.now() // QUOTA_PERIOD + 1) * QUOTA_PERIOD
    proposer = Proposer(quota_governor, model, account, system.escrow)
    old, _ = proposer.propose(at=boundary - 1)
    assert proposer.propose(at=boundary)[1]
    assert quota_governor.state(old.id) == PENDING and quota_governor.proposalsLeft(account) == 0
    proposer.cancel(old)
    assert quota_governor.state(old.id) == CANCELED
    assert quota_governor.proposalsUsed(account) == 1 and quota_governor.proposalsLeft(account) == 0
    assert not proposer.propose()[1]


def test_cancelling_in_a_later_period_keeps_the_old_count_out_of_the_new(system, community, quota_governor, model, accounts):
    """A proposal made mid-period P and cancelled in P + 1 (a long voting delay is not needed: this one
    straddles because it was made in P's last second) leaves P + 1's count untouched even before any
    P + 1 proposal: nothing is subtracted from a period it never counted in."""
    account = accounts[5]
    lock_at_level(system, community, account, 4)  # quota 2
    boundary = (hchain.now() // QUOTA_PERIOD + 1) * QUOTA_PERIOD
    proposer = Proposer(quota_governor, model, account, system.escrow)
    old, _ = proposer.propose(at=boundary - 1)
    hchain.next_block_at(boundary + 1)
    proposer.cancel(old)
    assert quota_governor.proposalsUsed(account) == 0 and quota_governor.proposalsLeft(account) == 2


def test_without_levels_there_is_no_quota_but_proposals_are_counted(system, community, accounts, model):
    """The zero address as levels: no quota (proposalsLeft is the maximum), level 0 proposes freely."""
    governor = _deploy(system, ZERO_ADDRESS, community)
    assert governor.stakingLevels() == ZERO_ADDRESS
    model.set_levels(None)
    proposer = Proposer(governor, model, accounts[5], system.escrow)
    for _ in range(3):
        assert proposer.propose()[1]
    assert governor.proposalsUsed(accounts[5]) == 3 and governor.proposalsLeft(accounts[5]) == MAX_UINT


def test_the_constructor_refuses_levels_without_code(system, community, accounts):
    with reverts("GovernorInvalidStakingLevels(address)", accounts[4]):
        _deploy(system, accounts[4], community)


def test_the_constructor_emits_the_levels(system, quota_governor):
    assert quota_governor.stakingLevels() == system.levels.address
    assert [dict(e) for e in quota_governor.tx.events["StakingLevelsUpdated"]] == [
        {"oldStakingLevels": ZERO_ADDRESS, "newStakingLevels": system.levels.address}
    ]


def test_the_deployed_governor_has_quotas_from_the_deployed_levels(system):
    assert system.governor.stakingLevels() == system.levels.address
    assert system.governor.QUOTA_PERIOD() == QUOTA_PERIOD


def test_set_staking_levels_only_through_governance(system, accounts):
    with reverts("GovernorOnlyExecutor(address)", accounts[3]):
        system.governor.setStakingLevels(ZERO_ADDRESS, sender(accounts[3]))


def test_governance_swaps_the_levels_and_the_new_quotas_apply(system, gov, whale, voters, deployer, levels_model):
    """A proposal swaps in a levels contract giving every level one proposal a month: the whale (level
    10) is held to it at once, its earlier proposals this period still counted."""
    g = system.governor
    strict = list(DEFAULT_BENEFITS.as_tuple())
    strict[3] = [1] * 10
    strict_levels = StakingLevels.deploy(system.escrow, system.levels.thresholds(), strict, deployer, {"from": deployer})
    p, tx = gov.run(whale, [action(g, "setStakingLevels", strict_levels)], "stricter quotas", [whale], voters[0])
    assert [dict(e) for e in tx.events["StakingLevelsUpdated"]] == [
        {"oldStakingLevels": system.levels.address, "newStakingLevels": strict_levels.address}
    ]
    assert g.stakingLevels() == strict_levels.address
    model = QuotaModel(levels=LevelsModel(thresholds=levels_model.thresholds,
                                          benefits=Benefits.from_tuple(strict)))
    # the swap proposal itself was counted in its period; the model starts from the chain's count
    model.usage[whale.address] = (period_of(hchain.now()), g.proposalsUsed(whale))
    proposer = Proposer(g, model, whale, system.escrow)
    while model.left(whale, hchain.now() + 1, system.escrow.balanceOfAt(whale, hchain.now())) > 0:
        assert proposer.propose()[1]
    assert not proposer.propose()[1]


def test_levels_without_code_fail_the_executing_proposal(system, gov, whale, voters):
    g = system.governor
    p = gov.propose(whale, [action(g, "setStakingLevels", voters[1])], "levels at an EOA")
    gov.pass_vote(p, [whale])
    gov.queue(p, voters[0])
    hchain.mine_at(g.proposalEta(p.id))
    with reverts("GovernorInvalidStakingLevels(address)", voters[1]):
        g.execute["address[],uint256[],bytes[],bytes32"](*p.args, sender(voters[0]))
    assert g.stakingLevels() == system.levels.address


def test_governance_turns_quotas_off(system, gov, whale, voters):
    g = system.governor
    gov.run(whale, [action(g, "setStakingLevels", ZERO_ADDRESS)], "no quotas", [whale], voters[0])
    assert g.stakingLevels() == ZERO_ADDRESS and g.proposalsLeft(whale) == MAX_UINT
