"""Manage the signer's lock in the VotingEscrow (harness/ops/locks.py).

    tools/run scripts/lock.py create AMOUNT DURATION        lock AMOUNT tokens for DURATION (e.g. 52w, 180d)
    tools/run scripts/lock.py increase AMOUNT               add tokens to the active lock
    tools/run scripts/lock.py extend DURATION               move the end to DURATION from now (relocks an expired lock)
    tools/run scripts/lock.py permanent                     make the lock permanent (2x score, no expiry)
    tools/run scripts/lock.py unlock-permanent              back to a full 12-month decaying lock
    tools/run scripts/lock.py withdraw                      take an expired lock out
    tools/run scripts/lock.py withdraw-early                leave before the end, paying the penalty
    tools/run scripts/lock.py lock-creator ADDRESS on|off   let ADDRESS create your lock (createLockFor) or stop it
    tools/run scripts/lock.py delegate ADDRESS              delegate a permanent lock's votes

Options: manifest=PATH, account=N (harness/core/cli.py); SIGNER names the account otherwise. Every
check runs before the first transaction.
"""

from __future__ import annotations

from harness.chain.accounts import signer
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import settle
from harness.core.cli import (
    ACCOUNT,
    MANIFEST,
    ON_OFF,
    Action,
    Argument,
    Command,
    address_argument,
    amount_argument,
    duration_argument,
    switch_argument,
)
from harness.ops import locks

AMOUNT, DURATION, ADDRESS = Argument("amount", "AMOUNT"), Argument("duration", "DURATION"), Argument("address", "ADDRESS")
COMMAND = Command(
    "lock.py",
    actions=(
        Action("create", (AMOUNT, DURATION)),
        Action("increase", (AMOUNT,)),
        Action("extend", (DURATION,)),
        Action("permanent"),
        Action("unlock-permanent"),
        Action("withdraw"),
        Action("withdraw-early"),
        Action("delegate", (ADDRESS,)),
        Action("lock-creator", (ADDRESS, Argument("lock-creator", choices=ON_OFF))),
    ),
    options=(MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        protocol = Protocol.load(call.option("manifest"))
        account = signer(call.option("account"))
        if call.action == "create":
            locks.create(protocol, account, amount_argument("amount", call["amount"]), duration_argument("duration", call["duration"]))
        elif call.action == "increase":
            locks.increase(protocol, account, amount_argument("amount", call["amount"]))
        elif call.action == "extend":
            locks.extend(protocol, account, duration_argument("duration", call["duration"]))
        elif call.action == "permanent":
            locks.make_permanent(protocol, account)
        elif call.action == "unlock-permanent":
            locks.unlock_permanent(protocol, account)
        elif call.action == "withdraw":
            locks.withdraw(protocol, account)
        elif call.action == "withdraw-early":
            locks.withdraw_early(protocol, account)
        elif call.action == "delegate":
            locks.delegate(protocol, account, address_argument("address", call["address"]))
        else:
            creator = address_argument("address", call["address"])
            locks.set_lock_creator(protocol, account, creator, switch_argument(call["lock-creator"]))
        locks.print_lock(protocol, account.address)
    settle()
