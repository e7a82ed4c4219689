"""A checkout whose path has a dot (`~/src/ai.dao`, or the `/tmp/tmp.XXXX` that `mktemp -d` gives):
`make demo` and every script work from it (issue 9, finding 10).

`brownie run` imports a script under its absolute path's folders joined with dots, so from such a
checkout it fails at once with ModuleNotFoundError (the control below keeps this test honest: the
path does break `brownie run`). The copy is this working tree's files (tracked and new, not
ignored), so the test checks the code under test, not the last commit. It shares this checkout's
`.venv` and `node_modules` through symlinks, which is sound: tools/run puts the copy's own
`harness` first on PYTHONPATH (the venv's editable install only maps `harness` for imports that
nothing else finds), and the manifest and charts landing in the copy's own folders prove it;
`build/` is copied (brownie may rewrite it) and the setup stamps are written after the copy, so
`make` has nothing to install (checked with `make -n`: the shared venv is never reinstalled).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import yaml
from brownie import web3
from brownie._config import _get_data_folder

from tests.support.scripts import REPO, launch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dotted_checkout(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("checkouts") / "ai.dao" / "tmp.Xq3"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is not part of the tree under test
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    for shared in (".venv", "node_modules"):
        (root / shared).symlink_to(REPO / shared)
    shutil.copytree(REPO / "build", root / "build")
    (root / ".make").mkdir()
    for stamp in ("venv", "npm", "compiled"):
        (root / ".make" / stamp).touch()
    return root


@pytest.fixture(scope="module")
def own_development_network(tmp_path_factory):
    """A private HOME whose brownie `development` network is on a free port: `make demo` there
    launches its own Anvil, as it does for a user on port 8545 (which other runs on this machine may hold)."""
    home = tmp_path_factory.mktemp("dotted-home")
    (home / ".brownie").mkdir()
    networks = yaml.safe_load((_get_data_folder() / "network-config.yaml").read_text())
    next(n for n in networks["development"] if n["id"] == "development")["cmd_settings"]["port"] = free_port()
    (home / ".brownie" / "network-config.yaml").write_text(yaml.safe_dump(networks))
    return {"HOME": str(home)}


def make(checkout: Path, *targets: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *targets], cwd=checkout, env={**os.environ, **env},
        capture_output=True, text=True, timeout=900,
    )


def test_brownie_run_itself_fails_from_the_dotted_path(dotted_checkout, brownie_cli):
    """The control: the path used here is one that breaks `brownie run`."""
    cli_network, cli_env = brownie_cli
    result = subprocess.run(
        [str(dotted_checkout / ".venv" / "bin" / "brownie"), "run", "scripts/status.py", "main", "--network", cli_network],
        cwd=dotted_checkout, env={**os.environ, **cli_env}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert "ModuleNotFoundError" in result.stdout + result.stderr


def test_make_demo_runs_from_the_dotted_path(dotted_checkout, own_development_network):
    planned = make(dotted_checkout, "-n", "demo", env=own_development_network)
    assert planned.returncode == 0 and planned.stdout.strip() == "tools/run scripts/demo.py", planned.stdout

    demo = make(dotted_checkout, "demo", env=own_development_network)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "ModuleNotFoundError" not in demo.stdout + demo.stderr
    # the services part ran: a discount refused to a short lock, a settlement skipping a stale receipt,
    # and service revenue reaching the stakers
    assert "no discount: the lock ends" in demo.stdout and "1 stale receipt skipped" in demo.stdout
    assert "from AI services" in demo.stdout
    # the early-access deal ran (harness/demo/deals.py): created by proposal, a level-4 holder told its
    # window is not open yet, a level-2 holder refused, oversubscribed, finalized, and the summary's
    # numbers (which the demo checks against SPEC 5.3's fill in plain Python) exact to the wei
    assert "-- deal 1 created: 1,000,000 PRJ held by EarlyAccessDeals, raise target 100,000 tUSD --" in demo.stdout
    assert "refused, WindowClosed(" in demo.stdout and ": level 4 opens " in demo.stdout
    assert "refused, NotEligible(" in demo.stdout and "level 2 is below the minimum 3" in demo.stdout
    assert "committed 155,000 tUSD against a 100,000 tUSD target: 1.55x oversubscribed" in demo.stdout
    assert ("finalized: 100,000 tUSD raised, 5,000 tUSD fee to the stakers (RevenueDistributor), 95,000 tUSD to the "
            "seller, 1,000,000 PRJ sold") in demo.stdout
    assert deal_table(demo.stdout) == {
        "Eli": ["5", "60,000", "60,000", "0", "600,000", "600,000"],
        "Dev": ["4", "40,000", "26,666.666666666666666667", "13,333.333333333333333333",
                "266,666.666666666666666666", "266,666.666666666666666666"],
        "Fay": ["4", "20,000", "13,333.333333333333333334", "6,666.666666666666666666",
                "133,333.333333333333333333", "133,333.333333333333333333"],
        "Ben": ["3", "15,000", "0", "15,000", "0", "0"],
        "Gus": ["3", "20,000", "0", "20,000", "0", "0"],
    }
    # the copy's own harness ran: its manifest and its charts are in the copy's folders
    manifest = json.loads((dotted_checkout / "deployments" / "development-31337.json").read_text())
    assert manifest["complete"] is True and {"LocalTestUSD", "DemoProjectToken"} <= set(manifest["contracts"])
    assert {p.name for p in (dotted_checkout / "reports").glob("*.png")} == {
        "staking-scores.png", "cumulative-revenue.png", "balances.png", "revenue-by-source.png", "deal-allocations.png"
    }


def deal_table(stdout: str) -> dict[str, list[str]]:
    """The demo summary's deal table: holder -> level, committed, allocation, refund, PRJ bought, PRJ claimed."""
    lines = stdout.split("early-access deal 1: ", 1)[1].splitlines()[1:]
    assert lines[0].split() == ["holder", "level", "committed", "tUSD", "allocation", "tUSD", "refund", "tUSD", "PRJ", "bought", "PRJ", "claimed"]
    rows = {}
    for line in lines[2:]:
        if not line.strip():
            break
        name, *cells = line.split()
        rows[name] = cells
    return rows


def test_scripts_run_from_the_dotted_path(dotted_checkout, brownie_cli, tmp_path, accounts):
    cli_network, cli_env = brownie_cli
    env = {**cli_env, "DEPLOYMENTS_DIR": str(tmp_path)}

    deployed = launch("scripts/deploy.py", network=cli_network, env=env, repo=dotted_checkout)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "24 step(s) sent" in deployed.stdout
    locked = launch("scripts/lock.py", "create", "1000", "52w", network=cli_network, env={**env, "SIGNER": "2"}, repo=dotted_checkout)
    assert locked.returncode == 0, locked.stdout + locked.stderr
    status = launch("scripts/status.py", accounts[2].address, network=cli_network, env=env, repo=dotted_checkout)
    assert status.returncode == 0 and "locked                1,000 (ends" in status.stdout
    refused = launch("scripts/lock.py", "bogus", network=cli_network, env=env, repo=dotted_checkout)
    assert refused.returncode == 1 and "error: action: expected one of" in refused.stderr
    assert web3.eth.get_code(json.loads((tmp_path / f"{cli_network}-31337.json").read_text())["contracts"]["ServiceToken"]["address"])
