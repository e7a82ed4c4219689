"""Deploy the protocol from a config file, resuming from the network's manifest.

    brownie run scripts/deploy.py main [CONFIG] --network NETWORK

CONFIG defaults to config/local.yaml on development networks and must be given on live ones. The
manifest is deployments/<network>-<chainid>.json. See README "Deploying to a real network".
"""

from __future__ import annotations

from brownie import network, web3

from harness.accounts import is_development, signer
from harness.cli import ScriptError, script_errors
from harness.config import load_config
from harness.deploy import Deployment
from harness.manifest import Manifest, manifest_path
from harness.report import print_deployment

LOCAL_CONFIG = "config/local.yaml"


def main(config_path: str | None = None) -> Manifest:
    with script_errors():
        if config_path is None:
            if not is_development():
                raise ScriptError(f"network {network.show_active()!r} is live: name the config file to deploy")
            config_path = LOCAL_CONFIG
        config = load_config(config_path)
        deployment = Deployment(
            config=config,
            config_path=config_path,
            deployer=signer(),
            manifest_file=manifest_path(network.show_active(), web3.eth.chain_id),
        )
        manifest = deployment.run()
        print_deployment(config, manifest, deployment.manifest_file, sent=deployment.sent)
        return manifest
