"""The account that signs, for every script.

A script's `account=N` option picks Anvil account N (development networks only: a shorthand for
`SIGNER=N`). Otherwise `SIGNER` names it: on a development chain an Anvil account index (default 0)
or an unlocked address; on a live network a `brownie accounts` keystore id or a keystore file's
path, unlocked with `SIGNER_PASSWORD` (or at brownie's prompt). `SIGNER_PRIVATE_KEY` is accepted on
live networks too. Keys are never printed or written.
"""

from __future__ import annotations

import os
from pathlib import Path

from brownie import accounts, network
from brownie._config import CONFIG
from brownie.network.account import Account, LocalAccount
from eth_account import Account as KeyAccount
from eth_utils import is_address

from harness.core.errors import ScriptError
from harness.core.signing import anvil_private_key
from harness.core.units import is_whole_number


def is_development() -> bool:
    return network.is_connected() and CONFIG.network_type == "development"


def signer(account_option: str | None = None) -> Account | LocalAccount:
    """The account a script signs with: `account=N` when the script was given one, else the one
    SIGNER names (see the module docstring)."""
    if account_option is not None:
        return _account_option(account_option)
    choice = os.environ.get("SIGNER", "").strip()
    if is_development():
        return _development_account(choice or "0")
    if choice:
        known_ids = accounts.load()  # with no id, brownie lists its keystore ids
        if choice not in known_ids and not Path(choice).is_file():
            raise ScriptError(f"SIGNER: no brownie keystore account or keystore file named {choice!r}")
        try:
            return accounts.load(choice, password=os.environ.get("SIGNER_PASSWORD"))
        except ValueError:
            raise ScriptError("SIGNER_PASSWORD: wrong password for the keystore") from None
    private_key = os.environ.get("SIGNER_PRIVATE_KEY")
    if private_key:
        try:
            return accounts.add(private_key)
        except Exception:
            raise ScriptError("SIGNER_PRIVATE_KEY: not a valid private key") from None
    raise ScriptError(
        f"network {network.show_active()!r} is live: set SIGNER to a `brownie accounts` keystore id "
        "or keystore file (or SIGNER_PRIVATE_KEY)"
    )


def _development_account(choice: str) -> Account:
    if is_whole_number(choice):
        index = int(choice)
        if index >= len(accounts):
            raise ScriptError(f"SIGNER: Anvil has accounts 0..{len(accounts) - 1}, not {index}")
        return accounts[index]
    if is_address(choice):
        return accounts.at(choice, force=True)
    raise ScriptError(f"SIGNER: expected an Anvil account index or an address, got {choice!r}")


def _account_option(text: str) -> Account:
    if not is_development():
        raise ScriptError("account=: only on a development network; on a live one set SIGNER")
    if not is_whole_number(text) or int(text) >= len(accounts):
        raise ScriptError(f"account=: must be an Anvil account index 0..{len(accounts) - 1}, got {text!r}")
    return accounts[int(text)]


def signing_key(account: Account | LocalAccount) -> str:
    """The private key of the signer, to sign a message offline (a usage receipt): a key account's
    own, or on a development chain the Anvil mnemonic's key of that account. Never printed."""
    key = getattr(account, "private_key", None)
    if key:
        return key
    if is_development():
        for index, candidate in enumerate(accounts):
            if candidate.address == account.address:
                key = anvil_private_key(index)
                if _address_of_key(key) == account.address:
                    return key
    raise ScriptError(f"SIGNER: no private key for {account.address} to sign with (use SIGNER_PRIVATE_KEY or a keystore)")


def _address_of_key(key: str) -> str:
    return KeyAccount.from_key(key).address
