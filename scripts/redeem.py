"""Settle signed usage receipts from a file with ServiceAccess.redeemUsageBatch (harness/ops/access.py).

    tools/run scripts/redeem.py FILE [dry-run=1]       preview each receipt, then settle them in chunks of MAX_BATCH

FILE: a JSON list of receipts {account, token, cumulative, deadline, signature} (scripts/credits.py
`sign out=FILE` writes one); each entry is validated, an error names its index and field. The preview
(previewRedeem, and the earlier receipts of the file) says which receipts would be skipped and why;
`dry-run=1` stops there. Anyone may submit (the proceeds go only to the split). Options: manifest=PATH,
account=N (harness/core/cli.py); SIGNER names the account otherwise.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Argument, Command, Option, flag_option
from harness.ops import access

COMMAND = Command(
    "redeem.py", arguments=(Argument("file", "FILE"),), options=(Option("dry-run", "1"), MANIFEST, ACCOUNT)
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        dry_run = flag_option("dry-run", call.option("dry-run", "0"))
        protocol = Protocol.load(call.option("manifest"))
        sender = signer(call.option("account"))
        receipts = access.load_receipts(call["file"])
        access.redeem(protocol, sender, receipts, dry_run)
    settle()
