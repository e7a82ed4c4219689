"""Stateful test: random sequences of every escrow action over many accounts, against the model.

Early exits pay their penalty into a real RevenueDistributor. Invariants, checked after every step:
- the escrow's token balance == sum of locked amounts == supply();
- totalSupply() equals the model exactly, is >= the sum of balanceOf and exceeds it by less than one
  wei per active decaying lock;
- balanceOfAt / totalSupplyAt / getPastVotes at earlier recorded times never change;
- no score rises without an action on that lock;
- the sum of getPastVotes over all accounts equals getPastTotalSupply within the same bound;
- lock-creator approvals and trust (a sample of pairs each step) equal the model's.
Rules for SPEC 7: lock creators approved and revoked, locks for others by approved and unapproved
callers and by a creator the owner trusts (and a stranger trying to trust one), permit locks and
top-ups (valid, front-run, and a bad permit with or without an allowance), and `poke`, whose events
must carry the model's votes at each account's latest checkpoint and now.
"""

import random
from collections import Counter

from brownie import chain
from brownie.test import state_machine, strategy
from hypothesis import strategies as st

from harness.chain import time as tchain
from harness.core.signing import anvil_private_key, sign_permit
from harness.core.staking import MIN_LOCK_AMOUNT, week_start
from harness.core.units import MAX_UINT256, WEEK
from tests.models.escrow_model import EscrowModel, ModelRevert, revert
from tests.support.constants import PENALTY_BPS
from tests.support.profiles import machine_settings
from tests.support.reverts import reverts

N_ACCOUNTS = 6


def _refused(error: ModelRevert):
    """A model step that always reverts with `error` (a check the escrow model does not hold)."""

    def step(now):
        raise error

    return step


OUTCOMES = Counter()  # (action, outcome): printed with -s, to see what the runs covered


class EscrowMachine:
    st_acct = strategy("uint8", max_value=N_ACCOUNTS - 1)
    st_acct2 = strategy("uint8", max_value=N_ACCOUNTS - 1)
    # mostly valid amounts, and the edges of the minimum lock
    st_amount = st.one_of(st.integers(MIN_LOCK_AMOUNT, 10**24), st.sampled_from([0, 1, MIN_LOCK_AMOUNT - 1, MIN_LOCK_AMOUNT]))
    st_weeks = strategy("uint256", max_value=56)
    st_dt = strategy("uint256", min_value=1, max_value=20 * WEEK)
    st_bool = strategy("bool")
    st_mode = strategy("uint8", max_value=3)
    st_mask = strategy("uint8", min_value=1, max_value=2**N_ACCOUNTS - 1)

    def __init__(cls, escrow, token, distributor, users, owner, keys):
        cls.escrow = escrow
        cls.token = token
        cls.distributor = distributor
        cls.users = users
        cls.owner = owner
        cls.keys = keys  # user -> private key (permits)

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
            with reverts(exc.error):
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
        """Approved, trusted, self or a stranger (NotLockCreator)."""
        payer, owner = self.users[i], self.users[j]
        unlock = tchain.now() + 1 + weeks * WEEK
        self._act(lambda now: self.model.create_lock_for(payer, owner, amount, unlock, now),
                  self.escrow.createLockFor, owner, amount, unlock, {"from": payer}, touched=[owner])

    def rule_set_lock_creator(self, i="st_acct", j="st_acct2", approved="st_bool"):
        u, creator = self.users[i], self.users[j]
        tx, _ = self._act(lambda now: self.model.set_lock_creator(u, creator, approved),
                          self.escrow.setLockCreator, creator, approved, {"from": u})
        if tx is not None:
            assert tx.events["LockCreatorSet"].values() == [u, creator, approved]

    def rule_trust_creator(self, j="st_acct2", trusted="st_bool", by_owner="st_bool"):
        creator = self.users[j]
        if by_owner:
            tx, _ = self._act(lambda now: self.model.set_trusted_lock_creator(creator, trusted),
                              self.escrow.setTrustedLockCreator, creator, trusted, {"from": self.owner})
            if tx is not None:
                assert tx.events["TrustedLockCreatorSet"].values() == [creator, trusted]
        else:
            stranger = self.users[(j + 1) % len(self.users)]
            self._act(_refused(revert("OwnableUnauthorizedAccount", ("address", stranger))),
                      self.escrow.setTrustedLockCreator, creator, trusted, {"from": stranger})

    def _permit(self, u, amount, mode):
        """(deadline, v, r, s) for `u`'s permit of `amount` to the escrow. mode 0: valid; 1: valid but
        used by a front-runner first (the allowance is there); 2: signed for another amount (the permit
        fails, the allowance stays as it is); 3: like 2 with no allowance left (the transfer fails)."""
        deadline = tchain.now() + 3600
        signed = amount if mode < 2 else amount + 1
        v, r, s = sign_permit(self.keys[u], self.token.name(), self.token.address, chain.id, u.address,
                              self.escrow.address, signed, self.token.nonces(u), deadline)
        if mode == 1:
            self.token.permit(u, self.escrow, amount, deadline, v, r, s, {"from": self.users[-1]})
        if mode == 3:
            self.token.approve(self.escrow, 0, {"from": u})
        return deadline, v, r, s

    def _with_permit(self, u, mode, amount, model_fn, contract_fn, *args):
        """A permit call: the escrow's own checks first (the model), then the token's transfer of
        `amount`, which needs the allowance (none in mode 3). Every user's allowance is infinite again
        afterwards."""
        saved = self.model.save()

        def model_with_allowance(now):
            result = model_fn(now)
            if mode == 3:
                self.model.restore(saved)
                raise revert("ERC20InsufficientAllowance", ("address", self.escrow), ("uint256", 0), ("uint256", amount))
            return result

        try:
            return self._act(model_with_allowance, contract_fn, *args, {"from": u}, touched=[u])
        finally:
            self.token.approve(self.escrow, MAX_UINT256, {"from": u})

    def rule_create_with_permit(self, i="st_acct", amount="st_amount", weeks="st_weeks", mode="st_mode"):
        u = self.users[i]
        unlock = tchain.now() + 1 + weeks * WEEK
        deadline, v, r, s = self._permit(u, amount, mode)
        self._with_permit(u, mode, amount, lambda now: self.model.create_lock(u, amount, unlock, now),
                          self.escrow.createLockWithPermit, amount, unlock, deadline, v, r, s)

    def rule_increase_with_permit(self, i="st_acct", amount="st_amount", mode="st_mode"):
        u = self.users[i]
        deadline, v, r, s = self._permit(u, amount, mode)
        self._with_permit(u, mode, amount, lambda now: self.model.increase_amount(u, amount, now),
                          self.escrow.increaseAmountWithPermit, amount, deadline, v, r, s)

    def rule_poke(self, mask="st_mask"):
        chosen = [u for n, u in enumerate(self.users) if mask >> n & 1]
        tx, _ = self._act(lambda now: None, self.escrow.poke, chosen, {"from": self.users[0]})
        got = [(e["delegate"], e["previousVotes"], e["newVotes"]) for e in tx.events["DelegateVotesChanged"]]
        assert got == [(u, self.model.votes_at_last_change(u), self.model.votes(u, tx.timestamp)) for u in chosen]

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

    def rule_to_week_start(self):
        """The next action lands in the first second of a week (no early exit there)."""
        tchain.mine_at(week_start(tchain.now() + 1) + WEEK - 1)

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
        for _ in range(3):
            u, c = self.rng.choice(self.users), self.rng.choice(self.users)
            assert self.escrow.isLockCreator(u, c) == ((u, c) in self.model.lock_creators)
            assert self.escrow.isTrustedLockCreator(c) == (c in self.model.trusted_creators)

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


def test_stateful(RevenueDistributor, escrow, token, holders, deployer, accounts):
    distributor = RevenueDistributor.deploy(escrow, deployer, {"from": deployer})
    escrow.setRevenueDistributor(distributor, {"from": deployer})
    users = list(holders[:N_ACCOUNTS])
    keys = {u: anvil_private_key(list(accounts).index(u)) for u in users}
    tchain.advance(10)
    state_machine(
        EscrowMachine,
        escrow,
        token,
        distributor,
        users,
        deployer,
        keys,
        settings=machine_settings("escrow"),
    )
    for key, count in sorted(OUTCOMES.items()):
        print(key, count)
