"""ServiceAccess (SPEC 5.2) deployment and owner functions: constructor wiring and checks, the split,
the withdrawal delay and plans, each error by name with its arguments, each owner-only function
refused to others."""

import pytest
from brownie import ZERO_ADDRESS, web3

from harness.core.units import DAY, UNIT
from tests.access.access_helpers import SPLIT
from tests.support.reverts import reverts


def test_constructor_wires_everything(access, levels, dist, ve, token, treasury, deployer):
    assert access.stakingLevels() == levels
    assert access.revenueDistributor() == dist
    assert access.votingEscrow() == ve == levels.votingEscrow()
    assert access.stakingToken() == token == dist.stakingToken()
    assert access.treasury() == treasury
    assert access.owner() == deployer
    assert (access.stakersBps(), access.treasuryBps(), access.burnBps()) == SPLIT
    assert access.withdrawalDelay() == DAY
    assert access.planCount() == 0
    assert access.MAX_BATCH() == 100
    assert (access.MIN_WITHDRAWAL_DELAY(), access.MAX_WITHDRAWAL_DELAY(), access.DEFAULT_WITHDRAWAL_DELAY()) == (
        3600, 7 * DAY, DAY
    )
    assert access.USAGE_TYPEHASH() == "0x" + bytes(
        web3.keccak(text="Usage(address account,address token,uint256 cumulative,uint256 deadline)")
    ).hex()


def test_constructor_emits_its_parameters(access):
    events = access.tx.events
    assert dict(events["RevenueSplitSet"]) == {"stakersBps": 5_000, "treasuryBps": 4_000, "burnBps": 1_000}
    assert events["WithdrawalDelaySet"]["delay"] == DAY


def test_eip712_domain_is_service_access_version_1(access):
    _, name, version, chain_id, contract, _, _ = access.eip712Domain()
    assert (name, version, chain_id, contract) == ("ServiceAccess", "1", web3.eth.chain_id, access.address)


@pytest.mark.parametrize("position", [0, 1, 2])
def test_constructor_rejects_zero_addresses(ServiceAccess, levels, dist, treasury, deployer, position):
    args = [levels.address, dist.address, treasury]
    args[position] = ZERO_ADDRESS
    with reverts("ZeroAddress"):
        ServiceAccess.deploy(*args, *SPLIT, deployer, {"from": deployer})


def test_constructor_rejects_a_zero_owner(ServiceAccess, levels, dist, treasury, deployer):
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        ServiceAccess.deploy(levels, dist, treasury, *SPLIT, ZERO_ADDRESS, {"from": deployer})


@pytest.mark.parametrize("split", [(5_000, 4_000, 999), (10_000, 1, 0), (0, 0, 0), (65_535, 0, 0)])
def test_constructor_rejects_a_split_not_summing_to_10000(ServiceAccess, levels, dist, treasury, deployer, split):
    with reverts("InvalidSplit"):
        ServiceAccess.deploy(levels, dist, treasury, *split, deployer, {"from": deployer})


def test_constructor_rejects_levels_of_another_escrow(
    ServiceAccess, StakingLevels, VotingEscrow, levels, dist, ve, token, treasury, deployer
):
    other = VotingEscrow.deploy(token, 5_000, deployer, {"from": deployer})
    other_levels = StakingLevels.deploy(other, levels.thresholds(), levels.benefits(), deployer, {"from": deployer})
    with reverts("EscrowMismatch", other.address, ve.address):
        ServiceAccess.deploy(other_levels, dist, treasury, *SPLIT, deployer, {"from": deployer})


# ------------------------------------------------------------------------------------ split


@pytest.mark.parametrize("split", [(10_000, 0, 0), (0, 10_000, 0), (0, 0, 10_000), (3_333, 3_333, 3_334)])
def test_set_revenue_split(access, deployer, split):
    tx = access.setRevenueSplit(*split, {"from": deployer})
    assert tuple(tx.events["RevenueSplitSet"].values()) == split
    assert (access.stakersBps(), access.treasuryBps(), access.burnBps()) == split


def test_set_revenue_split_rejects_a_bad_sum(access, deployer):
    with reverts("InvalidSplit"):
        access.setRevenueSplit(5_000, 5_000, 1, {"from": deployer})
    assert (access.stakersBps(), access.treasuryBps(), access.burnBps()) == SPLIT


# ------------------------------------------------------------------------------------ withdrawal delay


@pytest.mark.parametrize("delay", [3600, DAY, 7 * DAY])
def test_set_withdrawal_delay(access, deployer, delay):
    tx = access.setWithdrawalDelay(delay, {"from": deployer})
    assert tx.events["WithdrawalDelaySet"]["delay"] == delay
    assert access.withdrawalDelay() == delay


@pytest.mark.parametrize("delay", [0, 3599, 7 * DAY + 1, 2**64 - 1])
def test_set_withdrawal_delay_rejects_out_of_range(access, deployer, delay):
    with reverts("InvalidWithdrawalDelay", delay):
        access.setWithdrawalDelay(delay, {"from": deployer})
    assert access.withdrawalDelay() == DAY


# ------------------------------------------------------------------------------------ plans


def test_create_plan_ids_start_at_one_and_are_active(access, usd, token, deployer):
    tx1 = access.createPlan(usd, 100 * UNIT, 30 * DAY, {"from": deployer})
    tx2 = access.createPlan(token, 7, 1, {"from": deployer})
    assert (tx1.return_value, tx2.return_value) == (1, 2)
    assert dict(tx1.events["PlanCreated"]) == {
        "planId": 1, "payToken": usd.address, "pricePerPeriod": 100 * UNIT, "period": 30 * DAY
    }
    assert access.plans(1) == (usd.address, 100 * UNIT, 30 * DAY, True)
    assert access.plans(2) == (token.address, 7, 1, True)
    assert access.plans(3) == (ZERO_ADDRESS, 0, 0, False)
    assert access.planCount() == 2


@pytest.mark.parametrize("price,period", [(0, DAY), (UNIT, 0), (0, 0)])
def test_create_plan_needs_a_price_and_a_period(access, usd, deployer, price, period):
    with reverts("InvalidPlan"):
        access.createPlan(usd, price, period, {"from": deployer})


def test_create_plan_needs_a_reward_token(access, TestToken, deployer):
    stray = TestToken.deploy("STRAY", 10**24, {"from": deployer})
    with reverts("NotRewardToken", stray.address):
        access.createPlan(stray, UNIT, DAY, {"from": deployer})


def test_set_plan_price(access, env, deployer):
    pid = env.plan()
    tx = access.setPlanPrice(pid, 55, {"from": deployer})
    assert dict(tx.events["PlanPriceSet"]) == {"planId": pid, "pricePerPeriod": 55}
    assert access.plans(pid)[1] == 55


def test_set_plan_price_rejects_zero_and_unknown_plans(access, env, deployer):
    pid = env.plan()
    with reverts("InvalidPlan"):
        access.setPlanPrice(pid, 0, {"from": deployer})
    with reverts("UnknownPlan", pid + 1):
        access.setPlanPrice(pid + 1, 1, {"from": deployer})
    with reverts("UnknownPlan", 0):
        access.setPlanPrice(0, 1, {"from": deployer})


def test_set_plan_active(access, env, deployer):
    pid = env.plan()
    tx = access.setPlanActive(pid, False, {"from": deployer})
    assert dict(tx.events["PlanActiveSet"]) == {"planId": pid, "active": False}
    assert access.plans(pid)[3] is False
    access.setPlanActive(pid, True, {"from": deployer})
    assert access.plans(pid)[3] is True
    with reverts("UnknownPlan", 9):
        access.setPlanActive(9, True, {"from": deployer})


# ------------------------------------------------------------------------------------ owner only


def test_every_owner_function_refuses_others(access, env, usd, holders, users):
    pid = env.plan()
    for sender in (holders[0], users[0].account):
        calls = [
            lambda: access.createPlan(usd, UNIT, DAY, {"from": sender}),
            lambda: access.setPlanPrice(pid, 1, {"from": sender}),
            lambda: access.setPlanActive(pid, False, {"from": sender}),
            lambda: access.setRevenueSplit(*SPLIT, {"from": sender}),
            lambda: access.setWithdrawalDelay(DAY, {"from": sender}),
        ]
        for call in calls:
            with reverts("OwnableUnauthorizedAccount", sender.address):
                call()
