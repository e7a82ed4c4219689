"""The account that signs: an Anvil account on development networks, a keystore elsewhere.

Keys are never printed or written: a keystore is unlocked by brownie (password from
DEPLOYER_KEYSTORE_PASSWORD or its prompt); a raw key is read from DEPLOYER_PRIVATE_KEY.
"""

from __future__ import annotations

import os

from pathlib import Path

from brownie import accounts, network
from brownie._config import CONFIG
from brownie.network.account import Account, LocalAccount

from harness.cli import ScriptError


def is_development() -> bool:
    return network.is_connected() and CONFIG.network_type == "development"


def signer(index: int = 0) -> Account | LocalAccount:
    """Anvil account `index` on a development chain; on a live one the keystore account named by
    DEPLOYER_KEYSTORE (a `brownie accounts` id or a keystore file's path) or the key in
    DEPLOYER_PRIVATE_KEY."""
    if is_development():
        return accounts[index]
    keystore = os.environ.get("DEPLOYER_KEYSTORE")
    if keystore:
        known_ids = accounts.load()  # with no id, brownie lists its keystore ids
        if keystore not in known_ids and not Path(keystore).is_file():
            raise ScriptError(f"DEPLOYER_KEYSTORE: no brownie keystore account or file named {keystore!r}")
        try:
            return accounts.load(keystore, password=os.environ.get("DEPLOYER_KEYSTORE_PASSWORD"))
        except ValueError:
            raise ScriptError("DEPLOYER_KEYSTORE_PASSWORD: wrong password for the keystore") from None
    private_key = os.environ.get("DEPLOYER_PRIVATE_KEY")
    if private_key:
        try:
            return accounts.add(private_key)
        except Exception:
            raise ScriptError("DEPLOYER_PRIVATE_KEY: not a valid private key") from None
    raise ScriptError(
        f"network {network.show_active()!r} is live: set DEPLOYER_KEYSTORE to a `brownie accounts` id "
        "(or DEPLOYER_PRIVATE_KEY)"
    )
