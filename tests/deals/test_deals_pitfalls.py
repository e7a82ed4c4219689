"""Known pitfalls of level-gated token sales, each pinned by a test (SPEC 5.3): the level is the lower
of the level at the snapshot and now, fixed at the first commit; windows are `[opensAt, end)` to the
second; `finalize` runs once, from `end` on; claims pay once; cancelled and failed deals refund in full;
oversubscription fills the highest levels first and the boundary level pro rata; `finalize` costs the
same whatever the number of buyers; and the "lock big for a week, take a level-10 allocation" game
fails because the snapshot predates the deal."""

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, HOUR, UNIT, WEEK
from tests.deals.conftest import PAY_UNIT
from tests.deals.deals_helpers import claim_at, commit_at, event, finalize_at
from tests.models.deals_model import CANCELLED, FAILED, SUCCEEDED
from tests.support.reverts import reverts

GAS = {"gas_limit": 2_000_000}


def tx_from(account):
    return {"from": account, **GAS}


def test_a_level_raised_after_the_snapshot_gives_no_more(market, deals, levels, ve, buyers, ranked):
    """buyers[3] was level 2 at the snapshot; it tops its lock up to level 10 after it: for the deal it
    stays level 2 (its window opens after 18 hours, its cap is level 2's)."""
    b = buyers[3]
    p = market.params()
    market.create(p)
    market.raise_to(b, 10)
    assert levels.levelOf(b) == 10 and levels.levelAt(b, p.snapshot) == 2
    assert deals.dealLevel(1, b) == 2
    next_block_at(p.start)
    with reverts("WindowClosed", p.start + 18 * HOUR, p.end):
        deals.commit(1, 1, tx_from(b))
    next_block_at(p.start + 18 * HOUR)
    with reverts("AboveCap", p.capByLevel[1], p.capByLevel[1] + 1):
        deals.commit(1, p.capByLevel[1] + 1, tx_from(b))
    tx = commit_at(deals, b, 1, p.capByLevel[1], p.start + 18 * HOUR + 1)
    assert event(tx, "Committed")["level"] == 2


def test_a_level_lost_after_the_snapshot_counts_lower(market, deals, levels, ve, buyers, ranked):
    """buyers[1] was level 8 (permanent lock of 8 tokens) at the snapshot; it turns the lock into a
    decaying one after it (its score drops below 16 tokens: level 7): for the deal it is level 7. An
    account that withdraws its lock early after the snapshot is level 0, not eligible."""
    b = buyers[1]
    p = market.params()
    market.create(p)
    ve.unlockPermanent(tx_from(b))
    assert levels.levelAt(b, p.snapshot) == 8 and levels.levelOf(b) == 7
    assert deals.dealLevel(1, b) == 7
    next_block_at(p.start)  # level 8 opens at the start, level 7 after 12 hours
    with reverts("WindowClosed", p.start + 12 * HOUR, p.end):
        deals.commit(1, 1, tx_from(b))
    tx = commit_at(deals, b, 1, 5, p.start + 12 * HOUR)
    assert event(tx, "Committed")["level"] == 7
    ve.unlockPermanent(tx_from(buyers[0]))
    ve.withdrawEarly(tx_from(buyers[0]))  # level 10 at the snapshot, nothing now
    assert deals.dealLevel(1, buyers[0]) == 0
    next_block_at(p.start + 13 * HOUR)
    with reverts("NotEligible", buyers[0], 0):
        deals.commit(1, 1, tx_from(buyers[0]))


def test_the_level_is_fixed_at_the_first_commit(market, deals, levels, ve, buyers, ranked):
    """Level 10 at the first commit; after the account withdraws its whole lock (level 0 now), its
    later commits and its share of the fill still count at level 10."""
    b = buyers[0]
    p = market.params(saleAmount=1_000 * UNIT, price=PAY_UNIT)  # raise target 1 000
    market.create(p)
    commit_at(deals, b, 1, 600 * PAY_UNIT, p.start)
    ve.unlockPermanent(tx_from(b))
    ve.withdrawEarly(tx_from(b))
    assert levels.levelOf(b) == 0
    assert deals.dealLevel(1, b) == 10
    tx = commit_at(deals, b, 1, 400 * PAY_UNIT, p.start + HOUR)
    assert event(tx, "Committed")["level"] == 10
    commit_at(deals, buyers[1], 1, 500 * PAY_UNIT, p.start + 2 * HOUR)  # level 8
    finalize_at(deals, 1, p.end, b)
    assert deals.deal(1)[3][9] == 1_000 * PAY_UNIT and deals.deal(1)[3][7] == 0  # level 10 filled first
    assert deals.claimable(1, b) == (0, 1_000 * UNIT)
    assert deals.claimable(1, buyers[1]) == (500 * PAY_UNIT, 0)


def test_window_edges_to_the_second(market, deals, buyers, ranked):
    """Level 5's window is [start + 12 h, end): a second before it opens and the end itself are
    outside; its first and its last second are inside."""
    b = buyers[2]
    p = market.params()
    market.create(p)
    opens = p.start + 12 * HOUR
    next_block_at(opens - 1)
    with reverts("WindowClosed", opens, p.end):
        deals.commit(1, 1, tx_from(b))
    commit_at(deals, b, 1, 1, opens)
    commit_at(deals, b, 1, 1, p.end - 1)
    next_block_at(p.end)
    with reverts("WindowClosed", opens, p.end):
        deals.commit(1, 1, tx_from(b))
    assert deals.commitment(1, b) == 2


def test_finalize_from_the_end_on_and_only_once(market, deals, buyers, ranked):
    p = market.params()
    market.create(p)
    next_block_at(p.end - 1)
    with reverts("DealNotEnded", p.end):
        deals.finalize(1, tx_from(buyers[5]))
    tx = finalize_at(deals, 1, p.end, buyers[5])  # anyone, at the end's second
    assert event(tx, "DealFinalized")["succeeded"] is True
    with reverts("DealNotOpen", 1, SUCCEEDED):
        deals.finalize(1, tx_from(buyers[6]))


def test_claim_pays_once(market, deals, pay, sale, buyers, ranked):
    """Without vesting a claim pays everything; a second claim has nothing to pay."""
    b = buyers[0]
    p = market.params(saleAmount=100 * UNIT, price=PAY_UNIT)  # raise target 100
    market.create(p)
    commit_at(deals, b, 1, 150 * PAY_UNIT, p.start)
    finalize_at(deals, 1, p.end, b)
    tx = claim_at(deals, b, 1, p.end + 1)
    assert tx.return_value == (50 * PAY_UNIT, 100 * UNIT)
    next_block_at(p.end + 2)
    with reverts("NothingToClaim", 1, b):
        deals.claim(1, tx_from(b))
    assert deals.claimable(1, b) == (0, 0)


def test_a_cancelled_deal_refunds_in_full_and_takes_no_commit(market, deals, pay, sale, seller, deployer, buyers, ranked):
    p = market.params(tgeBps=1_000, vestingDuration=30 * DAY)
    market.create(p)
    commit_at(deals, buyers[0], 1, 1_234_567, p.start)
    commit_at(deals, buyers[1], 1, 7, p.start + 1)
    seller_sale = sale.balanceOf(seller)
    next_block_at(p.start + 2)
    deals.cancelDeal(1, tx_from(deployer))
    assert sale.balanceOf(seller) - seller_sale == p.saleAmount  # at once
    assert sale.balanceOf(deals) == 0
    next_block_at(p.start + 3)
    with reverts("DealNotOpen", 1, CANCELLED):
        deals.commit(1, 1, tx_from(buyers[0]))
    with reverts("DealNotOpen", 1, CANCELLED):
        deals.finalize(1, tx_from(buyers[0]))
    for b, amount in [(buyers[0], 1_234_567), (buyers[1], 7)]:
        before = pay.balanceOf(b)
        assert claim_at(deals, b, 1, now() + 1).return_value == (amount, 0)  # before the end: no wait
        assert pay.balanceOf(b) - before == amount
    assert pay.balanceOf(deals) == 0


def test_a_failed_deal_refunds_in_full_and_returns_the_sale_tokens(market, deals, pay, sale, seller, buyers, ranked):
    p = market.params(softCap=100_000 * PAY_UNIT)
    market.create(p)
    commit_at(deals, buyers[0], 1, 60_000 * PAY_UNIT, p.start)
    commit_at(deals, buyers[1], 1, 40_000 * PAY_UNIT - 1, p.start + 1)
    seller_sale, seller_pay = sale.balanceOf(seller), pay.balanceOf(seller)
    tx = finalize_at(deals, 1, p.end, buyers[5])
    assert event(tx, "DealFinalized") == {
        "dealId": 1, "succeeded": False, "raised": 100_000 * PAY_UNIT - 1, "proceeds": 0, "fee": 0, "tokensSold": 0,
    }
    assert deals.deal(1)[1] == FAILED and deals.deal(1)[3] == (0,) * 10
    assert sale.balanceOf(seller) - seller_sale == p.saleAmount
    assert pay.balanceOf(seller) == seller_pay
    assert claim_at(deals, buyers[0], 1, p.end + 1).return_value == (60_000 * PAY_UNIT, 0)
    assert claim_at(deals, buyers[1], 1, p.end + 2).return_value == (40_000 * PAY_UNIT - 1, 0)
    assert pay.balanceOf(deals) == 0 and sale.balanceOf(deals) == 0


def test_oversubscription_fills_level_10_first_and_the_boundary_level_pro_rata(
    market, deals, pay, sale, seller, buyers, ranked
):
    """Raise target 100 000 (1M sale tokens at 0.1); level 10 commits 60 000, level 8 (two buyers)
    30 000 + 20 001, level 5 9 999: level 10 is filled, level 8 gets the 40 000 left, shared pro rata
    (rounded down), level 5 nothing (a full refund)."""
    extra = buyers[4]
    market.lock_level(extra, 8)
    p = market.params(saleAmount=1_000_000 * UNIT, price=PAY_UNIT // 10, feeBps=300,
                      capByLevel=(10**12,) * 10, snapshot=now())
    market.create(p)
    model = market.model()
    model.create(p, market.deployer, now())
    commits = [(buyers[0], 60_000), (buyers[1], 30_000), (extra, 20_001), (buyers[2], 9_999)]
    t = p.start + 12 * HOUR
    for i, (b, amount) in enumerate(commits):
        commit_at(deals, b, 1, amount * PAY_UNIT, t + i)
        model.commit(1, b, amount * PAY_UNIT, t + i)
    seller_pay = pay.balanceOf(seller)
    tx = finalize_at(deals, 1, p.end, buyers[7])
    assert event(tx, "DealFinalized") == model.finalize(1, p.end) == {
        "dealId": 1, "succeeded": True, "raised": 120_000 * PAY_UNIT, "proceeds": 100_000 * PAY_UNIT,
        "fee": 3_000 * PAY_UNIT, "tokensSold": 1_000_000 * UNIT,
    }
    filled = deals.deal(1)[3]
    assert (filled[9], filled[7], filled[4]) == (60_000 * PAY_UNIT, 40_000 * PAY_UNIT, 0)
    assert pay.balanceOf(seller) - seller_pay == 97_000 * PAY_UNIT
    level8 = 50_001 * PAY_UNIT
    expected = {
        buyers[0]: (0, 600_000 * UNIT),
        buyers[1]: (30_000 * PAY_UNIT * 10_001 * PAY_UNIT // level8, 30_000 * PAY_UNIT * 400_000 * UNIT // level8),
        extra: (20_001 * PAY_UNIT * 10_001 * PAY_UNIT // level8, 20_001 * PAY_UNIT * 400_000 * UNIT // level8),
        buyers[2]: (9_999 * PAY_UNIT, 0),
    }
    for i, (b, (refund, tokens)) in enumerate(expected.items()):
        assert deals.claimable(1, b) == (refund, tokens) == model.claimable(1, b, p.end)
        assert claim_at(deals, b, 1, p.end + 1 + i).return_value == (refund, tokens)
    # rounding down leaves dust in the contract, never a shortfall
    assert 0 <= sale.balanceOf(deals) <= 2 and 0 <= pay.balanceOf(deals) <= 2


def test_finalize_gas_does_not_grow_with_the_number_of_buyers(market, deals, pay, seller, deployer, buyers, ranked):
    """Totals are kept per level: finalize of a deal with 8 buyers costs what it costs with 2, in the
    same two levels (10 and 8) with the same amounts per level."""
    for b, level in [(buyers[4], 10), (buyers[5], 10), (buyers[6], 10), (buyers[7], 8)]:
        market.lock_level(b, level)
    market.raise_to(buyers[2], 8)
    market.raise_to(buyers[3], 8)
    # Storage that only one of the two finalizes would touch first is set up front: the seller
    # already holds pay tokens, and the contract keeps a unit of dust (the last finalize does not
    # empty its balance, which would earn a storage refund).
    pay.mint(seller, 1, tx_from(deployer))
    pay.mint(deals, 1, tx_from(deployer))
    p = market.params()
    market.create(p)  # deal 1: two buyers
    market.create(p)  # deal 2: eight buyers
    t = p.start
    commit_at(deals, buyers[0], 1, 4_000 * PAY_UNIT, t)
    commit_at(deals, buyers[1], 1, 4_000 * PAY_UNIT, t + 1)
    for i, b in enumerate(buyers):
        commit_at(deals, b, 2, 1_000 * PAY_UNIT, t + 2 + i)
    assert deals.deal(1)[2] == deals.deal(2)[2]
    assert deals.deal(2)[2][9] == deals.deal(2)[2][7] == 4_000 * PAY_UNIT
    two = finalize_at(deals, 1, p.end, deployer).gas_used
    eight = finalize_at(deals, 2, p.end + 1, deployer).gas_used
    assert abs(two - eight) < 200, (two, eight)


def test_locking_big_for_a_week_after_the_snapshot_gets_nothing(market, deals, levels, ve, buyers, ranked):
    """The game SPEC 5 is written against: lock a large amount for one week right before the deal
    opens, take a level-10 allocation, leave. The snapshot predates the announcement, so the account's
    deal level is 0: not eligible, nothing to commit."""
    gamer = buyers[5]
    p = market.params()
    market.create(p)
    ve.createLock(40 * UNIT, week_start(now()) + WEEK, tx_from(gamer))  # scores > 20 tokens: level 10
    assert levels.levelOf(gamer) == 10 and levels.levelAt(gamer, p.snapshot) == 0
    assert deals.dealLevel(1, gamer) == 0
    mine_at(p.start)
    assert deals.maxCommit(1, gamer) == 0
    next_block_at(p.start + 1)
    with reverts("NotEligible", gamer, 0):
        deals.commit(1, 1, tx_from(gamer))
