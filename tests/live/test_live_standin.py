"""Deploying to a non-development network, as README "Deploying to a real network" says, end to end.

A separate Anvil with chain id 84532 stands in for a public testnet (Base Sepolia). It is added to
brownie as a *live* network (in a private HOME, so the user's ~/.brownie is untouched), the deployer
is a keystore file unlocked with a password, and the deploy, verify and operations scripts run
against it exactly as they would against the real one (through tools/run, the launcher).

It runs twice: on a chain that charges a base fee as a public one does (a plain anvil: 1 gwei at
genesis, moved by EIP-1559 block by block), and on the same chain behind a proxy that raises the
base fee under every transaction to about twice the one its fees were read from (basefee_proxy.py),
so the fee headroom of harness/chain/fees.py is proven, not assumed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml
from eth_account import Account

from tests.live.basefee_proxy import CEILING, FLOOR, RISE, RisingBaseFeeProxy
from tests.support.scripts import BROWNIE, REPO, launch

CHAIN_ID = 84532
NETWORK = "base-sepolia-standin"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc(url: str, method: str, params: list) -> dict:
    response = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10)
    return response.json()


@pytest.fixture(scope="module", params=["steady base fee", "rising base fee"])
def standin(request, tmp_path_factory):
    """The stand-in chain (a plain anvil: base fee 1 gwei at genesis), a private brownie HOME with
    it as a live network (behind the rising-base-fee proxy in the second run), and a funded keystore."""
    home = tmp_path_factory.mktemp("home")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    anvil = subprocess.Popen(
        ["anvil", "--port", str(port), "--chain-id", str(CHAIN_ID), "--silent"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    proxy = None
    try:
        for _ in range(100):
            try:
                if rpc(url, "eth_chainId", [])["result"] == hex(CHAIN_ID):
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        if request.param == "rising base fee":
            proxy = RisingBaseFeeProxy(url).start()
        added = subprocess.run(
            [BROWNIE, "networks", "add", "Ethereum", NETWORK, f"host={proxy.url if proxy else url}", f"chainid={CHAIN_ID}"],
            cwd=REPO, env={**_env(home)}, capture_output=True, text=True, timeout=120,
        )
        assert added.returncode == 0, added.stdout + added.stderr

        deployer = Account.create()
        keystore = home / "deployer.json"
        keystore.write_text(json.dumps(Account.encrypt(deployer.key, PASSWORD)))
        rpc(url, "anvil_setBalance", [deployer.address, hex(100 * 10**18)])

        config = yaml.safe_load((REPO / "config" / "example-public.yaml").read_text())
        config["distributor"]["reward_tokens"] = []  # no stablecoin contract on the stand-in
        config["access"]["plans"] = [p for p in config["access"]["plans"] if p["pay_token"] == "staking"]  # nor its plan
        config["allocations"][1]["recipient"] = deployer.address  # tokens to operate with
        config_file = home / "standin.yaml"
        config_file.write_text(yaml.safe_dump(config))
        yield {
            "home": str(home), "url": url, "deployer": deployer.address, "config": config_file, "proxy": proxy,
            "env": {
                "SIGNER": str(keystore), "SIGNER_PASSWORD": PASSWORD,
                "DEPLOYMENTS_DIR": str(home / "deployments"),
            },
        }
    finally:
        if proxy is not None:
            proxy.stop()
        anvil.terminate()
        anvil.wait(timeout=10)


def _env(home: Path) -> dict[str, str]:
    import os

    return {**os.environ, "HOME": str(home)}


def live(standin, script, *args, env=None):
    return launch(f"scripts/{script}", *args, network=NETWORK, env={**standin["env"], "HOME": standin["home"], **(env or {})})


def nonce(standin) -> int:
    return int(rpc(standin["url"], "eth_getTransactionCount", [standin["deployer"], "latest"])["result"], 16)


def test_deploy_verify_and_operate_on_the_standin(standin):
    # a live network never deploys the local config by accident
    refused = live(standin, "deploy.py")
    assert refused.returncode == 1 and "is live: name the config file to deploy" in refused.stderr
    assert nonce(standin) == 0

    wrong_password = live(standin, "deploy.py", standin["config"], env={"SIGNER_PASSWORD": "nope"})
    assert wrong_password.returncode == 1
    assert "SIGNER_PASSWORD: wrong password for the keystore" in wrong_password.stderr
    assert nonce(standin) == 0

    deployed = live(standin, "deploy.py", standin["config"])
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "20 step(s) sent" in deployed.stdout
    manifest_file = Path(standin["env"]["DEPLOYMENTS_DIR"]) / f"{NETWORK}-{CHAIN_ID}.json"
    manifest = json.loads(manifest_file.read_text())
    assert manifest["network"] == NETWORK and manifest["chain_id"] == CHAIN_ID
    assert manifest["deployer"] == standin["deployer"] and manifest["complete"]
    assert PASSWORD not in deployed.stdout + manifest_file.read_text()

    verified = live(standin, "verify_deployment.py")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "checks match the chain" in verified.stdout

    again = live(standin, "deploy.py", standin["config"])
    assert again.returncode == 0 and "nothing sent: already deployed" in again.stdout
    sent = nonce(standin)

    locked = live(standin, "lock.py", "create", "1000", "52w")
    assert locked.returncode == 0, locked.stdout + locked.stderr
    assert "locked 1,000 AIS until" in locked.stdout
    deposited = live(standin, "deposit_revenue.py", "AIS", "250")
    assert deposited.returncode == 0, deposited.stdout + deposited.stderr
    claimed = live(standin, "claim.py", "pay")
    assert claimed.returncode == 0 and "claimed 0 AIS" in claimed.stdout  # this week is not over yet
    status = live(standin, "status.py", standin["deployer"])
    assert status.returncode == 0 and "locked                1,000 (ends" in status.stdout
    protocol = live(standin, "status.py")
    assert "locked in the escrow                               1,000" in protocol.stdout
    assert nonce(standin) > sent

    before = nonce(standin)
    duplicate = live(standin, "lock.py", "create", "1000", "52w")
    assert duplicate.returncode == 1 and "already has a lock" in duplicate.stderr
    too_much = live(standin, "deposit_revenue.py", "AIS", "1000000000")
    assert too_much.returncode == 1 and "error: amount: 1,000,000,000 AIS is more than the balance" in too_much.stderr
    assert nonce(standin) == before

    assert_every_transaction_paid_the_base_fee(standin)


def block(standin, number) -> dict:
    return rpc(standin["url"], "eth_getBlockByNumber", [hex(number), True])["result"]


def assert_every_transaction_paid_the_base_fee(standin):
    """Every transaction the scripts sent is an EIP-1559 one priced from the latest block (tip from
    the node, max fee 2 x base fee + tip) and paid base fee + tip; in the rising run each was mined
    at a base fee well above the one it was priced from."""
    tip = int(rpc(standin["url"], "eth_maxPriorityFeePerGas", [])["result"], 16)
    latest = int(rpc(standin["url"], "eth_blockNumber", [])["result"], 16)
    sent = rose = 0
    for number in range(1, latest + 1):
        mined, parent = block(standin, number), block(standin, number - 1)
        base_fee, priced_from = int(mined["baseFeePerGas"], 16), int(parent["baseFeePerGas"], 16)
        assert base_fee > 0
        for tx in mined["transactions"]:
            if tx["from"].lower() != standin["deployer"].lower():
                continue
            sent += 1
            receipt = rpc(standin["url"], "eth_getTransactionReceipt", [tx["hash"]])["result"]
            assert int(tx["type"], 16) == 2, tx
            assert int(tx["maxPriorityFeePerGas"], 16) == tip
            assert int(tx["maxFeePerGas"], 16) == 2 * priced_from + tip
            assert int(receipt["effectiveGasPrice"], 16) == base_fee + tip
            if standin["proxy"] is not None:
                # mined at RISE x the base fee it was priced from, or at the sawtooth's drop
                assert base_fee == (FLOOR if priced_from > CEILING else int(priced_from * RISE))
                rose += base_fee > priced_from
    assert sent >= 15  # 13 deployment steps, then approve, createLock, a deposit, a claim
    if standin["proxy"] is not None:
        assert rose >= sent * 3 // 4
        assert max(following for _, following in standin["proxy"].steps) > 20 * 10**9
