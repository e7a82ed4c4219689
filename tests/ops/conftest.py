import importlib
import shutil
from dataclasses import dataclass

import pytest
from brownie import network, web3


@pytest.fixture
def ops_env(system, tmp_path):
    """Environment for the scripts: the `system` deployment's manifest where the scripts look for the
    connected network's manifest."""
    target = tmp_path / f"{network.show_active()}-{web3.eth.chain_id}.json"
    shutil.copy(system.manifest_file, target)
    return {"DEPLOYMENTS_DIR": str(tmp_path)}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(ops_env, monkeypatch, capsys):
    """Run `scripts/<script>`'s main(*args) in this process, as `brownie run` does (same module, same
    arguments as strings, exit status from SystemExit): a subprocess per call would cost seconds each.
    tests/deploy/test_scripts.py and tests/live run the real `brownie run` command line."""

    def runner(script, *args, signer=None, env=None):
        settings = dict(ops_env)
        if signer is not None:
            settings["SIGNER"] = str(signer)
        settings.update(env or {})
        with monkeypatch.context() as patch:
            for key, value in settings.items():
                patch.setenv(key, value)
            module = importlib.import_module(f"scripts.{script.removesuffix('.py')}")
            capsys.readouterr()
            try:
                module.main(*map(str, args))
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return runner


@pytest.fixture
def marks(accounts):
    """(block number, every Anvil account's nonce): unchanged means no transaction was sent."""
    return lambda: (web3.eth.block_number, tuple(a.nonce for a in accounts))
