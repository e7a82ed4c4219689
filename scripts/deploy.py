"""Deploy the protocol from a config file, resuming from the network's manifest (harness/deploy).

    tools/run scripts/deploy.py [CONFIG] [account=N] --network NETWORK

CONFIG defaults to config/local.yaml on development networks and must be given on live ones. The
manifest is deployments/<network>-<chainid>.json. SIGNER (or account=N) names the deployer. See
README "Deploying".
"""

from __future__ import annotations

from brownie import network, web3

from harness.chain.accounts import is_development, signer
from harness.chain.entry import script_errors
from harness.core.cli import ACCOUNT, Argument, Command
from harness.core.errors import ScriptError
from harness.core.manifest import Manifest
from harness.core.paths import LOCAL_CONFIG, manifest_path
from harness.deploy.report import print_deployment
from harness.deploy.steps import deploy_from_config

COMMAND = Command("deploy.py", arguments=(Argument("config", "CONFIG", optional=True),), options=(ACCOUNT,))


def main(*args: str) -> Manifest:
    with script_errors():
        call = COMMAND.parse(args)
        config_path = call["config"]
        if config_path is None:
            if not is_development():
                raise ScriptError(f"config: network {network.show_active()!r} is live: name the config file to deploy")
            config_path = str(LOCAL_CONFIG)
        deployment = deploy_from_config(
            config_path,
            deployer=signer(call.option("account")),
            manifest_file=manifest_path(network.show_active(), web3.eth.chain_id),
        )
        print_deployment(deployment.config, deployment.manifest, deployment.manifest_file, sent=deployment.sent)
        return deployment.manifest
