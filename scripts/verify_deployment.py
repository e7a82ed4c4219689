"""Check a deployment manifest against the chain and the config; list every mismatch (harness/deploy/verify.py).

    tools/run scripts/verify_deployment.py [manifest=PATH] [config=PATH] --network NETWORK

The manifest defaults to deployments/<network>-<chainid>.json, the config to the path the manifest
records. Exit status 1 if anything does not match.
"""

from __future__ import annotations

import sys

from harness.chain.entry import script_errors
from harness.chain.protocol import locate_manifest
from harness.core.cli import MANIFEST, Command, Option
from harness.core.config import load_config
from harness.core.manifest import open_manifest
from harness.deploy.verify import Report, verify_deployment

COMMAND = Command("verify_deployment.py", options=(MANIFEST, Option("config", "PATH")))


def main(*args: str) -> Report:
    with script_errors():
        call = COMMAND.parse(args)
        path = locate_manifest(call.option("manifest"))
        manifest = open_manifest(path)
        config_path = call.option("config") or manifest.config_path
        report = verify_deployment(manifest, load_config(config_path))
    if report.mismatches:
        print(f"{path}: {len(report.mismatches)} mismatch(es) in {report.checked} checks:")
        for line in report.mismatches:
            print(f"  MISMATCH {line}")
        sys.exit(1)
    print(f"{path}: all {report.checked} checks match the chain and {config_path}")
    return report
