"""The gateway's database: the latest accepted `Usage` receipt per account and pay token, what of it is
settled on-chain, and a log of every accepted call (SPEC 6).

The one rule that makes metering safe is a compare-and-set: a receipt is stored only if the stored
cumulative is still the one the request was checked against (`expected`), in the same transaction as
the call's log row. Two concurrent calls on the same base cumulative therefore cannot both pass, in one
process or in several on one database file, and an accepted call is on disk before its answer is sent
(a killed gateway loses nothing it answered).

Amounts are uint256 base units, stored as decimal text (SQLite integers are 64-bit); the store only
compares them for equality, the arithmetic happens in Python.

SQLite is the embedded default: a file in WAL mode (readers never block the writer), every write a
`BEGIN IMMEDIATE` transaction (the write lock is taken at the start, so a second writer waits up to
`BUSY_TIMEOUT_MS` instead of failing half-way).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another process's transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS latest_receipts (
    account     TEXT NOT NULL,   -- checksummed address
    token       TEXT NOT NULL,   -- checksummed pay-token address
    cumulative  TEXT NOT NULL,   -- the receipt's cumulative (base units, decimal)
    deadline    TEXT NOT NULL,   -- the receipt's deadline (unix seconds, decimal)
    signature   TEXT NOT NULL,   -- 0x-hex
    settled     TEXT NOT NULL,   -- the cumulative charged on-chain, as far as the gateway saw
    updated_at  REAL NOT NULL,
    PRIMARY KEY (account, token)
);
CREATE TABLE IF NOT EXISTS calls (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL,
    token       TEXT NOT NULL,
    service     TEXT NOT NULL,
    price       TEXT NOT NULL,   -- what this call added to the cumulative
    cumulative  TEXT NOT NULL,
    level       INTEGER NOT NULL,
    created_at  REAL NOT NULL
);
"""


@dataclass(frozen=True)
class StoredReceipt:
    """The latest receipt of an account in a pay token, and how much of it is settled on-chain."""

    account: str
    token: str
    cumulative: int
    deadline: int
    signature: str
    settled: int

    @property
    def unsettled(self) -> int:
        return self.cumulative - self.settled


@dataclass(frozen=True)
class CallRecord:
    """One accepted metered call."""

    account: str
    token: str
    service: str
    price: int
    cumulative: int
    level: int


class ReceiptStore:
    """The receipts and calls of one gateway deployment in a SQLite file (`sqlite:///path`)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)

    @classmethod
    def from_url(cls, url: str) -> "ReceiptStore":
        """`sqlite:///relative/or/absolute/path.db` (the only scheme this store serves)."""
        prefix = "sqlite:///"
        if not url.startswith(prefix) or len(url) == len(prefix):
            raise ValueError(f"database_url: {url!r} is not sqlite:///PATH")
        return cls(url[len(prefix):])

    def _connection(self) -> sqlite3.Connection:
        # one connection per thread: sqlite3 connections must not be shared across threads
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA synchronous=FULL")  # an answered call survives a power cut too
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # ---- reads ----

    def latest(self, account: str, token: str) -> StoredReceipt | None:
        """The latest accepted receipt of `account` in `token`, if any."""
        row = self._connection().execute(
            "SELECT account, token, cumulative, deadline, signature, settled FROM latest_receipts"
            " WHERE account = ? AND token = ?",
            (account, token),
        ).fetchone()
        return _receipt(row) if row else None

    def unsettled(self) -> list[StoredReceipt]:
        """Every latest receipt with something not yet charged on-chain, oldest first."""
        rows = self._connection().execute(
            "SELECT account, token, cumulative, deadline, signature, settled FROM latest_receipts"
            " WHERE cumulative != settled ORDER BY updated_at"
        ).fetchall()
        # settled can pass cumulative: the account redeemed a newer receipt of its own elsewhere
        return [receipt for receipt in map(_receipt, rows) if receipt.unsettled > 0]

    def calls(self, account: str | None = None) -> list[CallRecord]:
        """The accepted calls, in order (of one account if given)."""
        query = "SELECT account, token, service, price, cumulative, level FROM calls"
        rows = self._connection().execute(
            query + (" WHERE account = ? ORDER BY id" if account else " ORDER BY id"), (account,) if account else ()
        ).fetchall()
        return [CallRecord(a, t, s, int(p), int(c), level) for a, t, s, p, c, level in rows]

    # ---- writes ----

    def accept(
        self, call: CallRecord, *, deadline: int, signature: str, expected: int | None, settled_if_new: int
    ) -> bool:
        """Store `call`'s receipt as the latest of its account and token, and log the call, if the stored
        cumulative is still `expected` (`None`: no receipt stored yet, then `settled_if_new` is what the
        chain has charged so far). Returns False, changing nothing, if another call got there first."""
        connection = self._connection()
        now = time.time()
        connection.execute("BEGIN IMMEDIATE")
        try:
            if expected is None:
                cursor = connection.execute(
                    "INSERT INTO latest_receipts (account, token, cumulative, deadline, signature, settled, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, token) DO NOTHING",
                    (call.account, call.token, str(call.cumulative), str(deadline), signature, str(settled_if_new), now),
                )
            else:
                cursor = connection.execute(
                    "UPDATE latest_receipts SET cumulative = ?, deadline = ?, signature = ?, updated_at = ?"
                    " WHERE account = ? AND token = ? AND cumulative = ?",
                    (str(call.cumulative), str(deadline), signature, now, call.account, call.token, str(expected)),
                )
            if cursor.rowcount != 1:
                connection.execute("ROLLBACK")
                return False
            connection.execute(
                "INSERT INTO calls (account, token, service, price, cumulative, level, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (call.account, call.token, call.service, str(call.price), str(call.cumulative), call.level, now),
            )
            connection.execute("COMMIT")
            return True
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def mark_settled(self, account: str, token: str, charged_up_to: int) -> None:
        """Record that the chain has charged `account` in `token` up to the cumulative `charged_up_to`
        (read from the settlement's events). Never moves `settled` backwards: a late event of an older
        settlement changes nothing."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute(
                "SELECT settled FROM latest_receipts WHERE account = ? AND token = ?", (account, token)
            ).fetchone()
            if row is not None and int(row[0]) < charged_up_to:
                connection.execute(
                    "UPDATE latest_receipts SET settled = ? WHERE account = ? AND token = ?",
                    (str(charged_up_to), account, token),
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _receipt(row: tuple) -> StoredReceipt:
    account, token, cumulative, deadline, signature, settled = row
    return StoredReceipt(account, token, int(cumulative), int(deadline), signature, int(settled))
