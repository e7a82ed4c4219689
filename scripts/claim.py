"""Claim revenue from the RevenueDistributor.

    brownie run scripts/claim.py main pay [TOKEN ...]         pay the signer's revenue to its wallet
    brownie run scripts/claim.py main reinvest                add the signer's staking-token revenue to its lock
    brownie run scripts/claim.py main for ACCOUNT [TOKEN ...] claim for ACCOUNT: reinvests if it opted in and the
                                                              signer is ACCOUNT or a keeper it approved, else pays ACCOUNT
    brownie run scripts/claim.py main auto-compound on|off    opt in or out of reinvesting through `for`
    brownie run scripts/claim.py main keeper ADDRESS on|off   approve or revoke ADDRESS as the signer's keeper

TOKEN: a reward token's symbol or address; default all active reward tokens. SIGNER names the account.
"""

from __future__ import annotations

from harness.accounts import signer
from harness.chain import now, settle
from harness.cli import ScriptError, script_errors
from harness.config import format_tokens
from harness.ops import Protocol, address_argument, claimed, date, lock_of

MODES = ("pay", "reinvest", "for", "auto-compound", "keeper")


def main(mode: str | None = None, *rest: str) -> None:
    with script_errors():
        if mode not in MODES:
            raise ScriptError(f"mode: expected one of {', '.join(MODES)}, got {mode!r}")
        protocol = Protocol.load()
        account = signer()
        distributor = protocol.distributor
        if mode == "auto-compound":
            if len(rest) != 1 or rest[0] not in ("on", "off"):
                raise ScriptError(f"auto-compound: expected on or off, got {' '.join(rest) or 'nothing'!r}")
            distributor.setAutoCompound(rest[0] == "on", {"from": account})
            print(f"auto-compound {'on' if rest[0] == 'on' else 'off'} for {account.address}")
        elif mode == "keeper":
            keeper = address_argument("address", rest[0] if rest else None)
            if len(rest) != 2 or rest[1] not in ("on", "off"):
                raise ScriptError(f"keeper: expected ADDRESS on|off, got {' '.join(rest) or 'nothing'!r}")
            distributor.setKeeper(keeper, rest[1] == "on", {"from": account})
            print(f"keeper {keeper} {'approved' if rest[1] == 'on' else 'revoked'} for {account.address}")
        elif mode == "reinvest":
            if rest:
                raise ScriptError("reinvest: takes no tokens (it reinvests the staking token only)")
            lock = lock_of(protocol, account.address)
            if not lock.exists:
                raise ScriptError(f"reinvest: {account.address} has no lock to reinvest into")
            if not lock.active(now()):
                raise ScriptError(
                    f"reinvest: the lock of {account.address} expired on {date(lock.end)}: "
                    "relock it (`lock.py extend`) or claim with `pay`"
                )
            pending = distributor.claimable(account.address, protocol.token)
            tx = distributor.claimAndLock({"from": account})
            amount = claimed(tx).get(protocol.token.address, 0)
            print(f"reinvested {format_tokens(amount)} {protocol.token.symbol()} (claimable was {format_tokens(pending)})")
        else:
            beneficiary = account.address
            if mode == "for":
                beneficiary = address_argument("account", rest[0] if rest else None)
                rest = rest[1:]
            tokens = [protocol.reward_token("token", text) for text in rest] if rest else [
                protocol.erc20(address) for address in distributor.rewardTokens()
            ]
            if len({t.address for t in tokens}) != len(tokens):
                raise ScriptError("token: the same token is named twice")
            if mode == "pay":
                tx = distributor.claim([t.address for t in tokens], {"from": account})
            else:
                tx = distributor.claimFor(beneficiary, [t.address for t in tokens], {"from": account})
            amounts = claimed(tx)
            for token in tokens:
                amount = amounts.get(token.address, 0)
                print(f"claimed {format_tokens(amount, token.decimals())} {token.symbol()} for {beneficiary}")
    settle()
