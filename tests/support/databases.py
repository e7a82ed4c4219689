"""The databases the gateway's test suite runs on: SQLite always, and PostgreSQL: a real server, the
suite's own (initdb into a temporary folder, `postgres` on a free localhost port, stopped at the end),
from Debian's `postgresql` package, which `.ci/run` installs. `GATEWAY_TEST_POSTGRES_URL` points the
suite at a server of your own instead.

Without PostgreSQL binaries the PostgreSQL half is not generated and the terminal summary says so;
`GATEWAY_TEST_REQUIRE_POSTGRES=1` (set by `.ci/run`) turns that into a failure, so CI cannot pass on
SQLite alone.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

URL_VARIABLE = "GATEWAY_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "GATEWAY_TEST_REQUIRE_POSTGRES"
SERVER_USER = "postgres"  # initdb and postgres refuse to run as root: as root they run as this user


def postgres_binaries() -> Path | None:
    """The folder of Debian's (or any) `initdb` and `pg_ctl`, if installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").is_file():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def postgres_available() -> bool:
    return bool(os.environ.get(URL_VARIABLE)) or postgres_binaries() is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster for one test session (trust authentication, localhost only)."""

    def __init__(self) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise RuntimeError("no PostgreSQL binaries (Debian package postgresql)")
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="gateway-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, SERVER_USER)
            os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.binaries / program), *arguments]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A fresh, empty database `name` on the server (dropped first if it exists); its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def empty_tables(url: str) -> None:
    """Every gateway table emptied (a test's fresh start on the worker's database)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
        if tables:
            connection.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY")


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
