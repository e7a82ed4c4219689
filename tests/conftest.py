"""Fixtures shared by every test module. Each test runs in its own snapshot (fn_isolation)."""

import importlib
from dataclasses import dataclass

import pytest

from harness.chain import fees, receipts
from harness.chain.protocol import Protocol
from harness.chain.time import install_revert_fix
from harness.core.paths import LOCAL_CONFIG, REPO_ROOT
from tests.support.constants import ANVIL_ACCOUNTS, SUPPLY

receipts.install()
install_revert_fix()  # the next block's base fee follows every revert (harness/chain/time.py)


@pytest.fixture(scope="session", autouse=True)
def transaction_fees():
    """Every test transaction is priced as the scripts price theirs (harness/chain/fees.py): EIP-1559, the
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

    defaults = {address.lower() for address in ANVIL_ACCOUNTS}
    for address in web3.eth.accounts:
        if address.lower() not in defaults:
            web3.provider.make_request("anvil_stopImpersonatingAccount", [address])
    accounts._accounts[:] = [a for a in accounts._accounts if type(a).__name__ != "Account" or a.address.lower() in defaults]


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


@pytest.fixture(scope="module")
def system(accounts, tmp_path_factory):
    """The whole protocol deployed as scripts/deploy.py deploys it (config/local.yaml, through
    harness.deploy.steps.deploy_from_config) and loaded as every script loads it (Protocol): the
    timelock owns the escrow and distributor and holds the 400M treasury; Anvil account 2 holds the
    299M community allocation and account 3 the 100M liquidity allocation, to hand out in tests; the
    CommunityAirdrop holds 1M (config/airdrop-local.csv: the demo holders, accounts 1 and 4..9)."""
    from harness.deploy.steps import deploy_from_config  # binds the project's contract types: once it is loaded

    deployment = deploy_from_config(
        REPO_ROOT / LOCAL_CONFIG, deployer=accounts[0], manifest_file=tmp_path_factory.mktemp("deployments") / "system.json"
    )
    return Protocol.of(deployment.manifest, deployment.manifest_file, project=True)


@dataclass
class ScriptResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_script(monkeypatch, capsys):
    """Run `scripts/<name>.py`'s main(*args) in this process with `env` set, as the launcher
    (`tools/run`, harness/chain/launcher.py) and `brownie run` do (same function, arguments as strings,
    exit status from SystemExit), capturing its output. A script subprocess costs seconds per call;
    tests/deploy/test_scripts.py, tests/launcher and tests/live run the real command line. The fee
    settings a script installs from its environment (harness/chain/fees.py) are put back afterwards."""

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
    """How a script subprocess (tests/support/scripts.py) reaches this session's Anvil: a private
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
