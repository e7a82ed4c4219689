"""Time travel on Anvil that keeps brownie's snapshots consistent.

Anvil drops an unmined `evm_increaseTime` on `evm_revert` and rejects `chain.mine(timestamp=...)`,
so every move in time here is "set the next block's timestamp, then mine it" (SPEC section 1).

Anvil also keeps the base fee it computed for the next block across `evm_revert`: after a revert
to a block with a 7 wei base fee, following a block at 20 gwei, the next block still charges about
17.5 gwei, and every transaction priced from the latest block (harness/chain/fees.py) is refused with
"max fee per gas less than block base fee". After every revert through brownie (tests' isolation,
`chain.revert()`) the next block's base fee is set back to what EIP-1559 gives for the block
reverted to (`realign_base_fee`); the proposal simulation calls it after its own reverts.

Week rounding is plain arithmetic: harness.core.staking.week_start.
"""

from __future__ import annotations

from typing import Any, Callable

from brownie import chain, web3

from harness.chain import receipts
from harness.chain.calls import rpc

receipts.install()  # every script imports this module: see harness/chain/receipts.py

# EIP-1559: a block's gas target is half its limit; the base fee moves by at most 1/8 a block.
ELASTICITY_MULTIPLIER = 2
BASE_FEE_MAX_CHANGE_DENOMINATOR = 8
_PATCHED = "_harness_realigns_base_fee"


def next_base_fee(block: Any) -> int:
    """The base fee EIP-1559 gives the block after `block` (a block as web3 returns it)."""
    base_fee, gas_used = int(block["baseFeePerGas"]), int(block["gasUsed"])
    target = int(block["gasLimit"]) // ELASTICITY_MULTIPLIER
    if gas_used == target:
        return base_fee
    if gas_used > target:
        return base_fee + max(1, base_fee * (gas_used - target) // target // BASE_FEE_MAX_CHANGE_DENOMINATOR)
    return base_fee - base_fee * (target - gas_used) // target // BASE_FEE_MAX_CHANGE_DENOMINATOR


def realign_base_fee() -> None:
    """Give the next block the base fee EIP-1559 derives from the latest one (see the module
    docstring); nothing to do on a chain without a base fee."""
    latest = web3.eth.get_block("latest")
    if latest.get("baseFeePerGas") is None:
        return
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(next_base_fee(latest))])


def _realigning(revert: Callable[[int], None]) -> Callable[[int], None]:
    def revert_and_realign(snapshot_id: int) -> None:
        revert(snapshot_id)
        realign_base_fee()

    setattr(revert_and_realign, _PATCHED, True)
    return revert_and_realign


def install_revert_fix() -> None:
    """Idempotent: brownie's Anvil backend realigns the next base fee after each revert."""
    from brownie.network.rpc import anvil

    if not getattr(anvil.revert, _PATCHED, False):
        anvil.revert = _realigning(anvil.revert)


install_revert_fix()


def now() -> int:
    """Timestamp of the latest mined block: what the next view call sees as `block.timestamp`."""
    return int(chain[-1].timestamp)


def mine_at(timestamp: int) -> int:
    """Mine one block at exactly `timestamp` (must be later than the latest block) and return it."""
    latest = now()
    if timestamp <= latest:
        raise ValueError(f"mine_at({timestamp}) is not after the latest block ({latest})")
    rpc("evm_setNextBlockTimestamp", [timestamp])
    chain.mine()
    return now()


def advance(seconds: int) -> int:
    """Mine a block `seconds` after the latest one and return its timestamp."""
    return mine_at(now() + max(int(seconds), 1))


def next_block_at(timestamp: int) -> None:
    """Make the next transaction's block carry `timestamp` exactly (nothing is mined now)."""
    rpc("evm_setNextBlockTimestamp", [timestamp])


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
