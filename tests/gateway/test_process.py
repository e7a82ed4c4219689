"""The gateway as operators run it: `python -m gateway` processes on a config file, against the Anvil
deployment. A killed (SIGKILL) gateway loses no accepted receipt and settles all of it once restarted;
two gateway processes on one database let exactly one of two calls on the same base through; `settle`
on demand charges what was accepted; a bad config or an unreachable node stops it before anything."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from brownie import web3

from gateway.client import GatewayClient
from harness.core.paths import REPO_ROOT
from tests.gateway.conftest import CATALOG
from tests.gateway.test_meter import SENTIMENT_PRICE, TREND_PRICE, call, price_at

SETTLER = "5"  # Anvil account 5 pays the settlements' gas (no other gateway fixture sends from it)
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(tmp_path: Path, gw, database_url: str, *, port: int = 0, settle: bool, name: str = "gateway.yaml",
                 **fields) -> Path:
    data = {"rpc_url": web3.provider.endpoint_uri, "manifest": str(gw.system.manifest_file), "catalog": str(CATALOG),
            "database_url": database_url, "host": "127.0.0.1", "port": port,
            "min_receipt_lifetime": "1d", "settlement": {"enabled": settle, "interval": "1h", "watch_interval": "1s"},
            **fields}
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def environment() -> dict[str, str]:
    return {**os.environ, "SIGNER": SETTLER, "PYTHONPATH": str(REPO_ROOT)}


def gateway_command(*words: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateway", *words], env=environment(), cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


class GatewayProcess:
    """`python -m gateway serve` on its own port, until killed."""

    def __init__(self, config: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([sys.executable, "-m", "gateway", "serve", f"config={config}"],
                                        env=environment(), cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the gateway exited: {self.process.stdout.read()}")
            try:
                if requests.get(self.url + "/v1/info", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("the gateway did not start")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when a machine dies."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.process.stdout.close()


@pytest.fixture
def processes():
    started: list[GatewayProcess] = []
    yield started
    for process in started:
        process.kill()


def test_a_killed_gateway_loses_no_receipt_and_settles_them_on_restart(tmp_path, gw, processes, database_url):
    caller = gw.callers["level3"]
    port = free_port()
    first = GatewayProcess(write_config(tmp_path, gw, database_url, port=port, settle=False), port)
    processes.append(first)
    client = GatewayClient(first.url, caller.key)
    prices = [client.sentiment("ETH breaks out, very bullish").price, client.trend([1.0 + i for i in range(40)]).price,
              client.sentiment("rug pull, scam, dump").price]
    assert prices == [price_at(SENTIMENT_PRICE, 3), price_at(TREND_PRICE, 3), price_at(SENTIMENT_PRICE, 3)]
    first.kill()
    assert gw.system.access.spent(caller.address, gw.token) == 0  # nothing settled before the kill

    second = GatewayProcess(write_config(tmp_path, gw, database_url, port=port, settle=True), port)
    processes.append(second)
    restarted = GatewayClient(second.url, caller.key)  # a fresh client recovers its cumulative
    assert restarted.cumulative == sum(prices)
    deadline = time.monotonic() + 60
    while gw.system.access.spent(caller.address, gw.token) != sum(prices):  # settled at start
        assert time.monotonic() < deadline, "the restarted gateway did not settle"
        time.sleep(0.2)
    assert restarted.sentiment("steady").cumulative == sum(prices) + price_at(SENTIMENT_PRICE, 3)


def test_two_gateway_processes_on_one_database_let_one_of_two_same_base_calls_through(tmp_path, gw, processes,
                                                                                    database_url):
    caller = gw.callers["level0"]
    ports = free_port(), free_port()
    for index, port in enumerate(ports):
        processes.append(GatewayProcess(write_config(tmp_path, gw, database_url, port=port, settle=False,
                                                         name=f"g{index}.yaml"), port))
    price = price_at(SENTIMENT_PRICE, 0)
    receipt = gw.receipt(caller, price)
    body = {"input": {"text": "bullish"}, "receipt": {
        "account": receipt.account, "token": receipt.token, "cumulative": str(receipt.cumulative),
        "deadline": str(receipt.deadline), "signature": "0x" + receipt.signature.hex()}}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda p: requests.post(p.url + "/v1/call/sentiment", json=body, timeout=30), processes))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [a.json()["error"]["code"] for a in answers if a.status_code == 409] == ["stale_receipt"]
    for process in processes:  # both see the one accepted receipt
        assert requests.get(f"{process.url}/v1/receipts/{caller.address}/{gw.token}").json()["cumulative"] == str(price)


def test_settle_on_demand_charges_what_was_accepted(tmp_path, gw, meter):
    config = write_config(tmp_path, gw, meter.store.url, settle=True)
    l3 = gw.callers["level3"]
    call(meter, gw, l3, price_at(SENTIMENT_PRICE, 3))
    done = gateway_command("settle", f"config={config}")
    assert done.returncode == 0, done.stderr
    assert "settled 1 receipts in 1 transactions" in done.stdout
    assert gw.system.access.spent(l3.address, gw.token) == price_at(SENTIMENT_PRICE, 3)
    again = gateway_command("settle", f"config={config}")
    assert "settled 0 receipts in 0 transactions" in again.stdout
    status = gateway_command("status", f"config={config}")
    assert "1 accepted calls" in status.stdout and "unsettled" not in status.stdout


@pytest.mark.parametrize("fields, message", [
    ({"port": "eighty"}, "error: invalid gateway config"),
    ({"rpc_url": "http://127.0.0.1:9"}, "error: rpc_url: no node answers at http://127.0.0.1:9"),
    ({"manifest": "/nonexistent/manifest.json"}, "error: manifest: no such file /nonexistent/manifest.json"),
])
def test_a_bad_config_stops_the_gateway_before_anything(tmp_path, gw, fields, message):
    database = f"sqlite:///{tmp_path / 'gateway.db'}"
    done = gateway_command("settle", f"config={write_config(tmp_path, gw, database, settle=True, **fields)}")
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert not (tmp_path / "gateway.db").exists()  # stopped before even opening the database


def test_an_unknown_action_is_named():
    done = gateway_command("launch")
    assert done.returncode == 1 and "action: expected one of serve, settle, status, got 'launch'" in done.stderr
