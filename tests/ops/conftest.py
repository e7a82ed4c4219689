import shutil

import pytest
from brownie import network, web3

from harness.core.paths import airdrop_tree_path


@pytest.fixture
def ops_env(system, tmp_path):
    """Environment for the scripts: the `system` deployment's manifest (and its airdrop tree file)
    where the scripts look for the connected network's manifest."""
    target = tmp_path / f"{network.show_active()}-{web3.eth.chain_id}.json"
    shutil.copy(system.manifest_file, target)
    shutil.copy(airdrop_tree_path(system.manifest_file), airdrop_tree_path(target))
    return {"DEPLOYMENTS_DIR": str(tmp_path)}


@pytest.fixture
def run(ops_env, run_script):
    def runner(script, *args, signer=None, env=None):
        settings = dict(ops_env)
        if signer is not None:
            settings["SIGNER"] = str(signer)
        settings.update(env or {})
        return run_script(script, *args, env=settings)

    return runner


@pytest.fixture
def marks(accounts):
    """(block number, every Anvil account's nonce): unchanged means no transaction was sent."""
    return lambda: (web3.eth.block_number, tuple(a.nonce for a in accounts))
