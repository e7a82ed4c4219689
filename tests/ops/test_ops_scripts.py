"""The operations scripts (lock, claim, deposit_revenue, status) as a holder runs them: success paths
with exact effects on chain, and every bad input stopping before any transaction with exit 1."""

import pytest
from brownie import web3

from harness.chain.time import mine_at, now
from harness.core.staking import early_exit_penalty, week_start
from harness.core.units import MAX_LOCK, UNIT, WEEK

COMMUNITY, LIQUIDITY, EMPTY = 2, 3, 6  # Anvil accounts: 300M tokens, 100M tokens, none


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def refused(result, message, marks_before, marks):
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert marks() == marks_before
    return result.stderr


def test_lock_lifecycle(run, system, accounts):
    holder = accounts[COMMUNITY]
    out = ok(run("lock.py", "create", "1000.5", "52w", signer=COMMUNITY))
    created_at = web3.eth.get_block("latest").timestamp
    end = week_start(created_at + 52 * WEEK)
    assert system.escrow.locked(holder) == (1000 * UNIT + UNIT // 2, end, False)
    assert "locked 1,000.5 AIS until" in out

    ok(run("lock.py", "increase", "499.5", signer=COMMUNITY))
    assert system.escrow.locked(holder)[0] == 1500 * UNIT

    ok(run("lock.py", "permanent", signer=COMMUNITY))
    assert system.escrow.locked(holder) == (1500 * UNIT, 0, True)
    assert system.escrow.balanceOf(holder) == 3000 * UNIT

    delegatee = accounts[8]
    ok(run("lock.py", "delegate", delegatee.address, signer=COMMUNITY))
    assert system.escrow.delegates(holder) == delegatee
    assert system.escrow.getVotes(delegatee) == 3000 * UNIT

    ok(run("lock.py", "unlock-permanent", signer=COMMUNITY))
    unlocked_at = web3.eth.get_block("latest").timestamp
    assert system.escrow.locked(holder) == (1500 * UNIT, week_start(unlocked_at + MAX_LOCK), False)
    assert system.escrow.delegates(holder) == holder

    balance = system.token.balanceOf(holder)
    ok(run("lock.py", "withdraw-early", signer=COMMUNITY))
    exited_at = web3.eth.get_block("latest").timestamp
    amount, lock_end = 1500 * UNIT, week_start(unlocked_at + MAX_LOCK)
    penalty = early_exit_penalty(amount, lock_end, exited_at, 5000)  # config/local.yaml's 50%
    assert system.token.balanceOf(holder) == balance + amount - penalty
    assert system.escrow.locked(holder) == (0, 0, False)


def test_extend_and_withdraw_after_expiry(run, system, accounts):
    holder = accounts[COMMUNITY]
    ok(run("lock.py", "create", "100", "2w", signer=COMMUNITY))
    first_end = system.escrow.locked(holder)[1]
    ok(run("lock.py", "extend", "4w", signer=COMMUNITY))
    extended_at = web3.eth.get_block("latest").timestamp
    assert system.escrow.locked(holder)[1] == week_start(extended_at + 4 * WEEK) > first_end
    mine_at(system.escrow.locked(holder)[1] + 1)
    balance = system.token.balanceOf(holder)
    ok(run("lock.py", "withdraw", signer=COMMUNITY))
    assert system.token.balanceOf(holder) == balance + 100 * UNIT


@pytest.mark.parametrize(
    "args, signer, message",
    [
        ((), COMMUNITY, "error: action: expected one of create, increase"),
        (("stake", "1"), COMMUNITY, "error: action: expected one of"),
        (("create",), COMMUNITY, "error: amount: missing"),
        (("create", "-5", "52w"), COMMUNITY, "error: amount: must be greater than 0"),
        (("create", "ten", "52w"), COMMUNITY, "error: amount: must be a number of whole tokens"),
        (("create", "1" + "0" * 80, "52w"), COMMUNITY, "error: amount: does not fit in uint256"),
        (("create", "1000", "2y"), COMMUNITY, "error: duration: must be seconds or a number with a unit"),
        (("create", "1000", "400d"), COMMUNITY, "error: duration: at most 365 days (365d), got 400 days"),
        (("create", "1000", "0"), COMMUNITY, "error: duration: a lock must end at a week boundary after now"),
        (("create", "1000", "52w"), EMPTY, "error: amount: 1,000 AIS is more than the balance of"),
        (("increase", "10"), COMMUNITY, "has no lock (create one with"),
        (("withdraw",), COMMUNITY, "has no lock"),
        (("delegate", "0x1234"), COMMUNITY, "error: address: must be a 0x-prefixed 20-byte hex address"),
        (("create", "0.5", "52w"), COMMUNITY, "error: amount: a new lock holds at least 1 AIS"),
        (("lock-creator", "0x1234", "on"), COMMUNITY, "error: address: must be a 0x-prefixed 20-byte hex address"),
        (("lock-creator", "0x" + "11" * 20, "maybe"), COMMUNITY, "error: lock-creator: expected on or off"),
    ],
)
def test_lock_bad_input_sends_nothing(run, marks, args, signer, message):
    before = marks()
    refused(run("lock.py", *args, signer=signer), message, before, marks)


def test_lock_creator_on_and_off(run, system, accounts):
    holder, creator = accounts[COMMUNITY], accounts[7]
    out = ok(run("lock.py", "lock-creator", creator.address, "on", signer=COMMUNITY))
    assert system.escrow.isLockCreator(holder, creator)
    assert f"{creator.address} may create a lock for {holder.address}" in out
    ok(run("lock.py", "lock-creator", creator.address, "off", signer=COMMUNITY))
    assert not system.escrow.isLockCreator(holder, creator)


def test_withdraw_early_says_who_gets_the_penalty(run, system):
    ok(run("lock.py", "create", "1000", "52w", signer=COMMUNITY))
    mine_at(now() + 3600)
    out = ok(run("lock.py", "withdraw-early", signer=COMMUNITY))
    assert "penalty goes to the holders staked at the start of this week" in out
    assert "not to you, once the week is over" in out


def test_lock_rules_checked_against_the_chain(run, marks, system, accounts):
    ok(run("lock.py", "create", "100", "26w", signer=COMMUNITY))
    before = marks()
    refused(run("lock.py", "create", "100", "26w", signer=COMMUNITY), "already has a lock: use `increase` or `extend`", before, marks)
    refused(run("lock.py", "extend", "1w", signer=COMMUNITY), "error: duration: the new end", before, marks)
    refused(run("lock.py", "withdraw", signer=COMMUNITY), "error: lock: still locked until", before, marks)
    refused(run("lock.py", "delegate", accounts[8].address, signer=COMMUNITY), "only a permanent lock may delegate", before, marks)
    refused(run("lock.py", "unlock-permanent", signer=COMMUNITY), "error: lock: not a permanent lock", before, marks)
    mine_at(system.escrow.locked(accounts[COMMUNITY])[1] + 1)
    before = marks()
    refused(run("lock.py", "increase", "1", signer=COMMUNITY), "expired on", before, marks)
    refused(run("lock.py", "withdraw-early", signer=COMMUNITY), "already expired: use `withdraw`", before, marks)


def test_deposit_claim_and_reinvest(run, system, accounts):
    payer, staker, keeper = accounts[LIQUIDITY], accounts[COMMUNITY], accounts[7]
    token, distributor = system.token, system.distributor
    ok(run("lock.py", "create", "1000", "52w", signer=COMMUNITY))
    mine_at(week_start(now()) + WEEK + 60)
    out = ok(run("deposit_revenue.py", "AIS", "700", signer=LIQUIDITY))
    week = week_start(web3.eth.get_block("latest").timestamp)
    assert distributor.tokensPerWeek(token, week) == 700 * UNIT
    assert "deposited 700 AIS as revenue of the week of" in out
    mine_at(week + WEEK + 60)
    claimable = distributor.claimable(staker, token)
    assert 0 < claimable <= 700 * UNIT
    locked_before = system.escrow.locked(staker)[0]
    ok(run("claim.py", "reinvest", signer=COMMUNITY))
    assert system.escrow.locked(staker)[0] == locked_before + claimable

    # next week: the staker opts in to auto-compound, approves a keeper, and the keeper claims for it
    ok(run("deposit_revenue.py", token.address, "300", signer=LIQUIDITY))
    ok(run("claim.py", "auto-compound", "on", signer=COMMUNITY))
    out = ok(run("claim.py", "keeper", keeper.address, "on", signer=COMMUNITY))
    assert f"keeper {keeper.address} approved for {staker.address}" in out
    assert distributor.autoCompound(staker) and distributor.isKeeper(staker, keeper)
    mine_at(week_start(now()) + WEEK + 60)
    claimable = distributor.claimable(staker, token)
    locked_before = system.escrow.locked(staker)[0]
    out = ok(run("claim.py", "for", staker.address, signer=7))
    assert system.escrow.locked(staker)[0] == locked_before + claimable
    assert f"for {staker.address}" in out

    # a stranger's claim for the staker pays it out (SPEC 7: only the account or its keepers reinvest)
    ok(run("deposit_revenue.py", token.address, "200", signer=LIQUIDITY))
    mine_at(week_start(now()) + WEEK + 60)
    claimable = distributor.claimable(staker, token)
    wallet, locked_before = token.balanceOf(staker), system.escrow.locked(staker)[0]
    ok(run("claim.py", "for", staker.address, signer=8))
    assert token.balanceOf(staker) == wallet + claimable > wallet
    assert system.escrow.locked(staker)[0] == locked_before
    ok(run("claim.py", "keeper", keeper.address, "off", signer=COMMUNITY))
    assert not distributor.isKeeper(staker, keeper)

    status = ok(run("status.py", staker.address))
    assert "auto-compound         on" in status
    assert "claimable AIS         0" in status


def test_claim_pays_to_the_wallet(run, system, accounts):
    staker = accounts[COMMUNITY]
    ok(run("lock.py", "create", "1000", "52w", signer=COMMUNITY))
    mine_at(week_start(now()) + WEEK + 60)
    ok(run("deposit_revenue.py", "AIS", "50", signer=LIQUIDITY))
    mine_at(week_start(now()) + WEEK + 60)
    claimable = system.distributor.claimable(staker, system.token)
    wallet = system.token.balanceOf(staker)
    out = ok(run("claim.py", "pay", signer=COMMUNITY))
    assert system.token.balanceOf(staker) == wallet + claimable
    assert f"claimed {claimable // UNIT:,}" in out.replace(",", ",")


@pytest.mark.parametrize(
    "script, args, signer, message",
    [
        ("claim.py", (), COMMUNITY, "error: action: expected one of pay, reinvest, for, auto-compound"),
        ("claim.py", ("reinvest",), EMPTY, "error: reinvest: 0x976EA74026E726554dB657fA54763abd0C3a0aa9 has no lock to reinvest into"),
        ("claim.py", ("pay", "USDC"), COMMUNITY, "error: token: 'USDC' is not an active reward token; the reward tokens are AIS"),
        ("claim.py", ("pay", "AIS", "ais"), COMMUNITY, "error: token: the same token is named twice"),
        ("claim.py", ("for", "nobody"), COMMUNITY, "error: account: must be a 0x-prefixed"),
        ("claim.py", ("auto-compound", "yes"), COMMUNITY, "error: auto-compound: expected on or off"),
        ("claim.py", ("keeper", "nobody", "on"), COMMUNITY, "error: address: must be a 0x-prefixed"),
        ("claim.py", ("keeper", "0x" + "11" * 20), COMMUNITY, "error: keeper: missing (usage: scripts/claim.py keeper ADDRESS on|off"),
        ("deposit_revenue.py", (), LIQUIDITY, "error: token: missing"),
        ("deposit_revenue.py", ("DAI", "5"), LIQUIDITY, "error: token: 'DAI' is not an active reward token"),
        ("deposit_revenue.py", ("AIS", "0"), LIQUIDITY, "error: amount: must be greater than 0"),
        ("deposit_revenue.py", ("AIS", "5"), EMPTY, "error: amount: 5 AIS is more than the balance of"),
        ("status.py", ("0xabc",), None, "error: account: must be a 0x-prefixed 20-byte hex address"),
    ],
)
def test_claim_deposit_status_bad_input_sends_nothing(run, marks, script, args, signer, message):
    before = marks()
    refused(run(script, *args, signer=signer), message, before, marks)


def test_reinvest_into_an_expired_lock_is_refused(run, marks, system, accounts):
    ok(run("lock.py", "create", "10", "1w", signer=COMMUNITY))
    mine_at(system.escrow.locked(accounts[COMMUNITY])[1] + 1)
    before = marks()
    refused(run("claim.py", "reinvest", signer=COMMUNITY), "expired on", before, marks)


def test_unknown_network_manifest(run, marks, tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    before = marks()
    result = run("status.py", env={"DEPLOYMENTS_DIR": str(empty)})
    refused(result, "error: manifest: no deployment recorded for network", before, marks)


def test_bad_signer(run, marks):
    before = marks()
    refused(run("lock.py", "create", "1", "1w", signer=99), "error: SIGNER: Anvil has accounts 0..", before, marks)


def test_protocol_status(run, system):
    ok(run("lock.py", "create", "1000", "52w", signer=COMMUNITY))
    out = ok(run("status.py"))
    assert "AIS supply                               1,000,000,000" in out
    assert "locked in the escrow                               1,000" in out
    assert "treasury (timelock)                          400,000,000" in out
    assert f"total Staking Score" in out and "governor: threshold 1,000,000, quorum max(4%, 2,000,000), proposals 0" in out
