"""Build the solc standard-JSON input Slither analyses (crytic-compile's `solc-json` platform).

The settings are read from brownie-config.yaml (compiler.solc.version, optimizer, remappings,
compiler.evm_version), so Slither sees exactly the bytecode brownie builds. Sources: every
`contracts/**/*.sol` and `interfaces/*.sol` except `contracts/test/` (test-only tokens); imports
(OpenZeppelin through the remapping) are resolved by the repo's solc wrapper at compile time.

    python tools/slither/build_input.py [--out build/slither/input.json] [--root .]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

# Relative to the repo root, POSIX style. Kept in one place: the Slither run filters the same paths.
SOURCE_DIRS = ("contracts", "interfaces")
EXCLUDED_DIRS = ("contracts/test",)
DEFAULT_OUT = "build/slither/input.json"

OUTPUT_SELECTION = {
    "*": {
        "*": ["abi", "metadata", "devdoc", "userdoc", "evm.bytecode", "evm.deployedBytecode"],
        "": ["ast"],
    }
}


def compiler_settings(config: dict) -> dict:
    """The standard-JSON `settings` (less outputSelection) from a parsed brownie-config.yaml."""
    compiler = config.get("compiler") or {}
    solc = compiler.get("solc") or {}
    optimizer = solc.get("optimizer") or {}
    settings: dict = {
        "optimizer": {"enabled": bool(optimizer.get("enabled", False))},
        "remappings": list(solc.get("remappings") or []),
    }
    if settings["optimizer"]["enabled"]:
        settings["optimizer"]["runs"] = int(optimizer.get("runs", 200))
    evm = compiler.get("evm_version")
    if evm:
        settings["evmVersion"] = str(evm)
    if solc.get("viaIR"):
        settings["viaIR"] = True
    return settings


def solc_version(config: dict) -> str:
    return str(((config.get("compiler") or {}).get("solc") or {}).get("version", ""))


def is_excluded(rel_path: str, excluded: tuple[str, ...] = EXCLUDED_DIRS) -> bool:
    return any(rel_path == d or rel_path.startswith(d.rstrip("/") + "/") for d in excluded)


def project_sources(root: Path) -> list[str]:
    """Repo-relative POSIX paths of the analysed sources, sorted."""
    found = []
    for source_dir in SOURCE_DIRS:
        base = root / source_dir
        if not base.is_dir():
            continue
        for path in base.rglob("*.sol"):
            rel = path.relative_to(root).as_posix()
            if not is_excluded(rel):
                found.append(rel)
    return sorted(found)


def build_input(root: Path) -> dict:
    config = yaml.safe_load((root / "brownie-config.yaml").read_text()) or {}
    sources = project_sources(root)
    if not sources:
        raise SystemExit(f"no Solidity sources under {', '.join(SOURCE_DIRS)} in {root}")
    settings = compiler_settings(config)
    settings["outputSelection"] = OUTPUT_SELECTION
    return {
        "language": "Solidity",
        "sources": {rel: {"content": (root / rel).read_text()} for rel in sources},
        "settings": settings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="repo root (default: .)")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output file (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    data = build_input(root)
    out = Path(args.out)
    if not out.is_absolute():
        out = root / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{out.relative_to(root) if out.is_relative_to(root) else out}: {len(data['sources'])} sources, "
          f"settings {json.dumps({k: v for k, v in data['settings'].items() if k != 'outputSelection'})}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
