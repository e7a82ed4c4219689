"""What every script shares: turning expected failures into one clear message and exit status 1."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from harness.config import ConfigError


class ScriptError(Exception):
    """Bad input to a script: a message naming the argument or field, raised before any transaction."""


@contextmanager
def script_errors() -> Iterator[None]:
    """Print expected errors without a traceback and exit with status 1. On entry, once connected,
    the transaction fee policy (harness/fees.py) is installed, so a bad MAX_FEE_GWEI /
    PRIORITY_FEE_GWEI stops the script here, before its first transaction, under `brownie run`
    as under the launcher."""
    from brownie import network

    from harness import fees
    from harness.deploy import DeployError  # imports brownie contracts: only once a project is loaded

    try:
        if network.is_connected():
            fees.apply()
        yield
    except ConfigError as error:
        print(error.describe(), file=sys.stderr)
        sys.exit(1)
    except (ScriptError, DeployError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
