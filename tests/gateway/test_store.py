"""The gateway's receipt store (gateway/store.py) on a real SQLite file and a real PostgreSQL server: the compare-and-set that lets
exactly one of several concurrent calls on the same base cumulative pass (threads of one process and
separate processes), durability across a kill, and settlement bookkeeping that never goes backwards."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import pytest

from gateway.store import CallRecord, ReceiptStore

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
UNIT = 10**18
PRICE = 2 * UNIT


def call(account: str = ALICE, cumulative: int = PRICE, price: int = PRICE, service: str = "sentiment") -> CallRecord:
    return CallRecord(account, TOKEN, service, price, cumulative, level=3)


def accept(store: ReceiptStore, record: CallRecord, expected: int | None, settled_if_new: int = 0) -> bool:
    return store.accept(record, deadline=2_000_000_000, signature="0x" + "ab" * 65, expected=expected,
                        settled_if_new=settled_if_new)


def test_the_first_receipt_starts_from_what_the_chain_charged(store):
    """With no stored receipt the base is the on-chain `spent`; it is recorded as settled."""
    assert accept(store, call(cumulative=5 * UNIT + PRICE), expected=None, settled_if_new=5 * UNIT)
    latest = store.latest(ALICE, TOKEN)
    assert (latest.cumulative, latest.settled, latest.unsettled) == (5 * UNIT + PRICE, 5 * UNIT, PRICE)
    assert store.calls() == [call(cumulative=5 * UNIT + PRICE)]


def test_a_second_first_receipt_is_refused_and_changes_nothing(store):
    assert accept(store, call(), expected=None)
    assert not accept(store, call(service="trend"), expected=None)
    assert store.latest(ALICE, TOKEN).cumulative == PRICE
    assert [c.service for c in store.calls()] == ["sentiment"]


def test_a_receipt_on_a_stale_base_is_refused(store):
    assert accept(store, call(), expected=None)
    assert accept(store, call(cumulative=2 * PRICE), expected=PRICE)
    assert not accept(store, call(cumulative=2 * PRICE), expected=PRICE)  # the replay of the same step
    assert not accept(store, call(cumulative=3 * PRICE), expected=PRICE)
    assert store.latest(ALICE, TOKEN).cumulative == 2 * PRICE
    assert [c.cumulative for c in store.calls()] == [PRICE, 2 * PRICE]


def test_accounts_and_tokens_are_separate(store):
    assert accept(store, call(), expected=None)
    assert accept(store, call(account=BOB), expected=None)
    assert store.latest(BOB, TOKEN).cumulative == PRICE and store.latest(ALICE, BOB) is None
    assert [c.account for c in store.calls(BOB)] == [BOB]


@pytest.mark.parametrize("threads", [2, 16])
def test_concurrent_calls_on_one_base_in_one_process_exactly_one_passes(store, threads):
    accept(store, call(), expected=None)
    barrier = threading.Barrier(threads)
    results: list[bool] = []

    def attempt(i: int) -> None:
        barrier.wait()
        results.append(accept(store, call(cumulative=2 * PRICE, service=f"s{i}"), expected=PRICE))
        store.close()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(results) == [False] * (threads - 1) + [True]
    assert len(store.calls()) == 2 and store.latest(ALICE, TOKEN).cumulative == 2 * PRICE


def _accept_in_process(url: str, barrier, results, index: int) -> None:
    s = ReceiptStore.from_url(url)
    barrier.wait()
    results.put(accept(s, call(cumulative=2 * PRICE, service=f"p{index}"), expected=PRICE))


def test_concurrent_calls_on_one_base_from_several_processes_exactly_one_passes(database_url):
    """Several gateway processes on one database: the write lock (SQLite) or the row's update lock
    (PostgreSQL) and the compare-and-set hold across processes."""
    path = database_url
    accept(ReceiptStore.from_url(path), call(), expected=None)
    context = multiprocessing.get_context("spawn")
    processes = 4
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=_accept_in_process, args=(path, barrier, results, i)) for i in range(processes)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    outcomes = sorted(results.get(timeout=5) for _ in range(processes))
    assert outcomes == [False] * (processes - 1) + [True]
    assert len(ReceiptStore.from_url(path).calls()) == 2


def _accept_and_die(url: str) -> None:
    s = ReceiptStore.from_url(url)
    assert accept(s, call(), expected=None)
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no clean exit: as a crashed gateway


def test_an_accepted_receipt_survives_a_killed_process(database_url):
    path = database_url
    process = multiprocessing.get_context("spawn").Process(target=_accept_and_die, args=(path,))
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    reopened = ReceiptStore.from_url(path)
    assert reopened.latest(ALICE, TOKEN).cumulative == PRICE
    assert [r.account for r in reopened.unsettled()] == [ALICE]


def test_settlement_marks_receipts_settled_and_never_goes_back(store):
    accept(store, call(), expected=None)
    accept(store, call(account=BOB), expected=None)
    store.mark_settled(ALICE, TOKEN, PRICE)
    assert [r.account for r in store.unsettled()] == [BOB]
    store.mark_settled(ALICE, TOKEN, PRICE - 1)  # an older settlement's event, seen late
    assert store.latest(ALICE, TOKEN).settled == PRICE
    accept(store, call(cumulative=2 * PRICE), expected=PRICE)
    assert {r.account: r.unsettled for r in store.unsettled()} == {BOB: PRICE, ALICE: PRICE}


def test_a_receipt_overtaken_on_chain_is_not_unsettled(store):
    """The account redeemed a newer receipt of its own: nothing of the stored one is left to settle."""
    accept(store, call(), expected=None)
    store.mark_settled(ALICE, TOKEN, 3 * PRICE)
    assert store.unsettled() == []


def test_mark_settled_of_an_unknown_account_changes_nothing(store):
    store.mark_settled(ALICE, TOKEN, PRICE)
    assert store.latest(ALICE, TOKEN) is None


def test_amounts_beyond_64_bits_are_exact(store):
    big = 2**255 + 12345
    assert accept(store, call(cumulative=big, price=big - 7), expected=None, settled_if_new=7)
    assert store.latest(ALICE, TOKEN).unsettled == big - 7


@pytest.mark.parametrize("url", ["mysql://x", "sqlite:///", "sqlite://relative.db", ""])
def test_from_url_refuses_what_it_does_not_serve(url):
    with pytest.raises(ValueError, match="database_url"):
        ReceiptStore.from_url(url)


def test_from_url_opens_a_sqlite_file(tmp_path):
    path = tmp_path / "g.db"
    assert ReceiptStore.from_url(f"sqlite:///{path}").path == str(path)
    assert path.exists()
