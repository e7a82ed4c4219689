"""Settlement (SPEC 6): the gateway redeems the latest accepted receipt of every account and pay token
with `ServiceAccess.redeemUsageBatch`, so what its callers used reaches stakers, treasury and burn.

- `Settler.settle()` submits every unsettled latest receipt, `MAX_BATCH` per transaction, and records
  what each `UsageRedeemed` event charged (the store's `settled` rises to the event's cumulative, never
  back). A receipt the chain skipped (`UsageReceiptSkipped`, e.g. the account redeemed a newer one of its
  own) is brought level with the chain's `spent`. A settled receipt is never submitted again: only
  receipts whose cumulative is above `settled` are pending.
- A receipt whose deadline has passed can no longer be redeemed; it is not submitted (the gas would buy
  nothing) and is reported as expired. The meter only accepts receipts valid for `min_receipt_lifetime`
  more, so this happens only when the gateway could not settle for that long.
- `SettlementLoop` runs in the serving process: a settlement at start (a restarted gateway settles what
  it accepted before it stopped), then every `interval`, and at once for an account whose
  `WithdrawalRequested` event appears (polled every `watch_interval`): its credits are about to leave.

Several gateway processes may serve on one database; run the settlement in one of them (the others with
`settlement.enabled: false`): two settlers would submit the same receipts and the second would pay gas
for skips.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from eth_account import Account
from web3 import Web3
from web3.logs import DISCARD

from harness.chain import fees
from harness.core.abi import abi_of, error_name

from gateway.store import ReceiptStore, StoredReceipt

log = logging.getLogger("gateway.settlement")
RECEIPT_TIMEOUT_SECONDS = 180  # a settlement transaction not mined by then is reported and retried


class SettlementError(Exception):
    """A settlement transaction failed (reverted or not mined); nothing was recorded for its receipts."""


@dataclass(frozen=True)
class Redeemed:
    """One `UsageRedeemed` event of a settlement."""

    account: str
    token: str
    cumulative: int
    charged: int


@dataclass
class SettlementResult:
    """What one `settle()` did."""

    transactions: list[str] = field(default_factory=list)
    redeemed: list[Redeemed] = field(default_factory=list)
    skipped: list[tuple[str, str, int, str]] = field(default_factory=list)  # account, token, cumulative, reason
    expired: list[StoredReceipt] = field(default_factory=list)
    gas_used: int = 0

    @property
    def charged(self) -> int:
        return sum(r.charged for r in self.redeemed)


class Settler:
    """Submits the store's unsettled receipts to one ServiceAccess, signing with `private_key`."""

    def __init__(self, store: ReceiptStore, web3: Web3, service_access: str, private_key: str,
                 *, environ: Mapping[str, str] | None = None):
        self.store, self.web3 = store, web3
        self.access = web3.eth.contract(address=Web3.to_checksum_address(service_access), abi=abi_of("ServiceAccess"))
        self.account = Account.from_key(private_key)
        self.chain_id = web3.eth.chain_id
        # the scripts' fee rules (PRIORITY_FEE_GWEI / MAX_FEE_GWEI, else the node): a bad setting stops
        # the gateway at start, before any transaction
        self.policy = fees.resolve(os.environ if environ is None else environ, {}, "gateway", fees.node_fees(web3))
        self.max_batch = int(self.access.functions.MAX_BATCH().call())
        self._lock = threading.Lock()  # one settlement at a time per process (one nonce sequence)

    @property
    def address(self) -> str:
        return self.account.address

    def settle(self, accounts: Iterable[str] | None = None) -> SettlementResult:
        """Redeem every unsettled latest receipt (of `accounts` only, if given)."""
        wanted = None if accounts is None else {Web3.to_checksum_address(a) for a in accounts}
        result = SettlementResult()
        with self._lock:
            pending = [r for r in self.store.unsettled() if wanted is None or r.account in wanted]
            now = int(self.web3.eth.get_block("latest")["timestamp"])
            # redeemable while block.timestamp <= deadline, and the next block is at least a second later
            live = [r for r in pending if r.deadline > now]
            result.expired = [r for r in pending if r.deadline <= now]
            for receipt in result.expired:
                log.warning("receipt of %s in %s up to %d expired unsettled", receipt.account, receipt.token,
                            receipt.cumulative)
            for start in range(0, len(live), self.max_batch):
                self._submit(live[start:start + self.max_batch], result)
        return result

    def _submit(self, batch: list[StoredReceipt], result: SettlementResult) -> None:
        receipts = [(r.account, r.token, r.cumulative, r.deadline, bytes.fromhex(r.signature.removeprefix("0x")))
                    for r in batch]
        call = self.access.functions.redeemUsageBatch(receipts)
        transaction = call.build_transaction({
            "from": self.address, "chainId": self.chain_id,
            "nonce": self.web3.eth.get_transaction_count(self.address, "pending"),
            **fees.transaction_fields(self.policy, self.web3),
        })
        signed = self.account.sign_transaction(transaction)
        tx_hash = self.web3.eth.send_raw_transaction(signed.raw_transaction)
        try:
            receipt = self.web3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT_SECONDS)
        except Exception as error:
            raise SettlementError(f"settlement {tx_hash.to_0x_hex()} not mined: {error}") from error
        if receipt["status"] != 1:
            raise SettlementError(f"settlement {tx_hash.to_0x_hex()} reverted")
        hash_text = tx_hash.to_0x_hex()
        result.transactions.append(hash_text)
        result.gas_used += int(receipt["gasUsed"])
        for event in self.access.events.UsageRedeemed().process_receipt(receipt, errors=DISCARD):
            args = event["args"]
            redeemed = Redeemed(args["account"], args["token"], int(args["cumulative"]), int(args["charged"]))
            self.store.record_redeemed(hash_text, redeemed.account, redeemed.token, redeemed.cumulative, redeemed.charged)
            result.redeemed.append(redeemed)
        for event in self.access.events.UsageReceiptSkipped().process_receipt(receipt, errors=DISCARD):
            args = event["args"]
            reason = error_name(bytes(args["reason"]))
            # e.g. the account redeemed a newer receipt itself: what the chain charged is settled
            self.store.mark_settled(args["account"], args["token"],
                                    int(self.access.functions.spent(args["account"], args["token"]).call()))
            result.skipped.append((args["account"], args["token"], int(args["cumulative"]), reason))
            log.warning("settlement skipped %s's receipt up to %d: %s", args["account"], args["cumulative"], reason)


class SettlementLoop:
    """Settles on a schedule and on withdrawal requests, on a thread of the serving process."""

    def __init__(self, settler: Settler, *, interval: float, watch_interval: float):
        self.settler, self.interval, self.watch_interval = settler, interval, watch_interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gateway-settlement", daemon=True)
        self.results: list[SettlementResult] = []  # every settlement that did something, in order
        self.errors: list[str] = []

    def start(self) -> "SettlementLoop":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(RECEIPT_TIMEOUT_SECONDS)

    def _run(self) -> None:
        web3, access = self.settler.web3, self.settler.access
        watched = int(web3.eth.block_number)
        next_full = time.monotonic()  # at once: what a stopped gateway accepted is settled on restart
        while not self._stop.is_set():
            try:
                head = int(web3.eth.block_number)
                if head > watched:
                    logs = access.events.WithdrawalRequested().get_logs(from_block=watched + 1, to_block=head)
                    leaving = {entry["args"]["account"] for entry in logs}
                    if leaving:
                        self._record(self.settler.settle(leaving))
                    watched = head
                if time.monotonic() >= next_full:
                    self._record(self.settler.settle())
                    next_full = time.monotonic() + self.interval
            except Exception as error:  # the chain or the node is down: try again at the next tick
                self.errors.append(str(error))
                log.error("settlement failed, retrying: %s", error)
            self._stop.wait(self.watch_interval)

    def _record(self, result: SettlementResult) -> None:
        if result.transactions or result.expired:
            self.results.append(result)
            log.info("settled %d receipts in %d transactions: %d charged", len(result.redeemed),
                     len(result.transactions), result.charged)

