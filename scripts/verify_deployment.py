"""Check a deployment manifest against the chain and the config; list every mismatch.

    brownie run scripts/verify_deployment.py main [MANIFEST] [CONFIG] --network NETWORK

MANIFEST defaults to deployments/<network>-<chainid>.json, CONFIG to the path the manifest records.
Exit status 1 if anything does not match.
"""

from __future__ import annotations

import sys
from pathlib import Path

from brownie import network, web3

from harness.cli import ScriptError, script_errors
from harness.config import load_config
from harness.manifest import load_manifest, manifest_path
from harness.verify import Report, verify_deployment


def main(manifest_file: str | None = None, config_path: str | None = None) -> Report:
    with script_errors():
        path = Path(manifest_file) if manifest_file else manifest_path(network.show_active(), web3.eth.chain_id)
        if not path.is_file():
            raise ScriptError(f"manifest: no such file {path}")
        try:
            manifest = load_manifest(path)
        except ValueError as error:
            raise ScriptError(f"manifest {path}: not a valid manifest ({error})") from None
        config = load_config(config_path or manifest.config_path)
        report = verify_deployment(manifest, config)
    if report.mismatches:
        print(f"{path}: {len(report.mismatches)} mismatch(es) in {report.checked} checks:")
        for line in report.mismatches:
            print(f"  MISMATCH {line}")
        sys.exit(1)
    print(f"{path}: all {report.checked} checks match the chain and {config_path or manifest.config_path}")
    return report
