"""harness/core is plain Python: no module below it imports brownie, so the config, manifest, units,
signing, ABI and proposal code runs (and is tested) without a project, a network or a chain."""

from __future__ import annotations

import ast
import subprocess
import sys

from harness.core.paths import REPO_ROOT

CORE = REPO_ROOT / "harness" / "core"
# Refuse brownie to everything imported after this line, as if it were not installed.
BLOCKER = """
import importlib.abc, sys
class NoBrownie(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "brownie" or name.startswith("brownie."):
            raise ImportError(f"harness/core must not import {name}")
        return None
sys.meta_path.insert(0, NoBrownie())
"""


def core_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in CORE.rglob("*.py")
    )


def test_core_has_the_modules_the_map_names():
    names = set(core_modules())
    for module in ("units", "staking", "levels", "errors", "cli", "config", "manifest", "paths", "signing", "abi"):
        assert f"harness.core.{module}" in names
    assert {"harness.core.proposals.spec", "harness.core.proposals.args", "harness.core.proposals.build",
            "harness.core.proposals.ballots"} <= names


def test_no_core_module_names_brownie_in_an_import():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}" for name in names if name.split(".")[0] == "brownie"]
    assert offenders == []


def test_every_core_module_imports_with_brownie_refused():
    """Each module in a fresh interpreter that cannot import brownie: also catches an import through
    another module (harness.core -> harness.chain -> brownie)."""
    program = BLOCKER + "".join(f"import {module}\n" for module in core_modules()) + "print('ok')\n"
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO_ROOT), "PATH": ""}, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
    loaded = subprocess.run(
        [sys.executable, "-c", BLOCKER + "".join(f"import {m}\n" for m in core_modules())
         + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('brownie', 'web3')))"],
        cwd=REPO_ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(REPO_ROOT), "PATH": ""}, timeout=120,
    )
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
