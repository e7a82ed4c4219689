"""Fixtures of the proposal tooling tests: the deployed system with voters holding locks, a
DEPLOYMENTS_DIR holding its manifest, and the scripts run in this process (the simulation as a
script subprocess (`tools/run`) attached to this session's Anvil)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from brownie import network, web3

from harness.chain.time import advance, now
from harness.core.units import MAX_LOCK, UNIT
from tests.support.scripts import launch_attached


@pytest.fixture(scope="module")
def gov(system, accounts):
    """`system` with locks: account 2 (proposer, ~100M score), account 3 (~40M), accounts 5 and 6
    (~10M each, the gasless voters). Account 7 holds nothing."""
    token, escrow = system.token, system.escrow
    for holder in (accounts[5], accounts[6]):
        token.transfer(holder, 5_000_000 * UNIT, {"from": accounts[2]})
    unlock = now() + MAX_LOCK - 7 * 86400
    for holder, amount in ((accounts[2], 50_000_000), (accounts[3], 20_000_000), (accounts[5], 5_000_000), (accounts[6], 5_000_000)):
        token.approve(escrow, amount * UNIT, {"from": holder})
        escrow.createLock(amount * UNIT, unlock, {"from": holder})
    advance(1)
    return system


@pytest.fixture(scope="module")
def deployments(gov, tmp_path_factory):
    """A DEPLOYMENTS_DIR whose manifest for this network is the `system` one."""
    folder = tmp_path_factory.mktemp("proposal-deployments")
    shutil.copy(gov.manifest_file, folder / f"{network.show_active()}-{web3.eth.chain_id}.json")
    # the same manifest under the network name script subprocesses use (tests/conftest.py brownie_cli)
    shutil.copy(gov.manifest_file, folder / f"test-attached-{web3.eth.chain_id}.json")
    return folder


@pytest.fixture
def run(deployments, run_script, brownie_cli):
    """The simulation runs as a real script subprocess (`tools/run`) (it snapshots and reverts the chain
    under it); every other script in this process (see tests/conftest.py `run_script`)."""

    def runner(script, *args, env=None):
        if script.endswith("simulate_proposal.py"):
            return launch_attached(script, *args, cli=brownie_cli, deployments_dir=deployments, env=env)
        return run_script(script, *args, env={"DEPLOYMENTS_DIR": str(deployments), **(env or {})})

    return runner


@pytest.fixture
def chain_marks(accounts):
    """Block number and every test account's nonce: unchanged means nothing was sent."""
    return lambda: (web3.eth.block_number, tuple(account.nonce for account in accounts))


@pytest.fixture
def write_proposal(tmp_path):
    def write(text: str, name: str = "proposal.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
