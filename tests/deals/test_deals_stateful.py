"""Stateful test (brownie `state_machine`): deals created from three templates (an awkward price with
vesting and a fee, a raise target of one pay token with the SPEC's windows, a six-hour deal whose soft
cap is its whole target), commits by buyers of levels 10, 8, 5, 2 and none, time jumps, finalize, claims
and cancels (by the owner and by others) in any order on any deal id, known or not. Every action runs
on the chain and in the reference model (tests/models/deals_model.py) at the same block time; a
refused action must revert with exactly the model's error. Invariants after every step:

- every balance (buyers, seller, owner, distributor, contract) moved by exactly the model's amounts;
- solvency: the contract holds, per token, at least every refund, commitment and sale token (vested
  or not) it still owes across open and settled deals;
- no account got more than its model share (refunds and bought tokens);
- the model equals the chain: each deal's view and each buyer's position.

The default run is derandomized (tests/support/profiles.py "deals") and must exercise every kind of
step in EXPECTED_OUTCOMES; HYPOTHESIS_PROFILE=deep explores at random. DEALS_DEBUG=1 prints the counts.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import strategies as st

from harness.chain.time import mine_at, now
from harness.core.units import DAY, HOUR, UNIT
from tests.deals.conftest import PAY_UNIT
from tests.deals.deals_helpers import DealsSim
from tests.support.profiles import DEEP, machine_settings

SETTINGS = {**machine_settings("deals"), "derandomize": not DEEP}
BUYERS = 5  # buyers[0..3]: levels 10, 8, 5, 2 (the `ranked` fixture); buyers[4]: no lock
MAX_DEALS = 4
OUTCOMES: Counter = Counter()


class DealsMachine:
    st_buyer = st.integers(0, BUYERS - 1)
    st_deal = st.sampled_from([1, 2, 3, 1, 2, 3, 4, MAX_DEALS + 1])  # MAX_DEALS + 1 is never created
    st_kind = st.integers(0, 2)
    st_amount = st.one_of(st.integers(1, 10**6), st.integers(10**6, 3 * 10**9), st.sampled_from([10**9, 0]))
    st_dt = st.sampled_from([1, 60, HOUR, 6 * HOUR, 13 * HOUR, DAY])
    st_jump = st.sampled_from([HOUR, DAY, 2 * DAY, 5 * DAY])
    st_owner = st.sampled_from([False, False, True])  # a cancel by the owner ends a deal: rarer
    st_late = st.sampled_from([0, 1, 600, 7 * HOUR])
    st_share = st.integers(1, 4)  # quarters of what still fits

    def __init__(cls, market, deals, deployer, seller, buyers, dist):
        cls.market, cls.deals, cls.deployer, cls.seller = market, deals, deployer, seller
        cls.buyers, cls.dist = buyers[:BUYERS], dist
        cls.base_history = {a: list(h) for a, h in market.history.items()}

    def setup(self):
        self.market.history = {a: list(h) for a, h in self.base_history.items()}
        self.model = self.market.model()
        self.sim = DealsSim(self.market, self.model, list(self.buyers) + [self.seller, self.deployer, self.dist, self.deals])
        for kind in range(3):  # deals 1, 2, 3 open from the start; rule_create adds deal 4
            self.rule_create(kind)
        # Every example starts with commitments: buyers 0..3 commit to each deal as their window opens
        # (so the rules settle, claim and cancel deals with buyers from step one).
        plan = []
        for deal_id, amount in ((1, 10**9), (2, 10**6), (3, 10**9)):
            for b in self.buyers[:4]:
                level = self.model.deal_level(deal_id, b, now())
                plan.append((self.model.window(self.model.deals[deal_id].params, level)[0], deal_id, b, amount))
        for opens_at, deal_id, b, amount in sorted(plan, key=lambda x: x[0]):
            self.sim.act(max(now() + 1, opens_at), lambda t: self.model.commit(deal_id, b, amount, t),
                         lambda g: self.deals.commit(deal_id, amount, {"from": b, **g}))

    def _params(self, kind):
        m = self.market
        if kind == 0:  # 2 333.33 pay tokens for 1 000 sale tokens, vesting over 3 days, 2.5% fee
            return m.params(saleAmount=1_000 * UNIT, price=7 * PAY_UNIT // 3, capByLevel=tuple(
                l * 10**9 for l in range(1, 11)), softCap=10**9, tgeBps=1_500, vestingDuration=3 * DAY, feeBps=250)
        if kind == 1:  # a raise target of one pay token: any commit oversubscribes it
            return m.params(saleAmount=10**24 + 7, price=1, tgeBps=10_000, feeBps=2_000, minLevel=2)
        p = m.params(opensAfter=(0,) * 10, saleAmount=3 * UNIT, price=10**9 + 7, tgeBps=1, vestingDuration=HOUR)
        return p.but(end=p.start + 6 * HOUR, softCap=p.raise_target)  # fails unless fully subscribed

    def _record(self, name):
        OUTCOMES[name] += 1

    def rule_create(self, kind="st_kind"):
        if len(self.model.deals) >= MAX_DEALS:
            return
        p = self._params(kind)
        result, tx = self.sim.act(now() + 1, lambda t: self.model.create(p, self.deployer, t),
                                  lambda g: self.deals.createDeal(p.as_tuple(), {"from": self.deployer, **g}))
        assert dict(tx.events["DealCreated"][0]) == result

    def rule_commit(self, deal="st_deal", buyer="st_buyer", amount="st_amount", dt="st_dt"):
        b = self.buyers[buyer]
        result, tx = self.sim.act(now() + dt, lambda t: self.model.commit(deal, b, amount, t),
                                  lambda g: self.deals.commit(deal, amount, {"from": b, **g}))
        if tx:
            assert dict(tx.events["Committed"][0]) == result

    def rule_commit_in_window(self, deal="st_deal", buyer="st_buyer", amount="st_amount", late="st_late"):
        """A commit at the first second of the buyer's window (or `late` seconds into it; at once if the
        window has opened, or the deal or level is unknown)."""
        b, t = self.buyers[buyer], now() + 1
        if deal in self.model.deals:
            level = self.model.deal_level(deal, b, t)
            opens_at, _ = self.model.window(self.model.deals[deal].params, min(level, 10))
            t = max(t, opens_at + late)
        self.rule_commit(deal, b and buyer, amount, t - now())

    def rule_commit_what_fits(self, deal="st_deal", buyer="st_buyer", share="st_share"):
        """A commit of a share of what the model says still fits (`maxCommit`) one second on: the rules'
        own accepted commits and top-ups (AboveCap when nothing fits and the window is open)."""
        b, t = self.buyers[buyer], now() + 1
        room = self.model.max_commit(deal, b, t) if deal in self.model.deals else 0
        amount = max(1, room * share // 4)
        result, tx = self.sim.act(t, lambda t: self.model.commit(deal, b, amount, t),
                                  lambda g: self.deals.commit(deal, amount, {"from": b, **g}))
        if tx:
            assert dict(tx.events["Committed"][0]) == result
            self._record("commit by a rule")

    def rule_advance(self, dt="st_jump"):
        mine_at(now() + dt)

    def rule_finalize(self, deal="st_deal", buyer="st_buyer", dt="st_dt"):
        result, tx = self.sim.act(now() + dt, lambda t: self.model.finalize(deal, t),
                                  lambda g: self.deals.finalize(deal, {"from": self.buyers[buyer], **g}))
        if tx:
            assert dict(tx.events["DealFinalized"][0]) == result
            self._record("succeeded" if result["succeeded"] else "failed")

    def rule_claim(self, deal="st_deal", buyer="st_buyer", dt="st_dt"):
        b = self.buyers[buyer]
        result, tx = self.sim.act(now() + dt, lambda t: self.model.claim(deal, b, t),
                                  lambda g: self.deals.claim(deal, {"from": b, **g}))
        if tx:
            assert dict(tx.events["Claimed"][0]) == result

    def rule_cancel(self, deal="st_deal", owner="st_owner", dt="st_dt"):
        sender = self.deployer if owner else self.buyers[0]
        result, tx = self.sim.act(now() + dt, lambda t: self.model.cancel(deal, sender, t),
                                  lambda g: self.deals.cancelDeal(deal, {"from": sender, **g}))
        if tx:
            assert dict(tx.events["DealCancelled"][0]) == result

    def invariant(self):
        sim, model = self.sim, self.model
        sim.check_balances()
        sim.check_solvency()
        sim.check_shares(self.buyers)
        t = now()
        for deal_id, d in model.deals.items():
            assert self.deals.deal(deal_id) == d.as_tuple()
            for b in self.buyers:
                if str(b) in d.positions:
                    assert self.deals.position(deal_id, b) == model.position(deal_id, b).as_tuple()
                    assert self.deals.claimable(deal_id, b) == model.claimable(deal_id, b, t)

    def teardown(self):
        for name, count in self.sim.outcomes.items():
            OUTCOMES[name] += count
        OUTCOMES["examples"] += 1


# Kinds of step the default (derandomized) run must have exercised, accepted and refused.
EXPECTED_OUTCOMES = {
    "createDeal", "commit", "commit by a rule", "finalize", "claim", "cancelDeal", "succeeded", "ZeroAmount", "UnknownDeal",
    "DealNotOpen", "NotEligible", "WindowClosed", "DealNotEnded", "DealNotFinalized",
}


def test_stateful(state_machine, market, deals, deployer, seller, buyers, dist, ranked):
    OUTCOMES.clear()
    state_machine(DealsMachine, market, deals, deployer, seller, buyers, dist, settings=SETTINGS)
    if os.environ.get("DEALS_DEBUG"):
        print("\n", dict(OUTCOMES))
    if not DEEP:
        missing = EXPECTED_OUTCOMES - set(OUTCOMES)
        assert not missing, f"the run never exercised {sorted(missing)}: {dict(OUTCOMES)}"
