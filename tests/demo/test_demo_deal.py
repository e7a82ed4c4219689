"""The demo's early-access deal (harness/demo/deals.py) without a chain: its plain-Python fill gives
docs/deals.md's worked example to the unit, and its check stops the demo on any difference from the
contract's numbers. The demo run itself is tests/launcher/test_any_checkout_path.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.core.errors import ScriptError
from harness.demo import deals
from harness.demo.deals import PRICE, SALE_AMOUNT, Buyer, DemoDeal, expected_fill

USDC = 10**6


def test_fill_gives_the_worked_example_of_docs_deals():
    """1,000,000 PRJ at 0.05 USDC (price 50,000, 6 decimals): a 50,000 USDC target, 65,000 committed."""
    result = expected_fill(
        {"Alice": (9, 30_000 * USDC), "Bob": (6, 20_000 * USDC), "Carol": (6, 10_000 * USDC), "Dave": (2, 5_000 * USDC)},
        raise_target=10**24 * 50_000 // 10**18, price=50_000,
    )
    assert result["fill"][9] == 30_000 * USDC and result["fill"][6] == 20_000 * USDC and result["fill"][2] == 0
    assert result["proceeds"] == 50_000 * USDC and result["sold_total"] == 10**24
    assert result["buyers"] == {
        "Alice": {"refund": 0, "allocation": 30_000 * USDC, "tokens": 600_000 * 10**18},
        "Bob": {"refund": 6_666_666_666, "allocation": 13_333_333_334, "tokens": 266_666_666_666_666_666_666_666},
        "Carol": {"refund": 3_333_333_333, "allocation": 6_666_666_667, "tokens": 133_333_333_333_333_333_333_333},
        "Dave": {"refund": 5_000 * USDC, "allocation": 0, "tokens": 0},
    }


def test_fill_of_the_demo_deal():
    """The demo's commitments: level 5 in full, level 4 two thirds, level 3 refunded."""
    result = expected_fill(
        {"Eli": (5, 60_000 * 10**18), "Dev": (4, 40_000 * 10**18), "Fay": (4, 20_000 * 10**18),
         "Ben": (3, 15_000 * 10**18), "Gus": (3, 20_000 * 10**18)},
        raise_target=SALE_AMOUNT * PRICE // 10**18, price=PRICE,
    )
    assert result["fill"][5] == 60_000 * 10**18 and result["fill"][4] == 40_000 * 10**18 and result["fill"][3] == 0
    assert result["buyers"]["Dev"] == {
        "refund": 13_333_333_333_333_333_333_333, "allocation": 26_666_666_666_666_666_666_667,
        "tokens": 266_666_666_666_666_666_666_666,
    }
    assert result["buyers"]["Gus"] == {"refund": 20_000 * 10**18, "allocation": 0, "tokens": 0}


def chain_says(refund_dev: int, filled_level_4: int) -> DemoDeal:
    """A finalized demo deal whose 'contract' reports what the demo saw, with Dev's refund and level 4's
    fill as given."""
    unit = 10**18
    committed = [0, 0, 35_000 * unit, 60_000 * unit, 60_000 * unit, 0, 0, 0, 0, 0]
    filled = [0, 0, 0, filled_level_4, 60_000 * unit, 0, 0, 0, 0, 0]
    contract = SimpleNamespace(raiseTarget=lambda _id: 100_000 * unit, deal=lambda _id: (None, 2, committed, filled))
    deal = DemoDeal.__new__(DemoDeal)
    deal.deals, deal.deal_id, deal.vested_claimed = contract, 1, True
    deal.seller = "seller"
    deal.pay_token = SimpleNamespace(balanceOf=lambda _a: 95_000 * unit)
    deal.sale_token = SimpleNamespace(balanceOf=lambda _a: 0)
    deal.finalized = {"proceeds": 100_000 * unit, "tokensSold": SALE_AMOUNT, "fee": 5_000 * unit}
    bought = {"Eli": 600_000 * unit, "Dev": 266_666_666_666_666_666_666_666, "Fay": 133_333_333_333_333_333_333_333}
    refunds = {"Eli": 0, "Dev": refund_dev, "Fay": 6_666_666_666_666_666_666_666, "Ben": 15_000 * unit, "Gus": 20_000 * unit}
    deal.buyers = [
        Buyer(name, None, amount * unit, level, refund=refunds[name], claimed=bought.get(name, 0),
              claims=[bought.get(name, 0) * deals.TGE_BPS // 10_000])
        for name, level, amount in (("Eli", 5, 60_000), ("Dev", 4, 40_000), ("Fay", 4, 20_000), ("Ben", 3, 15_000), ("Gus", 3, 20_000))
    ]
    return deal


def test_check_passes_on_the_demo_numbers():
    rows = {row["name"]: row for row in chain_says(13_333_333_333_333_333_333_333, 40_000 * 10**18).rows()}
    assert rows["Fay"]["allocation"] == 13_333_333_333_333_333_333_334 and rows["Eli"]["claimed"] == 600_000 * 10**18


def test_check_stops_the_demo_on_a_difference():
    with pytest.raises(ScriptError, match="Dev: refund 13333333333333333333334, expected 13333333333333333333333"):
        chain_says(13_333_333_333_333_333_333_334, 40_000 * 10**18).check()
    with pytest.raises(ScriptError, match="level 4: committed/filled"):
        chain_says(13_333_333_333_333_333_333_333, 39_999 * 10**18).check()
