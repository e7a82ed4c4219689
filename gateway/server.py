"""Serving the gateway: `Gateway` builds one from its config file (store, chain view, meter, app,
settlement), served by uvicorn in the foreground (`python -m gateway serve`) or, with `BackgroundServer`,
on a thread of this process on a free localhost port (the tests, the demo, the benchmark)."""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING, Any

import uvicorn

if TYPE_CHECKING:
    from gateway.config import GatewayConfig


class BackgroundServer:
    """`app` served by uvicorn on a thread, on `port` (0: a free one), until `stop()`."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.host, self.port = self.socket.getsockname()
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> "BackgroundServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the gateway did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()


class Gateway:
    """One gateway deployment built from its config: the store, the chain view, the meter, the app and,
    when settlement is on, the settler and its loop. `python -m gateway`, the tests, the demo and the
    benchmark all build it here."""

    def __init__(self, config: "GatewayConfig", *, environ: Any = None, web3: Any = None):
        from web3 import HTTPProvider, Web3

        from gateway.app import create_app
        from gateway.catalog import load_catalog
        from gateway.chain import ChainView
        from gateway.config import settler_key
        from gateway.meter import Meter
        from gateway.settlement import SettlementLoop, Settler
        from gateway.store import ReceiptStore
        from harness.core.errors import ScriptError
        from harness.core.manifest import open_manifest

        self.config = config
        self.manifest = open_manifest(config.manifest)
        self.catalog = load_catalog(config.catalog)
        self.web3 = web3 or Web3(HTTPProvider(config.rpc_url, request_kwargs={"timeout": 30}))
        if not self.web3.is_connected():
            raise ScriptError(f"rpc_url: no node answers at {config.rpc_url}")
        chain_id = self.web3.eth.chain_id
        if chain_id != self.manifest.chain_id:
            raise ScriptError(f"manifest: {config.manifest} is a deployment on chain {self.manifest.chain_id}, "
                              f"the node at {config.rpc_url} is chain {chain_id}")
        try:
            self.store = ReceiptStore.from_url(config.database_url)
        except ValueError as error:
            raise ScriptError(str(error)) from None
        except Exception as error:  # the database server is down or refuses the credentials
            raise ScriptError(f"database_url: cannot open the database: {error}") from None
        self.chain = ChainView.from_manifest(self.web3, self.manifest)
        self.meter = Meter(self.store, self.chain, self.catalog, min_receipt_lifetime=config.min_receipt_lifetime)
        self.app = create_app(self.meter, max_body_bytes=config.max_body_bytes)
        self.settler = Settler(self.store, self.web3, self.manifest.address_of("ServiceAccess"),
                               settler_key(chain_id, environ), environ=environ)
        settlement = config.settlement
        self.loop = (SettlementLoop(self.settler, interval=settlement.interval, watch_interval=settlement.watch_interval)
                     if settlement.enabled else None)

    def serve(self) -> None:
        """Serve in the foreground until interrupted (Ctrl-C, SIGTERM), settling on the side."""
        if self.loop:
            self.loop.start()
        try:
            uvicorn.run(self.app, host=self.config.host, port=self.config.port, log_level="info", lifespan="off")
        finally:
            if self.loop:
                self.loop.stop()
