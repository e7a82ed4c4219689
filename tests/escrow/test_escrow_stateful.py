"""Stateful test: random sequences of every escrow action over many accounts, against the model.

Early exits pay their penalty into a real RevenueDistributor. Invariants, checked after every step:
- the escrow's token balance == sum of locked amounts == supply();
- totalSupply() equals the model exactly, is >= the sum of balanceOf and exceeds it by less than one
  wei per active decaying lock;
- balanceOfAt / totalSupplyAt / getPastVotes at earlier recorded times never change;
- no score rises without an action on that lock;
- the sum of getPastVotes over all accounts equals getPastTotalSupply within the same bound.
"""

import random
from collections import Counter

from brownie.test import state_machine, strategy

from escrow_helpers import EXAMPLES, PENALTY_BPS, STEPS, WEEK, reverts_with
from harness import chain as tchain
from models.escrow_model import EscrowModel, ModelRevert

N_ACCOUNTS = 6
OUTCOMES = Counter()  # (action, outcome): printed with -s, to see what the runs covered


class EscrowMachine:
    st_acct = strategy("uint8", max_value=N_ACCOUNTS - 1)
    st_acct2 = strategy("uint8", max_value=N_ACCOUNTS - 1)
    st_amount = strategy("uint256", max_value=10**24)
    st_weeks = strategy("uint256", max_value=56)
    st_dt = strategy("uint256", min_value=1, max_value=20 * WEEK)

    def __init__(cls, escrow, token, distributor, users):
        cls.escrow = escrow
        cls.token = token
        cls.distributor = distributor
        cls.users = users

    def setup(self):
        self.model = EscrowModel(bps=PENALTY_BPS, distributor_set=True)
        self.model._record(0)
        self.records = []  # (t, totalSupplyAt, {user: balanceOfAt}, {user: getPastVotes or None})
        self.last_scores = {u: 0 for u in self.users}
        self.touched = set()
        self.rng = random.Random(1)
        # start every run from a varied state: four decaying locks (one made permanent)
        for k, weeks in enumerate((3, 12, 30, 52)):
            self.rule_create(k, (k + 1) * 10**21 + k, weeks)
        self.rule_lock_permanent(3)
        self.invariant_balances_and_supply()

    # ------------------------------------------------------------------ helpers
    def _act(self, model_fn, contract_fn, *args, touched=()):
        """Run `model_fn(now)` and the contract call in the block at `now`; both revert alike."""
        now = tchain.now() + 1
        tchain.next_block_at(now)
        try:
            result = model_fn(now)
        except ModelRevert as exc:
            OUTCOMES[(contract_fn.abi["name"], exc.name)] += 1
            with reverts_with(exc.name):
                contract_fn(*args)
            return None, None
        tx = contract_fn(*args)
        assert tx.timestamp == now
        OUTCOMES[(contract_fn.abi["name"], "ok")] += 1
        self.touched.update(touched)
        return tx, result

    # ------------------------------------------------------------------ rules
    def rule_create(self, i="st_acct", amount="st_amount", weeks="st_weeks"):
        u = self.users[i]
        unlock = tchain.now() + 1 + weeks * WEEK
        self._act(lambda now: self.model.create_lock(u, amount, unlock, now),
                  self.escrow.createLock, amount, unlock, {"from": u}, touched=[u])

    def rule_create_for(self, i="st_acct", j="st_acct2", amount="st_amount", weeks="st_weeks"):
        payer, owner = self.users[i], self.users[j]
        unlock = tchain.now() + 1 + weeks * WEEK
        self._act(lambda now: self.model.create_lock(owner, amount, unlock, now),
                  self.escrow.createLockFor, owner, amount, unlock, {"from": payer}, touched=[owner])

    def rule_increase(self, i="st_acct", amount="st_amount"):
        u = self.users[i]
        self._act(lambda now: self.model.increase_amount(u, amount, now),
                  self.escrow.increaseAmount, amount, {"from": u}, touched=[u])

    def rule_deposit_for(self, i="st_acct", j="st_acct2", amount="st_amount"):
        payer, owner = self.users[i], self.users[j]
        self._act(lambda now: self.model.increase_amount(owner, amount, now),
                  self.escrow.depositFor, owner, amount, {"from": payer}, touched=[owner])

    def rule_extend(self, i="st_acct", weeks="st_weeks"):
        u = self.users[i]
        unlock = tchain.now() + 1 + weeks * WEEK
        self._act(lambda now: self.model.increase_unlock_time(u, unlock, now),
                  self.escrow.increaseUnlockTime, unlock, {"from": u}, touched=[u])

    def rule_withdraw(self, i="st_acct"):
        u = self.users[i]
        before = self.token.balanceOf(u)
        tx, paid = self._act(lambda now: self.model.withdraw(u, now), self.escrow.withdraw, {"from": u},
                             touched=[u])
        if tx is not None:
            assert self.token.balanceOf(u) == before + paid

    def rule_withdraw_early(self, i="st_acct"):
        u = self.users[i]
        before, before_d = self.token.balanceOf(u), self.token.balanceOf(self.distributor)
        tx, result = self._act(lambda now: self.model.withdraw_early(u, now), self.escrow.withdrawEarly,
                               {"from": u}, touched=[u])
        if tx is not None:
            paid, fee = result
            assert tx.events["WithdrawEarly"]["penalty"] == fee
            assert self.token.balanceOf(u) == before + paid
            assert self.token.balanceOf(self.distributor) == before_d + fee

    def rule_lock_permanent(self, i="st_acct"):
        u = self.users[i]
        self._act(lambda now: self.model.lock_permanent(u, now), self.escrow.lockPermanent, {"from": u},
                  touched=[u])

    def rule_unlock_permanent(self, i="st_acct"):
        u = self.users[i]
        self._act(lambda now: self.model.unlock_permanent(u, now), self.escrow.unlockPermanent, {"from": u},
                  touched=[u])

    def rule_delegate(self, i="st_acct", j="st_acct2"):
        u, to = self.users[i], self.users[j]
        self._act(lambda now: self.model.delegate(u, to, now), self.escrow.delegate, to, {"from": u})

    def rule_time(self, dt="st_dt"):
        tchain.advance(dt)

    # ------------------------------------------------------------------ invariants
    def invariant_balances_and_supply(self):
        now = tchain.now()
        amounts = sum(self.model.lock(u).amount for u in self.users)
        assert self.token.balanceOf(self.escrow) == amounts == self.escrow.supply()
        for u in self.users:
            lock = self.model.lock(u)
            assert self.escrow.locked(u) == (lock.amount, lock.end, lock.permanent)
            assert self.escrow.delegates(u) == self.model.delegatee.get(u, u)
        scores = {u: self.escrow.balanceOf(u) for u in self.users}
        total = self.escrow.totalSupply()
        assert total == self.model.total_supply_at(now)
        assert 0 <= total - sum(scores.values()) < max(1, self.model.active_locks_at(now))
        for u in self.users:
            assert scores[u] == self.model.balance_of_at(u, now)
            if u not in self.touched:
                assert scores[u] <= self.last_scores[u], "score rose without an action"
        self.last_scores = scores
        self.touched = set()

        # history at earlier times never changes
        sample = self.records[-1:] + self.rng.sample(self.records, min(1, len(self.records)))
        for t, supply, balances, votes in sample:
            assert self.escrow.totalSupplyAt(t) == supply
            for u in self.users:
                assert self.escrow.balanceOfAt(u, t) == balances[u]
                if votes is not None:
                    assert self.escrow.getPastVotes(u, t) == votes[u]

        # votes at the latest strictly-past recorded time add up to the past total supply
        past = [r for r in self.records if r[0] < now]
        if past:
            t = past[-1][0]
            votes = {u: self.escrow.getPastVotes(u, t) for u in self.users}
            supply = self.escrow.getPastTotalSupply(t)
            assert supply == self.model.total_supply_at(t)
            for u in self.users:
                assert votes[u] == self.model.past_votes(u, t)
            assert 0 <= supply - sum(votes.values()) < max(1, self.model.active_locks_at(t))
            if past[-1][3] is None:
                past[-1][3] = votes
        if not self.records or self.records[-1][0] < now:
            self.records.append([now, total, scores, None])


def test_stateful(RevenueDistributor, escrow, token, holders, deployer):
    distributor = RevenueDistributor.deploy(escrow, deployer, {"from": deployer})
    escrow.setRevenueDistributor(distributor, {"from": deployer})
    tchain.advance(10)
    state_machine(
        EscrowMachine,
        escrow,
        token,
        distributor,
        list(holders[:N_ACCOUNTS]),
        settings={"stateful_step_count": STEPS, "max_examples": max(5, EXAMPLES // 2), "deadline": None},
    )
    for key, count in sorted(OUTCOMES.items()):
        print(key, count)
