"""Run a project script as `brownie run` does, from any checkout path.

    python -m harness.chain.launcher SCRIPT [ARGS...] [--network NAME] [--silent] [--tb]
    tools/run SCRIPT [ARGS...] [--network NAME]            (the same, with the repo's toolchain on PATH)

`brownie run` imports a script under a module name made of its absolute path's folders joined with
dots (`/tmp/ai.dao/x/scripts/deploy.py` becomes `tmp.ai.dao.x.scripts.deploy`), so from a checkout
whose path has a dot in a folder name (`mktemp -d` gives `/tmp/tmp.XXXX`, or `~/src/ai.dao`) every
script fails with ModuleNotFoundError. The launcher does what `brownie run` does, in the same order,
but imports the script file by its path:

1. CONFIG as `brownie run` sets it: mode "run" (`CONFIG.mode`), the argv options (`network`,
   `silent`, `tb`, ...), so a script sees no difference;
2. loads the brownie project (compiling a changed contract, as `brownie run` does) and its
   config; the contract containers go into the `brownie` namespace (`from brownie import ServiceToken`);
3. connects to the network (brownie launches or attaches to a development chain, and stops one it
   launched at exit), then installs the transaction fee policy (harness/chain/fees.py);
4. imports the script with importlib.util.spec_from_file_location under the module name
   `scripts.<name>` (the name `import scripts.<name>` gives it, as in the tests that run a script
   in-process) and calls `main(*ARGS)`, the arguments as strings.

Exit status and output are those of `brownie run`: 0 on success; a script's own `error: ...` and
exit status 1 (harness.core.cli, the one exit path) pass through; any other exception prints brownie's
traceback summary and exits 1. Options may come anywhere; everything else, including values that
start with `-` such as `-5`, is an argument for `main` (`--` ends the options).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Sequence

from pydantic import BaseModel, ConfigDict

from harness.core.cli import exit_on_error
from harness.core.errors import LaunchError

USAGE = "usage: python -m harness.chain.launcher SCRIPT [ARGS...] [--network NAME] [--silent] [--tb]"
FALLBACK_PROJECT_NAME = "AiServiceDaoProject"


class Invocation(BaseModel):
    """What to run: the script, main's arguments, and the options `brownie run` would have had."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    script: str
    args: tuple[str, ...] = ()
    network: str | None = None
    silent: bool = False
    tb: bool = False


def parse(argv: Sequence[str]) -> Invocation:
    script: str | None = None
    args: list[str] = []
    network: str | None = None
    flags = {"silent": False, "tb": False}
    words = list(argv)
    options_done = False
    while words:
        word = words.pop(0)
        if not options_done and word == "--":
            options_done = True
        elif not options_done and word in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif not options_done and (word == "--network" or word.startswith("--network=")):
            if word == "--network":
                if not words:
                    raise LaunchError("--network: needs a network name (`brownie networks list`)")
                network = words.pop(0)
            else:
                network = word.split("=", 1)[1]
            if not network:
                raise LaunchError("--network: needs a network name (`brownie networks list`)")
        elif not options_done and word.startswith("--") and word[2:] in flags:
            flags[word[2:]] = True
        elif not options_done and word.startswith("--") and len(word) > 2:
            raise LaunchError(f"{word}: unknown option ({USAGE})")
        elif script is None:
            script = word
        else:
            args.append(word)
    if script is None:
        raise LaunchError(f"SCRIPT: missing ({USAGE})")
    return Invocation(script=script, args=tuple(args), network=network, **flags)


def find_script(script: str, project_root: Path | None, scripts_folder: str = "scripts") -> Path:
    """The script's file, looked up as `brownie run` looks it up: as given (`.py` optional), else
    in the project's root, else in its scripts folder."""
    given = Path(script)
    if given.suffix != ".py":
        given = given.with_name(given.name + ".py")
    candidates = [given]
    if project_root is not None and not given.is_absolute():
        candidates += [project_root / given, project_root / scripts_folder / given]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise LaunchError(f"SCRIPT: no such script {script!r}")


def module_name(path: Path, project_root: Path | None) -> str:
    """`scripts.deploy` for <project>/scripts/deploy.py: the import name of its path inside the
    project (never the absolute path, whose folders may hold dots); a file outside the project gets
    a name of its own."""
    if project_root is not None:
        try:
            parts = path.with_suffix("").relative_to(project_root).parts
        except ValueError:
            parts = ()
        if parts and all(part.isidentifier() for part in parts):
            return ".".join(parts)
    stem = "".join(c if c.isalnum() or c == "_" else "_" for c in path.stem)
    return f"_launched_script_{stem}"


def import_script(path: Path, name: str) -> ModuleType:
    """Import the file at `path` as module `name` (registered in sys.modules while it runs, so its
    own imports of the same name get this module)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LaunchError(f"SCRIPT: cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _load_project():
    """The brownie project around the working directory, as `brownie run` loads it (None outside one)."""
    from brownie import project
    from brownie.exceptions import BadProjectName

    root = project.check_for_project(".")
    if root is None:
        return None
    try:
        active = project.load(root)
    except BadProjectName:
        # brownie names a project after its folder and refuses a folder whose name does not start
        # with a letter (a checkout in `2024-dao/`): the name matters to nothing here
        active = project.load(root, name=FALLBACK_PROJECT_NAME)
    active.load_config()
    active._add_to_main_namespace()  # as brownie.project.scripts.run: `from brownie import ServiceToken`
    return active


def launch(invocation: Invocation) -> None:
    """Run the invocation; exits with the script's status (see the module docstring)."""
    from brownie import network
    from brownie._config import CONFIG, __version__
    from brownie.utils import color
    from brownie.utils._color import bright_blue, bright_cyan

    print(f"Brownie v{__version__} - Python development framework for Ethereum\n")
    # what `brownie run` puts into CONFIG.argv (brownie/_cli/__main__.py and _cli/run.py)
    CONFIG.argv["cli"] = "run"
    CONFIG.argv.update({
        "<filename>": invocation.script, "<function>": "main", "<arg>": list(invocation.args),
        "network": invocation.network, "silent": invocation.silent, "interactive": False,
        "raise": False, "gas": False, "tb": invocation.tb, "help": False,
    })
    sys.modules["brownie"].a = network.accounts  # type: ignore[attr-defined]  # as `brownie run`

    with exit_on_error():
        try:
            active = _load_project()
            if active is not None:
                print(f"{active._name} is the active project.")
            root = Path(active._path) if active is not None else None
            path = find_script(invocation.script, root, active._structure["scripts"] if active else "scripts")
            if invocation.network is not None and invocation.network not in CONFIG.networks:
                raise LaunchError(f"--network: no brownie network named {invocation.network!r} (`brownie networks list`)")
            network.connect(CONFIG.argv["network"])
        except LaunchError:
            raise
        except Exception as error:  # what `brownie`'s own entry point does with a failure outside the script
            sys.exit(color.format_tb(error))

        from harness.chain import fees

        fees.apply()

    try:
        module = import_script(path, module_name(path, root))
        main = getattr(module, "main", None)
        if not callable(main):
            raise AttributeError(f"Module '{module.__name__}' has no method 'main'")
        try:
            shown = path.relative_to(Path(".").absolute())
        except ValueError:
            shown = path
        print(f"\nRunning '{bright_blue}{shown}{color}::{bright_cyan}main{color}'...")
        main(*invocation.args)
    except Exception as error:
        print(color.format_tb(error))
        sys.exit(1)
    sys.exit(0)


def run(argv: Sequence[str] | None = None) -> None:
    with exit_on_error():
        invocation = parse(sys.argv[1:] if argv is None else argv)
    launch(invocation)


if __name__ == "__main__":
    run()
