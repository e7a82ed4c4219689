"""Helpers for the system-wide stateful test: a driver that sends every call at a chosen timestamp and
checks it against the model (the exact revert for predicted reverts), and proposal building. Its
hypothesis budget is tests/support/profiles.py's "system"."""

from __future__ import annotations

import itertools

from brownie import chain, web3
from brownie.exceptions import VirtualMachineError
from hexbytes import HexBytes

from harness.chain import time as hchain
from harness.core.signing import sign_claim_and_lock, sign_permit, sign_usage
from harness.core.units import DAY, UNIT, WEEK, ZERO_BYTES32
from tests.models.airdrop_model import lock_terms, raw_bonus
from tests.models.errors import ExpectedError
from tests.models.system_model import A, Revert
from tests.support.reverts import reverts, tx_revert_data

GAS = 15_000_000  # every transaction is sent with a gas limit: no estimate, mined even when it reverts
# Each transaction gets a slightly different gas limit, so no two transactions in the whole session share
# a hash: the examples all start from the same snapshot (same nonces), and re-sending a transaction whose
# hash an earlier, reverted-away example already mined made brownie report "Tx dropped without known
# replacement" in a deep run.
_GAS_TWEAK = itertools.count()


def _params(sender) -> dict:
    return {"from": sender, "gas_limit": GAS - next(_GAS_TWEAK) % 1_000_000, "allow_revert": True}


class Driver:
    """Sends each call in a block at a chosen timestamp; the model says beforehand whether it succeeds
    (and with what result) or which custom error it must revert with."""

    def __init__(self):
        self.outcomes = {}  # (name, "ok" | error name) -> count

    def _count(self, name, outcome):
        self.outcomes[(name, outcome)] = self.outcomes.get((name, outcome), 0) + 1

    def act(self, name, t: int, model_fn, contract_fn, *args, sender):
        """Run `model_fn(t)` and `contract_fn(*args)` from `sender` in the block at timestamp `t`.
        Returns (tx, model result); tx is None when the model predicted a revert (which then happened,
        with exactly the predicted revert data)."""
        try:
            result = model_fn(t)
        except Revert as exc:
            self._count(name, exc.error.name)
            self.expect_revert(exc.error, contract_fn, *args, sender=sender, t=t)
            return None, None
        hchain.next_block_at(t)
        try:
            tx = contract_fn(*args, _params(sender))
        except VirtualMachineError as exc:
            data = tx_revert_data(exc.txid) if exc.txid else b""
            raise AssertionError(f"{name}: the model expected success, the chain reverted with 0x{data.hex()} "
                                 f"({exc.revert_msg})") from None
        assert tx.timestamp == t, (tx.timestamp, t)
        self._count(name, "ok")
        return tx, result

    @staticmethod
    def expect_revert(expected: ExpectedError, contract_fn, *args, sender, t: int):
        """The call, sent in the block at `t`, is mined there and reverts with exactly `expected`."""
        hchain.next_block_at(t)
        with reverts(expected) as caught:
            contract_fn(*args, _params(sender))
        txid = caught.exception.txid
        assert txid, f"reverted before being mined: {caught.exception}"
        # the reverted transaction's own block, as `act` checks a successful one's: the latest block
        # is not the same thing (CI's deep fuzz once saw it differ after a revert mined at `t`)
        mined_at = web3.eth.get_block(web3.eth.get_transaction_receipt(txid)["blockNumber"])["timestamp"]
        assert mined_at == t, f"the reverted transaction was mined at {mined_at}, not {t} (latest block {hchain.now()})"


# ---------------------------------------------------------------------------------- proposals

SETTING_FUNCTIONS = {
    "votingDelay": "setVotingDelay",
    "votingPeriod": "setVotingPeriod",
    "proposalThreshold": "setProposalThreshold",
    "lateQuorumVoteExtension": "setLateQuorumVoteExtension",
    "quorumNumerator": "updateQuorumNumerator",
    "minimumQuorum": "setMinimumQuorum",
}


def encode_action(system, contracts, action):
    """(target, value, calldata bytes) of an abstract model action (executed by the timelock);
    `contracts` maps a token address to its contract."""
    kind = action[0]
    if kind == "add_reward":
        c, fn, args = system.distributor, "addRewardToken", (action[1],)
    elif kind == "remove_reward":
        c, fn, args = system.distributor, "removeRewardToken", (action[1],)
    elif kind == "grant":
        _, tok, to, amount = action
        c, fn, args = contracts[A(tok)], "transfer", (to, amount)
    elif kind == "set":
        c, fn, args = system.governor, SETTING_FUNCTIONS[action[1]], (action[2],)
    elif kind == "delay":
        c, fn, args = system.timelock, "updateDelay", (action[1],)
    elif kind == "trust_creator":
        c, fn, args = system.escrow, "setTrustedLockCreator", (action[1], action[2])
    elif kind == "create_plan":
        c, fn, args = system.access, "createPlan", action[1:]
    elif kind == "plan_price":
        c, fn, args = system.access, "setPlanPrice", action[1:]
    elif kind == "split":
        c, fn, args = system.access, "setRevenueSplit", action[1:]
    else:  # pragma: no cover
        raise ValueError(action)
    return A(c), 0, bytes(HexBytes(getattr(c, fn).encode_input(*args)))


def settle_chain():
    """Mine one block so no timestamp is left pending (before any snapshot)."""
    hchain.advance(1)
    assert chain[-1].timestamp == hchain.now()


# ---------------------------------------------------------------------------------- the world

ROLE = {name: bytes(web3.keccak(text=name)) for name in ("PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE")}
DEFAULT_ADMIN_ROLE = ZERO_BYTES32  # OpenZeppelin AccessControl
SETTING_VALUES = {
    "votingDelay": [0, 3600, DAY, 2 * DAY],
    "votingPeriod": [0, 3600, DAY, 5 * DAY],  # 0: GovernorInvalidVotingPeriod at execution
    "proposalThreshold": [0, 1000 * UNIT, 1_000_000 * UNIT, 10_000_000 * UNIT],
    "lateQuorumVoteExtension": [0, 3600, 2 * DAY, 3 * DAY],
    "quorumNumerator": [0, 4, 30, 101],  # 101: GovernorInvalidQuorumFraction at execution
    # 0: the fraction alone; 30M: above the fraction of everything the world locks (its proposals then
    # fail for quorum); 2 x supply + 1: GovernorMinimumQuorumUnreachable at execution
    "minimumQuorum": [0, 2_000_000 * UNIT, 30_000_000 * UNIT, 2 * 10**9 * UNIT + 1],
}
SETTING_NAMES = list(SETTING_VALUES)
DELAY_VALUES = [0, 3600, 2 * DAY, 4 * DAY]
GRANT_FRACTIONS = [(1, 1000), (1, 2), (1, 1), (3, 2)]  # of the timelock's balance; 3/2 must fail
PLAN_PRICES = [0, 1, 7 * UNIT + 3, 1_000 * UNIT]  # 0: InvalidPlan at execution; 1 wei: discounts round to 0
SPLITS = [(5_000, 4_000, 1_000), (10_000, 0, 0), (0, 0, 10_000), (3_333, 3_333, 3_333)]
RECEIPT_LIFETIME = 30 * DAY
AIRDROP_NOTE = "airdrop note"  # outcome counts that are not calls: the kind of lock and bonus of a claim


class Ops:
    """Every user action of the system, each one predicted by the model and checked on chain. The world
    set-up and the state machine's rules both go through here."""

    def __init__(self, world, model):
        self.w, self.m = world, model
        self.s = world.system
        self.d = Driver()
        self.n_proposals = 0

    # ---- escrow ----
    def lock(self, payer, owner, amount, weeks, dt=1):
        """createLock, or createLockFor when `owner` is someone else (refused unless `payer` is a lock
        creator the owner approved or one the timelock trusts)."""
        t = hchain.now() + dt
        unlock = t + weeks * WEEK
        if payer == owner:
            return self.d.act("createLock", t, lambda t: self.m.create_lock(payer, owner, amount, unlock, t),
                              self.s.escrow.createLock, amount, unlock, sender=payer)
        return self.d.act("createLockFor", t, lambda t: self.m.create_lock(payer, owner, amount, unlock, t),
                          self.s.escrow.createLockFor, owner, amount, unlock, sender=payer)

    def _permit(self, owner, amount, mode, deadline):
        """(v, r, s) of `owner`'s permit of `amount` to the escrow. mode 0: valid; 1: valid, but a
        front-runner submits it first (the model learns the allowance it set); 2: signed for another
        amount, so the token rejects it and the allowance stays what it was."""
        token = self.s.token
        signed = amount if mode < 2 else amount + 1
        v, r, s = sign_permit(self.w.keys[A(owner)], token.name(), token.address, chain.id, A(owner),
                              A(self.s.escrow), signed, token.nonces(owner), deadline)
        if mode == 1:
            t = hchain.now() + 1
            tx, _ = self.d.act("permit", t, lambda t: self.m.approve_escrow(owner, amount), token.permit, owner,
                               self.s.escrow, amount, deadline, v, r, s, sender=self.w.funder)
            assert tx is not None
        return v, r, s

    def lock_with_permit(self, owner, amount, weeks, mode, dt=1):
        # the permit outlives the time jump (and mode 1's front-running block): an expired permit is
        # skipped by the escrow, which then spends whatever allowance there was
        deadline = hchain.now() + 1 + dt + 3600
        v, r, s = self._permit(owner, amount, mode, deadline)
        t = hchain.now() + dt
        unlock = t + weeks * WEEK
        return self.d.act("createLockWithPermit", t,
                          lambda t: self.m.create_lock(owner, owner, amount, unlock, t, permit=mode == 0),
                          self.s.escrow.createLockWithPermit, amount, unlock, deadline, v, r, s, sender=owner)

    def increase_with_permit(self, owner, amount, mode, dt=1):
        deadline = hchain.now() + 1 + dt + 3600
        v, r, s = self._permit(owner, amount, mode, deadline)
        t = hchain.now() + dt
        return self.d.act("increaseAmountWithPermit", t,
                          lambda t: self.m.increase_amount(owner, owner, amount, t, permit=mode == 0),
                          self.s.escrow.increaseAmountWithPermit, amount, deadline, v, r, s, sender=owner)

    def approve_escrow(self, owner, amount, dt=1):
        t = hchain.now() + dt
        return self.d.act("approve", t, lambda t: self.m.approve_escrow(owner, amount), self.s.token.approve,
                          self.s.escrow, amount, sender=owner)

    def set_lock_creator(self, acct, creator, approved, dt=1):
        t = hchain.now() + dt
        tx, _ = self.d.act("setLockCreator", t, lambda t: self.m.set_lock_creator(acct, creator, approved),
                           self.s.escrow.setLockCreator, creator, approved, sender=acct)
        if tx is not None:
            assert tx.events["LockCreatorSet"].values() == [A(acct), A(creator), approved]
        return tx

    def poke(self, caller, accts, dt=1):
        t = hchain.now() + dt
        tx, expected = self.d.act("poke", t, lambda t: self.m.poke(accts, t), self.s.escrow.poke, accts,
                                  sender=caller)
        if tx is not None:
            events = tx.events["DelegateVotesChanged"] if "DelegateVotesChanged" in tx.events else []
            assert [(A(e["delegate"]), e["previousVotes"], e["newVotes"]) for e in events] == expected
        return tx

    def increase(self, payer, owner, amount, dt=1):
        t = hchain.now() + dt
        if payer == owner:
            return self.d.act("increaseAmount", t, lambda t: self.m.increase_amount(payer, owner, amount, t),
                              self.s.escrow.increaseAmount, amount, sender=payer)
        return self.d.act("depositFor", t, lambda t: self.m.increase_amount(payer, owner, amount, t),
                          self.s.escrow.depositFor, owner, amount, sender=payer)

    def extend(self, acct, weeks, dt=1):
        t = hchain.now() + dt
        unlock = t + weeks * WEEK
        return self.d.act("increaseUnlockTime", t, lambda t: self.m.increase_unlock_time(acct, unlock, t),
                          self.s.escrow.increaseUnlockTime, unlock, sender=acct)

    def withdraw(self, acct, dt=1):
        t = hchain.now() + dt
        tx, amount = self.d.act("withdraw", t, lambda t: self.m.withdraw(acct, t), self.s.escrow.withdraw,
                                sender=acct)
        if tx is not None:
            assert tx.events["Withdraw"]["amount"] == amount
        return tx

    def withdraw_early(self, acct, dt=1):
        t = hchain.now() + dt
        tx, result = self.d.act("withdrawEarly", t, lambda t: self.m.withdraw_early(acct, t),
                                self.s.escrow.withdrawEarly, sender=acct)
        if tx is not None:
            paid, fee, week, excluded = result
            assert tx.events["WithdrawEarly"]["penalty"] == fee
            ev = tx.events["PenaltyDeposited"]  # every exit is recorded, even with a zero penalty
            assert (A(ev["account"]), ev["week"], ev["amount"], ev["excludedScore"]) == (A(acct), week, fee, excluded)
        return tx

    def lock_permanent(self, acct, dt=1):
        t = hchain.now() + dt
        return self.d.act("lockPermanent", t, lambda t: self.m.lock_permanent(acct, t),
                          self.s.escrow.lockPermanent, sender=acct)

    def unlock_permanent(self, acct, dt=1):
        t = hchain.now() + dt
        return self.d.act("unlockPermanent", t, lambda t: self.m.unlock_permanent(acct, t),
                          self.s.escrow.unlockPermanent, sender=acct)

    def delegate(self, acct, to, dt=1):
        t = hchain.now() + dt
        return self.d.act("delegate", t, lambda t: self.m.delegate(acct, to, t), self.s.escrow.delegate, to,
                          sender=acct)

    def burn(self, acct, amount, dt=1):
        t = hchain.now() + dt
        return self.d.act("burn", t, lambda t: self.m.burn(acct, amount, t), self.s.token.burn, amount,
                          sender=acct)

    # ---- distributor ----
    def deposit(self, sender, tok, amount, dt=1):
        t = hchain.now() + dt
        tx, week = self.d.act("depositRevenue", t, lambda t: self.m.deposit(sender, tok, amount, t),
                              self.s.distributor.depositRevenue, tok, amount, sender=sender)
        if tx is not None:
            assert tx.events["RevenueDeposited"]["week"] == week
        return tx

    def direct(self, sender, tok, amount, dt=1):
        """A transfer straight to the distributor, then checkpointToken (which credits it if active)."""
        t = hchain.now() + dt
        tx, _ = self.d.act("directTransfer", t, lambda t: self.m._move(tok, sender, self.s.distributor, amount),
                           tok.transfer, self.s.distributor, amount, sender=sender)
        if tx is None:
            return None
        tx, extra = self.d.act("checkpointToken", t + 1, lambda t: self.m.send_and_checkpoint(sender, tok, amount, t),
                               self.s.distributor.checkpointToken, tok, sender=sender)
        if tx is not None:
            got = tx.events["TokenCheckpointed"]["amount"] if "TokenCheckpointed" in tx.events else 0
            assert got == extra
        return tx

    @staticmethod
    def _claimed_events(tx):
        return [(A(e["token"]), e["amount"], e["reinvested"]) for e in tx.events["Claimed"]] if "Claimed" in tx.events else []

    def claim(self, acct, toks, dt=1):
        t = hchain.now() + dt
        tx, amounts = self.d.act("claim", t, lambda t: self.m.claim(acct, toks, t), self.s.distributor.claim,
                                 toks, sender=acct)
        if tx is not None:
            assert self._claimed_events(tx) == [(A(k), a, False) for k, a in zip(toks, amounts)]
        return tx

    def claim_and_lock(self, acct, dt=1):
        t = hchain.now() + dt
        tx, amount = self.d.act("claimAndLock", t, lambda t: self.m.claim_and_lock(acct, t),
                                self.s.distributor.claimAndLock, sender=acct)
        if tx is not None:
            assert self._claimed_events(tx) == [(A(self.s.token), amount, amount != 0)]
        return tx

    def set_auto(self, acct, enabled, dt=1):
        t = hchain.now() + dt
        return self.d.act("setAutoCompound", t, lambda t: self.m.set_auto_compound(acct, enabled),
                          self.s.distributor.setAutoCompound, enabled, sender=acct)

    def set_keeper(self, acct, keeper, approved, dt=1):
        t = hchain.now() + dt
        tx, _ = self.d.act("setKeeper", t, lambda t: self.m.set_keeper(acct, keeper, approved),
                           self.s.distributor.setKeeper, keeper, approved, sender=acct)
        if tx is not None:
            assert tx.events["KeeperSet"].values() == [A(acct), A(keeper), approved]
        return tx

    def claim_for(self, caller, acct, toks, dt=1):
        """claimFor by `caller`: reinvests only for an opted-in account, called by it or its keeper."""
        t = hchain.now() + dt
        tx, result = self.d.act("claimFor", t, lambda t: self.m.claim_for(caller, acct, toks, t),
                                self.s.distributor.claimFor, acct, toks, sender=caller)
        if tx is not None:
            amounts, reinvest = result
            staking = A(self.s.token)
            assert self._claimed_events(tx) == [
                (A(k), a, reinvest and A(k) == staking and a != 0) for k, a in zip(toks, amounts)
            ]
        return tx

    # ---- governance ----
    def make_actions(self, kind, k, frac, target):
        token, token2 = A(self.s.token), A(self.w.token2)
        num, den = GRANT_FRACTIONS[frac % len(GRANT_FRACTIONS)]
        if kind == 0:
            return [("add_reward", token2)]
        if kind == 1:
            return [("remove_reward", token2)]
        if kind in (2, 3):
            tok = token if kind == 2 else token2
            amount = max(self.m.balance(tok, self.s.timelock) * num // den, 1)
            return [("grant", tok, A(target), amount)]
        if kind == 4:
            name = SETTING_NAMES[k % len(SETTING_NAMES)]
            values = SETTING_VALUES[name]
            return [("set", name, values[frac % len(values)])]
        if kind == 5:
            return [("delay", DELAY_VALUES[frac % len(DELAY_VALUES)])]
        if kind == 6:
            return [("remove_reward", token)]
        if kind == 8:  # the timelock trusts (or stops trusting) a lock creator: a holder, or the airdrop
            creator = self.w.airdrop if k % 4 == 3 else target
            return [("trust_creator", A(creator), frac % 2 == 0)]
        if kind == 9:  # a plan's new price (plan 0: UnknownPlan, price 0: InvalidPlan at execution)
            return [("plan_price", k % (len(self.m.access.plans) + 1), PLAN_PRICES[frac % len(PLAN_PRICES)])]
        if kind == 10:  # a new split of every payment (the last one does not sum to 10,000: InvalidSplit)
            return [("split", *SPLITS[frac % len(SPLITS)])]
        amount = max(self.m.balance(token2, self.s.timelock) * num // den // 2, 1)
        return [("add_reward", token2), ("grant", token2, A(target), amount)]

    def propose(self, proposer, actions, description=None, dt=1):
        if description is None:
            self.n_proposals += 1
            description = f"system fuzz #{self.n_proposals}: " + ", ".join(str(a[:2]) for a in actions)
        encoded = [encode_action(self.s, self.w.contracts, a) for a in actions]
        targets, values, calldatas = [e[0] for e in encoded], [e[1] for e in encoded], [e[2] for e in encoded]
        t = hchain.now() + dt
        tx, p = self.d.act("propose", t,
                           lambda t: self.m.propose(proposer, actions, targets, values, calldatas, description, t),
                           self.s.governor.propose, targets, values, calldatas, description, sender=proposer)
        if tx is not None:
            ev = tx.events["ProposalCreated"]
            assert ev["proposalId"] == p.id
            assert ev["voteStart"] == p.snapshot and ev["voteEnd"] == p.snapshot + p.duration
        return p if tx is not None else None

    def repropose(self, proposer, p, dt=1):
        t = hchain.now() + dt
        return self.d.act("repropose", t,
                          lambda t: self.m.propose(proposer, p.actions, p.targets, p.values, p.calldatas,
                                                   p.description, t),
                          self.s.governor.propose, p.targets, p.values, p.calldatas, p.description, sender=proposer)

    def vote(self, voter, p, support, dt=1):
        t = hchain.now() + dt
        tx, weight = self.d.act("castVote", t, lambda t: self.m.vote(voter, p.id, support, t),
                                self.s.governor.castVote, p.id, support, sender=voter)
        if tx is not None:
            assert tx.events["VoteCast"]["weight"] == weight
            assert self.s.governor.proposalDeadline(p.id) == p.deadline()
        return tx

    def _args(self, p):
        return p.targets, p.values, p.calldatas, p.description_hash

    def queue(self, caller, p, dt=1):
        t = hchain.now() + dt
        tx, eta = self.d.act("queue", t, lambda t: self.m.queue(p.id, t),
                             self.s.governor.queue["address[],uint256[],bytes[],bytes32"], *self._args(p),
                             sender=caller)
        if tx is not None:
            assert tx.events["ProposalQueued"]["etaSeconds"] == eta
        return tx

    def execute(self, caller, p, dt=1):
        t = hchain.now() + dt
        tx, _ = self.d.act("execute", t, lambda t: self.m.execute(p.id, t),
                           self.s.governor.execute["address[],uint256[],bytes[],bytes32"], *self._args(p),
                           sender=caller)
        if tx is not None:
            assert tx.events["ProposalExecuted"]["proposalId"] == p.id
        return tx

    def cancel(self, caller, p, dt=1):
        t = hchain.now() + dt
        return self.d.act("cancel", t, lambda t: self.m.cancel(caller, p.id, t),
                          self.s.governor.cancel["address[],uint256[],bytes[],bytes32"], *self._args(p),
                          sender=caller)

    def to_milestone(self, p):
        """Mine the first block of the proposal's next stage: vote open, vote over, timelock ready."""
        now = hchain.now()
        for target in (p.snapshot + 1, p.deadline() + 1, p.eta):
            if target > now:
                hchain.mine_at(target)
                return

    def cycle(self, proposer, actions, voters, supports, caller):
        """One proposal through its whole life: propose, vote, queue, execute, each step predicted."""
        p = self.propose(proposer, actions)
        if p is None:
            return None
        if hchain.now() < p.snapshot + 1:
            hchain.mine_at(p.snapshot + 1)
        for voter, support in zip(voters, supports):
            self.vote(voter, p, support)
        if hchain.now() < p.deadline() + 1:
            hchain.mine_at(p.deadline() + 1)
        self.queue(caller, p)
        if p.eta and hchain.now() < p.eta:
            hchain.mine_at(p.eta)
        self.execute(caller, p, dt=0 if p.eta and hchain.now() < p.eta else 1)
        return p

    # ---- services (SPEC 5.2) ----
    def subscribe(self, payer, account, plan_id, periods, referrer, slack, dt=1):
        """subscribe (payer == account) or subscribeFor; maxCost is the model's quote plus `slack`
        (negative: CostAboveMax)."""
        t = hchain.now() + dt
        access = self.s.access
        try:
            self.m.services_now = t
            quoted = self.m.access.quote(A(account), plan_id, periods, t)[0]
        except Exception:  # noqa: BLE001 - a quote that reverts: the call reverts the same way
            quoted = 0
        max_cost = max(quoted + slack, 0)
        model = lambda t: self.m.subscribe(payer, account, plan_id, periods, referrer, max_cost, t)  # noqa: E731
        if payer == account:
            tx, result = self.d.act("subscribe", t, model, access.subscribe, plan_id, periods, referrer, max_cost,
                                    sender=payer)
        else:
            tx, result = self.d.act("subscribeFor", t, model, access.subscribeFor, account, plan_id, periods,
                                    referrer, max_cost, sender=payer)
        if tx is not None:
            until, cost, split = result
            ev = tx.events["Subscribed"]
            assert (ev["cost"], ev["accessUntil"]) == (cost, until)
            if split is None:
                assert "RevenueSplit" not in tx.events
            else:
                got = tx.events["RevenueSplit"]
                assert (got["stakers"], got["treasury"], got["burned"], got["referral"]) == (
                    split.stakers, split.treasury, split.burned, split.referral)
        return tx

    def deposit_credits(self, payer, account, tok, amount, dt=1):
        t = hchain.now() + dt
        access = self.s.access
        model = lambda t: self.m.deposit_credits(payer, account, tok, amount, t)  # noqa: E731
        if payer == account:
            return self.d.act("depositCredits", t, model, access.depositCredits, tok, amount, sender=payer)[0]
        return self.d.act("depositCreditsFor", t, model, access.depositCreditsFor, account, tok, amount,
                          sender=payer)[0]

    def redeem(self, caller, account, tok, increment, signer, expired, dt=1):
        """redeemUsage of `account`'s receipt for spent + `increment` (0 or less: stale; "all", "all-1",
        "half", "all+1": of the credits left), signed by `signer`'s key (someone else's:
        InvalidSignature), expired a second before the block or not."""
        t = hchain.now() + dt
        key = (A(account), A(tok))
        spent, credits = self.m.access.spent[key], self.m.access.credits[key]
        if isinstance(increment, str):
            increment = {"all": credits, "all-1": credits - 1, "half": credits // 2, "all+1": credits + 1}[increment]
        cumulative = max(spent + increment, 0)
        deadline = t - 1 if expired else t + RECEIPT_LIFETIME
        signature = sign_usage(self.w.keys[A(signer)], self.s.access.address, chain.id, A(account), A(tok),
                               cumulative, deadline)
        valid = A(signer) == A(account)
        tx, charge = self.d.act("redeemUsage", t,
                                lambda t: self.m.redeem_usage(account, tok, cumulative, deadline, valid, t),
                                self.s.access.redeemUsage, account, tok, cumulative, deadline, signature,
                                sender=caller)
        if tx is not None:
            assert tx.events["UsageRedeemed"]["charged"] == charge
        return tx

    def request_withdrawal(self, account, tok, dt=1):
        t = hchain.now() + dt
        tx, ready = self.d.act("requestWithdrawal", t, lambda t: self.m.request_withdrawal(account, tok, t),
                               self.s.access.requestWithdrawal, tok, sender=account)
        if tx is not None:
            assert tx.events["WithdrawalRequested"]["readyAt"] == ready
        return tx

    def withdraw_credits(self, account, tok, dt=1):
        t = hchain.now() + dt
        tx, amount = self.d.act("withdrawCredits", t, lambda t: self.m.withdraw_credits(account, tok, t),
                                self.s.access.withdrawCredits, tok, sender=account)
        if tx is not None:
            assert tx.events["CreditsWithdrawn"]["amount"] == amount
        return tx

    # ---- community airdrop (SPEC 5.4) ----
    def _airdrop_leaf(self, account, wrong):
        """(amount, proof, proof right) of `account`'s leaf; wrong 1: the amount plus one wei, 2: the next
        leaf's proof."""
        w = self.w
        n = w.airdrop_index[A(account)]
        amount, proof = w.airdrop_leaves[n][1], w.airdrop_tree.proof(n)
        if wrong == 1:
            amount += 1
        elif wrong == 2:
            proof = w.airdrop_tree.proof((n + 1) % len(w.airdrop_leaves))
        return amount, proof, wrong == 0

    def airdrop_claim(self, sender, account, wrong, dt=1):
        """claim(account, amount, proof), sent by the account or anyone else: paid to the account only."""
        amount, proof, ok = self._airdrop_leaf(account, wrong)
        t = hchain.now() + dt
        tx, paid = self.d.act("airdrop.claim", t, lambda t: self.m.airdrop_claim(account, amount, ok, t),
                              self.w.airdrop.claim, account, amount, proof, sender=sender)
        if tx is not None:
            ev = tx.events["Claimed"]
            assert (A(ev["account"]), ev["amount"]) == (A(account), paid)
        return tx

    def _claimed_and_locked(self, tx, account, amount, result, reserve, raw):
        """The event of a claim into a lock, and notes on what kind of lock and bonus it was."""
        if tx is None:
            return
        bonus, end, kind = result
        ev = tx.events["ClaimedAndLocked"]
        assert (A(ev["account"]), ev["amount"], ev["bonus"], ev["lockEnd"]) == (A(account), amount, bonus, end)
        self.d._count(AIRDROP_NOTE, f"into {kind} lock")
        if reserve == 0:
            self.d._count(AIRDROP_NOTE, "no bonus left")
        elif raw > reserve:
            self.d._count(AIRDROP_NOTE, "bonus capped")

    def _airdrop_terms(self, account, amount, unlock, t):
        """(reserve, uncapped bonus) before a claim into `account`'s lock at `t` (for the notes only)."""
        air = self.m.airdrop
        terms = lock_terms(self.m._lock_tuple(account), unlock, t)
        return air.bonus_reserve(), raw_bonus(amount, terms.remaining, air.max_lock_bonus_bps) if terms.ok else 0

    def airdrop_claim_and_lock(self, account, wrong, weeks, dt=1):
        """claimAndLock(amount, proof, unlockTime) by the account: a new lock ending `weeks` weeks out, or
        into its active / permanent lock (unlockTime ignored), or refused for an expired one."""
        amount, proof, ok = self._airdrop_leaf(account, wrong)
        t = hchain.now() + dt
        unlock = t + weeks * WEEK
        notes = self._airdrop_terms(account, amount, unlock, t)
        tx, result = self.d.act("airdrop.claimAndLock", t,
                                lambda t: self.m.airdrop_claim_and_lock(account, amount, ok, unlock, t),
                                self.w.airdrop.claimAndLock, amount, proof, unlock, sender=account)
        self._claimed_and_locked(tx, account, amount, result, *notes)
        return tx

    def airdrop_claim_by_sig(self, relayer, account, wrong, weeks, signer, expired, dt=1):
        """claimAndLockBySig sent by `relayer`, the ClaimAndLock message signed by `signer`'s key (another
        holder's: InvalidSignature), its deadline a second before the block (SignatureExpired) or a day
        after."""
        amount, proof, ok = self._airdrop_leaf(account, wrong)
        t = hchain.now() + dt
        unlock = t + weeks * WEEK
        deadline = t - 1 if expired else t + DAY
        signature = sign_claim_and_lock(self.w.keys[A(signer)], chain.id, self.w.airdrop.address, A(account), amount,
                                        unlock, deadline)
        valid = A(signer) == A(account)
        notes = self._airdrop_terms(account, amount, unlock, t)
        tx, result = self.d.act(
            "airdrop.claimAndLockBySig", t,
            lambda t: self.m.airdrop_claim_and_lock(account, amount, ok, unlock, t, signed=True, deadline=deadline,
                                                    signature_ok=valid),
            self.w.airdrop.claimAndLockBySig, account, amount, proof, unlock, deadline, signature, sender=relayer)
        self._claimed_and_locked(tx, account, amount, result, *notes)
        return tx

    def airdrop_sweep(self, sender, dt=1):
        """sweep() by anyone: after the deadline everything left goes to the treasury (the timelock)."""
        t = hchain.now() + dt
        tx, amount = self.d.act("airdrop.sweep", t, lambda t: self.m.airdrop_sweep(t), self.w.airdrop.sweep,
                                sender=sender)
        if tx is not None:
            ev = tx.events["Swept"]
            assert (A(ev["treasury"]), ev["amount"]) == (A(self.s.timelock), amount)
        return tx

    # ---- direct admin calls by a non-owner: always rejected, nothing changes ----
    def attack(self, who, which):
        s, tok2 = self.s, self.w.token2
        cases = [
            (s.distributor.addRewardToken, (tok2,), ("OwnableUnauthorizedAccount", who)),
            (s.distributor.removeRewardToken, (tok2,), ("OwnableUnauthorizedAccount", who)),
            (s.escrow.setRevenueDistributor, (s.distributor,), ("OwnableUnauthorizedAccount", who)),
            (s.escrow.transferOwnership, (who,), ("OwnableUnauthorizedAccount", who)),
            (s.escrow.setTrustedLockCreator, (who, True), ("OwnableUnauthorizedAccount", who)),
            (s.governor.setVotingDelay, (1,), ("GovernorOnlyExecutor", who)),
            (s.governor.updateQuorumNumerator, (1,), ("GovernorOnlyExecutor", who)),
            (s.governor.setMinimumQuorum, (1,), ("GovernorOnlyExecutor", who)),
            (s.timelock.updateDelay, (0,), ("TimelockUnauthorizedCaller", who)),
            (s.access.setRevenueSplit, (10_000, 0, 0), ("OwnableUnauthorizedAccount", who)),
            (s.access.createPlan, (s.token, 1, 1), ("OwnableUnauthorizedAccount", who)),
            (s.levels.setThresholds, ([i + 1 for i in range(10)],), ("OwnableUnauthorizedAccount", who)),
        ]
        fn, args, (name, acct) = cases[which % len(cases)]
        expected = ExpectedError(name, ("address",), (A(acct),))
        self.d._count("attack:" + fn.abi["name"], name)
        self.d.expect_revert(expected, fn, *args, sender=who, t=hchain.now() + 1)
