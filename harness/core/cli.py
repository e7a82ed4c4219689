"""The one command-line convention of every script, and its one exit path.

    tools/run scripts/SCRIPT.py [ACTION] ARGUMENT... [key=value ...] --network NETWORK
    brownie run scripts/SCRIPT.py main [ACTION] ARGUMENT... [key=value ...] --network NETWORK

- Positional words first: the action (for a script that does several things, e.g. `lock.py create`),
  then its arguments in the order the usage line gives them.
- Options are `key=value` words, anywhere: `manifest=PATH` (the deployment to act on: default the
  manifest of the connected network), `account=N` (Anvil account N signs: a development-network
  shorthand for `SIGNER=N`), and each script's own (`reason=TEXT`, `voters=N`...). A word is an
  option when the part before its first `=` is a plain name (letters and `_`, words joined by
  `-` as in `dry-run=1`): an amount, an address or a path never is.
- The signer is `account=N` if given, else `SIGNER` (harness/chain/accounts.py).
- Bad input: `error: <argument>: <what is wrong>` on stderr, exit status 1, nothing sent. The usage
  line is in the message of an arity or option mistake.

A script declares its words as a `Command` and parses its arguments with it; the typed readers below
(`amount_argument`, `duration_argument`...) turn a word into a value or a ScriptError naming it.
Plain Python: the chain-bound entry (fees first, then this exit path) is harness/chain/entry.py.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from harness.core.errors import ScriptError
from harness.core.units import DECIMALS, is_whole_number, parse_address, parse_duration, parse_token_amount

_OPTION = re.compile(r"^([A-Za-z_]+(?:-[A-Za-z_]+)*)=(.*)$", re.S)
ON_OFF = ("on", "off")


@dataclass(frozen=True)
class Argument:
    """A positional word: `name` is what errors call it (`amount: ...`), `metavar` what the usage
    line shows (`AMOUNT`); `choices` limits it to fixed words (on|off)."""

    name: str
    metavar: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False  # may be left out (then every later argument is optional too)
    repeats: bool = False  # the last argument only: any number of them, none included

    def shown(self) -> str:
        text = "|".join(self.choices) if self.choices and not self.metavar else (self.metavar or self.name.upper())
        if self.repeats:
            return f"[{text} ...]"
        return f"[{text}]" if self.optional else text

    def check(self, value: str) -> str:
        if self.choices and value not in self.choices:
            raise ScriptError(f"{self.name}: expected {' or '.join(self.choices)}, got {value!r}")
        return value


@dataclass(frozen=True)
class Option:
    """A `key=value` word."""

    key: str
    metavar: str

    def shown(self) -> str:
        return f"[{self.key}={self.metavar}]"


# the options every script that reads a deployment or signs takes
MANIFEST = Option("manifest", "PATH")
ACCOUNT = Option("account", "N")


@dataclass(frozen=True)
class Action:
    """One thing a multi-action script does: its word and its arguments."""

    name: str
    arguments: tuple[Argument, ...] = ()


@dataclass
class Call:
    """A parsed command line: the action (None for a single-action script), the positional
    arguments by name (a repeating argument gives a list), and the options given."""

    action: str | None
    arguments: dict[str, Any]
    options: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.arguments.get(name)

    def option(self, key: str, default: str | None = None) -> str | None:
        return self.options.get(key, default)

    def options_only_for(self, action: str, *keys: str) -> None:
        """A ScriptError naming the first of `keys` given with another action than `action`."""
        for key in keys:
            if key in self.options and self.action != action:
                raise ScriptError(f"{key}=: only for `{action}`")


@dataclass(frozen=True)
class Command:
    """What a script takes. Either `arguments` (one action) or `actions` (the first word picks
    one); `options` are the `key=value` words it accepts."""

    script: str
    arguments: tuple[Argument, ...] = ()
    actions: tuple[Action, ...] = ()
    options: tuple[Option, ...] = ()
    prefix: str = "scripts/"  # how the usage line starts the command (`python -m ` for a module)

    def usage(self, action: Action | None = None) -> str:
        options = " ".join(option.shown() for option in self.options)
        if self.actions and action is None:
            words = "|".join(a.name for a in self.actions) + " ..."
        else:
            arguments = action.arguments if action else self.arguments
            words = " ".join(([action.name] if action else []) + [argument.shown() for argument in arguments])
        return " ".join(part for part in (f"{self.prefix}{self.script}", words, options) if part)

    def parse(self, words: Sequence[Any]) -> Call:
        """Split `words` into the action, its arguments and the options; raise ScriptError naming the
        first word that does not fit."""
        positional: list[str] = []
        options: dict[str, str] = {}
        known = {option.key for option in self.options}
        for word in map(str, words):
            match = _OPTION.match(word)
            if match:
                key, value = match[1], match[2]
                if key not in known:
                    raise ScriptError(f"{key}: unknown option (usage: {self.usage()})")
                if key in options:
                    raise ScriptError(f"{key}=: given twice")
                options[key] = value
            else:
                positional.append(word)
        action: Action | None = None
        if self.actions:
            names = [a.name for a in self.actions]
            first = positional.pop(0) if positional else None
            if first not in names:
                raise ScriptError(f"action: expected one of {', '.join(names)}, got {first!r}")
            action = self.actions[names.index(first)]
        arguments = action.arguments if action else self.arguments
        return Call(action.name if action else None, self._bind(arguments, positional, action), options)

    def _bind(self, arguments: tuple[Argument, ...], words: list[str], action: Action | None) -> dict[str, Any]:
        bound: dict[str, Any] = {}
        rest = list(words)
        for argument in arguments:
            if argument.repeats:
                bound[argument.name] = [argument.check(word) for word in rest]
                rest = []
            elif rest:
                bound[argument.name] = argument.check(rest.pop(0))
            elif argument.optional:
                bound[argument.name] = None
            else:
                raise ScriptError(f"{argument.name}: missing (usage: {self.usage(action)})")
        if rest:
            raise ScriptError(f"{rest[0]!r}: one argument too many (usage: {self.usage(action)})")
        return bound


# ---- typed readers: a word to a value, or a ScriptError naming the argument ---------------------


def argument(name: str, text: str | None, parse: Callable[[str], Any]) -> Any:
    """`parse(text)` with a ValueError turned into `name: <message>` (and nothing into `name: missing`)."""
    if text is None or str(text).strip() == "":
        raise ScriptError(f"{name}: missing")
    try:
        return parse(str(text).strip())
    except ValueError as error:
        raise ScriptError(f"{name}: {error}") from None


def amount_argument(name: str, text: str | None, decimals: int = DECIMALS) -> int:
    """Whole tokens (decimals allowed, e.g. 1250.5) to base units of a token with `decimals`."""
    return argument(name, text, lambda value: parse_token_amount(value, decimals))


def duration_argument(name: str, text: str | None) -> int:
    """Seconds, or a number with a unit s/m/h/d/w (`52w`, `180d`)."""
    return argument(name, text, lambda value: parse_duration(int(value) if is_whole_number(value) else value))


def address_argument(name: str, text: str | None) -> str:
    return argument(name, text, parse_address)


def switch_argument(text: str) -> bool:
    """`on` -> True, `off` -> False (an Argument with choices ON_OFF has checked the word)."""
    return text == "on"


def flag_option(key: str, text: str) -> bool:
    """A yes/no option (`suffix=yes`)."""
    if text.lower() in ("yes", "true", "1"):
        return True
    if text.lower() in ("no", "false", "0"):
        return False
    raise ScriptError(f"{key}=: must be yes or no, got {text!r}")


def count_option(key: str, text: str, low: int, high: int) -> int:
    """A whole number `low..high` (`voters=2`)."""
    if not is_whole_number(text) or not low <= int(text) <= high:
        raise ScriptError(f"{key}=: must be {low}..{high}, got {text!r}")
    return int(text)


# ---- the exit path ---------------------------------------------------------------------------


@contextmanager
def exit_on_error() -> Iterator[None]:
    """An expected failure (any ScriptError) becomes `error: <message>` on stderr and exit status 1,
    without a traceback; anything else propagates."""
    try:
        yield
    except ScriptError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
