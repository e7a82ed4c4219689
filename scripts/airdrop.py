"""The community airdrop (SPEC 5.4; harness/ops/airdrop.py).

    tools/run scripts/airdrop.py build CSV [out=DIR]      tree of CSV (address,amount in whole tokens): root,
                                                          <csv>.tree.json (OpenZeppelin dump), <csv>.proofs.json
    tools/run scripts/airdrop.py claim                    claim the signer's allocation to its wallet
    tools/run scripts/airdrop.py claim lock DURATION      ... into a new lock of DURATION (e.g. 52w), with the bonus
    tools/run scripts/airdrop.py claim lock existing      ... into the signer's active or permanent lock
    tools/run scripts/airdrop.py claim permanent          ... into its permanent lock (none yet: a 12-month lock
                                                          made permanent right after the claim)
    tools/run scripts/airdrop.py status [ADDRESS]         the airdrop, and ADDRESS's (or the signer's) claim
    tools/run scripts/airdrop.py sweep                    after the deadline: what is left to the treasury

Options: manifest=PATH, account=N (harness/core/cli.py); SIGNER names the account otherwise. The proofs
come from the tree file the deployment wrote beside the manifest. Every check runs before the first
transaction.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import ACCOUNT, MANIFEST, Action, Argument, Command, Option, address_argument, duration_argument
from harness.core.errors import ScriptError
from harness.ops import airdrop
from harness.ops.locks import print_lock

COMMAND = Command(
    "airdrop.py",
    actions=(
        Action("build", (Argument("csv", "CSV"),)),
        Action("claim", (
            Argument("into", choices=("lock", "permanent"), optional=True),
            Argument("duration", "DURATION|existing", optional=True),
        )),
        Action("status", (Argument("address", "ADDRESS", optional=True),)),
        Action("sweep"),
    ),
    options=(MANIFEST, ACCOUNT, Option("out", "DIR")),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        if call.action == "build":
            airdrop.build(call["csv"], call.option("out"))
            return
        call.options_only_for("build", "out")
        protocol = Protocol.load(call.option("manifest"))
        if call.action == "status":
            address = call["address"]
            who = address_argument("address", address) if address is not None else signer(call.option("account")).address
            airdrop.status(protocol, who)
            return
        account = signer(call.option("account"))
        if call.action == "sweep":
            airdrop.sweep(protocol, account)
        elif call["into"] is None:
            if call["duration"] is not None:
                raise ScriptError(f"{call['duration']!r}: one argument too many (usage: {COMMAND.usage()})")
            airdrop.claim(protocol, account)
        elif call["into"] == "lock":
            text = call["duration"]
            if text is None:
                raise ScriptError("duration: missing (a DURATION such as 52w, or `existing`)")
            duration = airdrop.EXISTING if text == airdrop.EXISTING else duration_argument("duration", text)
            airdrop.claim_into_lock(protocol, account, duration)
            print_lock(protocol, account.address)
        else:
            if call["duration"] is not None:
                raise ScriptError(f"{call['duration']!r}: one argument too many (`claim permanent` takes none)")
            airdrop.claim_permanent(protocol, account)
            print_lock(protocol, account.address)
    settle()
