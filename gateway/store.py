"""The gateway's database: the latest accepted `Usage` receipt per account and pay token, what of it is
settled on-chain, a log of every accepted call and of every settlement event (SPEC 6).

The one rule that makes metering safe is a compare-and-set: a receipt is stored only if the stored
cumulative is still the one the request was checked against (`expected`), in the same transaction as
the call's log row. Two concurrent calls on the same base cumulative therefore cannot both pass, in one
process or in several on one database, and an accepted call is on disk before its answer is sent (a
killed gateway loses nothing it answered).

Amounts are uint256 base units, stored as decimal text (SQL integers are 64-bit); the store only
compares them for equality, the arithmetic happens in Python.

Two databases, one set of statements (`?` placeholders, rewritten for PostgreSQL):
- SQLite (`sqlite:///PATH`), the embedded default: a file in WAL mode (readers never block the
  writer), `synchronous=FULL`, every write a `BEGIN IMMEDIATE` transaction (the write lock is taken at
  the start, so a second writer waits up to `BUSY_TIMEOUT_MS` instead of failing half-way). Several
  processes on one machine may share the file.
- PostgreSQL (`postgresql://USER:PASSWORD@HOST:PORT/DB`), for several gateway processes or machines:
  READ COMMITTED transactions; the compare-and-set `UPDATE ... WHERE cumulative = expected` waits for a
  concurrent writer of the same row and re-checks its condition on the committed row, and
  `INSERT ... ON CONFLICT DO NOTHING` waits for a concurrent insert of the same key, so exactly one of
  two racing calls changes a row; the settlement bookkeeping locks its row (`SELECT ... FOR UPDATE`).
  Commits are durable (the server's default `synchronous_commit=on`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another process's transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS latest_receipts (
    account     TEXT NOT NULL,   -- checksummed address
    token       TEXT NOT NULL,   -- checksummed pay-token address
    cumulative  TEXT NOT NULL,   -- the receipt's cumulative (base units, decimal)
    deadline    TEXT NOT NULL,   -- the receipt's deadline (unix seconds, decimal)
    signature   TEXT NOT NULL,   -- 0x-hex
    settled     TEXT NOT NULL,   -- the cumulative charged on-chain, as far as the gateway saw
    updated_at  {real} NOT NULL,
    PRIMARY KEY (account, token)
);
CREATE TABLE IF NOT EXISTS calls (
    id          {serial},
    account     TEXT NOT NULL,
    token       TEXT NOT NULL,
    service     TEXT NOT NULL,
    price       TEXT NOT NULL,   -- what this call added to the cumulative
    cumulative  TEXT NOT NULL,
    level       INTEGER NOT NULL,
    created_at  {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS settlements (
    id          {serial},
    tx_hash     TEXT NOT NULL,   -- the redeemUsageBatch transaction
    account     TEXT NOT NULL,
    token       TEXT NOT NULL,
    cumulative  TEXT NOT NULL,   -- UsageRedeemed.cumulative
    charged     TEXT NOT NULL,   -- UsageRedeemed.charged: what left the account's credits
    created_at  {real} NOT NULL
);
"""
SCHEMA_LOCK = 7_305_171  # PostgreSQL advisory lock: gateways starting together create the tables once


class _Sqlite:
    """SQLite: one file, WAL."""

    name = "sqlite"
    begin = "BEGIN IMMEDIATE"
    for_update = ""  # BEGIN IMMEDIATE already holds the database's write lock

    def __init__(self, path: str):
        self.path = path

    def connect(self) -> Any:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous=FULL")  # an answered call survives a power cut too
        return connection

    def create_schema(self, connection: Any) -> None:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA.format(real="REAL", serial="INTEGER PRIMARY KEY AUTOINCREMENT"))

    @staticmethod
    def sql(statement: str) -> str:
        return statement


class _Postgres:
    """PostgreSQL through psycopg 3, autocommit off only inside the store's explicit transactions."""

    name = "postgresql"
    begin = "BEGIN"
    for_update = " FOR UPDATE"

    def __init__(self, url: str):
        self.url = url

    def connect(self) -> Any:
        import psycopg  # only an operator who configures PostgreSQL needs the driver loaded

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def create_schema(self, connection: Any) -> None:
        connection.execute("BEGIN")
        connection.execute(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        for statement in SCHEMA.format(real="DOUBLE PRECISION", serial="BIGSERIAL PRIMARY KEY").split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute("COMMIT")

    @staticmethod
    def sql(statement: str) -> str:
        return statement.replace("?", "%s")


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
    """The receipts, calls and settlements of one gateway deployment, in SQLite or PostgreSQL."""

    def __init__(self, path: str | Path | None = None, *, url: str | None = None):
        if url is not None and url.startswith(("postgresql://", "postgres://")):
            self.dialect: _Sqlite | _Postgres = _Postgres(url)
            self.path = None
        elif path is not None:
            self.path = str(path)
            self.dialect = _Sqlite(self.path)
        else:
            raise ValueError("database_url: neither a SQLite file nor a postgresql:// URL")
        self.url = url or f"sqlite:///{self.path}"
        self._local = threading.local()
        self.dialect.create_schema(self._connection())

    @classmethod
    def from_url(cls, url: str) -> "ReceiptStore":
        """`sqlite:///relative/or/absolute/path.db` or `postgresql://USER:PASSWORD@HOST:PORT/DB`."""
        if url.startswith(("postgresql://", "postgres://")):
            return cls(url=url)
        prefix = "sqlite:///"
        if not url.startswith(prefix) or len(url) == len(prefix):
            raise ValueError(f"database_url: {url!r} is neither sqlite:///PATH nor postgresql://...")
        return cls(url[len(prefix):])

    def _connection(self) -> Any:
        # one connection per thread: neither driver's connections may be shared across threads freely
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.dialect.connect()
            self._local.connection = connection
        return connection

    def _execute(self, statement: str, parameters: tuple = ()) -> Any:
        return self._connection().execute(self.dialect.sql(statement), parameters)

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # ---- reads ----

    def latest(self, account: str, token: str) -> StoredReceipt | None:
        """The latest accepted receipt of `account` in `token`, if any."""
        row = self._execute(
            "SELECT account, token, cumulative, deadline, signature, settled FROM latest_receipts"
            " WHERE account = ? AND token = ?",
            (account, token),
        ).fetchone()
        return _receipt(row) if row else None

    def unsettled(self) -> list[StoredReceipt]:
        """Every latest receipt with something not yet charged on-chain, oldest first."""
        rows = self._execute(
            "SELECT account, token, cumulative, deadline, signature, settled FROM latest_receipts"
            " WHERE cumulative != settled ORDER BY updated_at"
        ).fetchall()
        # settled can pass cumulative: the account redeemed a newer receipt of its own elsewhere
        return [receipt for receipt in map(_receipt, rows) if receipt.unsettled > 0]

    def calls(self, account: str | None = None) -> list[CallRecord]:
        """The accepted calls, in order (of one account if given)."""
        query = "SELECT account, token, service, price, cumulative, level FROM calls"
        rows = self._execute(
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
        execute = self._execute
        now = time.time()
        execute(self.dialect.begin)
        try:
            if expected is None:
                cursor = execute(
                    "INSERT INTO latest_receipts (account, token, cumulative, deadline, signature, settled, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, token) DO NOTHING",
                    (call.account, call.token, str(call.cumulative), str(deadline), signature, str(settled_if_new), now),
                )
            else:
                cursor = execute(
                    "UPDATE latest_receipts SET cumulative = ?, deadline = ?, signature = ?, updated_at = ?"
                    " WHERE account = ? AND token = ? AND cumulative = ?",
                    (str(call.cumulative), str(deadline), signature, now, call.account, call.token, str(expected)),
                )
            if cursor.rowcount != 1:
                execute("ROLLBACK")
                return False
            execute(
                "INSERT INTO calls (account, token, service, price, cumulative, level, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (call.account, call.token, call.service, str(call.price), str(call.cumulative), call.level, now),
            )
            execute("COMMIT")
            return True
        except BaseException:
            execute("ROLLBACK")
            raise

    def mark_settled(self, account: str, token: str, charged_up_to: int) -> None:
        """Record that the chain has charged `account` in `token` up to the cumulative `charged_up_to`
        (read from the settlement's events, or `spent` on-chain). Never moves `settled` backwards: a
        late event of an older settlement changes nothing."""
        self._settle(account, token, charged_up_to, None)

    def record_redeemed(self, tx_hash: str, account: str, token: str, cumulative: int, charged: int) -> None:
        """A `UsageRedeemed(account, token, cumulative, charged)` event of the settlement `tx_hash`:
        logged, and `settled` raised to `cumulative`, in one transaction."""
        self._settle(account, token, cumulative, (tx_hash, charged))

    def _settle(self, account: str, token: str, charged_up_to: int, event: tuple[str, int] | None) -> None:
        execute = self._execute
        execute(self.dialect.begin)
        try:
            row = execute(
                "SELECT settled FROM latest_receipts WHERE account = ? AND token = ?" + self.dialect.for_update,
                (account, token),
            ).fetchone()
            if row is not None and int(row[0]) < charged_up_to:
                execute(
                    "UPDATE latest_receipts SET settled = ? WHERE account = ? AND token = ?",
                    (str(charged_up_to), account, token),
                )
            if event is not None:
                execute(
                    "INSERT INTO settlements (tx_hash, account, token, cumulative, charged, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (event[0], account, token, str(charged_up_to), str(event[1]), time.time()),
                )
            execute("COMMIT")
        except BaseException:
            execute("ROLLBACK")
            raise

    def charged_total(self, account: str | None = None) -> int:
        """Everything the gateway's settlements charged (of one account if given), from their events."""
        query = "SELECT charged FROM settlements" + (" WHERE account = ?" if account else "")
        rows = self._execute(query, (account,) if account else ()).fetchall()
        return sum(int(charged) for (charged,) in rows)


def _receipt(row: tuple) -> StoredReceipt:
    account, token, cumulative, deadline, signature, settled = row
    return StoredReceipt(account, token, int(cumulative), int(deadline), signature, int(settled))
