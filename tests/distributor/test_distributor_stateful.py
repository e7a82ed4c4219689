"""Stateful test (brownie `state_machine`): locks, exits (several in one week, exit-relock-exit
included), withdrawals, permanent locks, revenue in three tokens in random weeks (weeks nobody scores in
included), direct transfers + checkpoints, token removal and re-adding, claims, claimAndLock, claimFor
by the account, an approved keeper or a stranger, with and without auto-compound, keepers approved
and revoked, random time jumps. Every claim must pay exactly what the reference model says (revenue
and SPEC 7 penalty shares); invariants run after every step."""

import os

from brownie.test import state_machine
from hypothesis import strategies as st

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK
from tests.distributor.sim import Sim
from tests.support.profiles import machine_settings

ACCOUNTS = 4

st_acct = st.integers(0, ACCOUNTS - 1)
st_tok = st.integers(0, 2)
# the minimum lock (plus a few wei) and large locks
st_amount = st.one_of(st.integers(UNIT, UNIT + 10**6), st.integers(UNIT, 10**24))
st_weeks = st.integers(1, 52)
st_subset = st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True)


class DistributorMachine:
    # brownie's state_machine maps each rule argument to the class attribute named by its default
    st_acct = st_acct
    st_tok = st_tok
    st_amount = st_amount
    st_weeks = st_weeks
    st_subset = st_subset
    st_bool = st.booleans()
    st_deposit = st.integers(1, 10**24)
    st_direct = st.integers(1, 10**22)
    st_extra = st.integers(1, 2)
    st_caller = st.integers(0, 2)
    st_dt = st.sampled_from([0, 0, 3600, 2 * 86400, WEEK, WEEK + 1, 3 * WEEK])
    st_jump = st.one_of(st.integers(1, 3 * WEEK), st.sampled_from([WEEK, 2 * WEEK, 60 * WEEK]))
    def __init__(cls, ve, dist, token, usd, weth, holders, deployer):
        cls.ve, cls.dist, cls.token, cls.usd, cls.weth = ve, dist, token, usd, weth
        cls.holders, cls.deployer = holders, deployer
        cls.accounts = holders[:ACCOUNTS]
        cls.keeper = holders[8]
        cls.stranger = holders[7]
        cls.funder = holders[5]

    def setup(self):
        self.sim = Sim(
            self.ve, self.dist, self.token, [self.usd, self.weth], self.accounts, self.deployer, self.funder
        )
        self.toks = [self.token, self.usd, self.weth]
        self.removed = set()
        # Every run starts from the same small world (three locks of very different sizes, revenue in
        # every token), so even short runs have something to share; the rules take it from there.
        wk = week_start(now())
        for acct, amount, weeks in zip(self.accounts, [100 * UNIT, 7 * UNIT + 13, UNIT + 10**6], [52, 10, 3]):
            self.ve.createLock(amount, wk + weeks * WEEK, {"from": acct})
        for tok, amount in zip(self.toks, [10**20, 10**21, UNIT]):
            self.sim.deposit(tok, amount)

    # ---- locks ----
    def rule_lock(self, a="st_acct", amount="st_amount", weeks="st_weeks", at_week_start="st_bool"):
        self._log("lock")
        acct = self.accounts[a]
        if self.ve.locked(acct)[0] != 0:
            return
        if at_week_start:
            # create the lock in the very second a week starts
            wk = week_start(now()) + WEEK
            next_block_at(wk)
        else:
            wk = week_start(now() + 1)
        self.ve.createLock(amount, min(wk + weeks * WEEK, week_start(now() + 365 * 86400)), {"from": acct})

    def rule_permanent(self, a="st_acct"):
        self._log("permanent")
        acct = self.accounts[a]
        amount, end, perm = self.ve.locked(acct)
        if amount and not perm and end > now() + 1:
            self.ve.lockPermanent({"from": acct})

    def rule_exit(self, a="st_acct", dt="st_dt"):
        self._wait(dt)
        self._log("exit")
        acct = self.accounts[a]
        amount, end, perm = self.ve.locked(acct)
        if amount and not perm and end > now() + 2:
            self.sim.withdraw_early(acct)
        elif amount and not perm and end <= now():
            self.ve.withdraw({"from": acct})

    def rule_exit_and_relock(self, a="st_acct", weeks="st_weeks"):
        """The issue's recapture attempt: exit early and relock what came back in the same week."""
        self._log("exit_and_relock")
        acct = self.accounts[a]
        amount, end, perm = self.ve.locked(acct)
        if not (amount and not perm and end > now() + 2):
            return
        tx = self.sim.withdraw_early(acct)
        back = amount - tx.events["WithdrawEarly"]["penalty"]
        if back >= UNIT:
            wk = week_start(now() + 1)
            self.ve.createLock(back, min(wk + weeks * WEEK, week_start(now() + 365 * 86400)), {"from": acct})

    # ---- revenue ----
    def rule_deposit(self, t="st_tok", amount="st_deposit", dt="st_dt"):
        self._wait(dt)
        self._log("deposit")
        tok = self.toks[t]
        if tok.address in self.removed:
            return
        self.sim.deposit(tok, amount)

    def rule_direct_transfer(self, t="st_tok", amount="st_direct", dt="st_dt"):
        self._wait(dt)
        self._log("direct_transfer")
        tok = self.toks[t]
        if tok.address in self.removed:
            return
        self.sim.send_and_checkpoint(tok, amount)

    def rule_remove_or_readd(self, t="st_extra"):
        self._log("remove_or_readd")
        tok = self.toks[t]
        if tok.address in self.removed:
            self.dist.addRewardToken(tok, {"from": self.deployer})
            self.sim.model.add_token(tok.address, now())
            self.removed.discard(tok.address)
        else:
            self.dist.removeRewardToken(tok, {"from": self.deployer})
            self.sim.model.remove_token(tok.address)
            self.removed.add(tok.address)

    # ---- claims ----
    def rule_claim(self, a="st_acct", subset="st_subset", dt="st_dt"):
        self._wait(dt)
        self._log("claim")
        acct = self.accounts[a]
        toks = [self.toks[i] for i in subset]
        _, views, amounts = self.sim.claim(acct, toks)
        assert views in (None, amounts)

    def rule_claim_and_lock(self, a="st_acct"):
        self._log("claim_and_lock")
        acct = self.accounts[a]
        amount, end, perm = self.ve.locked(acct)
        if amount and (perm or end > now() + 1):
            before = self.ve.locked(acct)[0]
            tx = self.sim.claim_and_lock(acct)
            assert self.ve.locked(acct)[0] == before + tx.return_value

    def rule_auto_compound(self, a="st_acct", enabled="st_bool"):
        self._log("auto_compound")
        self.sim.set_auto_compound(self.accounts[a], enabled)

    def rule_set_keeper(self, a="st_acct", approved="st_bool"):
        self._log("set_keeper")
        self.sim.set_keeper(self.accounts[a], self.keeper, approved)

    def rule_keeper_claim(self, a="st_acct", subset="st_subset", dt="st_dt", who="st_caller"):
        """claimFor by the approved-or-not keeper, a stranger, or the account itself."""
        self._wait(dt)
        self._log("keeper_claim")
        acct = self.accounts[a]
        caller = [self.keeper, self.stranger, acct][who]
        toks = [self.toks[i] for i in subset]
        locked_before = self.ve.locked(acct)[0]
        tx = self.sim.claim_for(acct, toks, caller)
        for ev in tx.events["Claimed"]:
            if ev["reinvested"]:
                assert ev["token"] == self.token
                assert self.dist.autoCompound(acct)
                assert caller == acct or self.dist.isKeeper(acct, caller)
                assert self.ve.locked(acct)[0] == locked_before + ev["amount"]

    # ---- time ----
    def rule_jump(self, seconds="st_jump"):
        self._log("jump")
        mine_at(now() + seconds)

    def rule_to_week_start(self):
        self._log("to_week_start")
        mine_at(week_start(now()) + WEEK)

    def _wait(self, dt):
        """Most rules first let some time pass, so runs cover many weeks."""
        if dt:
            mine_at(now() + dt)

    def _log(self, name):
        self.log = getattr(self, "log", []) + [name]

    def invariant(self):
        self.steps = getattr(self, "steps", 0) + 1
        self.sim.check_invariants()

    def teardown(self):
        if os.environ.get("DIST_DEBUG"):
            m = self.sim.model
            print(
                "\npaid", {k[:6]: v.paid for k, v in m.tokens.items()},
                "deposited", {k[:6]: v.deposited for k, v in m.tokens.items()},
                "steps", getattr(self, "log", []), "weeks", (now() - m.start_week) // WEEK, "max excess", self.sim.max_excess,
            )


def test_stateful(state_machine, ve, dist, token, usd, weth, holders, deployer):
    state_machine(
        DistributorMachine,
        ve,
        dist,
        token,
        usd,
        weth,
        holders,
        deployer,
        settings=machine_settings("distributor"),
    )
