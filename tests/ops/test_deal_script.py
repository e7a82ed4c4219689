"""scripts/deal.py as holders and a keeper run it on the deployed `system`, with one deal created as the
timelock creates it (a passed proposal; here the timelock impersonated): listing and showing it, commits
in the level windows, an oversubscribed finalize filled by level priority, claims with vesting, a failed
deal's refunds, and every refusal naming its argument with nothing sent."""

import pytest

from harness.chain.time import mine_at, now
from harness.core.units import DAY, HOUR, MAX_LOCK, UNIT, WEEK, format_duration, utc
from tests.governance.helpers import impersonate
from tests.ops.test_ops_scripts import ok, refused

HIGH, HIGH_2, LOW, LEVEL_0, SELLER = 2, 4, 3, 5, 7  # Anvil accounts: levels 10, 10, 1, 0 and the seller
SALE_AMOUNT = 100_000 * UNIT
PRICE = UNIT // 2  # 0.5 AIS per SALE: the raise target is 50,000 AIS
CAPS = [1_000] * 4 + [5_000] * 3 + [40_000] * 3  # AIS per account, levels 1..10
OPENS_AFTER = [18 * HOUR] * 4 + [12 * HOUR] * 3 + [0] * 3  # TMAI defaults: 8-10 at once, 5-7 after 12h, 1-4 after 18h
SOFT_CAP = 10_000 * UNIT
TGE_BPS, VESTING, FEE_BPS = 2_000, 30 * DAY, 500
LENGTH = 2 * DAY


@pytest.fixture(scope="module")
def deal(system, accounts, ServiceToken):
    """Locks giving accounts 2 and 4 level 10 and account 3 level 1 (account 5 holds AIS, no lock), a
    snapshot after them, and deal 1: 100,000 SALE of the seller (account 7) for AIS, starting in an hour."""
    token, escrow = system.token, system.escrow
    token.transfer(accounts[HIGH_2], 8_010_000 * UNIT, {"from": accounts[HIGH]})
    token.transfer(accounts[LEVEL_0], 100_000 * UNIT, {"from": accounts[HIGH]})
    unlock = now() + MAX_LOCK - WEEK
    for index, amount in ((HIGH, 8_000_000), (HIGH_2, 8_000_000), (LOW, 30_000)):
        token.approve(escrow, amount * UNIT, {"from": accounts[index]})
        escrow.createLock(amount * UNIT, unlock, {"from": accounts[index]})
    mine_at(now() + HOUR)
    sale = ServiceToken.deploy("Sale Token", "SALE", [accounts[SELLER]], [1_000_000 * UNIT], {"from": accounts[0]})
    start = now() + HOUR
    params = (
        accounts[SELLER].address, sale.address, SALE_AMOUNT, token.address, PRICE, now() - 60, start, start + LENGTH,
        OPENS_AFTER, [cap * UNIT for cap in CAPS], 1, SOFT_CAP, TGE_BPS, VESTING, FEE_BPS,
    )
    sale.approve(system.deals, SALE_AMOUNT, {"from": accounts[SELLER]})
    system.deals.createDeal(params, {"from": impersonate(system.timelock.address)})
    assert system.levels.levelOf(accounts[HIGH]) == 10 and system.levels.levelOf(accounts[LOW]) == 1
    return {"sale": sale, "start": start, "end": start + LENGTH, "params": params}


def test_list_and_show_before_the_start(run, system, deal, accounts, marks):
    start, end = deal["start"], deal["end"]
    before = marks()
    out = ok(run("deal.py", "list", signer=LOW))
    assert out == (
        f"1  Open (starts {utc(start)}): 100,000 SALE at 0.5 AIS each, committed 0 AIS of 50,000 AIS "
        f"(soft cap 10,000 AIS), {utc(start)} -> {utc(end)}\n"
    )
    out = ok(run("deal.py", "show", "1", signer=LOW))
    lines = out.splitlines()
    assert lines[0] == f"deal 1: Open (starts {utc(start)})"
    assert lines[1] == f"  seller    {accounts[SELLER].address}"
    assert lines[2] == f"  sale      100,000 SALE ({deal['sale'].address}) at 0.5 AIS each (price {PRICE} per 10^18 units)"
    assert lines[3] == f"  pay token AIS ({system.token.address}): target 50,000 AIS, soft cap 10,000 AIS, committed 0 AIS"
    assert lines[4] == f"  times     snapshot {utc(deal['params'][5])}, start {utc(start)}, end {utc(end)}"
    assert lines[5] == "  terms     minimum level 1, 20% at the TGE, the rest over 30d 0h 00m from the end, fee 5% to stakers"
    table = [line.split() for line in lines[7:17]]
    assert table[0] == ["10", "0h", "00m", "40,000", "0", "0"]
    assert table[3] == ["7", "12h", "00m", "5,000", "0", "0"]
    assert table[9] == ["1", "18h", "00m", "1,000", "0", "0"]
    assert lines[17] == f"{accounts[LOW].address} in deal 1:"
    assert lines[18] == "  level      1 (the lower of its level at the snapshot and now)"
    opens = start + 18 * HOUR
    assert lines[19].startswith(f"  window     {utc(opens)} -> {utc(end)} (opens in 1")
    assert lines[20:] == ["  can commit 0 AIS now", "  committed  0 AIS", "  claimable  refund 0 AIS, 0 SALE (claimed so far 0 SALE)"]

    out = ok(run("deal.py", "show", "1", accounts[LEVEL_0].address, signer=LOW))
    assert "  level      0 (the lower of its level at the snapshot and now): below the minimum level 1, not eligible" in out
    assert "  window     none" in out
    assert marks() == before


def test_commits_in_the_level_windows_up_to_the_cap(run, system, deal, accounts, marks):
    deals, token, start = system.deals, system.token, deal["start"]
    mine_at(start)
    balance = token.balanceOf(accounts[HIGH])
    out = ok(run("deal.py", "commit", "1", "25000", signer=HIGH))
    assert "committed 25,000 AIS to deal 1 at level 10: 25,000 AIS in all, 15,000 AIS more allowed now\n" in out
    out = ok(run("deal.py", "commit", "1", "15000", signer=HIGH))
    assert "committed 15,000 AIS to deal 1 at level 10: 40,000 AIS in all, 0 AIS more allowed now\n" in out
    assert deals.commitment(1, accounts[HIGH]) == 40_000 * UNIT
    assert token.balanceOf(accounts[HIGH]) == balance - 40_000 * UNIT
    assert token.balanceOf(deals) == 40_000 * UNIT
    assert tuple(deals.position(1, accounts[HIGH]))[:2] == (40_000 * UNIT, 10)

    before = marks()
    refused(run("deal.py", "commit", "1", "0.5", signer=HIGH),
            f"error: amount: 0.5 AIS is more than {accounts[HIGH].address} may still commit to deal 1, 0 AIS "
            "(level 10 cap 40,000 AIS, committed 40,000 AIS)", before, marks)
    refused(run("deal.py", "commit", "1", "500", signer=LOW),
            f"error: deal: level 1's window of deal 1 opens at {utc(start + 18 * HOUR)}, "
            f"in {format_duration(start + 18 * HOUR - now())}\n", before, marks)
    refused(run("deal.py", "commit", "1", "20000", signer=HIGH_2),
            f"error: amount: 20,000 AIS is more than the balance of {accounts[HIGH_2].address} (10,000 AIS)", before, marks)

    mine_at(start + 18 * HOUR)
    out = ok(run("deal.py", "commit", "1", "1000", signer=LOW))
    assert "committed 1,000 AIS to deal 1 at level 1: 1,000 AIS in all, 0 AIS more allowed now\n" in out
    out = ok(run("deal.py", "show", "1", signer=LOW))
    assert "  level      1 (fixed at its first commit)" in out
    assert f"  window     {utc(start + 18 * HOUR)} -> {utc(deal['end'])} (open now)" in out
    assert "  committed  1,000 AIS" in out and "  can commit 0 AIS now" in out
    assert "committed 41,000 AIS" in out


def test_an_oversubscribed_deal_fills_level_10_first_and_vests(run, system, deal, accounts, marks):
    deals, token, sale, start, end = system.deals, system.token, deal["sale"], deal["start"], deal["end"]
    mine_at(start)
    token.transfer(accounts[HIGH_2], 30_000 * UNIT, {"from": accounts[HIGH]})
    ok(run("deal.py", "commit", "1", "40000", signer=HIGH))
    ok(run("deal.py", "commit", "1", "40000", signer=HIGH_2))
    mine_at(start + 18 * HOUR)
    ok(run("deal.py", "commit", "1", "1000", signer=LOW))

    before = marks()
    refused(run("deal.py", "finalize", "1", signer=LEVEL_0), f"error: deal: deal 1 ends at {utc(end)}, in {format_duration(end - now())}: finalize after", before, marks)
    refused(run("deal.py", "claim", "1", signer=LOW),
            f"error: deal: deal 1 is not finalized yet (it ends {utc(end)}; run `finalize` after that)", before, marks)

    mine_at(end)
    seller_ais, staked_revenue = token.balanceOf(accounts[SELLER]), token.balanceOf(system.distributor)
    out = ok(run("deal.py", "finalize", "1", signer=LEVEL_0))
    # level 10: 80,000 committed, the whole 50,000 target filled; level 1: nothing filled
    assert (
        "finalized deal 1: Succeeded, raised 81,000 AIS, accepted 50,000 AIS (fee 2,500 AIS to stakers), "
        "sold 100,000 SALE, 0 SALE back to the seller\n"
    ) in out
    assert deals.deal(1)[1] == 2  # Succeeded
    assert token.balanceOf(accounts[SELLER]) == seller_ais + 47_500 * UNIT
    assert token.balanceOf(system.distributor) == staked_revenue + 2_500 * UNIT
    assert tuple(deals.deal(1)[3])[9] == 50_000 * UNIT

    out = ok(run("deal.py", "claim", "1", signer=LOW))
    assert "claimed from deal 1: refund 1,000 AIS, 0 SALE\n" in out
    before = marks()
    refused(run("deal.py", "claim", "1", signer=LOW),
            f"error: deal: {accounts[LOW].address} has nothing to claim from deal 1 now", before, marks)
    refused(run("deal.py", "finalize", "1", signer=LEVEL_0), "error: deal: deal 1 is Succeeded: no longer open", before, marks)
    refused(run("deal.py", "commit", "1", "5", signer=HIGH), "error: deal: deal 1 is Succeeded: no longer open", before, marks)

    mine_at(end + VESTING)
    ais = token.balanceOf(accounts[HIGH])
    out = ok(run("deal.py", "claim", "1", signer=HIGH))
    # each level-10 account: refund 40,000 * 30,000 / 80,000, tokens 40,000 * 100,000 / 80,000
    assert "claimed from deal 1: refund 15,000 AIS, 50,000 SALE\n" in out
    assert token.balanceOf(accounts[HIGH]) == ais + 15_000 * UNIT
    assert sale.balanceOf(accounts[HIGH]) == 50_000 * UNIT
    out = ok(run("deal.py", "show", "1", accounts[HIGH_2].address, signer=LOW))
    assert out.splitlines()[0] == "deal 1: Succeeded"
    assert "  claimable  refund 15,000 AIS, 50,000 SALE (claimed so far 0 SALE)" in out
    assert "  can commit 0 AIS now" in out


def test_a_deal_below_the_soft_cap_fails_and_refunds(run, system, deal, accounts):
    deals, token, sale = system.deals, system.token, deal["sale"]
    mine_at(deal["start"])
    ok(run("deal.py", "commit", "1", "9999.5", signer=HIGH))
    mine_at(deal["end"])
    out = ok(run("deal.py", "finalize", "1", signer=HIGH))
    assert (
        "finalized deal 1: Failed, raised 9,999.5 AIS, below the soft cap 10,000 AIS: every commitment is "
        "refundable and the sale tokens went back to the seller\n"
    ) in out
    assert sale.balanceOf(accounts[SELLER]) == 1_000_000 * UNIT
    ais = token.balanceOf(accounts[HIGH])
    assert "claimed from deal 1: refund 9,999.5 AIS, 0 SALE\n" in ok(run("deal.py", "claim", "1", signer=HIGH))
    assert token.balanceOf(accounts[HIGH]) == ais + 9_999 * UNIT + UNIT // 2
    assert deals.claimable(1, accounts[HIGH]) == (0, 0)
    assert "1  Failed: 100,000 SALE" in ok(run("deal.py", "list", signer=HIGH))


def test_a_cancelled_deal_is_closed_and_refunds(run, system, deal, accounts, marks):
    mine_at(deal["start"])
    ok(run("deal.py", "commit", "1", "100", signer=HIGH))
    system.deals.cancelDeal(1, {"from": impersonate(system.timelock.address)})  # a passed proposal's action
    assert "1  Cancelled: 100,000 SALE" in ok(run("deal.py", "list", signer=HIGH))
    before = marks()
    refused(run("deal.py", "commit", "1", "5", signer=HIGH), "error: deal: deal 1 is Cancelled: no longer open", before, marks)
    refused(run("deal.py", "finalize", "1", signer=HIGH), "error: deal: deal 1 is Cancelled: no longer open", before, marks)
    assert "claimed from deal 1: refund 100 AIS, 0 SALE\n" in ok(run("deal.py", "claim", "1", signer=HIGH))
    assert deal["sale"].balanceOf(accounts[SELLER]) == 1_000_000 * UNIT


HUGE = str(2**256)
BAD = [
    # (when: "before" the start, "open" at it or "ended" at the end, signer, args, message)
    ("before", HIGH, ("show", "0"), "error: deal: no deal '0'; the only deal is 1"),
    ("before", HIGH, ("show", "2"), "error: deal: no deal '2'; the only deal is 1"),
    ("before", HIGH, ("commit", "one", "5"), "error: deal: no deal 'one'; the only deal is 1"),
    ("before", HIGH, ("claim", "-1"), "error: deal: no deal '-1'; the only deal is 1"),
    ("before", HIGH, ("show", "1", "nobody"), "error: address: must be a 0x-prefixed 20-byte hex address"),
    ("before", HIGH, ("commit", "1"), "error: amount: missing (usage: scripts/deal.py commit DEAL AMOUNT"),
    ("open", HIGH, ("commit", "1", "-5"), "error: amount: must be greater than 0"),
    ("open", HIGH, ("commit", "1", "0"), "error: amount: must be greater than 0"),
    ("open", HIGH, ("commit", "1", HUGE), "error: amount: does not fit in uint256"),
    ("open", HIGH, ("commit", "1", "1e-19"), "error: amount: has more than 18 decimals"),
    ("open", HIGH, ("commit", "1", "five"), "error: amount: must be a number of whole tokens"),
    ("open", HIGH, ("commit", "1", "40000.000001"), "error: amount: 40,000.000001 AIS is more than"),
    ("before", HIGH, ("commit", "1", "5"), "error: deal: level 10's window of deal 1 opens at "),
    ("open", LEVEL_0, ("commit", "1", "5"), "'s level for deal 1 is 0 (the lower of its level at the snapshot"),
    ("open", HIGH, ("finalize", "1"), "error: deal: deal 1 ends at "),
    ("open", HIGH, ("claim", "1"), "error: deal: deal 1 is not finalized yet"),
    ("ended", HIGH, ("commit", "1", "5"), "error: deal: deal 1 closed for commitments at "),
    ("ended", HIGH, ("claim", "1"), "error: deal: deal 1 is not finalized yet"),
    ("open", HIGH, ("commit", "1", "5", "account=99"), "error: account=: must be an Anvil account index 0..9, got '99'"),
]


@pytest.mark.parametrize("when, signer, args, message", BAD, ids=[f"{c[0]}:{' '.join(c[2])}" for c in BAD])
def test_bad_input_is_named_and_sends_nothing(run, system, deal, marks, when, signer, args, message):
    if when != "before":
        mine_at(deal["start"] if when == "open" else deal["end"])
    before = marks()
    refused(run("deal.py", *args, signer=signer), message, before, marks)
    assert system.deals.commitment(1, system.token) == 0 and system.token.balanceOf(system.deals) == 0
