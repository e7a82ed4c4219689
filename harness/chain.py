"""Time travel on Anvil that keeps brownie's snapshots consistent.

Anvil drops an unmined `evm_increaseTime` on `evm_revert` and rejects `chain.mine(timestamp=...)`,
so every move in time here is "set the next block's timestamp, then mine it" (SPEC section 1).
"""

from __future__ import annotations

from brownie import chain, web3

from harness import receipts

receipts.install()  # every script imports this module: see harness/receipts.py

WEEK = 7 * 86400


def now() -> int:
    """Timestamp of the latest mined block: what the next view call sees as `block.timestamp`."""
    return int(chain[-1].timestamp)


def mine_at(timestamp: int) -> int:
    """Mine one block at exactly `timestamp` (must be later than the latest block) and return it."""
    latest = now()
    if timestamp <= latest:
        raise ValueError(f"mine_at({timestamp}) is not after the latest block ({latest})")
    response = web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    if "error" in response:
        raise RuntimeError(f"evm_setNextBlockTimestamp failed: {response['error']}")
    chain.mine()
    return now()


def advance(seconds: int) -> int:
    """Mine a block `seconds` after the latest one and return its timestamp."""
    return mine_at(now() + max(int(seconds), 1))


def next_block_at(timestamp: int) -> None:
    """Make the next transaction's block carry `timestamp` exactly (nothing is mined now)."""
    response = web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    if "error" in response:
        raise RuntimeError(f"evm_setNextBlockTimestamp failed: {response['error']}")


def week_start(timestamp: int) -> int:
    return timestamp // WEEK * WEEK


def settle(timeout: float = 30.0) -> None:
    """Wait for brownie's background threads (undo-buffer snapshots after each transaction) to
    finish, so a script exiting right after its last transaction does not kill Anvil under them."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is threading.current_thread() or not thread.daemon:
            continue
        target = getattr(thread, "_target", None)
        if getattr(target, "__name__", "") in {"_add_to_undo_buffer", "_add_from_tx"}:
            thread.join(max(0.0, deadline - time.monotonic()))
