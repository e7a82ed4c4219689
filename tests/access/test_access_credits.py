"""Prepaid credits (SPEC 5.2): deposits, cumulative EIP-712 `Usage` receipts (EOA and ERC-1271),
redeemUsage, redeemUsageBatch with skipped receipts, previewRedeem, and the two-step withdrawal; every
error by name with its arguments. Expected numbers from tests/models/access_model.py."""

import pytest
from brownie import ZERO_ADDRESS, chain

from harness.chain.time import mine_at, next_block_at, now
from harness.core.signing import digest, sign_usage, usage_message
from harness.core.units import DAY, MAX_UINT256, UNIT
from tests.access.access_helpers import SPLIT, Flows, reason_name
from tests.models.access_model import split
from tests.support.reverts import reverts

UINT128_MAX = 2**128 - 1


def deposit(access, user, token, amount):
    return access.depositCredits(token, amount, {"from": user.account})


# ------------------------------------------------------------------------------------ deposits


def test_deposit_credits(access, usd, users):
    u = users[0]
    flows = Flows(usd, user=u.address, access=access)
    tx = deposit(access, u, usd, 10 * UNIT)
    assert dict(tx.events["CreditsDeposited"]) == {
        "account": u.address, "payer": u.address, "token": usd.address, "amount": 10 * UNIT
    }
    assert flows.delta() == {"user": -10 * UNIT, "access": 10 * UNIT, "supply": 0}
    assert access.credits(u.address, usd) == 10 * UNIT and access.spent(u.address, usd) == 0
    deposit(access, u, usd, 5)
    assert access.credits(u.address, usd) == 10 * UNIT + 5


def test_deposit_credits_for_another_account(access, token, users):
    account, payer = users[0], users[1]
    flows = Flows(token, account=account.address, payer=payer.address)
    tx = access.depositCreditsFor(account.address, token, 7 * UNIT, {"from": payer.account})
    assert tx.events["CreditsDeposited"]["payer"] == payer.address
    assert flows.delta() == {"account": 0, "payer": -7 * UNIT, "supply": 0}
    assert access.credits(account.address, token) == 7 * UNIT
    assert access.credits(payer.address, token) == 0


def test_deposit_errors(access, usd, TestToken, users, deployer):
    u = users[0].account
    with reverts("ZeroAmount"):
        access.depositCredits(usd, 0, {"from": u})
    with reverts("ZeroAddress"):
        access.depositCreditsFor(ZERO_ADDRESS, usd, 1, {"from": u})
    stray = TestToken.deploy("STRAY", 10**24, {"from": deployer})
    with reverts("NotRewardToken", stray.address):
        access.depositCredits(stray, 1, {"from": u})


def test_a_fee_on_transfer_token_is_refused(access, dist, TestToken, users, deployer):
    fee_token = TestToken.deploy("FEE", 10**24, {"from": deployer})
    dist.addRewardToken(fee_token, {"from": deployer})
    fee_token.setFee(100, {"from": deployer})  # 1%
    fee_token.approve(access, MAX_UINT256, {"from": deployer})
    with reverts("UnsupportedFeeOnTransfer", fee_token.address, 1_000, 990):
        access.depositCredits(fee_token, 1_000, {"from": deployer})
    fee_token.setFee(0, {"from": deployer})
    access.depositCredits(fee_token, 1_000, {"from": deployer})
    assert access.credits(deployer, fee_token) == 1_000


def test_credits_plus_spent_stay_below_2_pow_128(access, dist, TestToken, deployer):
    huge = TestToken.deploy("HUGE", 2**255, {"from": deployer})
    dist.addRewardToken(huge, {"from": deployer})
    huge.approve(access, MAX_UINT256, {"from": deployer})
    access.depositCredits(huge, UINT128_MAX - 10, {"from": deployer})
    with reverts("CreditsTooLarge", 11, 10):
        access.depositCredits(huge, 11, {"from": deployer})
    access.depositCredits(huge, 10, {"from": deployer})
    assert access.credits(deployer, huge) == UINT128_MAX
    with reverts("CreditsTooLarge", 2**200, 0):
        access.depositCredits(huge, 2**200, {"from": deployer})


def test_deposit_credits_with_permit_needs_no_prior_approval(env, access, usd, users):
    u = users[0]
    usd.approve(access, 0, {"from": u.account})
    deadline, v, r, s = env.permit(u, usd, 3 * UNIT)
    tx = access.depositCreditsWithPermit(usd, 3 * UNIT, deadline, v, r, s, {"from": u.account})
    assert tx.events["CreditsDeposited"]["amount"] == 3 * UNIT
    assert access.credits(u.address, usd) == 3 * UNIT
    assert usd.allowance(u.address, access) == 0


def test_deposit_credits_with_a_front_run_permit_still_succeeds(env, access, usd, users):
    u = users[0]
    usd.approve(access, 0, {"from": u.account})
    deadline, v, r, s = env.permit(u, usd, 3 * UNIT)
    usd.permit(u.address, access, 3 * UNIT, deadline, v, r, s, {"from": users[2].account})
    access.depositCreditsWithPermit(usd, 3 * UNIT, deadline, v, r, s, {"from": u.account})
    assert access.credits(u.address, usd) == 3 * UNIT


def test_deposit_credits_with_permit_checks_the_token_before_the_permit(env, access, usd, users):
    u = users[0]
    deadline, v, r, s = env.permit(u, usd, UNIT)
    not_a_token = users[1].address  # no code: a permit call to it would revert without a reason
    with reverts("NotRewardToken", not_a_token):
        access.depositCreditsWithPermit(not_a_token, UNIT, deadline, v, r, s, {"from": u.account})
    with reverts("ZeroAmount"):
        access.depositCreditsWithPermit(usd, 0, deadline, v, r, s, {"from": u.account})


def test_deposit_credits_with_an_expired_permit_and_no_allowance_reverts(env, access, usd, users):
    u = users[0]
    usd.approve(access, 0, {"from": u.account})
    deadline, v, r, s = env.permit(u, usd, UNIT, deadline=now() - 1)
    with reverts("ERC20InsufficientAllowance", access.address, 0, UNIT):
        access.depositCreditsWithPermit(usd, UNIT, deadline, v, r, s, {"from": u.account})


# ------------------------------------------------------------------------------------ receipts


def test_usage_digest_is_the_eip712_digest_a_wallet_signs(access, usd, users):
    u = users[0]
    signable = usage_message(access.address, chain.id, u.address, usd.address, 123, 456)
    assert access.usageDigest(u.address, usd, 123, 456) == "0x" + digest(signable).hex()


def test_redeem_usage_charges_the_increment_and_splits_it(env, access, usd, dist, users, treasury):
    u, submitter = users[0], users[3]
    deposit(access, u, usd, 10 * UNIT)
    sig, deadline = env.sign(u, usd, 3 * UNIT)
    flows = Flows(usd, access=access, dist=dist, treasury=treasury, submitter=submitter.address)
    tx = access.redeemUsage(u.address, usd, 3 * UNIT, deadline, sig, {"from": submitter.account})
    assert tx.return_value == 3 * UNIT
    assert dict(tx.events["UsageRedeemed"]) == {
        "account": u.address, "token": usd.address, "cumulative": 3 * UNIT, "charged": 3 * UNIT
    }
    part = split(3 * UNIT, *SPLIT[::2], False)
    assert dict(tx.events["RevenueSplit"]) == {
        "token": usd.address, "stakers": part.stakers, "treasury": part.treasury, "burned": 0, "referral": 0
    }
    assert flows.delta() == {
        "access": -3 * UNIT, "dist": part.stakers, "treasury": part.treasury, "submitter": 0, "supply": 0
    }
    assert (access.credits(u.address, usd), access.spent(u.address, usd)) == (7 * UNIT, 3 * UNIT)
    # the next receipt charges only what was added since
    sig, deadline = env.sign(u, usd, 5 * UNIT)
    tx = access.redeemUsage(u.address, usd, 5 * UNIT, deadline, sig, {"from": submitter.account})
    assert tx.return_value == 2 * UNIT
    assert (access.credits(u.address, usd), access.spent(u.address, usd)) == (5 * UNIT, 5 * UNIT)


def test_staking_token_usage_burns_the_burn_part(env, access, token, users):
    u = users[0]
    deposit(access, u, token, 10 * UNIT)
    sig, deadline = env.sign(u, token, 1_000_001)
    supply = token.totalSupply()
    tx = access.redeemUsage(u.address, token, 1_000_001, deadline, sig, {"from": u.account})
    part = split(1_000_001, 5_000, 1_000, True)
    assert tx.events["RevenueSplit"]["burned"] == part.burned == 100_000
    assert token.totalSupply() == supply - part.burned


def test_receipts_redeemed_out_of_order(env, access, usd, users):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    low, low_deadline = env.sign(u, usd, 2 * UNIT)
    high, high_deadline = env.sign(u, usd, 6 * UNIT)
    assert access.redeemUsage(u.address, usd, 6 * UNIT, high_deadline, high, {"from": u.account}).return_value == 6 * UNIT
    with reverts("ReceiptNotNewer", 2 * UNIT, 6 * UNIT):
        access.redeemUsage(u.address, usd, 2 * UNIT, low_deadline, low, {"from": u.account})
    with reverts("ReceiptNotNewer", 6 * UNIT, 6 * UNIT):
        access.redeemUsage(u.address, usd, 6 * UNIT, high_deadline, high, {"from": u.account})


def test_a_receipt_is_good_until_its_deadline_second(env, access, usd, users):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    deadline = now() + 100
    sig, _ = env.sign(u, usd, UNIT, deadline)
    late, _ = env.sign(u, usd, 2 * UNIT, deadline)
    next_block_at(deadline)
    assert access.redeemUsage(u.address, usd, UNIT, deadline, sig, {"from": u.account}).timestamp == deadline
    next_block_at(deadline + 1)
    with reverts("ReceiptExpired", deadline):
        access.redeemUsage(u.address, usd, 2 * UNIT, deadline, late, {"from": u.account})


def test_insufficient_credits(env, access, usd, users):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    sig, deadline = env.sign(u, usd, 10 * UNIT + 1)
    with reverts("InsufficientCredits", 10 * UNIT + 1, 10 * UNIT):
        access.redeemUsage(u.address, usd, 10 * UNIT + 1, deadline, sig, {"from": u.account})


def test_invalid_signatures(env, access, usd, users, ServiceAccess, levels, dist, treasury, deployer):
    u, other = users[0], users[1]
    deposit(access, u, usd, 10 * UNIT)
    deadline = now() + DAY
    by_other, _ = env.sign(other, usd, UNIT, deadline, account=u.address)
    good, _ = env.sign(u, usd, UNIT, deadline)
    twin = ServiceAccess.deploy(levels, dist, treasury, *SPLIT, deployer, {"from": deployer})
    other_contract = sign_usage(u.key, twin.address, chain.id, u.address, usd.address, UNIT, deadline)
    other_chain = sign_usage(u.key, access.address, chain.id + 1, u.address, usd.address, UNIT, deadline)
    cases = {
        "signed by another key": (UNIT, deadline, by_other),
        "cumulative changed": (2 * UNIT, deadline, good),
        "deadline changed": (UNIT, deadline + 1, good),
        "another contract's domain": (UNIT, deadline, other_contract),
        "another chain's domain": (UNIT, deadline, other_chain),
        "malformed": (UNIT, deadline, good[:64]),
        "empty": (UNIT, deadline, b""),
    }
    for name, (cumulative, dl, sig) in cases.items():
        with reverts("InvalidSignature"):
            access.redeemUsage(u.address, usd, cumulative, dl, sig, {"from": u.account})
    access.redeemUsage(u.address, usd, UNIT, deadline, good, {"from": u.account})


def test_a_removed_reward_token_cannot_be_redeemed_but_can_be_withdrawn(env, access, usd, dist, users, deployer):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    sig, deadline = env.sign(u, usd, UNIT)
    dist.removeRewardToken(usd, {"from": deployer})
    with reverts("NotRewardToken", usd.address):
        access.redeemUsage(u.address, usd, UNIT, deadline, sig, {"from": u.account})
    access.requestWithdrawal(usd, {"from": u.account})
    mine_at(now() + DAY)
    assert access.withdrawCredits(usd, {"from": u.account}).return_value == 10 * UNIT


def test_check_order_of_redeem_errors(env, access, usd, users):
    """The checks run in a fixed order (documented): reward token, deadline, newer, credits, signature."""
    u = users[0]
    deposit(access, u, usd, UNIT)
    expired_and_too_big, _ = env.sign(users[1], usd, 5 * UNIT, now() - 1)
    with reverts("ReceiptExpired", now() - 1):
        access.redeemUsage(u.address, usd, 5 * UNIT, now() - 1, expired_and_too_big, {"from": u.account})
    with reverts("InsufficientCredits", 5 * UNIT, UNIT):
        access.redeemUsage(u.address, usd, 5 * UNIT, now() + 10, b"", {"from": u.account})


def test_preview_redeem_says_what_redeem_would_do(env, access, usd, users):
    u = users[0]
    deposit(access, u, usd, 4 * UNIT)
    good, deadline = env.sign(u, usd, 3 * UNIT)
    assert access.previewRedeem(u.address, usd, 3 * UNIT, deadline, good) == (3 * UNIT, "0x00000000")
    big, _ = env.sign(u, usd, 5 * UNIT, deadline)
    charge, reason = access.previewRedeem(u.address, usd, 5 * UNIT, deadline, big)
    assert (charge, reason_name(reason)) == (0, "InsufficientCredits")
    assert reason_name(access.previewRedeem(u.address, usd, 3 * UNIT, deadline, big)[1]) == "InvalidSignature"
    assert reason_name(access.previewRedeem(u.address, usd, 3 * UNIT, now() - 1, good)[1]) == "ReceiptExpired"
    assert reason_name(access.previewRedeem(u.address, users[0].address, 3 * UNIT, deadline, good)[1]) == "NotRewardToken"
    access.redeemUsage(u.address, usd, 3 * UNIT, deadline, good, {"from": u.account})
    assert reason_name(access.previewRedeem(u.address, usd, 3 * UNIT, deadline, good)[1]) == "ReceiptNotNewer"


# ------------------------------------------------------------------------------------ ERC-1271 wallets


@pytest.fixture
def wallet(UsageWallet, access, usd, users):
    """users[2]'s ERC-1271 wallet, with 10 USD of credits deposited for it by its owner."""
    owner = users[2]
    w = UsageWallet.deploy(owner.address, {"from": owner.account})
    access.depositCreditsFor(w, usd, 10 * UNIT, {"from": owner.account})
    return w


def test_a_smart_wallet_signs_receipts_through_erc1271(env, access, usd, users, wallet):
    owner = users[2]
    sig, deadline = env.sign(owner, usd, 4 * UNIT, account=wallet.address)  # the owner's key, the wallet's receipt
    tx = access.redeemUsage(wallet, usd, 4 * UNIT, deadline, sig, {"from": users[0].account})
    assert tx.return_value == 4 * UNIT
    assert access.credits(wallet, usd) == 6 * UNIT


def test_a_smart_wallet_refusing_the_signature_is_invalid(env, access, usd, users, wallet):
    stranger = users[0]
    sig, deadline = env.sign(stranger, usd, UNIT, account=wallet.address)
    with reverts("InvalidSignature"):
        access.redeemUsage(wallet, usd, UNIT, deadline, sig, {"from": stranger.account})
    good, _ = env.sign(users[2], usd, UNIT, deadline, account=wallet.address)
    wallet.setRevertOnCheck(True, {"from": users[2].account})  # a wallet whose check reverts
    with reverts("InvalidSignature"):
        access.redeemUsage(wallet, usd, UNIT, deadline, good, {"from": stranger.account})


def test_a_smart_wallet_withdraws_its_credits(access, usd, users, wallet):
    owner = users[2]
    wallet.execute(access, access.requestWithdrawal.encode_input(usd), {"from": owner.account})
    mine_at(now() + DAY)
    wallet.execute(access, access.withdrawCredits.encode_input(usd), {"from": owner.account})
    assert usd.balanceOf(wallet) == 10 * UNIT and access.credits(wallet, usd) == 0


# ------------------------------------------------------------------------------------ batches


def test_batch_charges_good_receipts_and_splits_once_per_token(env, access, usd, token, dist, users, treasury):
    a, b = users[0], users[1]
    for u in (a, b):
        deposit(access, u, usd, 10 * UNIT)
        deposit(access, u, token, 10 * UNIT)
    receipts = [
        env.receipt(a, usd, 1 * UNIT + 1),
        env.receipt(b, usd, 2 * UNIT + 1),
        env.receipt(a, token, 3 * UNIT + 1),
        env.receipt(a, usd, 4 * UNIT + 3),  # same account and token again: charges the increment
    ]
    supply = token.totalSupply()
    tx = access.redeemUsageBatch(receipts, {"from": users[3].account})
    assert tx.return_value == (UNIT + 1, 2 * UNIT + 1, 3 * UNIT + 1, 3 * UNIT + 2)
    assert [ev["charged"] for ev in tx.events["UsageRedeemed"]] == list(tx.return_value)
    assert "UsageReceiptSkipped" not in tx.events
    usd_total, token_total = (UNIT + 1) + (2 * UNIT + 1) + (3 * UNIT + 2), 3 * UNIT + 1
    splits = {ev["token"]: dict(ev) for ev in tx.events["RevenueSplit"]}
    assert len(tx.events["RevenueSplit"]) == 2
    u_part, t_part = split(usd_total, 5_000, 1_000, False), split(token_total, 5_000, 1_000, True)
    assert (splits[usd.address]["stakers"], splits[usd.address]["treasury"]) == (u_part.stakers, u_part.treasury)
    assert (splits[token.address]["burned"], splits[token.address]["treasury"]) == (t_part.burned, t_part.treasury)
    assert token.totalSupply() == supply - t_part.burned
    assert access.spent(a.address, usd) == 4 * UNIT + 3 and access.credits(a.address, usd) == 10 * UNIT - (4 * UNIT + 3)


def test_batch_skips_every_kind_of_bad_receipt_with_its_reason(env, access, usd, users, TestToken, deployer):
    a, b = users[0], users[1]
    deposit(access, a, usd, 10 * UNIT)
    deposit(access, b, usd, 1 * UNIT)
    stray = TestToken.deploy("STRAY", 10**24, {"from": deployer})
    access.redeemUsage(a.address, usd, UNIT, *env.sign(a, usd, UNIT)[::-1], {"from": a.account})
    receipts = [
        env.receipt(a, usd, 2 * UNIT),  # good: charges 1
        env.receipt(a, usd, UNIT),  # already charged
        env.receipt(a, usd, 3 * UNIT, deadline=now() - 1),  # expired
        env.receipt(b, usd, 2 * UNIT),  # b has 1 credit
        env.receipt(a, usd, 3 * UNIT, signer=b),  # signed by b for a
        env.receipt(a, stray, UNIT),  # not a reward token
        env.receipt(b, usd, UNIT // 2),  # good
    ]
    tx = access.redeemUsageBatch(receipts, {"from": users[3].account})
    assert tx.return_value == (UNIT, 0, 0, 0, 0, 0, UNIT // 2)
    skipped = [(ev["account"], ev["token"], ev["cumulative"], reason_name(ev["reason"])) for ev in tx.events["UsageReceiptSkipped"]]
    assert skipped == [
        (a.address, usd.address, UNIT, "ReceiptNotNewer"),
        (a.address, usd.address, 3 * UNIT, "ReceiptExpired"),
        (b.address, usd.address, 2 * UNIT, "InsufficientCredits"),
        (a.address, usd.address, 3 * UNIT, "InvalidSignature"),
        (a.address, stray.address, UNIT, "NotRewardToken"),
    ]
    assert access.spent(a.address, usd) == 2 * UNIT and access.spent(b.address, usd) == UNIT // 2


def test_batch_in_the_wrong_order_charges_the_newest_once(env, access, usd, users):
    a = users[0]
    deposit(access, a, usd, 10 * UNIT)
    tx = access.redeemUsageBatch([env.receipt(a, usd, 5 * UNIT), env.receipt(a, usd, 2 * UNIT)], {"from": a.account})
    assert tx.return_value == (5 * UNIT, 0)
    assert reason_name(tx.events["UsageReceiptSkipped"]["reason"]) == "ReceiptNotNewer"


def test_batch_of_only_bad_receipts_moves_nothing(env, access, usd, users):
    a = users[0]
    flows = Flows(usd, access=access)
    tx = access.redeemUsageBatch([env.receipt(a, usd, UNIT)], {"from": a.account})  # no credits
    assert tx.return_value == (0,) and "RevenueSplit" not in tx.events
    assert flows.delta() == {"access": 0, "supply": 0}
    assert access.redeemUsageBatch([], {"from": a.account}).return_value == ()


def test_batch_length_is_bounded(env, access, usd, users):
    a = users[0]
    receipt = env.receipt(a, usd, UNIT)
    with reverts("BatchTooLarge", 101, 100):
        access.redeemUsageBatch([receipt] * 101, {"from": a.account})
    tx = access.redeemUsageBatch([receipt] * 100, {"from": a.account})  # the bound itself is fine
    assert len(tx.events["UsageReceiptSkipped"]) == 100


def test_batch_accepts_smart_wallet_receipts(env, access, usd, users, wallet):
    sig, deadline = env.sign(users[2], usd, 2 * UNIT, account=wallet.address)
    tx = access.redeemUsageBatch([(wallet.address, usd.address, 2 * UNIT, deadline, sig)], {"from": users[0].account})
    assert tx.return_value == (2 * UNIT,)


# ------------------------------------------------------------------------------------ withdrawals


def test_withdrawal_takes_two_steps(access, usd, users):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    assert access.withdrawalRequest(u.address, usd) == (0, 0)
    tx = access.requestWithdrawal(usd, {"from": u.account})
    ready = tx.timestamp + DAY
    assert tx.return_value == ready
    assert dict(tx.events["WithdrawalRequested"]) == {"account": u.address, "token": usd.address, "readyAt": ready}
    assert access.withdrawalRequest(u.address, usd) == (tx.timestamp, ready)
    next_block_at(ready - 1)
    with reverts("WithdrawalNotReady", ready):
        access.withdrawCredits(usd, {"from": u.account})
    next_block_at(ready)
    flows = Flows(usd, user=u.address, access=access)
    tx = access.withdrawCredits(usd, {"from": u.account})
    assert tx.return_value == 10 * UNIT
    assert dict(tx.events["CreditsWithdrawn"]) == {"account": u.address, "token": usd.address, "amount": 10 * UNIT}
    assert flows.delta() == {"user": 10 * UNIT, "access": -10 * UNIT, "supply": 0}
    assert access.credits(u.address, usd) == 0
    assert access.withdrawalRequest(u.address, usd) == (0, 0)
    with reverts("NoWithdrawalRequest"):
        access.withdrawCredits(usd, {"from": u.account})


def test_withdraw_without_a_request_reverts(access, usd, users):
    deposit(access, users[0], usd, UNIT)
    with reverts("NoWithdrawalRequest"):
        access.withdrawCredits(usd, {"from": users[0].account})


def test_a_pending_withdrawal_does_not_stop_settlement(env, access, usd, users):
    """The service settles what it served before the user can leave."""
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    sig, deadline = env.sign(u, usd, 4 * UNIT)
    access.requestWithdrawal(usd, {"from": u.account})
    access.redeemUsage(u.address, usd, 4 * UNIT, deadline, sig, {"from": users[3].account})
    mine_at(now() + DAY)
    assert access.withdrawCredits(usd, {"from": u.account}).return_value == 6 * UNIT


def test_a_deposit_does_not_cancel_a_request(access, usd, users):
    u = users[0]
    deposit(access, u, usd, 10 * UNIT)
    requested = access.requestWithdrawal(usd, {"from": u.account}).timestamp
    deposit(access, u, usd, 5 * UNIT)
    assert access.withdrawalRequest(u.address, usd)[0] == requested
    mine_at(requested + DAY)
    assert access.withdrawCredits(usd, {"from": u.account}).return_value == 15 * UNIT


def test_asking_again_restarts_the_delay(access, usd, users):
    u = users[0]
    deposit(access, u, usd, UNIT)
    first = access.requestWithdrawal(usd, {"from": u.account}).timestamp
    mine_at(first + DAY - 10)
    second = access.requestWithdrawal(usd, {"from": u.account})
    mine_at(first + DAY)
    with reverts("WithdrawalNotReady", second.timestamp + DAY):
        access.withdrawCredits(usd, {"from": u.account})


def test_a_delay_change_applies_to_pending_requests(access, usd, users, deployer):
    u = users[0]
    deposit(access, u, usd, UNIT)
    requested = access.requestWithdrawal(usd, {"from": u.account}).timestamp
    access.setWithdrawalDelay(3 * DAY, {"from": deployer})
    assert access.withdrawalRequest(u.address, usd) == (requested, requested + 3 * DAY)


def test_withdrawing_with_nothing_left_pays_zero_and_closes_the_request(env, access, usd, users):
    u = users[0]
    deposit(access, u, usd, UNIT)
    sig, deadline = env.sign(u, usd, UNIT)
    access.redeemUsage(u.address, usd, UNIT, deadline, sig, {"from": u.account})
    access.requestWithdrawal(usd, {"from": u.account})
    mine_at(now() + DAY)
    tx = access.withdrawCredits(usd, {"from": u.account})
    assert tx.return_value == 0 and "Transfer" not in tx.events
    assert access.withdrawalRequest(u.address, usd) == (0, 0)
    assert access.spent(u.address, usd) == UNIT


def test_requests_are_per_token(access, usd, token, users):
    u = users[0]
    deposit(access, u, usd, UNIT)
    deposit(access, u, token, UNIT)
    access.requestWithdrawal(usd, {"from": u.account})
    mine_at(now() + DAY)
    with reverts("NoWithdrawalRequest"):
        access.withdrawCredits(token, {"from": u.account})
    access.withdrawCredits(usd, {"from": u.account})
    assert access.credits(u.address, token) == UNIT
