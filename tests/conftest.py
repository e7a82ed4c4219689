"""Fixtures shared by every test module. Each test runs in its own snapshot (fn_isolation)."""

import importlib
from dataclasses import dataclass

import pytest

from harness import fees, receipts
from harness.chain import install_revert_fix

receipts.install()
install_revert_fix()  # the next block's base fee follows every revert (harness/chain.py)

SUPPLY = 1_000_000_000 * 10**18


@pytest.fixture(scope="session", autouse=True)
def transaction_fees():
    """Every test transaction is priced as the scripts price theirs (harness/fees.py): EIP-1559, the
    tip from the node, max fee 2 x the latest base fee + tip, on a chain that charges a base fee
    (brownie-config.yaml starts Anvil at 1 gwei, as a plain `anvil`)."""
    return fees.apply()


@pytest.fixture(autouse=True)
def isolation(fn_isolation, accounts):
    """Each test in its own snapshot. Afterwards every account the test impersonated
    (`accounts.at(address, force=True)`) stops being impersonated: Anvil keeps impersonated addresses
    in `eth_accounts`, brownie rebuilds `accounts` from that list on every revert, and a stale entry
    fails later with "No Signer available" (and `strategy("address")` would draw it). A test that needs
    an impersonated account asks for it again with `accounts.at(..., force=True)`."""
    yield
    from brownie import web3

    defaults = {address.lower() for address in _ANVIL_ACCOUNTS}
    for address in web3.eth.accounts:
        if address.lower() not in defaults:
            web3.provider.make_request("anvil_stopImpersonatingAccount", [address])
    accounts._accounts[:] = [a for a in accounts._accounts if type(a).__name__ != "Account" or a.address.lower() in defaults]


# Anvil's default accounts (mnemonic "test test ... junk"), the only unlocked ones it starts with.
_ANVIL_ACCOUNTS = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
]


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
    """Run `scripts/<name>.py`'s main(*args) in this process with `env` set, as the launcher
    (`tools/run`, harness/launcher.py) and `brownie run` do (same function, arguments as strings,
    exit status from SystemExit), capturing its output. A script subprocess costs seconds per call;
    tests/deploy/test_scripts.py, tests/launcher and tests/live run the real command line. The fee
    settings a script installs from its environment (harness/fees.py) are put back afterwards."""

    def runner(script, *args, env=None):
        name = script.removeprefix("scripts/").removesuffix(".py")
        saved_fees = fees.saved_settings()  # a script installs its environment's fee policy
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
            finally:
                fees.restore_settings(saved_fees)
            captured = capsys.readouterr()
        return ScriptResult(code, captured.out, captured.err)

    return runner


@pytest.fixture(scope="session")
def brownie_cli(tmp_path_factory):
    """How a script subprocess (tests/launch_helpers.py) reaches this session's Anvil: a private
    HOME whose brownie network config has a development network `test-attached` on this session's port (under xdist
    each worker's Anvil has its own port, which `--network development` would not find). Returns
    (network name, extra environment)."""
    import yaml
    from brownie._config import CONFIG, _get_data_folder

    active = CONFIG.active_network
    home = tmp_path_factory.mktemp("brownie-home")
    data = home / ".brownie"
    data.mkdir()
    networks = yaml.safe_load((_get_data_folder() / "network-config.yaml").read_text())
    networks["development"].append({
        "name": "This test session's Anvil",
        "id": "test-attached",
        "cmd": "anvil",
        "host": active["host"],
        "cmd_settings": {"port": active["cmd_settings"]["port"]},
    })
    (data / "network-config.yaml").write_text(yaml.safe_dump(networks))
    return "test-attached", {"HOME": str(home)}
