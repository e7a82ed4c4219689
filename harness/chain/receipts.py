"""Brownie + Anvil under load: a receipt lookup can miss a transaction Anvil has just mined, and
brownie then declares it "dropped without known replacement" (the sender's nonce has moved on). A
missing receipt is looked up a few more times, briefly, before that conclusion is allowed."""

from __future__ import annotations

import time

from web3.eth import Eth
from web3.exceptions import TransactionNotFound

_RETRIES = (0.05, 0.1, 0.2, 0.4)
_PATCHED = "_harness_retries"


def _retrying(original):
    def lookup(self, transaction_hash):
        bound = original.__get__(self, Eth)
        for pause in _RETRIES:
            try:
                return bound(transaction_hash)
            except TransactionNotFound:
                time.sleep(pause)
        return bound(transaction_hash)

    setattr(lookup, _PATCHED, True)
    return lookup


def install() -> None:
    """Idempotent: patch web3's transaction and receipt lookups once per process."""
    for name in ("get_transaction_receipt", "get_transaction"):
        if not getattr(getattr(Eth, name), _PATCHED, False):
            setattr(Eth, name, _retrying(getattr(Eth, name)))
