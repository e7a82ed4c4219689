"""Fixtures for the gateway tests: the protocol as scripts/deploy.py deploys it (tests/conftest.py
`system`), callers with known Anvil keys (they sign Usage receipts) funded from the community
allocation, a caller locked into level 3 and one at level 0, an ERC-1271 wallet caller, and a Meter on
a fresh database (a SQLite file, and PostgreSQL: each such test runs on both) reading the chain
through web3, as the running gateway does."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from brownie import accounts, chain, web3

from gateway.catalog import load_catalog
from gateway.chain import ChainView
from gateway.meter import Meter, UsageReceipt
from gateway.store import ReceiptStore
from harness.core.paths import REPO_ROOT
from harness.core.signing import anvil_private_key, sign_usage
from harness.core.units import DAY, UNIT, WEEK
from tests.support.databases import (
    REQUIRE_VARIABLE,
    URL_VARIABLE,
    PostgresServer,
    create_database,
    empty_tables,
    postgres_available,
    wait_until_accepting,
)
from tests.support.wallet import wallet_container

CATALOG = REPO_ROOT / "config" / "gateway-catalog.yaml"
LIFETIME = DAY  # receipts must stay redeemable this long (the gateway's min_receipt_lifetime)
CREDITS = 1_000 * UNIT
LEVEL_3_LOCK = 150_000 * UNIT  # about 2x that in Staking Score for a 52-week lock: level 3 (222_000..444_000)


@dataclass
class Caller:
    """An account that calls the gateway and the key that signs its receipts (the owner's for a wallet)."""

    address: str
    key: str
    sender: object  # the brownie account that sends its transactions (the owner for a wallet)


@pytest.fixture(scope="module")
def gw(system):
    """The deployment, with callers funded and credited; level-3 caller locked."""
    community = accounts[2]
    callers = {}
    for name, index in (("level3", 6), ("level0", 7), ("other", 8)):
        account = accounts[index]
        system.token.transfer(account, 1_000_000 * UNIT, {"from": community})
        callers[name] = Caller(account.address, anvil_private_key(index), account)
    l3 = callers["level3"].sender
    system.token.approve(system.escrow, LEVEL_3_LOCK, {"from": l3})
    system.escrow.createLock(LEVEL_3_LOCK, chain.time() + 52 * WEEK, {"from": l3})
    for caller in callers.values():
        system.token.approve(system.access, CREDITS, {"from": caller.sender})
        system.access.depositCredits(system.token, CREDITS, {"from": caller.sender})
    owner = callers["other"]
    wallet = wallet_container().deploy(owner.address, {"from": owner.sender})
    system.token.approve(system.access, CREDITS, {"from": owner.sender})
    system.access.depositCreditsFor(wallet, system.token, CREDITS, {"from": owner.sender})
    callers["wallet"] = Caller(wallet.address, owner.key, owner.sender)
    return GatewayWorld(system, callers, wallet)


class GatewayWorld:
    def __init__(self, system, callers, wallet):
        self.system, self.callers, self.wallet = system, callers, wallet
        self.token = system.token.address

    def receipt(self, caller: Caller, cumulative: int, *, deadline: int | None = None, key: str | None = None,
                chain_id: int | None = None, contract: str | None = None, token: str | None = None) -> UsageReceipt:
        """`caller`'s receipt for `cumulative`, signed over the deployment's domain unless told otherwise."""
        deadline = chain.time() + 7 * DAY if deadline is None else deadline
        token = token or self.token
        signature = sign_usage(key or caller.key, contract or self.system.access.address, chain_id or chain.id,
                               caller.address, token, cumulative, deadline)
        return UsageReceipt(caller.address, token, cumulative, deadline, signature)


# the same suite on both databases (tests/support/databases.py): every test that uses `store`, `meter`,
# `server` or `database_url` runs once on a SQLite file and once on the suite's PostgreSQL server
DATABASES = ["sqlite"] + (["postgresql"] if postgres_available() else [])
if os.environ.get(REQUIRE_VARIABLE) == "1" and "postgresql" not in DATABASES:
    raise RuntimeError(f"{REQUIRE_VARIABLE}=1 but no PostgreSQL: install Debian's postgresql or set {URL_VARIABLE}")


def pytest_terminal_summary(terminalreporter):
    if "postgresql" not in DATABASES:
        terminalreporter.write_line("gateway tests ran on SQLite only: no PostgreSQL binaries (apt-get install "
                                    f"postgresql) and no {URL_VARIABLE}", yellow=True)


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server: $GATEWAY_TEST_POSTGRES_URL's, else one this session starts."""
    if os.environ.get(URL_VARIABLE):
        wait_until_accepting(os.environ[URL_VARIABLE])
        yield os.environ[URL_VARIABLE]
        return
    server = PostgresServer()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server):
    """This test worker's own database on the server (xdist workers run side by side)."""
    return create_database(postgres_server, f"gateway_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """An empty gateway database: a fresh SQLite file, or the worker's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gateway.db'}"
    url = request.getfixturevalue("postgres_database")
    empty_tables(url)
    return url


@pytest.fixture
def store(database_url):
    s = ReceiptStore.from_url(database_url)
    yield s
    s.close()


@pytest.fixture
def chain_view(gw):
    return ChainView(web3, gw.system.access.address, gw.system.levels.address)


@pytest.fixture
def meter(store, chain_view):
    return Meter(store, chain_view, load_catalog(CATALOG), min_receipt_lifetime=LIFETIME)


@pytest.fixture
def server(meter):
    """The gateway's app served over HTTP on a free localhost port (uvicorn on a thread)."""
    from gateway.app import create_app
    from gateway.server import BackgroundServer

    with BackgroundServer(create_app(meter, max_body_bytes=64 * 1024)) as running:
        yield running
