"""Helpers shared by the EarlyAccessDeals tests: events as plain dicts, and actions pinned to a block
time (a transaction whose time matters never assumes it lands in a given second: it sets it)."""

from __future__ import annotations

from harness.chain.time import next_block_at


def event(tx, name, index=0) -> dict:
    """Event `name` of `tx` as a dict of its arguments (addresses as checksummed strings)."""
    return {k: (str(v) if hasattr(v, "address") else v) for k, v in dict(tx.events[name][index]).items()}


def commit_at(deals, account, deal_id, amount, t):
    next_block_at(t)
    tx = deals.commit(deal_id, amount, {"from": account})
    assert tx.timestamp == t
    return tx


def finalize_at(deals, deal_id, t, sender):
    next_block_at(t)
    tx = deals.finalize(deal_id, {"from": sender})
    assert tx.timestamp == t
    return tx


def claim_at(deals, account, deal_id, t):
    next_block_at(t)
    tx = deals.claim(deal_id, {"from": account})
    assert tx.timestamp == t
    return tx


# ---- hypothesis budgets and a chain + model driver (property and stateful tests) ----

import itertools  # noqa: E402

from tests.models.escrow_model import ModelRevert  # noqa: E402
from tests.support import profiles  # noqa: E402
from tests.support.reverts import reverts  # noqa: E402

# The deals suite's budget (default, deep), registered with the project's profiles
# (tests/support/profiles.py): a property example costs ~30 transactions, a machine step one or two.
profiles.BUDGETS.setdefault(
    "deals", (profiles.Budget(8, 14, 25), profiles.Budget(150, 60, 60))
)

# Every action is sent with a gas limit (no estimate: mined even when it reverts, at its pinned
# time), a slightly different one each time: examples start from the same snapshot (same nonces), and
# a transaction hash repeated from a reverted-away example confuses brownie.
_GAS_TWEAK = itertools.count()


def gas() -> dict:
    return {"gas_limit": 3_000_000 - next(_GAS_TWEAK) % 500_000}


class DealsSim:
    """Runs each action on the chain and in the model at the same pinned block time; a refused action
    must revert with exactly the model's error. `start` holds every tracked balance before the first
    action, so `check_balances` compares the chain's changes with the model's `moved`."""

    def __init__(self, market, model, parties):
        self.market, self.model = market, model
        self.parties = [str(p) for p in parties]
        self.start = market.balances(self.parties)
        self.outcomes: dict = {}

    def act(self, t, model_fn, chain_fn):
        """(model result, tx), or (None, None) when both refused with the same error."""
        next_block_at(t)
        try:
            expected_result = model_fn(t)
        except ModelRevert as refused:
            with reverts(refused.error):
                chain_fn(gas())
            self.outcomes[refused.name] = self.outcomes.get(refused.name, 0) + 1
            return None, None
        tx = chain_fn(gas())
        assert tx.timestamp == t
        self.outcomes[tx.fn_name] = self.outcomes.get(tx.fn_name, 0) + 1
        return expected_result, tx

    def check_balances(self):
        for key, value in self.market.balances(self.parties).items():
            assert value - self.start[key] == self.model.moved.get(key, 0), key

    def check_solvency(self):
        """The contract holds at least every refund, commitment and sale token it still owes."""
        owed = self.model.owed()
        for tok in (self.market.pay, self.market.sale):
            held = tok.balanceOf(self.market.deals)
            assert held >= owed.get(str(tok).lower(), 0), (str(tok), held, owed)

    def check_shares(self, accounts):
        """No account got more than its model share: received <= owed in all over every deal."""
        m, pay, sale = self.model, str(self.market.pay), str(self.market.sale)
        for a in accounts:
            due_pay = due_sale = 0
            for deal_id, d in m.deals.items():
                refund, bought = m.entitlement(deal_id, a)
                pos = d.positions.get(str(a))
                if pos:
                    assert pos.tokensClaimed <= bought
                due_pay += refund - (pos.committed if pos else 0)
                due_sale += bought
            got_pay = m.moved.get((pay, str(a)), 0)
            got_sale = m.moved.get((sale, str(a)), 0)
            assert got_pay <= due_pay and got_sale <= due_sale, (str(a), got_pay, due_pay, got_sale, due_sale)
