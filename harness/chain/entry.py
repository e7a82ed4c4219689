"""What every script does around its work: the transaction fee policy first, then the one exit path.

    def main(*args: str) -> None:
        with script_errors():
            call = COMMAND.parse(args)
            ...

On entry, once connected, the fee policy (harness/chain/fees.py) is installed, so a bad
MAX_FEE_GWEI / PRIORITY_FEE_GWEI stops the script before its first transaction, under `brownie run`
as under the launcher (which installed it already: installing is idempotent). Any ScriptError inside
becomes `error: <message>` and exit status 1 (harness.core.cli.exit_on_error).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from brownie import network

from harness.chain import fees
from harness.core.cli import exit_on_error


@contextmanager
def script_errors() -> Iterator[None]:
    with exit_on_error():
        if network.is_connected():
            fees.apply()
        yield
