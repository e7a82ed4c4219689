"""Chain-backed driver shared by the property and stateful tests: every distributor call goes to the
chain and to the reference model, and `check_invariants` compares the two and checks conservation."""

from __future__ import annotations

from harness.chain.time import next_block_at, now
from harness.core.staking import week_start
from harness.core.units import WEEK
from tests.models.distributor_model import DistributorModel


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
        """An early exit (never in a week's first second, where the escrow refuses it); every exit,
        even with a zero penalty, is recorded by the distributor and the model."""
        t = now() + 1
        if t % WEEK == 0:
            t += 1
        next_block_at(t)
        tx = self.ve.withdrawEarly({"from": acct})
        penalty = tx.events["WithdrawEarly"]["penalty"]
        week, excluded = self.model.penalty(acct.address, penalty, tx.timestamp)
        ev = tx.events["PenaltyDeposited"]
        assert (ev["account"], ev["week"], ev["amount"], ev["excludedScore"]) == (acct, week, penalty, excluded)
        assert self.dist.penaltyWeek(week) == self.model.penalty_of(week)
        assert self.dist.exitedEarly(acct, week)
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
        if week_start(tx.timestamp) != week_start(view_time):
            views = None
        return tx, views, amounts

    def claim_for(self, acct, toks, caller):
        """claimFor by `caller`: reinvests the staking token only as the model says (SPEC 7 keepers)."""
        amount, end, perm = self.ve.locked(acct)
        tx = self.dist.claimFor(acct, toks, {"from": caller})
        reinvest = self.model.reinvests(acct.address, caller.address, amount != 0 and (perm or end > tx.timestamp))
        self._book(acct, toks, tx, list(tx.return_value))
        assert [(e["token"], e["reinvested"]) for e in tx.events["Claimed"]] == [
            (t, reinvest and t == self.token and a != 0) for t, a in zip(toks, tx.return_value)
        ]
        return tx

    def set_auto_compound(self, acct, enabled):
        tx = self.dist.setAutoCompound(enabled, {"from": acct})
        self.model.set_auto_compound(acct.address, enabled)
        return tx

    def set_keeper(self, acct, keeper, approved):
        tx = self.dist.setKeeper(keeper, approved, {"from": acct})
        self.model.set_keeper(acct.address, keeper.address, approved)
        assert tx.events["KeeperSet"].values() == [acct, keeper, approved]
        return tx

    def claim_and_lock(self, acct):
        tx = self.dist.claimAndLock({"from": acct})
        self._book(acct, [self.token], tx, [tx.return_value])
        return tx

    # ---- invariants ----
    def check_invariants(self):
        t = now()
        addresses = [a.address for a in self.accounts]
        for tok in self.tokens:
            key = tok.address
            s = self.model.tokens[key]
            assert self.dist.accounted(tok) == s.accounted
            assert self.dist.tokenState(tok)[3] == s.cursor
            book = self.model.settlement(key, t, addresses)
            for week, part, left, bound in book.bounds:
                # floor dust: under one wei per account sharing, plus what the escrow's rounding excess
                # (totalSupplyAt above the sum of balances, <= 1 wei per lock) withholds
                assert 0 <= left < bound, (week, part, left, bound)
            for w in {w.week for w in self.model.settled(key, t)[0]}:
                excess = self.supply_at(w) - sum(self.balance_at(a, w) for a in self.accounts)
                self.max_excess = max(self.max_excess, excess)
            owed = 0
            current = week_start(t)
            for a in self.accounts:
                c = self.claimed[(a.address, key)]
                entitled = book.entitled[a.address]
                assert c <= entitled, "paid more than entitled"
                still = entitled - c
                owed += still
                # the chain's claimable() is that amount, unless a backlog > 52 weeks splits it
                view = self.dist.claimable(a, tok)
                assert view <= still
                start = self.dist.claimCursor(a, tok) or self.model._start(a.address, key) or current
                if s.cursor + 52 * WEEK >= current and start + 52 * WEEK >= current:
                    assert view == still, (view, still)
            # deposited = paid + still owed + dust + not yet shared (penalties included, staking token)
            assert s.deposited == s.paid + owed + book.dust + book.pending, (s.deposited, s.paid, owed, book.dust, book.pending)
            assert tok.balanceOf(self.dist) >= owed + book.pending
            assert tok.balanceOf(self.dist) >= self.dist.accounted(tok)
        for w in self.model.pools:
            assert self.dist.penaltyWeek(w) == self.model.penalty_of(w)
