"""Chain-backed driver shared by the property and stateful tests: every distributor call goes to the
chain and to the reference model, and `check_invariants` compares the two and checks conservation."""

from __future__ import annotations

from models.distributor_model import WEEK, DistributorModel, week_of

from harness.chain import now


class Sim:
    def __init__(self, ve, dist, token, reward_tokens, accounts, deployer, funder):
        self.ve, self.dist, self.token = ve, dist, token
        self.tokens = [token] + list(reward_tokens)
        self.accounts = list(accounts)
        self.deployer, self.funder = deployer, funder
        self._bal = {}
        self._sup = {}
        self.model = DistributorModel(
            dist.tx.timestamp if dist.tx else now(),
            token.address,
            self.supply_at,
            self.balance_at,
            self.first_lock,
        )
        for t in reward_tokens:
            listed, active, start, cursor, _ = dist.tokenState(t)
            self.model.add_token(t.address, start)
        self.claimed = {(a.address, t.address): 0 for a in self.accounts for t in self.tokens}
        self.max_excess = 0

    # ---- escrow inputs (immutable once the time is past, so cached) ----
    def supply_at(self, w):
        if w not in self._sup:
            self._sup[w] = self.ve.totalSupplyAt(w)
        return self._sup[w]

    def balance_at(self, a, w):
        key = (str(a), w)
        if key not in self._bal:
            self._bal[key] = self.ve.balanceOfAt(a, w)
        return self._bal[key]

    def first_lock(self, a):
        if self.ve.userPointEpoch(a) == 0:
            return None
        return self.ve.userPointTimestamp(a, 1)

    # ---- actions (chain + model) ----
    def sender_for(self, tok):
        return self.funder if tok == self.token else self.deployer

    def deposit(self, tok, amount):
        tx = self.dist.depositRevenue(tok, amount, {"from": self.sender_for(tok)})
        self.model.deposit(tok.address, amount, tx.timestamp)
        return tx

    def send_and_checkpoint(self, tok, amount):
        tok.transfer(self.dist, amount, {"from": self.sender_for(tok)})
        tx = self.dist.checkpointToken(tok, {"from": self.deployer})
        extra = self.model.checkpoint(tok.address, tok.balanceOf(self.dist), tx.timestamp)
        got = tx.events["TokenCheckpointed"]["amount"] if "TokenCheckpointed" in tx.events else 0
        assert got == extra
        return tx

    def withdraw_early(self, acct):
        tx = self.ve.withdrawEarly({"from": acct})
        penalty = tx.events["WithdrawEarly"]["penalty"]
        if penalty:
            self.model.penalty(penalty, tx.timestamp)
        return tx

    def _book(self, acct, toks, tx, amounts):
        assert len(amounts) == len(toks)
        for tok, amount in zip(toks, amounts):
            expected = self.model.claim(acct.address, tok.address, tx.timestamp)
            assert amount == expected, f"{tok} claim {amount} != model {expected}"
            self.claimed[(acct.address, tok.address)] += amount

    def claim(self, acct, toks):
        """Claim on chain and in the model. Returns (tx, views, amounts): `views` are the
        `claimable` values read just before (None if the claim landed in a later week than the read)."""
        view_time = now()
        views = [self.dist.claimable(acct, t) for t in toks]
        tx = self.dist.claim(toks, {"from": acct})
        amounts = list(tx.return_value)
        self._book(acct, toks, tx, amounts)
        if week_of(tx.timestamp) != week_of(view_time):
            views = None
        return tx, views, amounts

    def claim_for(self, acct, toks, keeper):
        tx = self.dist.claimFor(acct, toks, {"from": keeper})
        self._book(acct, toks, tx, list(tx.return_value))
        return tx

    def claim_and_lock(self, acct):
        tx = self.dist.claimAndLock({"from": acct})
        self._book(acct, [self.token], tx, [tx.return_value])
        return tx

    # ---- invariants ----
    def check_invariants(self):
        t = now()
        for tok in self.tokens:
            key = tok.address
            s = self.model.tokens[key]
            assert self.dist.accounted(tok) == s.accounted
            assert self.dist.tokenState(tok)[3] == s.cursor
            weeks, carry = self.model.settled_weeks(key, t)
            dust = 0
            entitled = {a.address: 0 for a in self.accounts}
            for w, rev in weeks.items():
                supply = self.supply_at(w)
                bals = [self.balance_at(a, w) for a in self.accounts]
                excess = supply - sum(bals)
                assert excess >= 0, f"escrow: totalSupplyAt({w}) < sum of balances"
                self.max_excess = max(self.max_excess, excess)
                shares = [rev * b // supply for b in bals]
                for a, sh in zip(self.accounts, shares):
                    entitled[a.address] += sh  # balance is 0 before an account's first lock
                d = rev - sum(shares)
                # floor dust: under one wei per account scoring that week, plus what the escrow's
                # rounding excess (totalSupplyAt above the sum of balances, <= 1 wei per lock) withholds
                scoring = sum(1 for b in bals if b)
                assert 0 <= d < max(scoring, 1) + (rev * excess + supply - 1) // supply
                dust += d
            owed = 0
            current = week_of(t)
            for a in self.accounts:
                c = self.claimed[(a.address, key)]
                assert c <= entitled[a.address], "paid more than entitled"
                still = entitled[a.address] - c
                owed += still
                # the chain's claimable() is that amount, unless a backlog > 52 weeks splits it
                view = self.dist.claimable(a, tok)
                assert view <= still
                start = self.dist.claimCursor(a, tok) or self.model._start(a.address, key) or current
                if s.cursor + 52 * WEEK >= current and start + 52 * WEEK >= current:
                    assert view == still, (view, still)
            pending = sum(v for w, v in s.per_week.items() if w >= week_of(t)) + carry
            # settled pending in-cursor bookkeeping: deposited = paid + still owed + dust + not yet shared
            assert s.deposited == s.paid + owed + dust + pending, (s.deposited, s.paid, owed, dust, pending)
            assert tok.balanceOf(self.dist) >= owed + pending
            assert tok.balanceOf(self.dist) >= self.dist.accounted(tok)
