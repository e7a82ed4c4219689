"""StakingLevels and ServiceAccess on top of the whole protocol as scripts/deploy.py deploys it
(tests/conftest.py `system`, config/local.yaml), handed to the timelock as every other contract is:
the owner-only surface found by scanning the ABIs, each owner function refused to everyone else and
executed once by the real timelock (impersonated), and a service payment in the staking token that
reaches the stakers through the distributor."""

import pytest
from brownie import ZERO_ADDRESS

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, HOUR, MAX_LOCK, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import SPLIT
from tests.governance.helpers import impersonate
from tests.models.access_model import split
from tests.models.levels_model import DEFAULT_BENEFITS, DEFAULT_THRESHOLDS
from tests.support.abi_probe import state_changing
from tests.support.reverts import call_revert_data, error

LEVELS_OWNER_ONLY = {"setThresholds(uint256[10])", "setBenefits((uint16[10],uint16[10],uint16[10],uint8[10]))"}
ACCESS_OWNER_ONLY = {
    "createPlan(address,uint256,uint64)",
    "setPlanPrice(uint256,uint256)",
    "setPlanActive(uint256,bool)",
    "setRevenueSplit(uint16,uint16,uint16)",
    "setWithdrawalDelay(uint64)",
}
OWNABLE = {"transferOwnership(address)", "renounceOwnership()"}


@pytest.fixture(scope="module")
def deployed(system, deployer, StakingLevels, ServiceAccess):
    """Both contracts deployed by the deployer (the account that deployed `system`), wired to the
    system, ownership handed to the timelock."""
    d = deployer
    levels = StakingLevels.deploy(system.escrow, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), d, {"from": d})
    access = ServiceAccess.deploy(levels, system.distributor, system.timelock, *SPLIT, d, {"from": d})
    for c in (levels, access):
        c.transferOwnership(system.timelock, {"from": d})
    return levels, access


# ------------------------------------------------------------------------------------ ABI scan


def ownable_error(account: str) -> bytes:
    return error("OwnableUnauthorizedAccount", account).encode()


def guarded(contract, probe: str) -> set:
    """Signatures whose call from `probe` reverts with exactly OwnableUnauthorizedAccount(probe)."""
    return {sig for sig, data in state_changing(contract).items() if call_revert_data(probe, contract.address, data) == ownable_error(probe)}


def test_the_owner_only_surface_is_exactly_the_spec_setters(system, deployed, accounts):
    levels, access = deployed
    probe = accounts[5].address
    assert guarded(levels, probe) == LEVELS_OWNER_ONLY | OWNABLE
    assert guarded(access, probe) == ACCESS_OWNER_ONLY | OWNABLE
    assert levels.owner() == access.owner() == system.timelock.address
    assert access.treasury() == system.timelock.address


def test_owner_functions_refuse_the_deployer_and_holders_after_the_handover(system, deployer, deployed, accounts):
    levels, access = deployed
    for sender in (deployer.address, accounts[2].address, system.governor.address):
        for contract, signatures in ((levels, LEVELS_OWNER_ONLY), (access, ACCESS_OWNER_ONLY)):
            calls = state_changing(contract)
            for sig in signatures:
                assert call_revert_data(sender, contract.address, calls[sig]) == ownable_error(sender), sig


def test_the_timelock_runs_every_owner_function(system, deployed):
    levels, access = deployed
    timelock = impersonate(system.timelock.address)
    new_thresholds = tuple(t // 2 for t in DEFAULT_THRESHOLDS)
    assert levels.setThresholds(new_thresholds, {"from": timelock}).events["ThresholdsSet"]["thresholds"] == new_thresholds
    benefits = DEFAULT_BENEFITS.as_tuple()
    levels.setBenefits(benefits, {"from": timelock})
    tx = access.createPlan(system.token, 100 * UNIT, 30 * DAY, {"from": timelock})
    pid = tx.return_value
    access.setPlanPrice(pid, 120 * UNIT, {"from": timelock})
    access.setPlanActive(pid, False, {"from": timelock})
    access.setRevenueSplit(6_000, 3_000, 1_000, {"from": timelock})
    access.setWithdrawalDelay(2 * DAY, {"from": timelock})
    assert levels.thresholds() == new_thresholds
    assert access.plans(pid) == (system.token.address, 120 * UNIT, 30 * DAY, False)
    assert (access.stakersBps(), access.treasuryBps(), access.burnBps(), access.withdrawalDelay()) == (
        6_000, 3_000, 1_000, 2 * DAY
    )


# ------------------------------------------------------------------------------------ revenue reaches stakers


def test_a_service_payment_reaches_the_stakers_and_the_treasury(system, deployed, accounts):
    """Account 2 (community allocation) stakes; account 3 pays a plan in the staking token: its
    stakers' part is claimable by the staker after the week, the treasury part is in the timelock,
    the burn part is gone from the supply."""
    levels, access = deployed
    token, escrow, dist, timelock = system.token, system.escrow, system.distributor, system.timelock
    staker, payer = accounts[2], accounts[3]
    mine_at(week_start(now()) + WEEK + HOUR)
    token.approve(escrow, MAX_UINT256, {"from": staker})
    escrow.createLock(10_000_000 * UNIT, now() + MAX_LOCK, {"from": staker})
    assert levels.levelOf(staker) == 10
    mine_at(week_start(now()) + WEEK + 60)  # the payment's week starts with the lock in place
    pid = access.createPlan(token, 1_000 * UNIT, 30 * DAY, {"from": impersonate(timelock.address)}).return_value
    token.approve(access, MAX_UINT256, {"from": payer})
    treasury_before, supply_before = token.balanceOf(timelock), token.totalSupply()
    tx = access.subscribe(pid, 3, ZERO_ADDRESS, MAX_UINT256, {"from": payer})
    part = split(3_000 * UNIT, SPLIT[0], SPLIT[2], True)
    assert token.balanceOf(timelock) - treasury_before == part.treasury
    assert supply_before - token.totalSupply() == part.burned
    week = week_start(tx.timestamp)
    assert dist.tokensPerWeek(token, week) == part.stakers
    mine_at(week + WEEK + 60)
    # the staker had all the score at the week's start: its share is the whole stakers' part (floor)
    expected = part.stakers * escrow.balanceOfAt(staker, week) // escrow.totalSupplyAt(week)
    assert expected == part.stakers
    assert dist.claimable(staker, token) == expected
    assert dist.claim([token], {"from": staker}).return_value == (expected,)
