"""The community airdrop from a holder's side and the deployer's (scripts/airdrop.py, SPEC 5.4): build a
tree from a CSV, claim liquid or straight into a lock (with the bonus shown first), the status of the
airdrop and of an account, and the sweep to the treasury after the deadline.

Claims read the account's amount and proof from the tree dump the deployment wrote beside its
manifest (harness.core.paths.airdrop_tree_path), checked against the airdrop's on-chain root. Every
check runs before anything is sent and raises a ScriptError naming the argument or the account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.errors import ScriptError
from harness.core.merkle import airdrop_tree, find_claim, load_airdrop_tree, read_airdrop_csv, write_airdrop_files
from harness.core.units import date, format_duration, format_tokens
from harness.ops.locks import lock_of, unlock_end

EXISTING = "existing"  # `claim lock existing`: into the account's active or permanent lock


def build(csv_path: str | Path, out: str | Path | None = None) -> tuple[Path, Path]:
    """Tree of the CSV: writes its dump and proofs beside the CSV (or in `out`), prints the root."""
    try:
        entries = read_airdrop_csv(csv_path)
    except OSError as error:
        raise ScriptError(f"csv: cannot read {csv_path}: {error.strerror}") from None
    except ValueError as error:
        raise ScriptError(f"csv: {error}") from None
    tree = airdrop_tree(entries)
    directory = Path(out) if out is not None else Path(csv_path).parent
    dump_path, proofs_path = write_airdrop_files(tree, directory, Path(csv_path).stem)
    total = sum(entry.amount for entry in entries)
    print(f"{len(entries)} accounts, {format_tokens(total)} tokens in total")
    print(f"root   {tree.root}")
    print(f"wrote  {dump_path} (OpenZeppelin StandardMerkleTree dump)")
    print(f"wrote  {proofs_path} (every account's amount and proof)")
    return dump_path, proofs_path


def _claim_of(protocol: Protocol, account: str) -> tuple[int, list[str]]:
    """The account's (amount, proof) from the deployment's tree file, which must match the airdrop."""
    airdrop, path = protocol.airdrop, protocol.airdrop_tree_file
    try:
        tree = load_airdrop_tree(path)
    except FileNotFoundError:
        raise ScriptError(f"manifest: no airdrop tree file {path} beside it (the deployment writes it)") from None
    except ValueError as error:
        raise ScriptError(f"manifest: {error}") from None
    root = "0x" + bytes(airdrop.merkleRoot()).hex()
    if tree.root != root:
        raise ScriptError(f"manifest: the tree in {path} has root {tree.root}, the airdrop {root}")
    found = find_claim(tree, account)
    if found is None:
        raise ScriptError(f"account: {account} is not in the airdrop")
    return found


def _require_claimable(protocol: Protocol, account: str) -> tuple[int, list[str]]:
    airdrop = protocol.airdrop
    amount, proof = _claim_of(protocol, account)
    if airdrop.claimed(account):
        raise ScriptError(f"account: {account} already claimed its {format_tokens(amount)} tokens")
    deadline = int(airdrop.claimDeadline())
    if now() >= deadline:  # the next block is at least a second later: past the deadline
        raise ScriptError(f"airdrop: claims closed on {date(deadline)}")
    return amount, proof


def claim(protocol: Protocol, account: Any) -> None:
    """Liquid: the allocation to the account's wallet."""
    amount, proof = _require_claimable(protocol, account.address)
    protocol.airdrop.claim(account.address, amount, proof, {"from": account})
    print(f"claimed {format_tokens(amount)} {protocol.symbol} to {account.address}")


def claim_into_lock(protocol: Protocol, account: Any, duration: int | str) -> None:
    """Into a new lock ending `duration` from now, or (`existing`) into the account's active or
    permanent lock; the bonus is previewed and shown before sending."""
    airdrop, escrow = protocol.airdrop, protocol.escrow
    amount, proof = _require_claimable(protocol, account.address)
    lock, t = lock_of(protocol, account.address), now()
    if duration == EXISTING:
        if not lock.exists:
            raise ScriptError(f"lock: {account.address} has no lock to claim into (give a DURATION for a new one)")
        if not lock.active(t):
            raise ScriptError(
                f"lock: the lock of {account.address} expired on {date(lock.end)}: withdraw it or relock it "
                "(scripts/lock.py), then claim"
            )
        unlock_time, end = 0, lock.end
    else:
        if lock.exists:
            where = "expired on " + date(lock.end) if not lock.active(t) else "is active"
            raise ScriptError(
                f"lock: {account.address} already has a lock that {where}: claim into it with `claim lock existing`"
                + (" after withdrawing or relocking it" if not lock.active(t) else "")
            )
        unlock_time, end = unlock_end(protocol, duration)
    bonus = int(airdrop.previewBonus(account.address, amount, unlock_time))
    minimum = int(escrow.MIN_LOCK_AMOUNT())
    if not lock.exists and amount + bonus < minimum:
        raise ScriptError(
            f"account: {format_tokens(amount + bonus)} tokens (claim + bonus) is below the escrow's minimum lock "
            f"of {format_tokens(minimum)}: claim liquid instead"
        )
    into = "your permanent lock" if lock.permanent else f"a lock ending {date(end)}"
    print(f"claiming {format_tokens(amount)} + bonus {format_tokens(bonus)} {protocol.symbol} into {into}")
    airdrop.claimAndLock(amount, proof, unlock_time, {"from": account})


def claim_permanent(protocol: Protocol, account: Any) -> None:
    """Into the account's permanent lock; with no lock, into a 12-month lock (the largest bonus) that is
    made permanent right after (a second transaction)."""
    lock = lock_of(protocol, account.address)
    if lock.exists and not lock.permanent:
        raise ScriptError(
            f"lock: the lock of {account.address} is not permanent: make it permanent first (scripts/lock.py "
            "permanent) or claim into it with `claim lock existing`"
        )
    if lock.permanent:
        claim_into_lock(protocol, account, EXISTING)
        return
    claim_into_lock(protocol, account, int(protocol.escrow.MAX_LOCK()))
    protocol.escrow.lockPermanent({"from": account})
    print("made the new lock permanent")


def status(protocol: Protocol, account: str | None) -> None:
    """The airdrop's state, and one account's claim with the bonus of a 12-month lock."""
    airdrop, symbol = protocol.airdrop, protocol.symbol
    deadline, t = int(airdrop.claimDeadline()), now()
    left = f"{format_duration(deadline - t)} left" if t < deadline else "closed"
    print(f"CommunityAirdrop {airdrop.address}")
    print(f"  root          0x{bytes(airdrop.merkleRoot()).hex()}")
    print(f"  claimed       {format_tokens(airdrop.claimedTotal())} of {format_tokens(airdrop.airdropTotal())} {symbol}")
    print(f"  bonus reserve {format_tokens(airdrop.bonusReserve())} {symbol}, up to {airdrop.maxLockBonusBps() / 100:g}% for a 12-month lock")
    print(f"  claims close  {date(deadline)} ({left}); then anyone may sweep the rest to {airdrop.treasury()}")
    if account is None:
        return
    amount, _ = _claim_of(protocol, account)
    if airdrop.claimed(account):
        print(f"  {account}: {format_tokens(amount)} {symbol}, claimed")
        return
    lock = lock_of(protocol, account)
    unlock_time = 0 if lock.active(t) else unlock_end(protocol, int(protocol.escrow.MAX_LOCK()))[0]
    bonus = int(airdrop.previewBonus(account, amount, unlock_time))
    into = "into its lock" if lock.active(t) else "into a 12-month lock"
    print(f"  {account}: {format_tokens(amount)} {symbol} to claim; bonus {format_tokens(bonus)} {into}")


def sweep(protocol: Protocol, sender: Any) -> None:
    airdrop = protocol.airdrop
    deadline = int(airdrop.claimDeadline())
    if now() < deadline:  # the next block is at least a second later: it must be past the deadline
        raise ScriptError(f"airdrop: claims are open until {date(deadline)}: the sweep comes after")
    balance = int(protocol.token.balanceOf(airdrop.address))
    if balance == 0:
        raise ScriptError("airdrop: nothing left to sweep")
    tx = airdrop.sweep({"from": sender})
    print(f"swept {format_tokens(tx.return_value)} {protocol.symbol} to the treasury {airdrop.treasury()}")
