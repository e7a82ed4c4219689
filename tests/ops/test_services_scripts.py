"""The service scripts (levels, subscribe, credits, redeem) as a holder runs them on the deployed
`system` (config/local.yaml: plans 1 "research" 250 AIS / 30d and 2 "pro" 1,000 AIS / 30d, split
50% stakers / 40% treasury / 10% burn, withdrawal delay 1 day): exact effects on chain and printed
numbers, computed with the reference models (tests/models), and the refusals that send nothing."""

import json

import pytest
from brownie import web3

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, UNIT, WEEK, format_tokens, utc
from tests.governance.helpers import impersonate
from tests.models.access_model import discount_applies, split, subscription_cost
from tests.models.levels_model import DEFAULT_THRESHOLDS, LevelsModel
from tests.ops.test_ops_scripts import COMMUNITY, EMPTY, LIQUIDITY, ok, refused

MONTH = 30 * DAY
LEVELS = LevelsModel()
STAKERS_BPS, BURN_BPS = 5_000, 1_000  # config/local.yaml's split
RESEARCH, PRO = 250 * UNIT, 1_000 * UNIT
RELAYER = 4  # any account may submit receipts


@pytest.fixture(autouse=True)
def an_hour_into_a_week():
    """A lock "for one week" then has almost a week left (as in tests/access/test_access_pitfalls.py)."""
    mine_at(week_start(now()) + WEEK + 3600)


def timestamp(tx_block="latest"):
    return web3.eth.get_block(tx_block).timestamp


def test_levels_of_a_holder_below_level_10(run, system, accounts):
    holder = accounts[COMMUNITY]
    ok(run("lock.py", "create", "150000", "52w", signer=COMMUNITY))
    out = ok(run("levels.py", signer=COMMUNITY))
    score = system.escrow.balanceOf(holder)
    level = LEVELS.level_for_score(score)
    assert 1 <= level < 10 and system.levels.levelOf(holder) == level
    assert f"{holder.address}: Staking Score {format_tokens(score)}, level {level}" in out
    assert f"next level {level + 1}: {format_tokens(DEFAULT_THRESHOLDS[level] - score)} more Staking Score" in out
    assert (
        f"level {level} benefits: platform discount {LEVELS.platform_discount_bps(level) / 100:g}%, "
        f"API discount {LEVELS.api_discount_bps(level) / 100:g}%, referral share {LEVELS.referral_bps(level) / 100:g}%, "
        f"{LEVELS.proposals_per_month(level)} proposals per 30 days"
    ) in out
    assert f"level {level + 1} benefits: platform discount {LEVELS.platform_discount_bps(level + 1) / 100:g}%" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:2].strip().isdigit()]
    assert [row[1] for row in rows] == [format_tokens(t) for t in DEFAULT_THRESHOLDS]
    assert rows[9] == ["10", "7,777,000", "25%", "35%", "40%", "4"]


def test_levels_of_another_address_with_no_lock(run, accounts):
    out = ok(run("levels.py", accounts[EMPTY].address, signer=COMMUNITY))
    assert f"{accounts[EMPTY].address}: Staking Score 0, level 0" in out
    assert f"next level 1: {format_tokens(DEFAULT_THRESHOLDS[0])} more Staking Score" in out
    assert "level 0 benefits: platform discount 0%, API discount 0%, referral share 0%, 0 proposals per 30 days" in out


def test_plans_lists_the_deployed_plans(run):
    out = ok(run("subscribe.py", "plans", signer=COMMUNITY))
    lines = out.strip().splitlines()
    assert lines[0].split()[:4] == ["1", "research", "250", "AIS"] and lines[0].endswith("(2592000s)  active")
    assert lines[1].split()[:4] == ["2", "pro", "1,000", "AIS"] and lines[1].endswith("(2592000s)  active")


def test_a_one_week_lock_of_a_level_10_amount_quotes_no_discount_on_12_periods(run, system, accounts, marks):
    holder = accounts[COMMUNITY]
    ok(run("lock.py", "create", "7700000", "1w", signer=COMMUNITY))
    amount, end, permanent = system.escrow.locked(holder)
    assert end == week_start(now()) + WEEK and system.levels.levelOf(holder) == 10
    levels_out = ok(run("levels.py", signer=COMMUNITY))
    assert "level 10" in levels_out and "next level: none (level 10 is the highest)" in levels_out

    before = marks()
    out = ok(run("subscribe.py", "quote", "pro", "12", signer=COMMUNITY))
    access_until = now() + 12 * MONTH
    assert not discount_applies((amount, end, permanent), access_until)
    cost = subscription_cost(PRO, 12, 0)
    assert system.access.quote(holder, 2, 12) == (cost, 0)
    assert f"plan 2 'pro', 12 period(s) for {holder.address}: {format_tokens(cost)} AIS" in out
    assert "discount 0% at level 10" in out
    assert f"no discount: the lock ends {utc(end)}, before the access would end {utc(access_until)}" in out
    assert marks() == before  # a quote sends nothing

    # the same level with a lock that outlasts the access: 25% off
    ok(run("lock.py", "permanent", signer=COMMUNITY))
    out = ok(run("subscribe.py", "quote", "2", "12", signer=COMMUNITY))
    discounted = subscription_cost(PRO, 12, LEVELS.platform_discount_bps(10))
    assert f"{format_tokens(discounted)} AIS" in out and "discount 25% at level 10" in out
    assert "no discount" not in out


def test_buy_with_a_referrer_pays_the_split_and_binds_the_referrer(run, system, accounts):
    buyer, referrer = accounts[COMMUNITY], accounts[LIQUIDITY]
    ok(run("lock.py", "create", "1000000", "52w", signer=COMMUNITY))
    ok(run("lock.py", "create", "200000", "52w", signer=LIQUIDITY))
    token, treasury, distributor = system.token, system.timelock.address, system.distributor.address
    balances = {a: token.balanceOf(a) for a in (buyer.address, referrer.address, treasury, distributor)}
    supply = token.totalSupply()

    out = ok(run("subscribe.py", "buy", "research", "2", f"referrer={referrer.address}", signer=COMMUNITY))
    at = timestamp()
    access_until = at + 2 * MONTH
    buyer_level = LEVELS.level_for_score(system.escrow.balanceOf(buyer))
    referrer_level = LEVELS.level_for_score(system.escrow.balanceOf(referrer))
    assert (buyer_level, referrer_level) == (6, 3)  # docs/services.md's worked example
    assert discount_applies(tuple(system.escrow.locked(buyer)), access_until)
    discount = LEVELS.platform_discount_bps(buyer_level)
    cost = subscription_cost(RESEARCH, 2, discount)
    parts = split(cost, STAKERS_BPS, BURN_BPS, True, LEVELS.referral_bps(referrer_level))
    assert (cost, parts.referral, parts.treasury) == (435 * UNIT, 43_5 * UNIT // 10, 130_5 * UNIT // 10)

    assert system.access.accessUntil(buyer, 1) == access_until
    assert system.access.referrerOf(buyer) == referrer
    assert token.balanceOf(buyer) == balances[buyer.address] - cost
    assert token.balanceOf(referrer) == balances[referrer.address] + parts.referral
    assert token.balanceOf(treasury) == balances[treasury] + parts.treasury
    assert token.balanceOf(distributor) == balances[distributor] + parts.stakers
    assert token.totalSupply() == supply - parts.burned
    assert (
        f"subscribed {buyer.address} to plan 1 'research' for 2 period(s): cost {format_tokens(cost)} AIS, "
        f"discount {discount / 100:g}%, access until {utc(access_until)}"
    ) in out
    assert (
        f"split (AIS): stakers {format_tokens(parts.stakers)}, treasury {format_tokens(parts.treasury)}, "
        f"burned {format_tokens(parts.burned)}, referral {format_tokens(parts.referral)}"
    ) in out

    status = ok(run("subscribe.py", "status", signer=COMMUNITY))
    assert f"plan 1 'research': until {utc(access_until)}" in status
    assert "plan 2 'pro': never subscribed" in status
    assert f"referrer: {referrer.address}" in status


def test_buy_for_another_account_is_paid_by_the_signer(run, system, accounts):
    payer, beneficiary = accounts[COMMUNITY], accounts[EMPTY]
    balance = system.token.balanceOf(payer)
    out = ok(run("subscribe.py", "buy", "pro", "1", f"for={beneficiary.address}", signer=COMMUNITY))
    assert system.access.accessUntil(beneficiary, 2) == timestamp() + MONTH
    assert system.access.accessUntil(payer, 2) == 0
    assert system.token.balanceOf(payer) == balance - PRO  # level 0: no discount
    assert f"cost {format_tokens(PRO)} AIS, discount 0%" in out
    status = ok(run("subscribe.py", "status", beneficiary.address, signer=COMMUNITY))
    assert "referrer: none" in status


def test_credits_deposit_sign_redeem_and_withdraw(run, system, accounts, marks, tmp_path):
    holder, token, access = accounts[COMMUNITY], system.token, system.access
    ok(run("credits.py", "deposit", "1000", signer=COMMUNITY))
    assert access.credits(holder, token) == 1_000 * UNIT
    out = ok(run("credits.py", "balance", signer=COMMUNITY))
    assert "AIS: credits 1,000, spent 0, withdrawal: none" in out

    receipts = tmp_path / "receipts.json"
    before = marks()
    ok(run("credits.py", "sign", "250", f"out={receipts}", signer=COMMUNITY))
    ok(run("credits.py", "sign", "100", "AIS", "deadline=2d", f"out={receipts}", signer=COMMUNITY))
    assert marks() == before  # signing sends nothing
    signed = json.loads(receipts.read_text())
    assert [int(r["cumulative"]) for r in signed] == [250 * UNIT, 100 * UNIT]
    assert int(signed[1]["deadline"]) == now() + 2 * DAY
    assert {r["account"] for r in signed} == {holder.address}

    preview = ok(run("redeem.py", str(receipts), "dry-run=1", signer=RELAYER))
    assert marks() == before
    assert "receipt 0 " in preview and "would charge 250" in preview
    assert "receipt 1 " in preview and "would be skipped: ReceiptNotNewer" in preview

    supply, treasury = token.totalSupply(), token.balanceOf(system.timelock)
    out = ok(run("redeem.py", str(receipts), signer=RELAYER))
    parts = split(250 * UNIT, STAKERS_BPS, BURN_BPS, True)
    assert access.spent(holder, token) == 250 * UNIT and access.credits(holder, token) == 750 * UNIT
    assert token.totalSupply() == supply - parts.burned
    assert token.balanceOf(system.timelock) == treasury + parts.treasury
    assert f"charged 250 AIS to {holder.address}" in out
    assert f"skipped the receipt of {holder.address} for 100 AIS: ReceiptNotNewer" in out
    assert f"split (AIS): stakers {format_tokens(parts.stakers)}, treasury {format_tokens(parts.treasury)}" in out

    ok(run("credits.py", "withdraw-request", signer=COMMUNITY))
    ready_at = timestamp() + DAY
    assert access.withdrawalRequest(holder, token) == (ready_at - DAY, ready_at)
    before = marks()
    refused(run("credits.py", "withdraw", signer=COMMUNITY), f"error: token: the AIS withdrawal is ready at {utc(ready_at)}",
            before, marks)
    mine_at(ready_at)
    balance = token.balanceOf(holder)
    out = ok(run("credits.py", "withdraw", signer=COMMUNITY))
    assert token.balanceOf(holder) == balance + 750 * UNIT
    assert access.credits(holder, token) == 0
    assert "withdrew 750 AIS of credits" in out


def test_an_inactive_plan_is_refused_before_sending(run, system, marks):
    system.access.setPlanActive(2, False, {"from": impersonate(system.timelock.address)})
    before = marks()
    refused(run("subscribe.py", "buy", "pro", "1", signer=COMMUNITY), "error: plan: plan 2 'pro' is inactive", before, marks)
    refused(run("subscribe.py", "quote", "2", "1", signer=COMMUNITY), "error: plan: plan 2 'pro' is inactive", before, marks)


@pytest.mark.parametrize(
    "entries, message",
    [
        ("{}", "error: file {path}: (top level): Input should be a valid array"),
        ("[{}]", "error: file {path}: [0].account: Field required"),
        ('[{"account": "0x12", "token": "0x%s", "cumulative": 1, "deadline": 1, "signature": "0x%s"}]' % ("00" * 20, "11" * 65),
         "error: file {path}: [0].account: must be a 0x-prefixed 20-byte hex address"),
        ('[{"account": "0x%s", "token": "0x%s", "cumulative": -1, "deadline": 1, "signature": "0x%s"}]' % ("00" * 20, "00" * 20, "11" * 65),
         "error: file {path}: [0].cumulative: Input should be greater than or equal to 0"),
        ('[{"account": "0x%s", "token": "0x%s", "cumulative": 1, "deadline": 1, "signature": "0x11"}]' % ("00" * 20, "00" * 20),
         "error: file {path}: [0].signature: must be a 0x-prefixed 65-byte hex signature"),
        ("[]", "error: file: holds no receipts"),
    ],
)
def test_a_bad_receipts_file_names_the_entry_and_field(run, marks, tmp_path, entries, message):
    path = tmp_path / "bad.json"
    path.write_text(entries)
    before = marks()
    refused(run("redeem.py", str(path), signer=RELAYER), message.format(path=path), before, marks)


def test_receipts_that_would_all_be_skipped_are_not_sent(run, system, marks, tmp_path):
    receipts = tmp_path / "r.json"
    ok(run("credits.py", "sign", "5", f"out={receipts}", signer=COMMUNITY))  # no credits deposited
    before = marks()
    result = refused(run("redeem.py", str(receipts), signer=RELAYER), "error: file: no receipt would be charged", before, marks)
    assert "would be skipped: InsufficientCredits" in run("redeem.py", str(receipts), "dry-run=1", signer=RELAYER).stdout
    assert result


def test_a_pay_token_no_longer_listed_is_refused_and_its_credits_still_withdraw(run, system, accounts, marks):
    """A plan in another reward token: paid in it (nothing burnt, the burn part to stakers); once the
    DAO delists the token, buying and depositing are refused before sending, withdrawing still works."""
    from brownie import ServiceToken

    holder = accounts[COMMUNITY]
    usd = ServiceToken.deploy("USD Coin", "USD", [holder], [1_000_000 * UNIT], {"from": accounts[0]})
    timelock = impersonate(system.timelock.address)
    system.distributor.addRewardToken(usd, {"from": timelock})
    system.access.createPlan(usd, 10 * UNIT, MONTH, {"from": timelock})
    out = ok(run("subscribe.py", "buy", "3", "1", signer=COMMUNITY))
    parts = split(10 * UNIT, STAKERS_BPS, BURN_BPS, False)
    assert usd.balanceOf(holder) == 1_000_000 * UNIT - 10 * UNIT
    assert f"split (USD): stakers {format_tokens(parts.stakers)}, treasury {format_tokens(parts.treasury)}, burned 0" in out
    ok(run("credits.py", "deposit", "50", "USD", signer=COMMUNITY))
    ok(run("credits.py", "withdraw-request", "USD", signer=COMMUNITY))
    ready_at = system.access.withdrawalRequest(holder, usd)[1]

    system.distributor.removeRewardToken(usd, {"from": timelock})
    before = marks()
    refused(run("subscribe.py", "buy", "3", "1", signer=COMMUNITY),
            f"error: plan: the pay token of plan 3, USD ({usd.address}), is no longer a reward token", before, marks)
    refused(run("credits.py", "deposit", "5", "USD", signer=COMMUNITY), "error: token: 'USD' is not an active reward token",
            before, marks)
    mine_at(ready_at)
    ok(run("credits.py", "withdraw", usd.address, signer=COMMUNITY))
    assert usd.balanceOf(holder) == 1_000_000 * UNIT - 10 * UNIT
    assert system.access.credits(holder, usd) == 0
