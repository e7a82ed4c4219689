"""Unit tests of EarlyAccessDeals (SPEC 5.3): every external function, every custom error of
IEarlyAccessDeals with its exact arguments, and every event with its exact arguments. Expected values
come from the reference model (tests/models/deals_model.py) or are written out."""

import pytest
from brownie import ZERO_ADDRESS

from harness.chain.time import mine_at, next_block_at, now
from harness.core.units import DAY, HOUR, UNIT
from tests.deals.conftest import PAY_UNIT, RANKS
from tests.deals.deals_helpers import claim_at, commit_at, event, finalize_at
from tests.models.deals_model import (
    CANCELLED, FAILED, LEVELS, MAX_FEE_BPS, OPEN, SUCCEEDED, ZERO, deal_error, expected,
)
from tests.support.reverts import reverts

GAS = {"gas_limit": 2_000_000}


def tx_from(account):
    return {"from": account, **GAS}


# ---- constructor and constants ----

def test_constructor_wires_levels_distributor_and_owner(deals, levels, dist, deployer):
    assert deals.stakingLevels() == levels
    assert deals.revenueDistributor() == dist
    assert deals.owner() == deployer
    assert deals.dealCount() == 0
    assert deals.MAX_FEE_BPS() == MAX_FEE_BPS == 2_000


@pytest.mark.parametrize("which", [0, 1])
def test_constructor_refuses_a_zero_address(EarlyAccessDeals, levels, dist, deployer, which):
    args = [levels.address, dist.address]
    args[which] = ZERO_ADDRESS
    with reverts("ZeroAddress"):
        EarlyAccessDeals.deploy(*args, deployer, tx_from(deployer))


def test_constructor_refuses_a_zero_owner(EarlyAccessDeals, levels, dist, deployer):
    with reverts("OwnableInvalidOwner", ZERO_ADDRESS):
        EarlyAccessDeals.deploy(levels, dist, ZERO_ADDRESS, tx_from(deployer))


# ---- createDeal ----

def test_create_deal_pulls_the_sale_tokens_and_stores_the_deal(market, deals, sale, seller, pay):
    model = market.model()
    p = market.params(softCap=1234, tgeBps=2_500, vestingDuration=30 * DAY, feeBps=150, minLevel=2)
    before = sale.balanceOf(seller)
    t = now() + 1
    tx = market.create(p, at=t)
    assert tx.return_value == 1 and deals.dealCount() == 1
    assert event(tx, "DealCreated") == model.create(p, market.deployer, t)
    assert event(tx, "DealCreated") == {
        "dealId": 1, "seller": seller, "saleToken": sale, "saleAmount": p.saleAmount, "payToken": pay,
        "price": p.price, "start": p.start, "end": p.end,
    }
    assert sale.balanceOf(seller) == before - p.saleAmount
    assert sale.balanceOf(deals) == p.saleAmount
    assert deals.deal(1) == model.deals[1].as_tuple()
    assert deals.deal(1)[1] == OPEN
    assert deals.raiseTarget(1) == p.saleAmount * p.price // 10**18 == 500_000 * PAY_UNIT
    assert market.create(p.but(snapshot=now())).return_value == 2  # ids count up from 1


def test_create_deal_is_owner_only(market, deals, buyers):
    p = market.params()
    with reverts("OwnableUnauthorizedAccount", buyers[0]):
        deals.createDeal(p.as_tuple(), tx_from(buyers[0]))


def invalid_cases(market, t):
    """(field, params) pairs, each breaking exactly one creation rule, for a creation at time `t`."""
    p = market.params()
    length = p.end - p.start
    late = list(p.opensAfter)
    late[9] = 1  # level 10 opens after level 9
    caps = list(p.capByLevel)
    caps[4] = caps[3] - 1  # level 5 may commit less than level 4
    return [
        (0, p.but(seller=ZERO)),
        (1, p.but(saleToken=ZERO)),
        (2, p.but(saleAmount=0, softCap=0)),
        (3, p.but(payToken=str(market.sale))),  # not a reward token
        (4, p.but(price=0)),
        (4, p.but(saleAmount=10**12 - 1, price=10**6)),  # raise target rounds to zero
        (5, p.but(snapshot=t)),  # not in the past
        (5, p.but(snapshot=t + 10, start=t + 20, end=t + DAY)),
        (6, p.but(start=p.snapshot)),
        (7, p.but(end=p.start)),
        (8, p.but(opensAfter=(length,) * 10)),  # opens at the end
        (8, p.but(opensAfter=tuple(late))),
        (9, p.but(capByLevel=tuple(caps))),
        (10, p.but(minLevel=0)),
        (10, p.but(minLevel=11)),
        (11, p.but(softCap=p.raise_target + 1)),
        (12, p.but(tgeBps=10_001)),
        (14, p.but(feeBps=MAX_FEE_BPS + 1)),
    ]


@pytest.mark.parametrize("case", range(18))
def test_create_deal_names_the_broken_field(market, deals, case):
    t = now() + 1
    field, p = invalid_cases(market, t)[case]
    assert deal_error(p, t, market.model().is_reward_token) == expected("InvalidDeal", field)
    next_block_at(t)
    with reverts("InvalidDeal", field):
        deals.createDeal(p.as_tuple(), tx_from(market.deployer))


def test_create_deal_accepts_every_limit(market, deals):
    """The extremes each rule allows: a one-second deal whose windows all open at once, equal caps,
    minLevel 10, softCap = raise target, tgeBps 10_000, feeBps 2_000, no vesting rule (field 13)."""
    p = market.params()
    p = p.but(end=p.start + 1, opensAfter=(0,) * 10, capByLevel=(5,) * 10, minLevel=10,
              softCap=p.raise_target, tgeBps=10_000, feeBps=MAX_FEE_BPS, vestingDuration=2**64 - 1)
    market.create(p)
    assert deals.deal(1)[0] == p.as_tuple()


def test_create_deal_refuses_a_fee_on_transfer_sale_token(market, deals, TestToken, seller, deployer):
    fot = TestToken.deploy("FOT", 10**24, tx_from(seller))
    fot.setFee(100, tx_from(seller))  # 1%
    fot.approve(deals, 2**256 - 1, tx_from(seller))
    p = market.params(saleToken=str(fot))
    with reverts("UnsupportedFeeOnTransfer", fot, p.saleAmount, p.saleAmount * 99 // 100):
        market.create(p)


# ---- commit ----

def test_commit_records_the_position_and_emits(market, deals, pay, buyers, ranked):
    model = market.model()
    p = market.params()
    market.create(p, at=now() + 1)
    model.create(p, market.deployer, now())
    b = buyers[0]  # level 10: opens at the start
    before = pay.balanceOf(b)
    tx = commit_at(deals, b, 1, 1_000 * PAY_UNIT, p.start)
    assert event(tx, "Committed") == model.commit(1, b, 1_000 * PAY_UNIT, p.start) == {
        "dealId": 1, "account": b, "level": 10, "amount": 1_000 * PAY_UNIT, "total": 1_000 * PAY_UNIT,
    }
    tx = commit_at(deals, b, 1, 7, p.start + 5)
    assert event(tx, "Committed")["total"] == 1_000 * PAY_UNIT + 7
    model.commit(1, b, 7, p.start + 5)
    assert pay.balanceOf(b) == before - 1_000 * PAY_UNIT - 7
    assert pay.balanceOf(deals) == 1_000 * PAY_UNIT + 7
    assert deals.commitment(1, b) == 1_000 * PAY_UNIT + 7
    assert deals.position(1, b) == (1_000 * PAY_UNIT + 7, 10, False, 0)
    assert deals.deal(1) == model.deals[1].as_tuple()
    assert deals.maxCommit(1, b) == p.capByLevel[9] - 1_000 * PAY_UNIT - 7 == model.max_commit(1, b, now())


def test_commit_zero_amount(market, deals, buyers, ranked):
    market.create()
    with reverts("ZeroAmount"):
        deals.commit(1, 0, tx_from(buyers[0]))


def test_commit_unknown_deal(market, deals, buyers, ranked):
    with reverts("UnknownDeal", 1):
        deals.commit(1, 1, tx_from(buyers[0]))
    market.create()
    with reverts("UnknownDeal", 2):
        deals.commit(2, 1, tx_from(buyers[0]))


def test_commit_to_a_cancelled_deal(market, deals, buyers, deployer, ranked):
    p = market.params()
    market.create(p)
    deals.cancelDeal(1, tx_from(deployer))
    next_block_at(p.start)
    with reverts("DealNotOpen", 1, CANCELLED):
        deals.commit(1, 1, tx_from(buyers[0]))


def test_commit_not_eligible_below_min_level_or_without_level(market, deals, buyers, ranked):
    p = market.params(minLevel=3)
    market.create(p)
    next_block_at(p.start + 20 * HOUR)  # every window is open
    with reverts("NotEligible", buyers[3], 2):
        deals.commit(1, 1, tx_from(buyers[3]))
    with reverts("NotEligible", buyers[5], 0):
        deals.commit(1, 1, tx_from(buyers[5]))
    assert deals.maxCommit(1, buyers[3]) == 0 and deals.maxCommit(1, buyers[5]) == 0


def test_commit_outside_the_window(market, deals, buyers, ranked):
    p = market.params()
    market.create(p)
    opens = p.start + 12 * HOUR  # level 5
    assert deals.windowOf(1, 5) == (opens, p.end)
    next_block_at(opens - 1)
    with reverts("WindowClosed", opens, p.end):
        deals.commit(1, 1, tx_from(buyers[2]))
    assert deals.maxCommit(1, buyers[2]) == 0  # the view sees the latest block: still closed
    next_block_at(p.end)
    with reverts("WindowClosed", opens, p.end):
        deals.commit(1, 1, tx_from(buyers[2]))


def test_commit_above_the_cap(market, deals, buyers, ranked):
    p = market.params()
    market.create(p)
    cap = p.capByLevel[7]  # buyers[1] is level 8
    commit_at(deals, buyers[1], 1, cap - 10, p.start)
    next_block_at(p.start + 1)
    with reverts("AboveCap", cap, cap + 1):
        deals.commit(1, 11, tx_from(buyers[1]))
    commit_at(deals, buyers[1], 1, 10, p.start + 2)
    assert deals.commitment(1, buyers[1]) == cap
    assert deals.maxCommit(1, buyers[1]) == 0


def test_commit_refuses_a_fee_on_transfer_pay_token(market, deals, dist, TestToken, buyers, deployer, ranked):
    fot = TestToken.deploy("FOT", 10**24, tx_from(deployer))
    dist.addRewardToken(fot, tx_from(deployer))
    fot.transfer(buyers[0], 10**22, tx_from(deployer))
    fot.approve(deals, 2**256 - 1, tx_from(buyers[0]))
    p = market.params(payToken=str(fot), price=UNIT, capByLevel=(10**24,) * 10)
    market.create(p)
    fot.setFee(10, tx_from(deployer))  # 0.1%, switched on after the deal was created
    next_block_at(p.start)
    with reverts("UnsupportedFeeOnTransfer", fot, 10**18, 10**18 - 10**15):
        deals.commit(1, 10**18, tx_from(buyers[0]))


# ---- finalize ----

def test_finalize_before_the_end(market, deals, buyers, ranked):
    p = market.params()
    market.create(p)
    next_block_at(p.end - 1)
    with reverts("DealNotEnded", p.end):
        deals.finalize(1, tx_from(buyers[7]))


def test_finalize_unknown_and_settled_deals(market, deals, buyers, ranked):
    with reverts("UnknownDeal", 3):
        deals.finalize(3, tx_from(buyers[7]))
    p = market.params()
    market.create(p)
    finalize_at(deals, 1, p.end, buyers[7])
    with reverts("DealNotOpen", 1, SUCCEEDED):
        deals.finalize(1, tx_from(buyers[7]))


def test_finalize_success_pays_fee_seller_and_unsold(market, deals, dist, pay, sale, seller, buyers, ranked):
    model = market.model()
    p = market.params(feeBps=250, softCap=1_000 * PAY_UNIT)
    market.create(p, at=now() + 1)
    model.create(p, market.deployer, now())
    for i, amount in [(0, 30_000 * PAY_UNIT + 1), (1, 12_345 * PAY_UNIT), (2, 333)]:
        t = p.start + 13 * HOUR + i
        commit_at(deals, buyers[i], 1, amount, t)
        model.commit(1, buyers[i], amount, t)
    start, moved = market.balances([seller, dist, deals]), dict(model.moved)
    tx = finalize_at(deals, 1, p.end + 5, buyers[7])
    expect = model.finalize(1, p.end + 5)
    assert tx.return_value is True
    assert event(tx, "DealFinalized") == expect
    assert expect["fee"] == expect["proceeds"] * 250 // 10_000 > 0
    for key, value in market.balances([seller, dist, deals]).items():
        assert value - start[key] == model.moved.get(key, 0) - moved.get(key, 0), key
    assert pay.balanceOf(dist) - start[(str(pay), str(dist))] == expect["fee"]
    assert pay.balanceOf(seller) - start[(str(pay), str(seller))] == expect["proceeds"] - expect["fee"]
    assert sale.balanceOf(seller) - start[(str(sale), str(seller))] == p.saleAmount - expect["tokensSold"]
    assert deals.deal(1) == model.deals[1].as_tuple()


def test_finalize_below_soft_cap_fails(market, deals, sale, seller, buyers, ranked):
    p = market.params(softCap=1_000 * PAY_UNIT)
    market.create(p)
    commit_at(deals, buyers[0], 1, 1_000 * PAY_UNIT - 1, p.start)
    before = sale.balanceOf(seller)
    tx = finalize_at(deals, 1, p.end, buyers[7])
    assert tx.return_value is False
    assert event(tx, "DealFinalized") == {
        "dealId": 1, "succeeded": False, "raised": 1_000 * PAY_UNIT - 1, "proceeds": 0, "fee": 0, "tokensSold": 0,
    }
    assert sale.balanceOf(seller) == before + p.saleAmount
    assert deals.deal(1)[1] == FAILED


def test_fee_goes_to_the_owner_when_the_pay_token_is_no_longer_a_reward_token(
    market, deals, dist, pay, buyers, deployer, ranked
):
    p = market.params(feeBps=1_000)
    market.create(p)
    commit_at(deals, buyers[0], 1, 10_000 * PAY_UNIT, p.start)
    dist.removeRewardToken(pay, tx_from(deployer))
    before_owner, before_dist = pay.balanceOf(deployer), pay.balanceOf(dist)
    tx = finalize_at(deals, 1, p.end, buyers[7])
    assert event(tx, "DealFinalized")["fee"] == 1_000 * PAY_UNIT
    assert pay.balanceOf(deployer) - before_owner == 1_000 * PAY_UNIT
    assert pay.balanceOf(dist) == before_dist


# ---- claim ----

def test_claim_before_finalize_unknown_and_nothing(market, deals, buyers, ranked):
    with reverts("UnknownDeal", 1):
        deals.claim(1, tx_from(buyers[0]))
    p = market.params()
    market.create(p)
    commit_at(deals, buyers[0], 1, 100, p.start)
    next_block_at(p.end)
    with reverts("DealNotFinalized", 1):
        deals.claim(1, tx_from(buyers[0]))
    assert deals.claimable(1, buyers[0]) == (0, 0)
    finalize_at(deals, 1, p.end + 1, buyers[7])
    next_block_at(p.end + 2)
    with reverts("NothingToClaim", 1, buyers[5]):
        deals.claim(1, tx_from(buyers[5]))


def test_claim_pays_refund_once_and_vested_tokens(market, deals, pay, sale, buyers, ranked):
    model = market.model()
    # a small sale: 100 sale tokens at 3 pay units each (raise target 300), oversubscribed
    p = market.params(saleAmount=100 * UNIT, price=3, tgeBps=1_000, vestingDuration=10 * DAY)
    market.create(p, at=now() + 1)
    model.create(p, market.deployer, now())
    commit_at(deals, buyers[0], 1, 1_000, p.start)
    model.commit(1, buyers[0], 1_000, p.start)
    finalize_at(deals, 1, p.end, buyers[7])
    model.finalize(1, p.end)
    b = buyers[0]
    assert model.claimable(1, b, p.end) == (700, 10 * UNIT)  # 30% filled, 10% at the TGE
    for t in (p.end + 1, p.end + DAY, p.end + 10 * DAY + 1):
        expect = model.claimable(1, b, t)
        before = (pay.balanceOf(b), sale.balanceOf(b))
        tx = claim_at(deals, b, 1, t)
        assert event(tx, "Claimed") == model.claim(1, b, t) == {
            "dealId": 1, "account": b, "refund": expect[0], "tokens": expect[1],
        }
        assert tx.return_value == expect
        assert (pay.balanceOf(b) - before[0], sale.balanceOf(b) - before[1]) == expect
        assert deals.position(1, b) == model.position(1, b).as_tuple()
    assert deals.position(1, b) == (1_000, 10, True, 100 * UNIT)
    next_block_at(p.end + 11 * DAY)
    with reverts("NothingToClaim", 1, b):
        deals.claim(1, tx_from(b))


# ---- cancelDeal ----

def test_cancel_returns_sale_tokens_and_emits(market, deals, sale, seller, deployer, buyers, ranked):
    p = market.params()
    market.create(p)
    commit_at(deals, buyers[0], 1, 500, p.start)
    before = sale.balanceOf(seller)
    next_block_at(p.start + 1)
    tx = deals.cancelDeal(1, tx_from(deployer))
    assert event(tx, "DealCancelled") == {"dealId": 1}
    assert sale.balanceOf(seller) - before == p.saleAmount
    assert deals.deal(1)[1] == CANCELLED
    assert deals.claimable(1, buyers[0]) == (500, 0)


def test_cancel_is_owner_only_and_only_while_open(market, deals, deployer, buyers, ranked):
    with reverts("UnknownDeal", 1):
        deals.cancelDeal(1, tx_from(deployer))
    p = market.params()
    market.create(p)
    with reverts("OwnableUnauthorizedAccount", buyers[0]):
        deals.cancelDeal(1, tx_from(buyers[0]))
    finalize_at(deals, 1, p.end, buyers[0])
    with reverts("DealNotOpen", 1, SUCCEEDED):
        deals.cancelDeal(1, tx_from(deployer))
    market.create(market.params(snapshot=now()))
    deals.cancelDeal(2, tx_from(deployer))
    with reverts("DealNotOpen", 2, CANCELLED):
        deals.cancelDeal(2, tx_from(deployer))


# ---- views ----

def test_views_of_an_unknown_deal(deals, buyers):
    for view, args in [
        (deals.deal, (1,)), (deals.maxCommit, (1, buyers[0])), (deals.dealLevel, (1, buyers[0])),
        (deals.windowOf, (1, 3)), (deals.claimable, (1, buyers[0])), (deals.raiseTarget, (1,)),
    ]:
        with reverts("UnknownDeal", 1):
            view(*args)
    assert deals.commitment(1, buyers[0]) == 0
    assert deals.position(1, buyers[0]) == (0, 0, False, 0)


def test_window_of_every_level(market, deals, ranked):
    p = market.params()
    market.create(p)
    model = market.model()
    assert deals.windowOf(1, 0) == (p.end, p.end)
    for level in range(1, LEVELS + 1):
        assert deals.windowOf(1, level) == (p.start + p.opensAfter[level - 1], p.end)
        assert deals.windowOf(1, level) == model.window(p, level)
    with reverts("InvalidLevel", 11):
        deals.windowOf(1, 11)
    with reverts("InvalidLevel", 255):
        deals.windowOf(7, 255)  # the level is checked before the deal


def test_deal_level_and_max_commit_views(market, deals, buyers, ranked):
    p = market.params()
    market.create(p)
    for b, level in zip(buyers, RANKS + (0,)):
        assert deals.dealLevel(1, b) == level
    mine_at(p.start)
    assert deals.maxCommit(1, buyers[0]) == p.capByLevel[9]
    assert deals.maxCommit(1, buyers[2]) == 0  # level 5: not yet
    mine_at(p.start + 12 * HOUR)
    assert deals.maxCommit(1, buyers[2]) == p.capByLevel[4]
    mine_at(p.end)
    assert deals.maxCommit(1, buyers[0]) == 0
    finalize_at(deals, 1, p.end + 1, buyers[0])
    assert deals.maxCommit(1, buyers[0]) == 0


def test_invalid_deal_names_the_first_broken_field_when_opens_after_and_caps_both_break(market, deals):
    """Field order wins over level order: caps break at level 2, windows only at level 10."""
    p = market.params()
    caps = list(p.capByLevel)
    caps[1] = caps[0] - 1
    opens = list(p.opensAfter)
    opens[9] = p.end - p.start
    p = p.but(capByLevel=tuple(caps), opensAfter=tuple(opens))
    t = now() + 1
    assert deal_error(p, t, market.model().is_reward_token) == expected("InvalidDeal", 8)
    next_block_at(t)
    with reverts("InvalidDeal", 8):
        deals.createDeal(p.as_tuple(), {"from": market.deployer, "gas_limit": 2_000_000})
