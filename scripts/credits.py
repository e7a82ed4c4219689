"""Prepaid credits for metered AI calls in ServiceAccess, and signed usage receipts (harness/ops/access.py).

    tools/run scripts/credits.py balance [TOKEN]                         credits, spent, pending withdrawal (default every reward token)
    tools/run scripts/credits.py deposit AMOUNT [TOKEN]                  add AMOUNT whole tokens of credits
    tools/run scripts/credits.py sign CUMULATIVE [TOKEN] [deadline=DURATION] [out=FILE]
                                                                         sign an EIP-712 Usage receipt: use so far totals CUMULATIVE
    tools/run scripts/credits.py withdraw-request [TOKEN]                start the two-step withdrawal of unused credits
    tools/run scripts/credits.py withdraw [TOKEN]                        complete it once the withdrawal delay has passed

TOKEN: a reward token's symbol or address, default the staking token. Amounts are whole tokens of
that token's decimals. `sign` sends nothing: the signer's key signs locally (valid for `deadline=`
from now, default 7d); `out=FILE` appends the receipt to a JSON receipts file for scripts/redeem.py,
else the receipt is printed. Options: manifest=PATH, account=N (harness/core/cli.py); SIGNER names
the account otherwise. Every check runs before the first transaction.
"""

from __future__ import annotations

from harness.chain.accounts import signer, signing_key
from harness.chain.entry import script_errors
from harness.chain.protocol import Protocol
from harness.chain.time import now, settle
from harness.core.cli import ACCOUNT, MANIFEST, Action, Argument, Command, Option, amount_argument, duration_argument
from harness.ops import access
from harness.ops.claims import reward_tokens

TOKEN = Argument("token", "TOKEN", optional=True)
DEFAULT_DEADLINE = "7d"
COMMAND = Command(
    "credits.py",
    actions=(
        Action("balance", (TOKEN,)),
        Action("deposit", (Argument("amount", "AMOUNT"), TOKEN)),
        Action("sign", (Argument("cumulative", "CUMULATIVE"), TOKEN)),
        Action("withdraw-request", (TOKEN,)),
        Action("withdraw", (TOKEN,)),
    ),
    options=(Option("deadline", "DURATION"), Option("out", "FILE"), MANIFEST, ACCOUNT),
)


def main(*args: str) -> None:
    with script_errors():
        call = COMMAND.parse(args)
        call.options_only_for("sign", "deadline", "out")
        protocol = Protocol.load(call.option("manifest"))
        account = signer(call.option("account"))
        if call.action == "balance":
            tokens = reward_tokens(protocol, [call["token"]] if call["token"] is not None else [])
            access.print_credits(protocol, account.address, tokens)
            return
        token = access.credit_token(protocol, call["token"], delisted=call.action in ("withdraw-request", "withdraw"))
        if call.action == "deposit":
            access.deposit(protocol, account, token, amount_argument("amount", call["amount"], token.decimals()))
        elif call.action == "sign":
            cumulative = amount_argument("cumulative", call["cumulative"], token.decimals())
            deadline = now() + duration_argument("deadline", call.option("deadline", DEFAULT_DEADLINE))
            access.sign(protocol, account, signing_key(account), token, cumulative, deadline, call.option("out"))
            return
        elif call.action == "withdraw-request":
            access.request_withdrawal(protocol, account, token)
        else:
            access.withdraw(protocol, account, token)
        access.print_credits(protocol, account.address, [token])
    settle()
