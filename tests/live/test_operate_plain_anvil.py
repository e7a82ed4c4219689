"""README "Operate it", word for word, against a plain `anvil` a user started in another terminal.

`anvil` with no flag at all: EIP-1559 with a base fee of 1 gwei at genesis, chain id 31337. The
user's brownie `development` network attaches to it (here on a free port, in a private HOME whose
network config is brownie's own with only that port changed: its `base_fee: 0` is the one the
project's brownie-config.yaml must override, and attaching launches nothing anyway). Then the
README's commands, through tools/run: deploy, verify, a lock with SIGNER=2, status.
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
from brownie._config import _get_data_folder

from harness.core.units import GWEI
from tests.support.scripts import launch

ANVIL_ACCOUNT_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc(url: str, method: str, params: list):
    return requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()["result"]


@pytest.fixture(scope="module")
def plain_anvil(tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    anvil = subprocess.Popen(["anvil", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                rpc(url, "eth_chainId", [])
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        home = tmp_path_factory.mktemp("user-home")
        (home / ".brownie").mkdir()
        networks = yaml.safe_load((_get_data_folder() / "network-config.yaml").read_text())
        development = next(n for n in networks["development"] if n["id"] == "development")
        development["cmd_settings"]["port"] = port
        (home / ".brownie" / "network-config.yaml").write_text(yaml.safe_dump(networks))
        yield {"url": url, "env": {"HOME": str(home), "DEPLOYMENTS_DIR": str(home / "deployments")}, "home": home}
    finally:
        anvil.terminate()
        anvil.wait(timeout=10)


def user(plain_anvil, script, *args, env=None):
    result = launch(script, *args, network="development", env={**plain_anvil["env"], **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_readme_operate_path_works_against_a_plain_anvil(plain_anvil):
    url = plain_anvil["url"]
    genesis = rpc(url, "eth_getBlockByNumber", ["0x0", False])
    assert int(genesis["baseFeePerGas"], 16) == GWEI  # what the scripts must pay from the first transaction

    deployed = user(plain_anvil, "scripts/deploy.py")
    assert "Attached to local RPC client" in deployed and "24 step(s) sent" in deployed
    manifest = json.loads((Path(plain_anvil["env"]["DEPLOYMENTS_DIR"]) / "development-31337.json").read_text())
    assert manifest["complete"] is True

    assert "checks match the chain and config/local.yaml" in user(plain_anvil, "scripts/verify_deployment.py")
    assert "locked 1,000 AIS until" in user(plain_anvil, "scripts/lock.py", "create", "1000", "52w", env={"SIGNER": "2"})
    status = user(plain_anvil, "scripts/status.py")
    assert "locked in the escrow                               1,000" in status
    assert "locked                1,000 (ends" in user(plain_anvil, "scripts/status.py", ANVIL_ACCOUNT_2)

    # every transaction paid the base fee of its block, whatever EIP-1559 made of it meanwhile
    latest = int(rpc(url, "eth_blockNumber", []), 16)
    assert latest >= 15
    for number in range(1, latest + 1):
        block = rpc(url, "eth_getBlockByNumber", [hex(number), True])
        base_fee = int(block["baseFeePerGas"], 16)
        assert base_fee > 0
        for tx in block["transactions"]:
            receipt = rpc(url, "eth_getTransactionReceipt", [tx["hash"]])
            assert int(tx["type"], 16) == 2 and int(receipt["status"], 16) == 1
            assert int(receipt["effectiveGasPrice"], 16) == base_fee + int(tx["maxPriorityFeePerGas"], 16)
