import shutil

import pytest
from brownie import network, web3


@pytest.fixture
def ops_env(system, tmp_path):
    """Environment for the scripts: the `system` deployment's manifest where the scripts look for the
    connected network's manifest."""
    target = tmp_path / f"{network.show_active()}-{web3.eth.chain_id}.json"
    shutil.copy(system.manifest_file, target)
    return {"DEPLOYMENTS_DIR": str(tmp_path)}


@pytest.fixture
def run(ops_env):
    from ops_helpers import run_script

    def runner(script, *args, signer=None, env=None):
        extra = dict(ops_env)
        if signer is not None:
            extra["SIGNER"] = str(signer)
        extra.update(env or {})
        return run_script(script, *args, network=network.show_active(), env=extra)

    return runner


@pytest.fixture
def marks(accounts):
    """(block number, every Anvil account's nonce): unchanged means no transaction was sent."""
    return lambda: (web3.eth.block_number, tuple(a.nonce for a in accounts))
