"""What the gateway reads from the chain (SPEC 6), through web3 and the compiled ABIs: no brownie network
state, so the gateway runs as a plain server process.

Read fresh on every metered call (they decide whether a call may be charged): `previewRedeem` of the
call's receipt (the contract's own signature check, EOA or ERC-1271, its domain, deadline, pay token and
credits against `cumulative - spent`) and the account's pending withdrawal. Cached for `LEVEL_CACHE_SECONDS`
(they only set the price): the caller's level and its `apiDiscountBps`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from eth_utils import to_checksum_address
from web3 import Web3

from harness.core.abi import abi_of
from harness.core.manifest import Manifest

LEVEL_CACHE_SECONDS = 60.0  # a level changes with locks (minutes apart); a price a minute stale is fine


@dataclass(frozen=True)
class Preview:
    """`ServiceAccess.previewRedeem`: the charge, or the selector of the error `redeemUsage` would raise."""

    charge: int
    reason: bytes  # 4 bytes; all zero: it would succeed

    @property
    def ok(self) -> bool:
        return self.reason == b"\x00" * 4


class _TtlCache:
    """A small thread-safe cache of values for `ttl` seconds (by `clock`, monotonic by default)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._values: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        now = self.clock()
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        value = compute()
        self.put(key, value)
        return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._values[key] = (self.clock(), value)


class ChainView:
    """ServiceAccess and StakingLevels of one deployment, read through `web3`."""

    def __init__(self, web3: Web3, service_access: str, staking_levels: str, *,
                 cache_seconds: float = LEVEL_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.web3 = web3
        self.access = web3.eth.contract(address=to_checksum_address(service_access), abi=abi_of("ServiceAccess"))
        self.levels = web3.eth.contract(address=to_checksum_address(staking_levels), abi=abi_of("StakingLevels"))
        self.chain_id = web3.eth.chain_id
        self.staking_token = self.access.functions.stakingToken().call()
        self._prices = _TtlCache(cache_seconds, clock)

    @classmethod
    def from_manifest(cls, web3: Web3, manifest: Manifest, **options: Any) -> "ChainView":
        return cls(web3, manifest.address_of("ServiceAccess"), manifest.address_of("StakingLevels"), **options)

    def timestamp(self) -> int:
        """The latest block's timestamp: receipts' deadlines are checked against chain time."""
        return int(self.web3.eth.get_block("latest")["timestamp"])

    def preview_redeem(self, account: str, token: str, cumulative: int, deadline: int, signature: bytes) -> Preview:
        charge, reason = self.access.functions.previewRedeem(account, token, cumulative, deadline, signature).call()
        return Preview(int(charge), bytes(reason))

    def spent(self, account: str, token: str) -> int:
        return int(self.access.functions.spent(account, token).call())

    def credits(self, account: str, token: str) -> int:
        return int(self.access.functions.credits(account, token).call())

    def withdrawal_pending(self, account: str, token: str) -> bool:
        requested_at, _ = self.access.functions.withdrawalRequest(account, token).call()
        return requested_at != 0

    def level_and_discount(self, account: str) -> tuple[int, int]:
        """`(levelOf(account), apiDiscountBps(level))`, cached."""

        def read() -> tuple[int, int]:
            level = int(self.levels.functions.levelOf(account).call())
            return level, int(self.levels.functions.apiDiscountBps(level).call())

        return self._prices.get(("level", account), read)
