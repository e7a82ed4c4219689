"""The expected failures: bad input or a state the operation cannot go on from, found before anything
is sent. Every one is a ScriptError, whose message starts with the argument, field, variable or file
it is about (`amount: must be greater than 0`); harness.core.cli prints it as `error: <message>` and
exits with status 1. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class ScriptError(Exception):
    """Bad input to a script: a message naming the argument or field, raised before any transaction."""


class ProblemsError(ScriptError):
    """A file with several broken rules: a heading line, then one line per problem, each naming its
    field (a deploy config, a proposal file)."""

    heading = "invalid file"

    def __init__(self, source: str | Path, problems: list[str]):
        self.source = str(source)
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join([f"{self.heading} {self.source}:"] + [f"  - {problem}" for problem in self.problems])


class ConfigError(ProblemsError):
    """A deploy config that cannot be used (harness/core/config.py)."""

    heading = "invalid deploy config"

    @property
    def path(self) -> str:
        return self.source


class ProposalError(ProblemsError):
    """A proposal file that cannot be proposed (harness/core/proposals)."""

    heading = "invalid proposal"


class ArgError(Exception):
    """One proposal argument that does not fit its ABI type; `path` is like `args[1]` or `args[2][0]`.
    Never shown alone: the proposal builder collects these into a ProposalError."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class DeployError(ScriptError):
    """The deployment cannot go on as asked (stale or foreign manifest, mismatched arguments)."""


class LaunchError(ScriptError):
    """Bad launcher input (tools/run): no such script, an unknown option or network."""
