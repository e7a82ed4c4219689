"""Settlement (gateway/settlement.py) against the deployed ServiceAccess on Anvil: what the gateway
accepted is charged on-chain to the wei and recorded from the UsageRedeemed events; nothing settled is
submitted twice; batches of MAX_BATCH; a receipt the account redeemed itself, and one that expired, are
handled without wasting a charge; the loop settles at start and at once on a withdrawal request."""

from __future__ import annotations

import time

import pytest
from brownie import chain, web3
from web3 import HTTPProvider, Web3

from gateway.settlement import SettlementLoop, Settler
from harness.chain.time import mine_at
from harness.core.signing import anvil_private_key
from harness.core.units import DAY, UNIT
from tests.gateway.conftest import CREDITS
from tests.gateway.test_meter import SENTIMENT_PRICE, TREND_PRICE, call, price_at

SETTLER_INDEX = 5  # an Anvil account no gateway fixture uses: its nonces are the settler's alone


@pytest.fixture
def settler(meter, gw):
    """The settler on its own web3 connection, as the gateway process has it (not brownie's)."""
    node = Web3(HTTPProvider(web3.provider.endpoint_uri))
    return Settler(meter.store, node, gw.system.access.address, anvil_private_key(SETTLER_INDEX), environ={})


def three_calls(meter, gw):
    """Two calls of the level-3 caller and one of the level-0 caller; their prices per account."""
    l3, l0 = gw.callers["level3"], gw.callers["level0"]
    p3s, p3t, p0 = price_at(SENTIMENT_PRICE, 3), price_at(TREND_PRICE, 3), price_at(SENTIMENT_PRICE, 0)
    call(meter, gw, l3, p3s)
    call(meter, gw, l3, p3s + p3t, service="trend")
    call(meter, gw, l0, p0)
    return {l3.address: p3s + p3t, l0.address: p0}


def test_settle_charges_the_accepted_prices_to_the_wei_and_records_the_events(meter, gw, settler):
    owed = three_calls(meter, gw)
    result = settler.settle()
    assert len(result.transactions) == 1 and not result.skipped and not result.expired
    assert {r.account: r.charged for r in result.redeemed} == owed
    for account, amount in owed.items():
        assert gw.system.access.spent(account, gw.token) == amount
        assert gw.system.access.credits(account, gw.token) == CREDITS - amount
        latest = meter.store.latest(account, gw.token)
        assert latest.settled == latest.cumulative == amount
        assert meter.store.charged_total(account) == amount
    assert meter.store.unsettled() == []


def test_a_settled_receipt_is_never_submitted_again(meter, gw, settler):
    three_calls(meter, gw)
    settler.settle()
    again = settler.settle()
    assert again.transactions == [] and again.redeemed == []
    l0 = gw.callers["level0"]
    p0 = price_at(SENTIMENT_PRICE, 0)
    call(meter, gw, l0, 2 * p0)  # one more call: only its increment is charged, once
    third = settler.settle()
    assert [(r.account, r.cumulative, r.charged) for r in third.redeemed] == [(l0.address, 2 * p0, p0)]
    assert meter.store.charged_total(l0.address) == 2 * p0 == gw.system.access.spent(l0.address, gw.token)


def test_settle_sends_max_batch_receipts_per_transaction(meter, gw, settler):
    owed = three_calls(meter, gw)
    call(meter, gw, gw.callers["wallet"], SENTIMENT_PRICE)
    owed[gw.callers["wallet"].address] = SENTIMENT_PRICE
    settler.max_batch = 2  # the contract's MAX_BATCH is larger than three accounts
    result = settler.settle()
    assert len(result.transactions) == 2
    assert {r.account: r.charged for r in result.redeemed} == owed
    assert settler.max_batch <= gw.system.access.MAX_BATCH()


def test_settle_can_be_limited_to_some_accounts(meter, gw, settler):
    owed = three_calls(meter, gw)
    l0 = gw.callers["level0"].address
    result = settler.settle([l0])
    assert [r.account for r in result.redeemed] == [l0]
    assert [r.account for r in meter.store.unsettled()] == [gw.callers["level3"].address]
    assert gw.system.access.spent(l0, gw.token) == owed[l0]


def test_a_receipt_the_account_redeemed_itself_is_skipped_and_brought_level(meter, gw, settler):
    """The account redeems a newer receipt of its own first: the chain skips the gateway's (not newer),
    and the store's settled follows the chain's spent; no second charge."""
    l0 = gw.callers["level0"]
    call(meter, gw, l0, SENTIMENT_PRICE)
    own = gw.receipt(l0, 10 * UNIT)
    gw.system.access.redeemUsage(own.account, own.token, own.cumulative, own.deadline, own.signature, {"from": l0.sender})
    result = settler.settle()
    assert result.redeemed == []
    assert result.skipped == [(l0.address, gw.token, SENTIMENT_PRICE, "ReceiptNotNewer")]
    assert meter.store.latest(l0.address, gw.token).settled == 10 * UNIT
    assert meter.store.unsettled() == []
    assert gw.system.access.spent(l0.address, gw.token) == 10 * UNIT


def test_an_expired_receipt_is_reported_not_submitted(meter, gw, settler):
    l0 = gw.callers["level0"]
    call(meter, gw, l0, SENTIMENT_PRICE, deadline=chain.time() + 2 * DAY)
    mine_at(chain.time() + 3 * DAY)
    nonce = web3.eth.get_transaction_count(settler.address)
    result = settler.settle()
    assert result.transactions == [] and [r.account for r in result.expired] == [l0.address]
    assert web3.eth.get_transaction_count(settler.address) == nonce  # no gas spent on it
    assert gw.system.access.spent(l0.address, gw.token) == 0


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_loop_settles_everything_at_start(meter, gw, settler):
    """A (re)started gateway settles what was accepted before, without waiting for the interval."""
    owed = three_calls(meter, gw)
    loop = SettlementLoop(settler, interval=3600, watch_interval=0.05).start()
    try:
        assert wait_for(lambda: meter.store.unsettled() == []), loop.errors
    finally:
        loop.stop()
    for account, amount in owed.items():
        assert gw.system.access.spent(account, gw.token) == amount


def test_the_loop_settles_an_account_at_once_when_it_requests_a_withdrawal(meter, gw, settler):
    l3, l0 = gw.callers["level3"], gw.callers["level0"]
    loop = SettlementLoop(settler, interval=3600, watch_interval=0.05).start()
    try:
        assert wait_for(lambda: loop.results == [] and not loop._stop.is_set())  # the start-up pass: nothing
        time.sleep(0.2)
        owed = three_calls(meter, gw)
        gw.system.access.requestWithdrawal(gw.token, {"from": l0.sender})
        assert wait_for(lambda: gw.system.access.spent(l0.address, gw.token) == owed[l0.address]), loop.errors
    finally:
        loop.stop()
    # only the leaving account was settled; the other waits for the schedule
    assert gw.system.access.spent(l3.address, gw.token) == 0
    assert [r.account for r in meter.store.unsettled()] == [l3.address]
