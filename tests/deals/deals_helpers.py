"""Helpers shared by the EarlyAccessDeals tests: events as plain dicts, and actions pinned to a block
time (a transaction whose time matters never assumes it lands in a given second: it sets it)."""

from __future__ import annotations

from harness.chain.time import next_block_at


def event(tx, name, index=0) -> dict:
    """Event `name` of `tx` as a dict of its arguments (addresses as checksummed strings)."""
    return {k: (str(v) if hasattr(v, "address") else v) for k, v in dict(tx.events[name][index]).items()}


def commit_at(deals, account, deal_id, amount, t):
    next_block_at(t)
    tx = deals.commit(deal_id, amount, {"from": account})
    assert tx.timestamp == t
    return tx


def finalize_at(deals, deal_id, t, sender):
    next_block_at(t)
    tx = deals.finalize(deal_id, {"from": sender})
    assert tx.timestamp == t
    return tx


def claim_at(deals, account, deal_id, t):
    next_block_at(t)
    tx = deals.claim(deal_id, {"from": account})
    assert tx.timestamp == t
    return tx
