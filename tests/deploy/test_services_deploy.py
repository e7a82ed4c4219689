"""StakingLevels and ServiceAccess in the deployment (SPEC 5.1, 5.2): the `levels` and `access`
config sections, the deploy steps, and verify_deployment's checks of them."""

import pytest
from brownie import ServiceToken, web3

from harness.chain.protocol import Protocol, handle
from harness.core.config import (
    DEFAULT_WITHDRAWAL_DELAY,
    MAX_WITHDRAWAL_DELAY,
    MIN_WITHDRAWAL_DELAY,
    parse_config,
)
from harness.core.errors import DeployError
from harness.core.levels import (
    DEFAULT_BENEFITS_TUPLE,
    DEFAULT_THRESHOLDS,
    MAX_BENEFIT_BPS,
    MAX_LEVEL,
    MAX_PROPOSALS_PER_MONTH,
)
from harness.core.manifest import load_manifest
from harness.core.units import DAY, HOUR, UNIT
from harness.deploy.verify import verify_deployment
from tests.deploy.helpers import only_problem, rewrite


def act_as(address, accounts):
    """Send as `address` (the timelock, as a passed proposal would), paying its gas on a base-fee chain."""
    web3.provider.make_request("anvil_setBalance", [address, hex(10**18)])
    return {"from": accounts.at(address, force=True)}


# ---- config ---------------------------------------------------------------------------------


def test_local_config_sections(config):
    assert tuple(config.levels.thresholds) == DEFAULT_THRESHOLDS
    assert config.levels.benefits_tuple() == DEFAULT_BENEFITS_TUPLE
    assert config.access.split.as_tuple() == (5_000, 4_000, 1_000)
    assert config.access.withdrawal_delay == DAY
    assert [(p.name, p.pay_token, p.price_per_period, p.period) for p in config.access.plans] == [
        ("research", "staking", 250 * UNIT, 30 * DAY),
        ("pro", "staking", 1_000 * UNIT, 30 * DAY),
    ]


def test_sections_left_out_take_the_spec_defaults(config_data):
    del config_data["levels"], config_data["access"]
    config = parse_config(config_data)
    assert tuple(config.levels.thresholds) == DEFAULT_THRESHOLDS
    assert config.levels.benefits_tuple() == DEFAULT_BENEFITS_TUPLE
    assert config.access.split.as_tuple() == (5_000, 4_000, 1_000)
    assert config.access.withdrawal_delay == DEFAULT_WITHDRAWAL_DELAY
    assert config.access.plans == []


def test_thresholds_must_ascend_strictly(config_data):
    config_data["levels"]["thresholds"][4] = config_data["levels"]["thresholds"][3]
    problem = only_problem(config_data)
    assert problem.startswith("levels.thresholds: must be strictly ascending: entry 4 (444,000 tokens)"), problem


def test_thresholds_need_ten_entries(config_data):
    config_data["levels"]["thresholds"].pop()
    assert only_problem(config_data).startswith("levels.thresholds: List should have at least 10 items")


def test_threshold_above_what_the_contract_stores_is_named(config_data):
    config_data["levels"]["thresholds"][9] = str(2**128)  # whole tokens: far above 2^128 - 1 base units
    assert only_problem(config_data).startswith("levels.thresholds.9: Input should be less than or equal to")


@pytest.mark.parametrize("table", ["platform_discount_bps", "api_discount_bps", "referral_bps", "proposals_per_month"])
def test_a_benefit_table_must_not_decrease(config_data, table):
    config_data["levels"][table][7] = config_data["levels"][table][6] - 1
    problem = only_problem(config_data)
    assert problem.startswith(f"levels.{table}: must not decrease with the level: entry 7"), problem


@pytest.mark.parametrize(
    "table, cap",
    [("platform_discount_bps", MAX_BENEFIT_BPS), ("api_discount_bps", MAX_BENEFIT_BPS),
     ("referral_bps", MAX_BENEFIT_BPS), ("proposals_per_month", MAX_PROPOSALS_PER_MONTH)],
)
def test_a_benefit_above_its_cap_is_named_by_level(config_data, table, cap):
    config_data["levels"][table][MAX_LEVEL - 1] = cap + 1
    problem = only_problem(config_data)
    assert problem.startswith(f"levels.{table}.9: Input should be less than or equal to {cap}"), problem
    config_data["levels"][table][MAX_LEVEL - 1] = cap
    parse_config(config_data)  # the cap itself is allowed


def test_split_must_sum_to_the_whole(config_data):
    config_data["access"]["split"]["burn_bps"] = 999
    problem = only_problem(config_data)
    assert problem == "access.split: stakers_bps + treasury_bps + burn_bps must be 10000, got 9999", problem


@pytest.mark.parametrize("delay, ok", [(MIN_WITHDRAWAL_DELAY - 1, False), (MIN_WITHDRAWAL_DELAY, True),
                                       (MAX_WITHDRAWAL_DELAY, True), (MAX_WITHDRAWAL_DELAY + 1, False)])
def test_withdrawal_delay_bounds(config_data, delay, ok):
    config_data["access"]["withdrawal_delay"] = delay
    if ok:
        assert parse_config(config_data).access.withdrawal_delay == delay
    else:
        assert only_problem(config_data).startswith("access.withdrawal_delay: Input should be")


def test_plan_price_with_more_decimals_than_its_token_is_named(config_data):
    config_data["access"]["plans"][0]["price"] = "0.0000000000000000001"
    problem = only_problem(config_data)
    assert problem == "access.plans.0.price: has more than 18 decimals: '0.0000000000000000001'", problem


def test_plan_in_a_six_decimal_token_is_priced_in_its_units(config_data):
    usdc = "0x" + "12" * 20
    config_data["distributor"]["reward_tokens"] = [usdc]
    config_data["access"]["plans"].append({"name": "usdc", "pay_token": usdc, "decimals": 6, "price": "49.99", "period": "30d"})
    assert parse_config(config_data).access.plans[2].price_per_period == 49_990_000
    config_data["access"]["plans"][2]["price"] = "49.9999999"
    assert only_problem(config_data).startswith("access.plans.2.price: has more than 6 decimals")


def test_plan_pay_token_must_be_a_configured_reward_token(config_data):
    stray = "0x" + "34" * 20
    config_data["access"]["plans"][1]["pay_token"] = stray
    problem = only_problem(config_data)
    assert problem.startswith("access.plans.1.pay_token: ") and "is not in distributor.reward_tokens" in problem, problem


def test_staking_token_plan_cannot_claim_other_decimals(config_data):
    config_data["access"]["plans"][0]["decimals"] = 6
    problem = only_problem(config_data)
    assert problem == "access.plans.0: decimals: the staking token has 18, got 6", problem


@pytest.mark.parametrize("field, value, rule", [
    ("period", 0, "Input should be greater than 0"),
    ("price", 0, "must be greater than 0"),
    ("name", "", "String should have at least 1 character"),
])
def test_plan_fields_the_contract_would_refuse(config_data, field, value, rule):
    config_data["access"]["plans"][0][field] = value
    problem = only_problem(config_data)
    assert problem.startswith(f"access.plans.0.{field}: ") and rule in problem, problem


def test_plan_names_are_unique(config_data):
    config_data["access"]["plans"][1]["name"] = "research"
    assert only_problem(config_data) == "access.plans: plan names must be unique, repeated: research"


# ---- deployment -----------------------------------------------------------------------------


def test_config_limits_are_the_contracts(deploy):
    """The config refuses what the contracts would: its bounds are read from the deployed contracts."""
    manifest = deploy().manifest
    levels = handle("StakingLevels", manifest.address_of("StakingLevels"))
    access = handle("ServiceAccess", manifest.address_of("ServiceAccess"))
    assert (levels.MAX_LEVEL(), levels.MAX_BENEFIT_BPS(), levels.MAX_PROPOSALS_PER_MONTH()) == (
        MAX_LEVEL, MAX_BENEFIT_BPS, MAX_PROPOSALS_PER_MONTH
    )
    assert (access.MIN_WITHDRAWAL_DELAY(), access.MAX_WITHDRAWAL_DELAY(), access.DEFAULT_WITHDRAWAL_DELAY()) == (
        MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY, DEFAULT_WITHDRAWAL_DELAY
    )


def test_services_are_deployed_wired_and_handed_to_the_timelock(deploy, config, manifest_file):
    deploy()
    protocol = Protocol.load(manifest_file)
    timelock = protocol.timelock.address
    assert protocol.levels.votingEscrow() == protocol.escrow.address
    assert list(protocol.levels.thresholds()) == list(DEFAULT_THRESHOLDS)
    assert tuple(tuple(t) for t in protocol.levels.benefits()) == DEFAULT_BENEFITS_TUPLE
    assert protocol.access.stakingLevels() == protocol.levels.address
    assert protocol.access.revenueDistributor() == protocol.distributor.address
    assert protocol.access.treasury() == timelock
    assert (protocol.access.stakersBps(), protocol.access.treasuryBps(), protocol.access.burnBps()) == (5_000, 4_000, 1_000)
    assert protocol.access.withdrawalDelay() == DAY
    assert protocol.access.planCount() == 2
    assert tuple(protocol.access.plans(1)) == (protocol.token.address, 250 * UNIT, 30 * DAY, True)
    assert tuple(protocol.access.plans(2)) == (protocol.token.address, 1_000 * UNIT, 30 * DAY, True)
    assert protocol.levels.owner() == protocol.access.owner() == timelock


def test_other_delay_split_table_and_a_reward_token_plan(deploy, config_data, accounts, manifest_file):
    usd = ServiceToken.deploy("USD Stand-in", "USDX", [accounts[2].address], [10**24], {"from": accounts[2]})
    config_data["distributor"]["reward_tokens"] = [usd.address]
    config_data["levels"]["thresholds"] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    config_data["levels"]["proposals_per_month"] = [0, 0, 1, 1, 1, 2, 2, 3, 3, 10]
    config_data["access"]["split"] = {"stakers_bps": 7_000, "treasury_bps": 3_000, "burn_bps": 0}
    config_data["access"]["withdrawal_delay"] = "6h"
    config_data["access"]["plans"] = [{"name": "usd", "pay_token": usd.address, "price": "9.5", "period": "7d"}]
    config = parse_config(config_data)
    deployment = deploy(config)
    assert "ServiceAccess.setWithdrawalDelay" in deployment.sent
    protocol = Protocol.load(manifest_file)
    assert list(protocol.levels.thresholds()) == [i * UNIT for i in range(1, 11)]
    assert list(protocol.levels.benefits()[3]) == [0, 0, 1, 1, 1, 2, 2, 3, 3, 10]
    assert (protocol.access.stakersBps(), protocol.access.treasuryBps(), protocol.access.burnBps()) == (7_000, 3_000, 0)
    assert protocol.access.withdrawalDelay() == 6 * HOUR
    assert tuple(protocol.access.plans(1)) == (usd.address, 9_500_000_000_000_000_000, 7 * DAY, True)
    assert verify_deployment(load_manifest(manifest_file), config).mismatches == []


def test_pay_token_with_other_decimals_stops_before_the_first_transaction(deploy, config_data, accounts):
    usd = ServiceToken.deploy("USD Stand-in", "USDX", [accounts[2].address], [10**24], {"from": accounts[2]})
    config_data["distributor"]["reward_tokens"] = [usd.address]
    config_data["access"]["plans"] = [{"name": "usd", "pay_token": usd.address, "decimals": 6, "price": 10, "period": "30d"}]
    nonce = accounts[0].nonce
    with pytest.raises(DeployError, match=r"access.plans.0.pay_token \(usd\): the token has 18 decimals, the config prices it in 6"):
        deploy(parse_config(config_data))
    assert accounts[0].nonce == nonce


def test_pay_token_without_code_stops_before_the_first_transaction(deploy, config_data, accounts):
    nowhere = "0x" + "56" * 20
    config_data["distributor"]["reward_tokens"] = [nowhere]
    config_data["access"]["plans"] = [{"name": "usd", "pay_token": nowhere, "price": 10, "period": "30d"}]
    nonce = accounts[0].nonce
    with pytest.raises(DeployError, match=r"access.plans.0.pay_token \(usd\): no contract at"):
        deploy(parse_config(config_data))
    assert accounts[0].nonce == nonce


def test_resume_after_a_plan_was_mined_but_not_recorded_creates_no_duplicate(deploy, manifest_file, monkeypatch):
    """Cut off after plan 2's transaction was mined, before the manifest recorded it: the rerun reads
    planCount() == 2 and sends no createPlan again (a duplicate plan would shift every later id)."""
    from harness.deploy import steps

    real = steps.Deployment.transaction

    def mined_then_cut(self, key, description, done, send):
        if key == "ServiceAccess.createPlan:pro":
            send()
            raise ConnectionError("RPC went away")
        return real(self, key, description, done, send)

    monkeypatch.setattr(steps.Deployment, "transaction", mined_then_cut)
    with pytest.raises(ConnectionError):
        deploy()
    assert "ServiceAccess.createPlan:pro" not in load_manifest(manifest_file).transactions
    monkeypatch.undo()
    resumed = deploy()
    assert not [key for key in resumed.sent if key.startswith("ServiceAccess.createPlan")]
    assert resumed.sent[0] == "ServiceGovernor"
    assert Protocol.load(manifest_file).access.planCount() == 2


# ---- verify ---------------------------------------------------------------------------------


def test_verify_reports_a_changed_price_split_table_and_an_extra_plan(deploy, config, manifest_file, accounts):
    """The timelock (as a passed proposal would) changes a price, the split, a threshold and adds a
    plan: verify reports each against the config, and nothing else."""
    manifest = deploy().manifest
    protocol = Protocol.load(manifest_file, project=True)
    timelock = act_as(manifest.address_of("TimelockController"), accounts)
    protocol.access.setPlanPrice(2, 900 * UNIT, timelock)
    protocol.access.setRevenueSplit(6_000, 3_000, 1_000, timelock)
    thresholds = list(DEFAULT_THRESHOLDS)
    thresholds[0] = 20_000 * UNIT
    protocol.levels.setThresholds(thresholds, timelock)
    protocol.access.createPlan(protocol.token, 5 * UNIT, 7 * DAY, timelock)
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    assert mismatches == [
        f"StakingLevels.thresholds: chain has {thresholds!r}, expected {list(DEFAULT_THRESHOLDS)!r}",
        "ServiceAccess.revenue split (stakersBps, treasuryBps, burnBps): chain has (6000, 3000, 1000), expected (5000, 4000, 1000)",
        "ServiceAccess.planCount: chain has 3, expected 2",
        "ServiceAccess.plans(2) pro (payToken, price, period, active): chain has "
        f"{(protocol.token.address, 900 * UNIT, 30 * DAY, True)!r}, expected {(protocol.token.address, 1_000 * UNIT, 30 * DAY, True)!r}",
    ]


def test_verify_reports_services_not_owned_by_the_timelock(deploy, config, manifest_file, accounts):
    manifest = deploy().manifest
    protocol = Protocol.load(manifest_file, project=True)
    timelock_address = manifest.address_of("TimelockController")
    protocol.access.transferOwnership(accounts[7], act_as(timelock_address, accounts))
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    assert mismatches == [f"ServiceAccess.owner: chain has {accounts[7].address!r}, expected {timelock_address!r}"]


def test_verify_reports_services_missing_from_an_old_manifest(deploy, config, manifest_file):
    deploy()
    rewrite(manifest_file, lambda d: d["contracts"].pop("ServiceAccess"))
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    assert mismatches == ["ServiceAccess: missing from the manifest"]


# ---- EarlyAccessDeals (SPEC 5.3) --------------------------------------------------------------


def test_deals_are_deployed_wired_and_handed_to_the_timelock(deploy, manifest_file):
    """No config of its own: the levels and the distributor it reads, the timelock as owner, no deal yet."""
    deploy()
    protocol = Protocol.load(manifest_file)
    assert protocol.deals.stakingLevels() == protocol.levels.address
    assert protocol.deals.revenueDistributor() == protocol.distributor.address
    assert protocol.deals.owner() == protocol.timelock.address
    assert protocol.deals.dealCount() == 0


def test_verify_reports_deals_not_owned_by_the_timelock(deploy, config, manifest_file, accounts):
    manifest = deploy().manifest
    protocol = Protocol.load(manifest_file, project=True)
    timelock_address = manifest.address_of("TimelockController")
    protocol.deals.transferOwnership(accounts[7], act_as(timelock_address, accounts))
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    assert mismatches == [f"EarlyAccessDeals.owner: chain has {accounts[7].address!r}, expected {timelock_address!r}"]


def test_verify_reports_deals_wired_to_another_distributor(deploy, config, manifest_file):
    """A manifest whose constructor arguments disagree with the chain is named, argument by argument."""
    manifest = deploy().manifest
    other = manifest.address_of("ServiceAccess")
    rewrite(manifest_file, lambda d: d["contracts"]["EarlyAccessDeals"]["constructor_args"].__setitem__(1, other))
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    distributor = manifest.address_of("RevenueDistributor")
    assert mismatches == [
        f"EarlyAccessDeals constructor args (manifest): chain has {[manifest.address_of('StakingLevels'), other]!r}, "
        f"expected {[manifest.address_of('StakingLevels'), distributor]!r}"
    ]


def test_verify_reports_deals_missing_from_an_old_manifest(deploy, config, manifest_file):
    deploy()
    rewrite(manifest_file, lambda d: d["contracts"].pop("EarlyAccessDeals"))
    mismatches = verify_deployment(load_manifest(manifest_file), config).mismatches
    assert mismatches == ["EarlyAccessDeals: missing from the manifest"]
