"""Metering (gateway/meter.py) against the deployed ServiceAccess and StakingLevels on Anvil: the price
by level, every refusal with its code and nothing stored, and settlement of what was accepted charging
the chain exactly the sum of the accepted prices."""

from __future__ import annotations

import pytest
from brownie import accounts, chain, web3

from gateway.errors import GatewayError
from gateway.services import sentiment, trend_signal
from gateway.store import ReceiptStore
from harness.core.config import load_config
from harness.core.paths import LOCAL_CONFIG, REPO_ROOT
from harness.core.units import BPS, UNIT
from tests.gateway.conftest import CREDITS, LIFETIME

LEVELS = load_config(REPO_ROOT / LOCAL_CONFIG).levels
SENTIMENT_PRICE, TREND_PRICE = 2 * UNIT, 5 * UNIT  # config/gateway-catalog.yaml


def price_at(list_price: int, level: int) -> int:
    """The model: list price less the level's apiDiscountBps of config/local.yaml, rounded down."""
    discount = LEVELS.api_discount_bps[level - 1] if level else 0
    return list_price * (BPS - discount) // BPS


def call(meter, gw, caller, cumulative, service="sentiment", **receipt_options):
    receipt = gw.receipt(caller, cumulative, **receipt_options)
    run = (lambda: sentiment("bullish")) if service == "sentiment" else (lambda: trend_signal([1.0 + i for i in range(30)]))
    return meter.serve(service, receipt, run)


def refused(code, meter, gw, caller, cumulative, **options):
    """Serving the call raises `code` and stores nothing."""
    before = (meter.store.calls(), meter.store.latest(caller.address, gw.token))
    with pytest.raises(GatewayError) as raised:
        call(meter, gw, caller, cumulative, **options)
    assert raised.value.code == code
    assert (meter.store.calls(), meter.store.latest(caller.address, gw.token)) == before
    return raised.value


def test_the_fixture_levels_are_what_the_tests_assume(gw):
    assert gw.system.levels.levelOf(gw.callers["level3"].address) == 3
    assert gw.system.levels.levelOf(gw.callers["level0"].address) == 0


@pytest.mark.parametrize("name, level", [("level0", 0), ("level3", 3)])
def test_the_quote_is_the_list_price_less_the_levels_api_discount(meter, gw, name, level):
    caller = gw.callers[name]
    quote, expected, spent = meter.quote("trend", caller.address, gw.token)
    assert (quote.level, quote.list_price, quote.price) == (level, TREND_PRICE, price_at(TREND_PRICE, level))
    assert (quote.base, quote.next_cumulative, expected, spent) == (0, quote.price, None, 0)


def test_accepted_calls_are_stored_and_settle_to_the_wei(meter, gw):
    """Three calls of two callers, then one redeemUsageBatch of the stored latest receipts: the chain
    charges each account exactly the sum of its accepted prices."""
    l3, l0 = gw.callers["level3"], gw.callers["level0"]
    p3s, p3t, p0 = price_at(SENTIMENT_PRICE, 3), price_at(TREND_PRICE, 3), price_at(SENTIMENT_PRICE, 0)
    result, charge = call(meter, gw, l3, p3s)
    assert result.label == "positive" and charge.quote.price == p3s
    call(meter, gw, l3, p3s + p3t, service="trend")
    call(meter, gw, l0, p0)
    assert [(c.account, c.service, c.price, c.level) for c in meter.store.calls()] == [
        (l3.address, "sentiment", p3s, 3), (l3.address, "trend", p3t, 3), (l0.address, "sentiment", p0, 0)]
    receipts = [(r.account, r.token, r.cumulative, r.deadline, r.signature) for r in meter.store.unsettled()]
    gw.system.access.redeemUsageBatch(receipts, {"from": accounts[0]})
    assert gw.system.access.spent(l3.address, gw.token) == p3s + p3t
    assert gw.system.access.credits(l3.address, gw.token) == CREDITS - p3s - p3t
    assert gw.system.access.spent(l0.address, gw.token) == p0


def test_the_base_follows_a_receipt_the_account_redeemed_itself(meter, gw):
    """After the account redeems a newer receipt of its own, the next call extends the chain's spent."""
    l0 = gw.callers["level0"]
    call(meter, gw, l0, SENTIMENT_PRICE)
    own = gw.receipt(l0, 10 * UNIT)
    gw.system.access.redeemUsage(own.account, own.token, own.cumulative, own.deadline, own.signature, {"from": l0.sender})
    refused("stale_receipt", meter, gw, l0, 2 * SENTIMENT_PRICE)
    call(meter, gw, l0, 10 * UNIT + SENTIMENT_PRICE)
    latest = meter.store.latest(l0.address, gw.token)
    assert (latest.cumulative, latest.settled) == (10 * UNIT + SENTIMENT_PRICE, 10 * UNIT)


def test_an_erc1271_wallet_pays_with_its_owners_signature(meter, gw):
    wallet = gw.callers["wallet"]
    call(meter, gw, wallet, SENTIMENT_PRICE)
    assert meter.store.latest(wallet.address, gw.token).cumulative == SENTIMENT_PRICE


def test_a_replayed_receipt_is_stale(meter, gw):
    l0 = gw.callers["level0"]
    receipt = gw.receipt(l0, SENTIMENT_PRICE)
    meter.serve("sentiment", receipt, lambda: sentiment("ok"))
    with pytest.raises(GatewayError) as raised:
        meter.serve("sentiment", receipt, lambda: sentiment("ok"))
    assert raised.value.code == "stale_receipt" and raised.value.details["expected_cumulative"] == 2 * SENTIMENT_PRICE
    assert len(meter.store.calls()) == 1


def test_an_increment_other_than_the_price_is_wrong_price(meter, gw):
    error = refused("wrong_price", meter, gw, gw.callers["level3"], SENTIMENT_PRICE)  # the undiscounted price
    assert error.details == {"price": price_at(SENTIMENT_PRICE, 3), "expected_cumulative": price_at(SENTIMENT_PRICE, 3)}


def test_a_signature_by_another_key_is_refused(meter, gw):
    refused("bad_signature", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, key=gw.callers["other"].key)


def test_a_receipt_for_another_chain_is_refused(meter, gw):
    refused("bad_signature", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, chain_id=chain.id + 1)


def test_a_receipt_for_another_contract_is_refused(meter, gw):
    refused("bad_signature", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, contract=gw.system.levels.address)


def test_a_wallet_receipt_signed_by_a_stranger_is_refused(meter, gw):
    refused("bad_signature", meter, gw, gw.callers["wallet"], SENTIMENT_PRICE, key=gw.callers["level0"].key)


def test_an_expired_receipt_is_refused(meter, gw):
    refused("receipt_expired", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, deadline=chain.time() - 1)


def test_a_receipt_expiring_before_it_can_be_settled_is_refused(meter, gw):
    error = refused("receipt_expired", meter, gw, gw.callers["level0"], SENTIMENT_PRICE,
                    deadline=chain.time() + LIFETIME - 60)
    assert error.details["min_deadline"] == web3.eth.get_block("latest")["timestamp"] + LIFETIME  # chain time


def test_credits_must_cover_everything_unsettled(meter, gw):
    """A caller with credits for n calls: the (n+1)th is refused though nothing was settled yet."""
    l0 = gw.callers["level0"]
    calls = CREDITS // TREND_PRICE
    # the receipts' cumulative is what previewRedeem checks against the credits: jump to the last that fits
    own = gw.receipt(l0, (calls - 1) * TREND_PRICE)
    gw.system.access.redeemUsage(own.account, own.token, own.cumulative, own.deadline, own.signature, {"from": l0.sender})
    call(meter, gw, l0, calls * TREND_PRICE, service="trend")
    error = refused("insufficient_credits", meter, gw, l0, (calls + 1) * TREND_PRICE, service="trend")
    assert error.details == {"credits": CREDITS - (calls - 1) * TREND_PRICE, "needed": 2 * TREND_PRICE}


def test_a_pending_withdrawal_stops_metered_calls(meter, gw):
    l0 = gw.callers["level0"]
    gw.system.access.requestWithdrawal(gw.token, {"from": l0.sender})
    refused("withdrawal_pending", meter, gw, l0, SENTIMENT_PRICE)


def test_an_unknown_service_is_refused(meter, gw):
    refused("unknown_service", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, service="horoscope")


def test_a_token_the_service_is_not_sold_in_is_refused(meter, gw):
    refused("unpriced_token", meter, gw, gw.callers["level0"], SENTIMENT_PRICE, token=gw.system.levels.address)


def test_bad_service_input_is_a_bad_request_and_not_charged(meter, gw):
    l0 = gw.callers["level0"]
    with pytest.raises(GatewayError) as raised:
        meter.serve("trend", gw.receipt(l0, TREND_PRICE), lambda: trend_signal([1.0, 2.0]))
    assert (raised.value.code, raised.value.details) == ("bad_request", {"field": "prices"})
    assert meter.store.calls() == [] and meter.store.latest(l0.address, gw.token) is None


def test_the_second_of_two_calls_on_one_base_is_stale(meter, gw, store, chain_view):
    """Two gateways' meters on one database, both quoted on the same base: the second store loses the
    compare-and-set and the call is refused, though both receipts were valid on-chain."""
    from gateway.meter import Meter
    other = Meter(ReceiptStore.from_url(store.url), chain_view, meter.catalog, min_receipt_lifetime=LIFETIME)
    l0 = gw.callers["level0"]
    first, second = gw.receipt(l0, SENTIMENT_PRICE), gw.receipt(l0, SENTIMENT_PRICE)

    def run_other():  # the other gateway accepts its call while this one runs its service
        other.serve("sentiment", second, lambda: sentiment("ok"))
        return sentiment("ok")

    with pytest.raises(GatewayError) as raised:
        meter.serve("sentiment", first, run_other)
    assert raised.value.code == "stale_receipt"
    assert [c.cumulative for c in store.calls()] == [SENTIMENT_PRICE]
