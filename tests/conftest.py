"""Fixtures shared by every test module. Each test runs in its own snapshot (fn_isolation)."""

import importlib
from dataclasses import dataclass

import pytest

SUPPLY = 1_000_000_000 * 10**18


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def holders(accounts):
    """Accounts 1..9: each gets an equal share of the token supply in `token`."""
    return accounts[1:10]


@pytest.fixture(scope="module")
def token(ServiceToken, deployer, holders):
    """A ServiceToken whose whole supply is split evenly over `holders`."""
    share = SUPPLY // len(holders)
    amounts = [share] * len(holders)
    amounts[0] += SUPPLY - share * len(holders)
    return ServiceToken.deploy(
        "Service Token", "SVC", [h.address for h in holders], amounts, {"from": deployer}
    )


class System:
    """Every contract of a deployment made by harness.deploy from config/local.yaml."""

    def __init__(self, deployment):
        from brownie import (
            RevenueDistributor,
            ServiceGovernor,
            ServiceToken,
            TimelockController,
            VotingEscrow,
        )

        manifest = deployment.manifest
        self.manifest = manifest
        self.manifest_file = deployment.manifest_file
        self.config = deployment.config
        self.deployer = deployment.deployer
        self.token = ServiceToken.at(manifest.address_of("ServiceToken"))
        self.escrow = VotingEscrow.at(manifest.address_of("VotingEscrow"))
        self.distributor = RevenueDistributor.at(manifest.address_of("RevenueDistributor"))
        self.governor = ServiceGovernor.at(manifest.address_of("ServiceGovernor"))
        self.timelock = TimelockController.at(manifest.address_of("TimelockController"))


@pytest.fixture(scope="module")
def system(accounts, tmp_path_factory):
    """The whole protocol deployed as scripts/deploy.py deploys it (config/local.yaml): the timelock
    owns the escrow and distributor and holds the 400M treasury; Anvil account 2 holds the 300M
    community allocation and account 3 the 100M liquidity allocation, to hand out in tests."""
    from pathlib import Path

    from harness.config import load_config
    from harness.deploy import Deployment

    config_path = Path(__file__).resolve().parent.parent / "config" / "local.yaml"
    deployment = Deployment(
        config=load_config(config_path),
        config_path=str(config_path),
        deployer=accounts[0],
        manifest_file=tmp_path_factory.mktemp("deployments") / "system.json",
    )
    deployment.run()
    return System(deployment)


@dataclass
class ScriptResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_script(monkeypatch, capsys):
    """Run `scripts/<name>.py`'s main(*args) in this process with `env` set, as `brownie run` does
    (same function, arguments as strings, exit status from SystemExit), capturing its output. A
    `brownie run` subprocess costs seconds per call; tests/deploy/test_scripts.py and tests/live run
    the real command line."""

    def runner(script, *args, env=None):
        name = script.removeprefix("scripts/").removesuffix(".py")
        with monkeypatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, str(value))
            module = importlib.import_module(f"scripts.{name}")
            capsys.readouterr()
            try:
                module.main(*map(str, args))
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            captured = capsys.readouterr()
        return ScriptResult(code, captured.out, captured.err)

    return runner
