"""Stateful test (brownie `state_machine`): subscriptions (own, for others, with permits, with and
without referrers), credit deposits, receipts signed and redeemed in and out of order, batches with bad
receipts, withdrawal requests and withdrawals, locks that change levels, price, plan, split, delay and
reward-token changes by the owner, and time jumps. Every action runs on the chain and in the reference
model (tests/models/access_model.py) at the same block time; a reverting action must revert
with the model's error and arguments. Invariants after every step:

- per token, tokens in = stakers + treasury + burned + referrals + credits still held (exact: the
  distributor, treasury, supply and every user balance moved by exactly the model's amounts);
- the contract's token balance equals the sum of credits;
- per account and token: credits + spent == deposits - withdrawals, and the sum of charges ever
  emitted equals spent (no receipt charges twice);
- the model equals the chain: credits, spent, access, referrers, withdrawal requests, plans, split.

The default run is derandomized (24 examples, ~300 full-length steps, ~3 minutes) and must exercise
every kind of step listed in EXPECTED_OUTCOMES; HYPOTHESIS_PROFILE=deep explores at random
(tests/support/profiles.py). ACCESS_DEBUG=1 prints what the steps did; HYPOTHESIS_VERBOSITY=3 every step.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter, defaultdict

from brownie import ZERO_ADDRESS
from brownie.test import state_machine
from hypothesis import strategies as st

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import reason_name
from tests.models.access_model import MAX_WITHDRAWAL_DELAY, ModelRevert, Receipt, ServiceAccessModel
from tests.models.escrow_model import Lock, score
from tests.models.levels_model import LevelsModel
from tests.support.batch import Batch
from tests.support.profiles import DEEP, machine_settings
from tests.support.reverts import reverts

USERS = 4
# The budget (tests/support/profiles.py "access"): derandomized by default, so the "exercised every
# kind of step" check below cannot fail by luck.
SETTINGS = machine_settings("access")
# Every action is sent with a gas limit (no estimate: mined even when it reverts, so it lands at its
# chosen time), a slightly different one each time: the examples all start from the same snapshot
# (same nonces), and a transaction hash repeated from a reverted-away example confuses brownie.
_GAS_TWEAK = itertools.count()
OUTCOMES: Counter = Counter()  # over all examples: what the actions did (checked after the run)


def gas() -> dict:
    return {"gas_limit": 3_000_000 - next(_GAS_TWEAK) % 500_000}


def events_of(tx, name):
    return list(tx.events[name]) if name in tx.events else []


class AccessSim:
    """Chain + model driver with the bookkeeping the invariants need."""

    def __init__(self, env, users, treasury, deployer):
        self.env, self.users, self.treasury, self.deployer = env, users, treasury, deployer
        self.access, self.ve, self.dist = env.access, env.ve, env.dist
        self.toks = [env.token, env.usd]
        self.levels = LevelsModel()
        self.t = now()
        self.model = ServiceAccessModel(
            staking_token=str(env.token),
            reward_tokens=[str(t) for t in self.dist.rewardTokens()],
            lock_of=lambda a: tuple(self.ve.locked(a)),
            level_of=self._level,
            platform_discount_bps=lambda level: self.levels.platform_discount_bps(level),
            referral_bps=lambda level: self.levels.referral_bps(level),
            stakers_bps=self.access.stakersBps(), treasury_bps=self.access.treasuryBps(),
            burn_bps=self.access.burnBps(), withdrawal_delay=self.access.withdrawalDelay(),
        )
        self.parties = {"access": self.access.address, "dist": self.dist.address, "treasury": str(treasury)}
        self.start = {(p, str(t)): t.balanceOf(a) for p, a in self.parties.items() for t in self.toks}
        self.start.update({(u.address, str(t)): t.balanceOf(u.address) for u in users for t in self.toks})
        self.start_supply = {str(t): t.totalSupply() for t in self.toks}
        self.paid = defaultdict(int)  # (user, token): paid for subscriptions and credits
        self.escrowed = defaultdict(int)  # user: staking tokens moved into the escrow (net)
        self.charged_events = defaultdict(int)  # (account, token): sum of UsageRedeemed.charged
        self.signed = defaultdict(int)  # (user, token): latest cumulative the user signed
        self.pool: list = []  # signed receipts: (tuple for the contract, model Receipt)

    def _level(self, account):
        """Level at the time of the action being modelled, from the escrow's lock and its score rule."""
        amount, end, permanent = self.ve.locked(account)
        return self.levels.level_for_score(score(Lock(amount, end, permanent), self.t))

    # ---- one action at a chosen block time ----
    def act(self, dt, model_fn, chain_fn):
        """Model and chain at block time now + dt. Returns (model result, tx), or (None, None) when
        both refused with the same error."""
        t = now() + max(dt, 1)
        next_block_at(t)
        self.t = t
        try:
            expected = model_fn(t)
        except ModelRevert as refused:
            with reverts(refused.error):
                chain_fn(gas())
            OUTCOMES[refused.name] += 1
            return None, None
        tx = chain_fn(gas())
        OUTCOMES[tx.fn_name] += 1
        assert tx.timestamp == t
        return expected, tx

    def book_redeemed(self, tx):
        for ev in events_of(tx, "UsageRedeemed"):
            self.charged_events[(ev["account"], ev["token"])] += ev["charged"]
            OUTCOMES["receipt charged"] += 1
        for ev in events_of(tx, "UsageReceiptSkipped"):
            OUTCOMES[f"skipped {reason_name(ev['reason'])}"] += 1

    # ---- invariants ----
    def check(self, reader):
        """Every invariant of the module docstring; all chain values read in one eth_call."""
        access, model = self.access, self.model
        b = Batch(reader)
        reads = {}
        for tok in self.toks:
            t = str(tok)
            for name, address in self.parties.items():
                reads[(name, t)] = b.add(tok.balanceOf, address)
            reads[("supply", t)] = b.add(tok.totalSupply)
            for u in self.users:
                reads[("balance", u.address, t)] = b.add(tok.balanceOf, u.address)
                reads[("credits", u.address, t)] = b.add(access.credits, u.address, tok)
                reads[("spent", u.address, t)] = b.add(access.spent, u.address, tok)
                reads[("request", u.address, t)] = b.add(access.withdrawalRequest, u.address, tok)
        for u in self.users:
            reads[("referrer", u.address)] = b.add(access.referrerOf, u.address)
            for plan_id in model.plans:
                reads[("access", u.address, plan_id)] = b.add(access.accessUntil, u.address, plan_id)
        for plan_id in model.plans:
            reads[("plan", plan_id)] = b.add(access.plans, plan_id)
        for name in ("stakersBps", "treasuryBps", "burnBps", "withdrawalDelay"):
            reads[(name,)] = b.add(getattr(access, name))
        values = b.run()
        v = {key: values[i] for key, i in reads.items()}

        for tok in self.toks:
            t = str(tok)
            led = model.ledger[t]
            held = v[("access", t)]
            assert held == model.credits_held(t), f"{t}: held {held} != credits {model.credits_held(t)}"
            # tokens in = stakers + treasury + burned + referrals + credits still held
            assert led.paid_in - led.withdrawn == led.paid_out + held
            assert v[("dist", t)] - self.start[("dist", t)] == led.stakers
            assert v[("treasury", t)] - self.start[("treasury", t)] == led.treasury
            assert self.start_supply[t] - v[("supply", t)] == led.burned
            referrals = 0
            for u in self.users:
                key = (u.address, t)
                income = model.referral_income[key]
                referrals += income
                expected = -self.paid[key] + model.withdrawn[key] + income
                if tok == self.env.token:
                    expected -= self.escrowed[u.address]
                assert v[("balance", u.address, t)] - self.start[key] == expected
                credits, spent = v[("credits", u.address, t)], v[("spent", u.address, t)]
                assert (credits, spent) == (model.credits[key], model.spent[key])
                assert credits + spent == model.deposited[key] - model.withdrawn[key]
                assert self.charged_events[key] == spent  # every charge once: they add up to spent
                assert tuple(v[("request", u.address, t)]) == model.withdrawal_request(u.address, t)
            assert referrals == led.referrals
        for u in self.users:
            assert v[("referrer", u.address)] == model.referrer.get(u.address, ZERO_ADDRESS)
            for plan_id in model.plans:
                assert v[("access", u.address, plan_id)] == model.access_until(u.address, plan_id)
        for plan_id, plan in model.plans.items():
            assert tuple(v[("plan", plan_id)]) == (plan.pay_token, plan.price, plan.period, plan.active)
        assert (v[("stakersBps",)], v[("treasuryBps",)], v[("burnBps",)]) == (
            model.stakers_bps, model.treasury_bps, model.burn_bps
        )
        assert v[("withdrawalDelay",)] == model.withdrawal_delay


class ServiceAccessMachine:
    st_user = st.integers(0, USERS - 1)
    st_tok = st.integers(0, 1)
    st_plan = st.sampled_from([1, 2, 3, 1, 2, 4])  # 4: an unknown plan
    st_periods = st.one_of(st.integers(1, 3), st.integers(0, 13))
    st_ref = st.integers(0, USERS)  # USERS: no referrer
    st_via = st.sampled_from([1, 2, 0])  # 0 own, 1 for another account, 2 with a permit
    st_amount = st.one_of(st.integers(0, 10**6), st.integers(UNIT, 10**22))
    st_increment = st.one_of(st.integers(1, 10**6), st.integers(UNIT // 10, 3 * UNIT))
    st_deadline = st.sampled_from([60 * DAY, 3600, -1, 365 * DAY])
    st_forged = st.sampled_from([False, True, False, False])
    st_pick = st.integers(0, 10**6)
    st_picks = st.lists(st.integers(0, 10**6), min_size=0, max_size=6)
    st_stray = st.booleans()
    st_bps = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)).map(
        lambda p: (min(p), max(p) - min(p), 10_000 - max(p))
    )
    st_bad_bps = st.booleans()
    st_price = st.one_of(st.integers(1, 10**6), st.integers(UNIT, 10**21))
    st_bool = st.booleans()
    st_delay = st.sampled_from([MAX_WITHDRAWAL_DELAY + 1, 3600, 0, DAY, 3 * DAY, MAX_WITHDRAWAL_DELAY])
    st_lock_tokens = st.one_of(st.integers(1, 30_000), st.integers(30_000, 8_000_000))
    st_weeks = st.integers(1, 52)
    st_dt = st.sampled_from([1, DAY + 1, 60, 3600, WEEK])
    st_jump = st.sampled_from([30 * DAY, DAY, 3 * WEEK])
    st_then = st.sampled_from([60, 0, DAY + 1])

    def __init__(cls, env, users, treasury, deployer, reader):
        cls.env, cls.users, cls.treasury, cls.deployer, cls.reader = env, users, treasury, deployer, reader

    def setup(self):
        env = self.env
        # Plans in both tokens and periods from an hour to a month; two users start with locks
        # (level 10 permanent, a decaying mid-level one) so discounts and referrals happen early.
        self.sim = AccessSim(env, self.users, self.treasury, self.deployer)
        self.plan_ids = []
        for token, price, period in ((env.usd, 100 * UNIT, 30 * DAY), (env.token, 500 * UNIT + 3, WEEK), (env.usd, 7, 3600)):
            pid = env.plan(token, price=price, period=period)
            assert pid == self.sim.model.create_plan(str(token), price, period)
            self.plan_ids.append(pid)
        self._lock(0, 4_000_000, 52, True)
        self._lock(1, 700_000, 12, False)
        # Credits in both tokens for every user and a receipt each, so settlement happens from step one.
        for k, tok in enumerate(self.sim.toks):
            for u, user in enumerate(self.users):
                amount = (u + 1) * UNIT + k
                self.sim.act(1, lambda t: self.sim.model.deposit(user.address, user.address, str(tok), amount),
                             lambda g: env.access.depositCredits(tok, amount, {"from": user.account, **g}))
                self.sim.paid[(user.address, str(tok))] += amount
                self.rule_sign(u, k, UNIT // 2 + u, 30 * DAY, False)

    # ---- locks (levels move) ----
    def _lock(self, u, tokens, weeks, permanent):
        user, ve = self.users[u], self.env.ve
        amount = tokens * UNIT
        ve.createLock(amount, week_start(now()) + weeks * WEEK, {"from": user.account})
        if permanent:
            ve.lockPermanent({"from": user.account})
        self.sim.escrowed[user.address] += amount

    def rule_lock(self, u="st_user", tokens="st_lock_tokens", weeks="st_weeks", permanent="st_bool"):
        user, ve = self.users[u], self.env.ve
        amount, end, perm = ve.locked(user.address)
        if amount == 0:
            self._lock(u, tokens, weeks, permanent)
        elif not perm and end <= now():
            ve.withdraw({"from": user.account})
            self.sim.escrowed[user.address] -= amount

    # ---- subscriptions ----
    def rule_subscribe(self, u="st_user", p="st_plan", n="st_periods", r="st_ref", via="st_via", dt="st_dt"):
        sim, access = self.sim, self.env.access
        payer = self.users[u]
        account = self.users[(u + 1) % USERS] if via == 1 else payer
        referrer = self.users[r].address if r < USERS else ZERO_ADDRESS
        pid = p if p <= len(self.plan_ids) else 99
        pay_token = self._pay_token(pid)
        if via == 2 and pay_token is not None:
            deadline, v, rr, s = self.env.permit(payer, pay_token, MAX_UINT256)
            chain_fn = lambda g: access.subscribeWithPermit(pid, n, referrer, MAX_UINT256, deadline, v, rr, s, {"from": payer.account, **g})  # noqa: E731
        elif via == 1:
            chain_fn = lambda g: access.subscribeFor(account.address, pid, n, referrer, MAX_UINT256, {"from": payer.account, **g})  # noqa: E731
        else:
            chain_fn = lambda g: access.subscribe(pid, n, referrer, MAX_UINT256, {"from": payer.account, **g})  # noqa: E731
        expected, tx = sim.act(
            dt, lambda t: sim.model.subscribe(payer.address, account.address, pid, n, referrer, MAX_UINT256, t), chain_fn
        )
        self._booked(payer, pay_token, expected, tx)
        if via == 2 and pay_token is not None:
            pay_token.approve(access, MAX_UINT256, {"from": payer.account})

    def _booked(self, payer, pay_token, expected, tx):
        if tx is None:
            return
        until, cost, split = expected
        self.sim.paid[(payer.address, str(pay_token))] += cost
        assert tx.return_value == until and tx.events["Subscribed"]["cost"] == cost
        if split is None:
            assert "RevenueSplit" not in tx.events
        else:
            ev = tx.events["RevenueSplit"]
            assert (ev["stakers"], ev["treasury"], ev["burned"], ev["referral"]) == (
                split.stakers, split.treasury, split.burned, split.referral
            )

    def rule_subscribe_capped(self, u="st_user", p="st_plan", n="st_periods"):
        """maxCost one wei below the cost: CostAboveMax, nothing moves (a free subscription passes)."""
        sim, access = self.sim, self.env.access
        pid = p if p <= len(self.plan_ids) else 99
        payer = self.users[u]
        cap = {"max": MAX_UINT256}

        def model_fn(t):
            cost, _ = sim.model.quote(payer.address, pid, n, t)
            cap["max"] = max(cost - 1, 0)
            return sim.model.subscribe(payer.address, payer.address, pid, n, ZERO_ADDRESS, cap["max"], t)

        expected, tx = sim.act(
            1, model_fn, lambda g: access.subscribe(pid, n, ZERO_ADDRESS, cap["max"], {"from": payer.account, **g})
        )
        self._booked(payer, self._pay_token(pid), expected, tx)

    # ---- credits ----
    def rule_deposit(self, u="st_user", k="st_tok", amount="st_amount", via="st_via", dt="st_dt"):
        sim, access = self.sim, self.env.access
        payer = self.users[u]
        account = self.users[(u + 1) % USERS] if via == 1 else payer
        tok = sim.toks[k]
        if via == 2:
            deadline, v, r, s = self.env.permit(payer, tok, amount)
            chain_fn = lambda g: access.depositCreditsWithPermit(tok, amount, deadline, v, r, s, {"from": payer.account, **g})  # noqa: E731
        elif via == 1:
            chain_fn = lambda g: access.depositCreditsFor(account.address, tok, amount, {"from": payer.account, **g})  # noqa: E731
        else:
            chain_fn = lambda g: access.depositCredits(tok, amount, {"from": payer.account, **g})  # noqa: E731
        _, tx = sim.act(dt, lambda t: sim.model.deposit(payer.address, account.address, str(tok), amount), chain_fn)
        if tx is not None:
            sim.paid[(payer.address, str(tok))] += amount
        if via == 2:
            tok.approve(access, MAX_UINT256, {"from": payer.account})

    def rule_sign(self, u="st_user", k="st_tok", increment="st_increment", deadline="st_deadline", forged="st_forged"):
        """The user signs its next cumulative receipt (a forged one is signed by another key)."""
        sim = self.sim
        user, tok = self.users[u], sim.toks[k]
        key = (user.address, str(tok))
        sim.signed[key] += increment
        dl = now() - 1 if deadline < 0 else now() + deadline
        signer = self.users[(u + 2) % USERS] if forged else user
        receipt = self.env.receipt(user, tok, sim.signed[key], deadline=dl, signer=signer)
        sim.pool.append((receipt, Receipt(user.address, str(tok), sim.signed[key], dl, not forged)))

    def rule_redeem(self, pick="st_pick", overdraw="st_bool", dt="st_dt"):
        """Redeem a receipt from the pool, or a fresh one for one wei more than the credits left."""
        sim, access = self.sim, self.env.access
        if overdraw:
            user, tok = self.users[pick % USERS], sim.toks[pick % 2]
            key = (user.address, str(tok))
            cumulative = sim.model.spent[key] + sim.model.credits[key] + 1
            receipt = self.env.receipt(user, tok, cumulative)
            model_receipt = Receipt(user.address, str(tok), cumulative, receipt[3], True)
        elif sim.pool:
            receipt, model_receipt = sim.pool[pick % len(sim.pool)]
        else:
            return
        expected, tx = sim.act(
            dt, lambda t: sim.model.redeem(model_receipt, t),
            lambda g: access.redeemUsage(*receipt, {"from": self.deployer, **g}),
        )
        if tx is not None:
            charge, split = expected
            assert tx.return_value == charge
            ev = tx.events["RevenueSplit"]
            assert (ev["stakers"], ev["treasury"], ev["burned"]) == (split.stakers, split.treasury, split.burned)
            sim.book_redeemed(tx)

    def rule_batch(self, picks="st_picks", stray="st_stray", dt="st_dt"):
        sim, access = self.sim, self.env.access
        chosen = [sim.pool[p % len(sim.pool)] for p in picks] if sim.pool else []
        if stray:  # a well-signed receipt in a token that is not a reward token, and a forged one
            user, forger = self.users[0], self.users[1]
            receipt = self.env.receipt(user, self.env.ve, UNIT)
            chosen.append((receipt, Receipt(user.address, self.env.ve.address, UNIT, receipt[3], True)))
            cumulative = sim.model.spent[(user.address, str(self.env.token))] + 1  # within its credits
            forged = self.env.receipt(user, self.env.token, cumulative, signer=forger)
            chosen.insert(len(chosen) // 2, (forged, Receipt(user.address, str(self.env.token), cumulative, forged[3], False)))
        expected, tx = sim.act(
            dt, lambda t: sim.model.redeem_batch([m for _, m in chosen], t),
            lambda g: access.redeemUsageBatch([c for c, _ in chosen], {"from": self.deployer, **g}),
        )
        charged, skipped, splits = expected
        assert list(tx.return_value) == charged
        assert [reason_name(ev["reason"]) for ev in events_of(tx, "UsageReceiptSkipped")] == [r for _, r in skipped]
        got = {ev["token"]: (ev["stakers"], ev["treasury"], ev["burned"]) for ev in events_of(tx, "RevenueSplit")}
        assert got == {t: (s.stakers, s.treasury, s.burned) for t, s in splits.items()}
        sim.book_redeemed(tx)

    def rule_request_withdrawal(self, u="st_user", k="st_tok", dt="st_dt", then="st_then"):
        """Ask to withdraw, and maybe try to complete it `then` seconds later (too early, or not)."""
        sim, access = self.sim, self.env.access
        user, tok = self.users[u], sim.toks[k]
        ready, tx = sim.act(
            dt, lambda t: sim.model.request_withdrawal(user.address, str(tok), t),
            lambda g: access.requestWithdrawal(tok, {"from": user.account, **g}),
        )
        assert tx.return_value == ready
        if then:
            amount, tx = sim.act(
                then, lambda t: sim.model.withdraw(user.address, str(tok), t),
                lambda g: access.withdrawCredits(tok, {"from": user.account, **g}),
            )
            if tx is not None:
                assert tx.return_value == amount

    def rule_withdraw(self, pick="st_pick", u="st_user", k="st_tok", dt="st_dt"):
        """Withdraw on a pending request (ready or not), or on none at all when there is none."""
        sim, access = self.sim, self.env.access
        pending = sorted(sim.model.requests)
        if pending:
            address, token = pending[pick % len(pending)]
            user = next(x for x in self.users if x.address == address)
            tok = next(x for x in sim.toks if str(x) == token)
        else:
            user, tok = self.users[u], sim.toks[k]
        amount, tx = sim.act(
            dt, lambda t: sim.model.withdraw(user.address, str(tok), t),
            lambda g: access.withdrawCredits(tok, {"from": user.account, **g}),
        )
        if tx is not None:
            assert tx.return_value == amount

    # ---- owner changes ----
    def rule_set_price(self, p="st_plan", price="st_price"):
        sim, access = self.sim, self.env.access
        pid = p if p <= len(self.plan_ids) else 99
        sim.act(1, lambda t: sim.model.set_plan_price(pid, price), lambda g: access.setPlanPrice(pid, price, {"from": self.deployer, **g}))

    def rule_set_plan_active(self, p="st_plan", active="st_bool"):
        sim, access = self.sim, self.env.access
        pid = p if p <= len(self.plan_ids) else 99
        sim.act(1, lambda t: sim.model.set_plan_active(pid, active), lambda g: access.setPlanActive(pid, active, {"from": self.deployer, **g}))

    def rule_set_split(self, bps="st_bps", bad="st_bad_bps"):
        sim, access = self.sim, self.env.access
        s, t_, b = bps
        if bad:
            b = (b + 1) % 10_001
        sim.act(1, lambda t: sim.model.set_revenue_split(s, t_, b), lambda g: access.setRevenueSplit(s, t_, b, {"from": self.deployer, **g}))

    def rule_set_delay(self, delay="st_delay"):
        sim, access = self.sim, self.env.access
        sim.act(1, lambda t: sim.model.set_withdrawal_delay(delay), lambda g: access.setWithdrawalDelay(delay, {"from": self.deployer, **g}))

    def rule_toggle_usd(self):
        """The DAO removes (or re-adds) the stablecoin as a reward token: payments in it stop (start)."""
        dist, usd = self.env.dist, self.env.usd
        if usd.address in dist.rewardTokens():
            dist.removeRewardToken(usd, {"from": self.deployer})
        else:
            dist.addRewardToken(usd, {"from": self.deployer})
        self.sim.model.reward_tokens = [str(t) for t in dist.rewardTokens()]

    # ---- time ----
    def rule_jump(self, dt="st_jump"):
        mine_at(now() + dt)

    def _pay_token(self, pid):
        plan = self.sim.model.plans.get(pid)
        if plan is None:
            return None
        return self.env.token if plan.pay_token == str(self.env.token) else self.env.usd

    def invariant(self):
        self.steps = getattr(self, "steps", 0) + 1
        self.sim.check(self.reader)

    def teardown(self):
        OUTCOMES["examples"] += 1
        OUTCOMES["steps"] += self.steps


# Kinds of step the default run must have exercised, accepted and refused.
EXPECTED_OUTCOMES = {
    "subscribe", "subscribeFor", "subscribeWithPermit", "depositCredits", "depositCreditsFor",
    "depositCreditsWithPermit", "redeemUsage", "redeemUsageBatch", "requestWithdrawal", "withdrawCredits",
    "setPlanPrice", "setPlanActive", "setRevenueSplit", "setWithdrawalDelay", "receipt charged",
    "ReceiptNotNewer", "InsufficientCredits", "WithdrawalNotReady", "NoWithdrawalRequest", "CostAboveMax",
    "InvalidSplit", "InvalidWithdrawalDelay", "UnknownPlan", "skipped ReceiptNotNewer",
    "skipped InvalidSignature", "skipped NotRewardToken",
}


def test_stateful(state_machine, env, users, treasury, deployer, reader):
    OUTCOMES.clear()
    state_machine(ServiceAccessMachine, env, users, treasury, deployer, reader, settings=SETTINGS)
    if os.environ.get("ACCESS_DEBUG"):
        print("\n", dict(OUTCOMES))
    if not DEEP:
        missing = EXPECTED_OUTCOMES - set(OUTCOMES)
        assert not missing, f"the run never exercised {sorted(missing)}: {dict(OUTCOMES)}"
