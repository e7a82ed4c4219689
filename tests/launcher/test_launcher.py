"""harness/chain/launcher.py (`tools/run`): a script run as `brownie run` runs it, imported by its path.

Its argument handling and module naming as functions; then, in subprocesses attached to this
session's Anvil, what a script sees (brownie's CONFIG as under `brownie run`) and the exit status
and output of each way a script can end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from brownie import web3

from harness.chain.launcher import Invocation, find_script, module_name, parse
from harness.core.errors import LaunchError
from tests.support.scripts import REPO, launch

PROBE = '''
import sys
from brownie import ServiceToken, network
from brownie._config import CONFIG
print("imported as", __name__)

def main(*args):
    print("mode", CONFIG.mode, "argv network", CONFIG.argv["network"], "active", network.show_active())
    print("silent", CONFIG.argv["silent"], "container", ServiceToken._name)
    print("args", list(args))
    if args and args[0] == "boom":
        raise RuntimeError("boom")
    if args and args[0] == "exit":
        sys.exit(int(args[1]))
'''


def plain(text: str) -> str:
    """Output without brownie's terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_options_may_come_anywhere_and_everything_else_is_an_argument():
    assert parse(["scripts/lock.py", "create", "--network", "dev", "-5", "52w", "--silent"]) == Invocation(
        script="scripts/lock.py", args=("create", "-5", "52w"), network="dev", silent=True
    )
    assert parse(["--network=x", "s.py", "--", "--network", "y"]) == Invocation(script="s.py", args=("--network", "y"), network="x")
    assert parse(["s.py", "--tb"]).tb is True


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "SCRIPT: missing"),
        (["s.py", "--network"], "--network: needs a network name"),
        (["s.py", "--network="], "--network: needs a network name"),
        (["s.py", "--gas"], "--gas: unknown option"),
    ],
)
def test_bad_launcher_arguments_are_named(argv, message):
    with pytest.raises(LaunchError, match=message):
        parse(argv)


def test_a_project_script_is_imported_under_its_name_inside_the_project_not_its_absolute_path():
    root = Path("/tmp/tmp.Xq3/ai.dao")
    assert module_name(root / "scripts" / "deploy.py", root) == "scripts.deploy"
    assert module_name(Path("/elsewhere/my-probe.py"), root) == "_launched_script_my_probe"
    assert module_name(root / "scripts" / "odd-name.py", root) == "_launched_script_odd_name"


def test_a_script_is_found_as_brownie_run_finds_it():
    deploy = (REPO / "scripts" / "deploy.py").resolve()
    assert find_script("scripts/deploy.py", REPO) == deploy
    assert find_script("scripts/deploy", REPO) == deploy
    assert find_script("deploy", REPO) == deploy
    with pytest.raises(LaunchError, match="SCRIPT: no such script 'scripts/nope.py'"):
        find_script("scripts/nope.py", REPO)


@pytest.fixture
def probe(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text(PROBE)
    return path


@pytest.fixture
def launched(brownie_cli):
    cli_network, cli_env = brownie_cli

    def run(script, *args, env=None):
        return launch(str(script), *args, network=cli_network, env={**cli_env, **(env or {})})

    return run


def test_a_script_sees_what_brownie_run_gives_it(launched, probe, brownie_cli):
    result = launched(probe, "one", "-5", "two words", "--silent")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported as _launched_script_probe" in result.stdout
    assert f"Running '{probe}::main'..." in plain(result.stdout)
    assert f"mode run argv network {brownie_cli[0]} active {brownie_cli[0]}" in result.stdout
    assert "silent True container ServiceToken" in result.stdout
    assert "args ['one', '-5', 'two words']" in result.stdout


def test_an_unexpected_exception_prints_brownies_summary_and_exits_1(launched, probe):
    result = launched(probe, "boom")
    assert result.returncode == 1
    assert "RuntimeError: boom" in plain(result.stdout)
    assert "probe.py" in plain(result.stdout)


def test_a_scripts_own_exit_status_passes_through(launched, probe):
    assert launched(probe, "exit", "3").returncode == 3


def test_a_script_error_is_printed_as_error_and_exits_1_with_nothing_sent(launched, accounts):
    before = (web3.eth.block_number, accounts[0].nonce)
    result = launched("scripts/lock.py", "bogus")
    assert result.returncode == 1
    assert "error: action: expected one of create, increase" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (web3.eth.block_number, accounts[0].nonce) == before


def test_a_bad_fee_variable_stops_before_the_script_is_even_imported(launched, probe):
    result = launched(probe, env={"PRIORITY_FEE_GWEI": "fast"})
    assert result.returncode == 1
    assert result.stderr.strip() == "error: PRIORITY_FEE_GWEI: expected a number of gwei such as 1.5, got 'fast'"
    assert "imported as" not in result.stdout


def test_an_unknown_network_or_script_is_named(launched, probe):
    unknown_network = launch(str(probe), network="no-such-net")
    assert unknown_network.returncode == 1
    assert "error: --network: no brownie network named 'no-such-net'" in unknown_network.stderr
    missing = launched("scripts/nope.py")
    assert missing.returncode == 1 and "error: SCRIPT: no such script 'scripts/nope.py'" in missing.stderr
