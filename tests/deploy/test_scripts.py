"""The deploy and verify scripts as a deployer runs them: `tools/run ... --network <this chain>`
(the launcher, harness/chain/launcher.py).

The scripts run in a subprocess attached to this test session's Anvil, so the tests can see
exactly which transactions they sent (none, for bad input).
"""

import json

import pytest
import yaml
from brownie import web3

from tests.support.scripts import REPO, launch_attached


@pytest.fixture
def brownie_run(brownie_cli):
    def run(script, *args, deployments_dir):
        return launch_attached(script, *args, cli=brownie_cli, deployments_dir=deployments_dir)

    return run


@pytest.fixture
def chain_marks(accounts):
    """(block number, deployer nonce): unchanged means nothing was sent."""
    return lambda: (web3.eth.block_number, accounts[0].nonce)


@pytest.fixture
def bad_config(tmp_path):
    def write(change):
        data = yaml.safe_load((REPO / "config" / "local.yaml").read_text())
        change(data)
        path = tmp_path / "bad.yaml"
        path.write_text(yaml.safe_dump(data))
        return path

    return write


def test_allocations_not_summing_to_supply_stop_before_any_transaction(bad_config, chain_marks, tmp_path, brownie_run):
    path = bad_config(lambda d: d["allocations"][0].update(amount=1))
    before = chain_marks()
    result = brownie_run("scripts/deploy.py", path, deployments_dir=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"invalid deploy config {path}:" in result.stderr
    assert "  - allocations: must sum exactly to token.supply" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert chain_marks() == before
    assert not list(tmp_path.glob("*.json"))


def test_missing_config_file_stops(chain_marks, tmp_path, brownie_run):
    before = chain_marks()
    result = brownie_run("scripts/deploy.py", tmp_path / "nope.yaml", deployments_dir=tmp_path)
    assert result.returncode == 1
    assert "(file): no such file" in result.stderr
    assert chain_marks() == before


def test_deploy_then_verify_then_rerun_sends_nothing(chain_marks, tmp_path, brownie_run):
    result = brownie_run("scripts/deploy.py", deployments_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "24 step(s) sent" in result.stdout, result.stdout
    assert "team-founders" in result.stdout and "400,000,000 (40.00%)" in result.stdout
    manifest = tmp_path / "test-attached-31337.json"
    assert json.loads(manifest.read_text())["complete"] is True

    verified = brownie_run("scripts/verify_deployment.py", deployments_dir=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "checks match the chain" in verified.stdout

    before = chain_marks()
    again = brownie_run("scripts/deploy.py", deployments_dir=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing sent: already deployed" in again.stdout
    assert chain_marks() == before


def test_verify_script_fails_on_a_tampered_manifest(tmp_path, accounts, brownie_run):
    assert brownie_run("scripts/deploy.py", deployments_dir=tmp_path).returncode == 0
    manifest = tmp_path / "test-attached-31337.json"
    data = json.loads(manifest.read_text())
    data["contracts"]["vesting:team-founders"]["address"] = accounts[8].address
    manifest.write_text(json.dumps(data))
    result = brownie_run("scripts/verify_deployment.py", deployments_dir=tmp_path)
    assert result.returncode == 1
    assert f"MISMATCH vesting:team-founders: no contract code at {accounts[8].address}" in result.stdout


def test_verify_script_without_a_manifest(tmp_path, brownie_run):
    result = brownie_run("scripts/verify_deployment.py", f"manifest={tmp_path / 'none.json'}", deployments_dir=tmp_path)
    assert result.returncode == 1
    assert f"error: manifest: no such file {tmp_path / 'none.json'}" in result.stderr
