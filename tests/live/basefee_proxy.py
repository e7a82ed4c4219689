"""A JSON-RPC proxy in front of an Anvil that moves the base fee under every transaction.

Before it passes a transaction on (`eth_sendRawTransaction`, `eth_sendTransaction`), it sets the
base fee of the block that will include it (`anvil_setNextBlockBaseFeePerGas`) to RISE x the latest
block's, the one the sender priced the transaction from, and back to FLOOR once the latest is above
CEILING: a sawtooth that makes every transaction land in a block about twice as expensive as the one
its fees were read from. A real chain rises at most 12.5% a block, so one step here is about five
full blocks in a row, the wait a transaction can meet on a busy chain. Everything else passes through.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from harness.core.units import GWEI

RISE = 1.8  # < the 2x headroom of harness/chain/fees.py (plus the tip): every transaction must still be included
CEILING = 40 * GWEI
FLOOR = GWEI
SENDS = {"eth_sendRawTransaction", "eth_sendTransaction"}


class RisingBaseFeeProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream
        self.steps: list[tuple[int, int]] = []  # (latest base fee, base fee set for the next block)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = json.loads(body)
                calls = payload if isinstance(payload, list) else [payload]
                with proxy._lock:
                    if any(call.get("method") in SENDS for call in calls):
                        proxy._raise_next_base_fee()
                    response = requests.post(proxy.upstream, data=body, headers={"Content-Type": "application/json"}, timeout=60)
                self.send_response(response.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "RisingBaseFeeProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _rpc(self, method: str, params: list) -> object:
        reply = requests.post(self.upstream, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=60).json()
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def _raise_next_base_fee(self) -> None:
        latest = int(self._rpc("eth_getBlockByNumber", ["latest", False])["baseFeePerGas"], 16)
        following = FLOOR if latest > CEILING else int(latest * RISE)
        self._rpc("anvil_setNextBlockBaseFeePerGas", [hex(following)])
        self.steps.append((latest, following))
