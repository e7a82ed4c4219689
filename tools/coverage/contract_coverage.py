"""pytest plugin that records which EVM instructions of which contract the test suite executed.

Loaded by `make coverage` as `brownie test ... -p contract_coverage` (PYTHONPATH=tools/coverage),
with Anvil started through tools/coverage/bin/anvil (--steps-tracing). It does not change how the
tests run: calls stay `eth_call`s and transactions stay transactions.

How: every JSON-RPC request brownie (or an in-process script) sends goes through web3's
HTTPProvider.make_request, which this plugin wraps.
- eth_sendTransaction / eth_sendRawTransaction: the tx hash is queued; queued transactions are traced
  before the next `evm_revert` (fn_isolation reverts after every test, and a reverted transaction
  can no longer be traced), before `anvil_reset`, and at the end of the session.
- eth_call: traced at once with debug_traceCall on the same block (views only run as calls).
Each trace is two requests: the struct logs without stack, memory or storage (pc, op, depth per
step) and the callTracer tree, which names the address and input of every call frame. The struct
logs' depth changes are matched to the call tree in execution order (precompiles and accounts
without code run no steps and are skipped). A frame's code is identified by comparing the account's
code (runtime) or the creation input (constructor) with build/contracts/*.json.

Per contract and code kind ("runtime" / "creation") it records the executed pcs, every JUMPI as
(pc, next pc) (the direction it took) and the 4-byte selectors the runtime code was entered with.
The result is written to reports/coverage-raw.json for tools/coverage/report.py.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from web3.providers.rpc import HTTPProvider

ROOT = Path(__file__).resolve().parents[2]
RAW_OUT = Path(os.environ.get("COVERAGE_RAW", ROOT / "reports" / "coverage-raw.json"))
STRUCT_OPTS = {"disableStack": True, "disableStorage": True, "enableMemory": False, "enableReturnData": False}
CALL_OPTS = {"tracer": "callTracer"}
SEND = {"eth_sendTransaction", "eth_sendRawTransaction"}
FLUSH_BEFORE = {"evm_revert", "anvil_reset", "hardhat_reset", "anvil_setCode", "hardhat_setCode"}
MAX_PENDING = 200
# Seconds a request may take: on a --steps-tracing Anvil, brownie's own debug_traceTransaction of a
# large transaction (a 52-week claim's return value) can outlast brownie's default 30 s (CI once timed
# out there with "The local RPC client has likely crashed"), and so can this plugin's traces.
RPC_TIMEOUT = 600


class Collector:
    def __init__(self):
        self.lock = threading.RLock()
        self.pending: list[str] = []
        self.code_name: dict[str, str | None] = {}  # address -> contract name (cleared on revert)
        # (name, kind) -> {"pcs": set, "jumpi": set, "selectors": set}
        self.data: dict[tuple[str, str], dict[str, set]] = {}
        self.stats = {"transactions": 0, "calls": 0, "steps": 0, "trace_seconds": 0.0, "errors": 0}
        self.errors: list[str] = []
        self._load_artifacts()

    # ------------------------------------------------------------------ artifacts

    def _load_artifacts(self):
        self.runtime: dict[tuple[int, str], list[str]] = {}
        self.creation: list[tuple[str, str]] = []
        build = ROOT / "build" / "contracts"
        for path in sorted(build.glob("*.json")):
            art = json.loads(path.read_text())
            name = art["contractName"]
            deployed = art.get("deployedBytecode") or ""
            creation = art.get("bytecode") or ""
            if len(deployed) > 200:
                key = (len(deployed) // 2, deployed[-106:].lower())
                self.runtime.setdefault(key, []).append(name)
            if len(creation) > 200:
                self.creation.append((creation.lower(), name))
        # longest first so that a contract whose creation code prefixes another's is not mistaken
        self.creation.sort(key=lambda item: -len(item[0]))

    def _runtime_name(self, provider, address: str) -> str | None:
        address = address.lower()
        if address in self.code_name:
            return self.code_name[address]
        code = _orig(provider, "eth_getCode", [address, "latest"]).get("result") or "0x"
        code = code[2:].lower()
        if not code:
            name = None
        else:
            names = self.runtime.get((len(code) // 2, code[-106:]), [])
            name = names[0] if names else "?"
        self.code_name[address] = name
        return name

    def _creation_name(self, data: str) -> str:
        data = data[2:].lower() if data.startswith("0x") else data.lower()
        for code, name in self.creation:
            if data.startswith(code):
                return name
        return "?"

    # ------------------------------------------------------------------ tracing

    def trace_tx(self, provider, txhash: str):
        structs = _orig(provider, "debug_traceTransaction", [txhash, STRUCT_OPTS])
        calls = _orig(provider, "debug_traceTransaction", [txhash, CALL_OPTS])
        self.stats["transactions"] += 1
        self._absorb(provider, structs, calls, txhash)

    def trace_call(self, provider, params):
        tx = dict(params[0])
        block = params[1] if len(params) > 1 else "latest"
        if not tx.get("to"):
            return
        structs = _orig(provider, "debug_traceCall", [tx, block, STRUCT_OPTS])
        calls = _orig(provider, "debug_traceCall", [tx, block, CALL_OPTS])
        self.stats["calls"] += 1
        self._absorb(provider, structs, calls, f"call to {tx.get('to')}")

    def _absorb(self, provider, structs, calls, what):
        if "error" in structs or "error" in calls:
            self.stats["errors"] += 1
            err = (structs.get("error") or calls.get("error") or {}).get("message")
            if len(self.errors) < 20:
                self.errors.append(f"{what}: {err}")
            return
        logs = structs["result"].get("structLogs") or []
        root = calls["result"]
        if not logs:
            return
        self.stats["steps"] += len(logs)
        frames = [self._frame(provider, root)]
        children = [self._code_children(provider, root)]
        base_depth = logs[0]["depth"]
        n = len(logs)
        for i in range(n):
            step = logs[i]
            depth = step["depth"] - base_depth
            while depth < len(frames) - 1:
                frames.pop()
                children.pop()
            if depth > len(frames) - 1:
                # entered a new frame: the next child call of the current one that runs code
                node = children[-1].pop(0) if children[-1] else None
                frames.append(self._frame(provider, node) if node else None)
                children.append(self._code_children(provider, node) if node else [])
            frame = frames[-1]
            if frame is None:
                continue
            pc = step["pc"]
            frame["pcs"].add(pc)
            if step["op"] == "JUMPI" and i + 1 < n and logs[i + 1]["depth"] == step["depth"]:
                frame["jumpi"].add((pc, logs[i + 1]["pc"]))

    def _frame(self, provider, node):
        kind = node.get("type", "CALL")
        if kind in ("CREATE", "CREATE2"):
            key = (self._creation_name(node.get("input") or ""), "creation")
            selector = None
        else:
            key = (self._runtime_name(provider, node.get("to") or "") or "?", "runtime")
            data = node.get("input") or "0x"
            selector = data[:10].lower() if len(data) >= 10 else ("0x" if kind != "DELEGATECALL" else None)
        entry = self.data.setdefault(key, {"pcs": set(), "jumpi": set(), "selectors": set()})
        if selector:
            entry["selectors"].add(selector)
        return entry

    def _code_children(self, provider, node) -> list:
        out = []
        for child in node.get("calls") or []:
            kind = child.get("type", "CALL")
            if kind in ("CREATE", "CREATE2"):
                if (child.get("input") or "0x") != "0x":
                    out.append(child)
                continue
            to = child.get("to") or "0x0"
            if int(to, 16) <= 0x1FF:  # precompiles run no EVM steps
                continue
            if self._runtime_name(provider, to) is None:  # no code: no steps
                continue
            out.append(child)
        return out

    # ------------------------------------------------------------------ queue

    def flush(self, provider):
        with self.lock:
            pending, self.pending = self.pending, []
            start = time.monotonic()
            for txhash in pending:
                try:
                    self.trace_tx(provider, txhash)
                except Exception as exc:  # noqa: BLE001 - coverage must never break a test
                    self.stats["errors"] += 1
                    if len(self.errors) < 20:
                        self.errors.append(f"{txhash}: {exc!r}")
            self.stats["trace_seconds"] += time.monotonic() - start

    def write(self, path: Path = RAW_OUT):
        path.parent.mkdir(parents=True, exist_ok=True)
        out = {
            "stats": self.stats,
            "errors": self.errors,
            "contracts": {
                f"{name}:{kind}": {
                    "pcs": sorted(entry["pcs"]),
                    "jumpi": sorted(map(list, entry["jumpi"])),
                    "selectors": sorted(entry["selectors"]),
                }
                for (name, kind), entry in sorted(self.data.items())
            },
        }
        path.write_text(json.dumps(out))


_orig_make_request = HTTPProvider.make_request
COLLECTOR: Collector | None = None


def _orig(provider, method, params):
    return _orig_make_request(provider, method, params)


def _make_request(self, method, params):
    col = COLLECTOR
    if col is None:
        return _orig_make_request(self, method, params)
    if self._request_kwargs.get("timeout", 0) < RPC_TIMEOUT:
        self._request_kwargs["timeout"] = RPC_TIMEOUT
    if method in FLUSH_BEFORE:
        col.flush(self)
        with col.lock:
            col.code_name.clear()
    response = _orig_make_request(self, method, params)
    if method in SEND and isinstance(response, dict) and response.get("result"):
        with col.lock:
            col.pending.append(response["result"])
            full = len(col.pending) >= MAX_PENDING
        if full:
            col.flush(self)
    elif method == "eth_call" and isinstance(response, dict):
        with col.lock:
            col.flush(self)  # the call sees the state after every queued transaction anyway
            start = time.monotonic()
            try:
                col.trace_call(self, list(params))
            except Exception as exc:  # noqa: BLE001
                col.stats["errors"] += 1
                if len(col.errors) < 20:
                    col.errors.append(f"eth_call: {exc!r}")
            col.stats["trace_seconds"] += time.monotonic() - start
    return response


def pytest_configure(config):
    global COLLECTOR
    if hasattr(config, "workerinput"):
        pass  # xdist worker: each worker writes its own file (see pytest_unconfigure)
    COLLECTOR = Collector()
    HTTPProvider.make_request = _make_request


def pytest_sessionfinish(session, exitstatus):
    col = COLLECTOR
    if col is None:
        return
    from brownie.network import web3

    try:
        if web3.provider is not None:
            col.flush(web3.provider)
    except Exception as exc:  # noqa: BLE001
        col.errors.append(f"final flush: {exc!r}")
    path = RAW_OUT
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker:
        path = path.with_name(f"{path.stem}-{worker}{path.suffix}")
    col.write(path)
    s = col.stats
    print(
        f"\ncontract coverage: traced {s['transactions']} transactions and {s['calls']} calls "
        f"({s['steps']} steps, {s['trace_seconds']:.0f}s tracing, {s['errors']} errors) -> {path}"
    )
