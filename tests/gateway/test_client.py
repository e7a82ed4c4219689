"""The Python client (gateway/client.py) against the gateway served over HTTP: calls priced by level,
the cumulative kept and recovered only from a receipt the client signed, quotes on a foreign base or
above `max_price` refused before signing, the gateway's refusals raised with their codes, and the
command (`python -m gateway.client`) with a deposit first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from brownie import chain

from gateway.client import GatewayClient, GatewayRefusal
from harness.core.errors import ScriptError
from harness.core.paths import REPO_ROOT
from harness.core.units import UNIT
from tests.gateway.conftest import CREDITS
from tests.gateway.test_meter import SENTIMENT_PRICE, TREND_PRICE, price_at

PRICES = [100.0 + i for i in range(40)]  # a steady rise: EMA(12) above EMA(26)


def test_calls_are_priced_by_level_and_the_cumulative_kept(server, gw):
    caller = gw.callers["level3"]
    client = GatewayClient(server.url, caller.key)
    assert (client.chain_id, client.service_access, client.token) == (chain.id, gw.system.access.address, gw.token)
    first = client.sentiment("BTC to the moon, bullish breakout")
    second = client.trend(PRICES)
    assert (first.price, first.list_price, first.level) == (price_at(SENTIMENT_PRICE, 3), SENTIMENT_PRICE, 3)
    assert first.result["label"] == "positive"
    assert second.result["ema_fast"] > second.result["ema_slow"] and second.result["rsi"] == 100.0
    assert second.result["action"] == "hold"  # a rise with RSI 100 (overbought) is no buy
    assert client.cumulative == second.cumulative == price_at(SENTIMENT_PRICE, 3) + price_at(TREND_PRICE, 3)


def test_a_new_client_recovers_the_cumulative_from_its_signed_receipt(server, gw):
    caller = gw.callers["level0"]
    GatewayClient(server.url, caller.key).sentiment("calm market")
    again = GatewayClient(server.url, caller.key)
    assert again.cumulative == SENTIMENT_PRICE
    assert again.sentiment("still calm").cumulative == 2 * SENTIMENT_PRICE


def test_an_erc1271_wallet_calls_with_its_owners_key(server, gw):
    wallet = gw.callers["wallet"]
    client = GatewayClient(server.url, wallet.key, account=wallet.address)
    client.sentiment("good news")
    assert GatewayClient(server.url, wallet.key, account=wallet.address).cumulative == SENTIMENT_PRICE


def test_a_stored_cumulative_the_client_never_signed_is_refused(server, gw, meter):
    """A gateway that inflates the stored receipt cannot make a fresh client sign on top of it."""
    caller = gw.callers["level0"]
    GatewayClient(server.url, caller.key).sentiment("fine")
    meter.store._execute("UPDATE latest_receipts SET cumulative = ? WHERE account = ?", (str(50 * UNIT), caller.address))
    with pytest.raises(ScriptError, match="is not signed by this client's key"):
        GatewayClient(server.url, caller.key)


def test_a_quote_on_another_base_is_refused_before_signing(server, gw, meter):
    caller = gw.callers["level0"]
    client = GatewayClient(server.url, caller.key)
    client.sentiment("fine")
    meter.store._execute("UPDATE latest_receipts SET cumulative = ? WHERE account = ?", (str(50 * UNIT), caller.address))
    with pytest.raises(ScriptError, match=f"quotes from cumulative {50 * UNIT}, this client signed up to {SENTIMENT_PRICE}"):
        client.sentiment("again")
    assert len(meter.store.calls()) == 1


def test_a_base_the_chain_confirms_is_followed(server, gw):
    """The account redeemed a newer receipt of its own: with rpc_url the client reads spent and goes on."""
    from brownie import web3

    caller = gw.callers["level0"]
    client = GatewayClient(server.url, caller.key, rpc_url=web3.provider.endpoint_uri)
    own = gw.receipt(caller, 10 * UNIT)
    gw.system.access.redeemUsage(own.account, own.token, own.cumulative, own.deadline, own.signature, {"from": caller.sender})
    assert client.sentiment("on top of spent").cumulative == 10 * UNIT + SENTIMENT_PRICE


def test_a_price_above_max_price_is_refused_before_signing(server, gw, meter):
    client = GatewayClient(server.url, gw.callers["level0"].key, max_price=SENTIMENT_PRICE)
    with pytest.raises(ScriptError, match="max_price: trend costs"):
        client.trend(PRICES)
    assert meter.store.calls() == []


def test_a_refusal_carries_the_gateways_code(server, gw):
    caller = gw.callers["level0"]
    gw.system.access.requestWithdrawal(gw.token, {"from": caller.sender})
    with pytest.raises(GatewayRefusal) as refused:
        GatewayClient(server.url, caller.key).sentiment("no")
    assert (refused.value.code, refused.value.status) == ("withdrawal_pending", 403)


def run_client(*words: str, key: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateway.client", *words],
                          env={**os.environ, "CLIENT_PRIVATE_KEY": key, "PYTHONPATH": str(REPO_ROOT)},
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)


def test_the_command_deposits_then_calls_and_prints_the_cost(server, gw):
    from brownie import web3

    caller = gw.callers["level3"]
    done = run_client("sentiment", "ETH looks bullish", f"url={server.url}", "deposit=5",
                      f"rpc={web3.provider.endpoint_uri}", key=caller.key)
    assert done.returncode == 0, done.stderr
    assert "deposited 5 credits" in done.stdout
    assert f"cost {price_at(SENTIMENT_PRICE, 3) / UNIT:g}" in done.stdout and "level 3" in done.stdout
    assert gw.system.access.credits(caller.address, gw.token) == CREDITS + 5 * UNIT
    receipt = run_client("receipt", f"url={server.url}", key=caller.key)
    assert f"cumulative {price_at(SENTIMENT_PRICE, 3) / UNIT:g}" in receipt.stdout


def test_the_command_names_a_refusal_and_exits_1(server, gw):
    caller = gw.callers["level0"]
    gw.system.access.requestWithdrawal(gw.token, {"from": caller.sender})
    done = run_client("sentiment", "x", f"url={server.url}", key=caller.key)
    assert done.returncode == 1
    assert "error: the gateway refused the call: withdrawal_pending (403)" in done.stderr


def test_the_command_needs_a_key():
    done = subprocess.run([sys.executable, "-m", "gateway.client", "receipt"], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k not in ("CLIENT_PRIVATE_KEY", "SIGNER")},
                          cwd=REPO_ROOT, timeout=60)
    assert done.returncode == 1 and "error: CLIENT_PRIVATE_KEY: set it" in done.stderr
