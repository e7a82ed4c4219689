"""Plain-Python reference model of the whole protocol (SPEC 2.x, as amended by SPEC 7): token balances of
both reward tokens and the staking token's allowances to the escrow (permit locks), the VotingEscrow
(tests/models/escrow_model.py: minimum lock, lock creators, poke), the RevenueDistributor
(tests/models/distributor_model.py: penalty pools of the exit week, keepers; fed with the escrow
model's scores, never the chain's), and the ServiceGovernor + TimelockController (OpenZeppelin 5.4
semantics: proposal states, quorum at the snapshot with SPEC 7's minimum quorum, late-quorum
extension, timelock eta), the services (SPEC 5.1, 5.2: tests/models/access_model.py fed with the
escrow model's locks and levels, its payments split into the same balances), and the CommunityAirdrop
(SPEC 5.4: tests/models/airdrop_model.py's claim rules, bonus and reserve, fed with this model's escrow
locks; a claim into a lock goes through this model's own createLockFor / depositFor as the trusted lock
creator, so every escrow and distributor prediction stays exact). No brownie import.

Every state-changing method takes the block timestamp `now` and either returns its result or raises
`Revert(ExpectedError)` with the exact custom error (name and arguments) the chain must revert with,
having changed nothing.
"""

from __future__ import annotations

from copy import copy, deepcopy
from dataclasses import dataclass, field

from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from harness.core.units import MAX_UINT256, ZERO_ADDRESS, ZERO_BYTES32
from harness.core.levels import level_for_score
from tests.models.access_model import Receipt, ServiceAccessModel
from tests.models.airdrop_model import AirdropModel
from tests.models.distributor_model import DistributorModel
from tests.models.errors import ExpectedError
from tests.models.escrow_model import MAX_POKE_ACCOUNTS, EscrowModel, Lock, ModelRevert
from tests.models.levels_model import Benefits, LevelsModel
from tests.models.quota_model import QuotaModel

PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = range(8)
AGAINST, FOR, ABSTAIN = 0, 1, 2
READY_BITMAP = (1 << 2).to_bytes(32, "big")  # TimelockController.OperationState.Ready
MAX_REWARD_TOKENS = 8
# the escrow's createLockFor errors the airdrop model predicts itself (as the escrow orders them, after
# its NotLockCreator check, which only this model knows about)
AIRDROP_ESCROW_ERRORS = ("AmountBelowMinimum", "UnlockTimeNotInFuture", "UnlockTimeTooLate")
# the airdrop model's state (its lock_of callback is not state)
_AIRDROP_STATE = ("balance", "claimed_total", "claimed", "paid_liquid", "locked_in", "bonuses", "swept")


def quorum_rule(past_total_supply: int, quorum_numerator: int, minimum_quorum: int) -> int:
    """SPEC 7: quorum = max(quorumNumerator * getPastTotalSupply / 100, minimumQuorum), every input as it
    stood at the proposal's snapshot."""
    return max(past_total_supply * quorum_numerator // 100, minimum_quorum)


def max_voting_power(token_supply: int) -> int:
    """The largest Staking Score that can exist: every token in a permanent lock (2x)."""
    return 2 * token_supply


def value_at(history: list, t: int) -> int:
    """The value of a checkpoint list [(timestamp, value), ...] (ascending) in force at `t`; 0 before the
    first checkpoint."""
    value = 0
    for key, v in history:
        if key <= t:
            value = v
    return value


def A(value) -> str:
    return to_checksum_address(getattr(value, "address", value))


def err(name: str, *typed) -> ExpectedError:
    """err("Name", ("address", x), ("uint256", y))."""
    return ExpectedError(name, tuple(t for t, _ in typed), tuple(v for _, v in typed))


def bitmap(*states: int) -> bytes:
    return sum(1 << s for s in states).to_bytes(32, "big")


class Revert(Exception):
    """The chain must revert with exactly `error`."""

    def __init__(self, error: ExpectedError):
        super().__init__(str(error))
        self.error = error


def insufficient(account, balance: int, needed: int) -> Revert:
    return Revert(err("ERC20InsufficientBalance", ("address", account), ("uint256", balance), ("uint256", needed)))


def insufficient_allowance(spender, allowance: int, needed: int) -> Revert:
    return Revert(err("ERC20InsufficientAllowance", ("address", spender), ("uint256", allowance), ("uint256", needed)))


@dataclass
class ProposalModel:
    id: int
    proposer: str
    actions: list  # abstract actions, see SystemModel._check_action
    targets: list
    values: list
    calldatas: list  # bytes
    description: str
    snapshot: int
    duration: int
    extended: int = 0
    votes: list = field(default_factory=lambda: [0, 0, 0])  # against, for, abstain
    voters: dict = field(default_factory=dict)  # voter -> (support, weight)
    eta: int = 0
    executed: bool = False
    canceled: bool = False

    @property
    def description_hash(self) -> bytes:
        return keccak(text=self.description)

    def deadline(self) -> int:
        return max(self.snapshot + self.duration, self.extended)


class SystemModel:
    def __init__(self, *, token, token2, escrow, distributor, governor, timelock, start_week: int,
                 bps: int, balances: dict, supplies: dict, governor_settings: dict, quorum_numerator: int,
                 minimum_quorum: int, timelock_delay: int, escrow_allowances: dict | None = None):
        self.token, self.token2 = A(token), A(token2)
        self.escrow_addr, self.dist_addr = A(escrow), A(distributor)
        self.governor_addr, self.timelock_addr = A(governor), A(timelock)
        # token -> address -> balance (every address that can hold either token)
        self.balances = {A(t): {A(a): v for a, v in b.items()} for t, b in balances.items()}
        self.supply = {A(t): v for t, v in supplies.items()}
        self.initial_supply = dict(self.supply)
        self.escrow = EscrowModel(bps=bps, distributor_set=True)
        self.escrow._record(0)
        self.first_lock: dict = {}
        self._sup_cache: dict = {}
        self.dist = DistributorModel(start_week, self.token, self.supply_at, self.balance_at, self.first_lock_of)
        self.reward_list = [self.token]  # order as the contract keeps it (push, swap-and-pop)
        self.auto = self.dist.auto  # account -> opted in to auto-compounding (the distributor model's)
        # staking-token allowance each address gave the escrow (what createLock* pulls against)
        self.escrow_allowance = {A(a): v for a, v in (escrow_allowances or {}).items()}
        self.claimed: dict = {}  # (account, token) -> total claimed (paid or reinvested)
        self.settings = dict(governor_settings)  # votingDelay, votingPeriod, proposalThreshold, lateQuorumVoteExtension
        self.quorum_history = [(0, quorum_numerator)]
        self.minimum_quorum_history = [(0, minimum_quorum)]
        self.timelock_delay = timelock_delay
        self.proposals: dict = {}
        # proposal quotas (SPEC 5.5): the levels table comes with attach_services
        self.quotas = QuotaModel()
        self.executed_changes: list = []  # (time, proposal id, action) of every executed parameter change
        self.airdrop = None  # AirdropModel, with attach_airdrop
        self.airdrop_addr = None

    # ---------------------------------------------------------------- escrow inputs for the distributor
    def supply_at(self, t: int) -> int:
        if t not in self._sup_cache:
            self._sup_cache[t] = self.escrow.total_supply_at(t)
        return self._sup_cache[t]

    def balance_at(self, account, t: int) -> int:
        return self.escrow.balance_of_at(A(account), t)

    def first_lock_of(self, account):
        return self.first_lock.get(A(account))

    # ---------------------------------------------------------------- tokens
    def balance(self, token, account) -> int:
        return self.balances[A(token)].get(A(account), 0)

    def _check_balance(self, token, account, amount: int) -> None:
        bal = self.balance(token, account)
        if bal < amount:
            raise insufficient(A(account), bal, amount)

    def _move(self, token, frm, to, amount: int) -> None:
        token, frm, to = A(token), A(frm), A(to)
        self._check_balance(token, frm, amount)
        self.balances[token][frm] = self.balances[token].get(frm, 0) - amount
        self.balances[token][to] = self.balances[token].get(to, 0) + amount

    def burn(self, account, amount: int, now: int) -> None:
        self._check_balance(self.token, account, amount)
        self.balances[self.token][A(account)] -= amount
        self.supply[self.token] -= amount

    # ---------------------------------------------------------------- escrow
    def _escrow_save(self):
        return self.escrow.save()

    def _escrow_restore(self, saved) -> None:
        self.escrow.restore(saved)

    def _pull(self, payer, amount: int) -> None:
        """The escrow's transferFrom of `amount` staking tokens from `payer` (OpenZeppelin ERC20: the
        allowance is checked, and spent unless infinite, before the balance)."""
        payer = A(payer)
        allowance = self.escrow_allowance.get(payer, 0)
        if allowance < amount:
            raise insufficient_allowance(self.escrow_addr, allowance, amount)
        self._move(self.token, payer, self.escrow_addr, amount)
        if allowance != MAX_UINT256:
            self.escrow_allowance[payer] = allowance - amount

    def approve_escrow(self, owner, amount: int) -> None:
        """`token.approve(escrow, amount)`, or a permit that the token accepted."""
        self.escrow_allowance[A(owner)] = amount

    def _escrow_call(self, fn):
        """`fn()` on the escrow model; its exact error (tests/models/escrow_model.py) is the chain's."""
        try:
            return fn()
        except ModelRevert as exc:
            raise Revert(exc.error) from None

    def lock_of(self, account) -> Lock:
        return self.escrow.lock(A(account))

    def has_active_lock(self, account, now: int) -> bool:
        lock = self.lock_of(account)
        return lock.amount != 0 and (lock.permanent or lock.end > now)

    def create_lock(self, payer, owner, amount: int, unlock: int, now: int, via_create_for: bool | None = None,
                    permit: bool = False) -> Lock:
        """createLock (payer == owner), createLockFor (`via_create_for`, the default when they differ) or
        createLockWithPermit (`permit`: a permit for `amount` the token accepted, so the allowance is
        `amount` before the pull; a rejected permit changes nothing)."""
        payer, owner = A(payer), A(owner)
        if via_create_for is None:
            via_create_for = payer != owner
        saved = self._escrow_save()
        allowance = self.escrow_allowance.get(payer, 0)
        if via_create_for:
            fn = lambda: self.escrow.create_lock_for(payer, owner, amount, unlock, now)  # noqa: E731
        else:
            fn = lambda: self.escrow.create_lock(owner, amount, unlock, now)  # noqa: E731
        lock = self._escrow_call(fn)
        try:
            if permit:
                self.approve_escrow(payer, amount)
            self._pull(payer, amount)
        except Revert:
            self._escrow_restore(saved)
            self.escrow_allowance[payer] = allowance
            raise
        self.first_lock.setdefault(owner, now)
        return lock

    def increase_amount(self, payer, owner, amount: int, now: int, permit: bool = False) -> Lock:
        payer, owner = A(payer), A(owner)
        saved = self._escrow_save()
        allowance = self.escrow_allowance.get(payer, 0)
        lock = self._escrow_call(lambda: self.escrow.increase_amount(owner, amount, now))
        try:
            if permit:
                self.approve_escrow(payer, amount)
            self._pull(payer, amount)
        except Revert:
            self._escrow_restore(saved)
            self.escrow_allowance[payer] = allowance
            raise
        return lock

    def set_lock_creator(self, account, creator, approved: bool) -> None:
        account = A(account)
        self._escrow_call(lambda: self.escrow.set_lock_creator(account, A(creator), approved))

    def set_trusted_lock_creator(self, creator, trusted: bool) -> None:
        self._escrow_call(lambda: self.escrow.set_trusted_lock_creator(A(creator), trusted))

    def poke(self, accounts, now: int) -> list:
        """`poke(accounts)` at `now`: (account, votes at its latest checkpoint, votes now) per account."""
        accounts = [A(a) for a in accounts]
        if len(accounts) > MAX_POKE_ACCOUNTS:
            raise Revert(err("TooManyAccounts", ("uint256", len(accounts)), ("uint256", MAX_POKE_ACCOUNTS)))
        return [(a, self.escrow.votes_at_last_change(a), self.escrow.votes(a, now)) for a in accounts]

    def increase_unlock_time(self, account, unlock: int, now: int) -> Lock:
        account = A(account)
        return self._escrow_call(lambda: self.escrow.increase_unlock_time(account, unlock, now))

    def withdraw(self, account, now: int) -> int:
        account = A(account)
        amount = self._escrow_call(lambda: self.escrow.withdraw(account, now))
        self._move(self.token, self.escrow_addr, account, amount)
        return amount

    def withdraw_early(self, account, now: int) -> tuple[int, int, int, int]:
        """(paid to the account, penalty, the penalty's week, score excluded from that week's pool)."""
        account = A(account)
        paid, fee = self._escrow_call(lambda: self.escrow.withdraw_early(account, now))
        if fee:
            self._move(self.token, self.escrow_addr, self.dist_addr, fee)
        week, excluded = self.dist.penalty(account, fee, now)  # every exit is recorded, even with no penalty
        self._move(self.token, self.escrow_addr, account, paid)
        return paid, fee, week, excluded

    def lock_permanent(self, account, now: int) -> Lock:
        account = A(account)
        return self._escrow_call(lambda: self.escrow.lock_permanent(account, now))

    def unlock_permanent(self, account, now: int) -> Lock:
        account = A(account)
        return self._escrow_call(lambda: self.escrow.unlock_permanent(account, now))

    def delegate(self, account, to, now: int) -> None:
        account, to = A(account), A(to)
        self._escrow_call(lambda: self.escrow.delegate(account, to, now))

    # ---------------------------------------------------------------- distributor
    def is_active_reward(self, token) -> bool:
        s = self.dist.tokens.get(A(token))
        return bool(s and s.active)

    def is_listed(self, token) -> bool:
        return A(token) in self.dist.tokens

    def deposit(self, sender, token, amount: int, now: int) -> int:
        token = A(token)
        if amount == 0:
            raise Revert(err("ZeroAmount"))
        if not self.is_active_reward(token):
            raise Revert(err("TokenNotActive", ("address", token)))
        self._move(token, sender, self.dist_addr, amount)
        return self.dist.deposit(token, amount, now)

    def send_and_checkpoint(self, sender, token, amount: int, now: int) -> int:
        """A direct transfer (its own block, earlier) followed by checkpointToken at `now`."""
        token = A(token)
        if not self.is_active_reward(token):
            raise Revert(err("TokenNotActive", ("address", token)))
        return self.dist.checkpoint(token, self.balance(token, self.dist_addr), now)

    def _check_claim_list(self, tokens) -> list:
        tokens = [A(t) for t in tokens]
        for i, t in enumerate(tokens):
            if t in tokens[:i]:
                raise Revert(err("DuplicateToken", ("address", t)))
            if not self.is_listed(t):
                raise Revert(err("TokenNeverListed", ("address", t)))
        return tokens

    def _claim_one(self, account, token, now: int, reinvest: bool) -> int:
        amount = self.dist.claim(account, token, now)
        if amount:
            if reinvest:
                self._move(token, self.dist_addr, self.escrow_addr, amount)
                self.escrow.increase_amount(account, amount, now)
            else:
                self._move(token, self.dist_addr, account, amount)
        key = (account, token)
        self.claimed[key] = self.claimed.get(key, 0) + amount
        return amount

    def claim(self, account, tokens, now: int) -> list:
        account = A(account)
        tokens = self._check_claim_list(tokens)
        return [self._claim_one(account, t, now, False) for t in tokens]

    def claim_and_lock(self, account, now: int) -> int:
        account = A(account)
        if not self.has_active_lock(account, now):
            raise Revert(err("NoActiveLock", ("address", account)))
        return self._claim_one(account, self.token, now, True)

    def claim_for(self, caller, account, tokens, now: int) -> tuple[list, bool]:
        caller, account = A(caller), A(account)
        if account == ZERO_ADDRESS:
            raise Revert(err("ZeroAddress"))
        reinvest = self.dist.reinvests(account, caller, self.has_active_lock(account, now))
        tokens = self._check_claim_list(tokens)
        return [self._claim_one(account, t, now, reinvest and t == self.token) for t in tokens], reinvest

    def set_auto_compound(self, account, enabled: bool) -> None:
        self.dist.set_auto_compound(A(account), enabled)

    def set_keeper(self, account, keeper, approved: bool) -> None:
        if A(keeper) == ZERO_ADDRESS:
            raise Revert(err("ZeroAddress"))
        self.dist.set_keeper(A(account), A(keeper), approved)

    # ---------------------------------------------------------------- governor
    def quorum_numerator_at(self, t: int) -> int:
        return value_at(self.quorum_history, t)

    def minimum_quorum_at(self, t: int) -> int:
        return value_at(self.minimum_quorum_history, t)

    def quorum(self, t: int) -> int:
        return quorum_rule(self.supply_at(t), self.quorum_numerator_at(t), self.minimum_quorum_at(t))

    def votes_at(self, account, t: int) -> int:
        return self.escrow.past_votes(A(account), t)

    def state(self, p: ProposalModel, now: int) -> int:
        if p.executed:
            return EXECUTED
        if p.canceled:
            return CANCELED
        if p.snapshot >= now:
            return PENDING
        if p.deadline() >= now:
            return ACTIVE
        if not self._quorum_reached(p) or not p.votes[FOR] > p.votes[AGAINST]:
            return DEFEATED
        if p.eta == 0:
            return SUCCEEDED
        return QUEUED

    def _quorum_reached(self, p: ProposalModel) -> bool:
        return self.quorum(p.snapshot) <= p.votes[FOR] + p.votes[ABSTAIN]

    def _state_error(self, p: ProposalModel, now: int, allowed: bytes) -> Revert:
        return Revert(err("GovernorUnexpectedProposalState", ("uint256", p.id), ("uint8", self.state(p, now)),
                          ("bytes32", allowed)))

    @staticmethod
    def proposal_id(targets, values, calldatas, description: str) -> int:
        encoded = abi_encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32"],
            [[A(t) for t in targets], list(values), [bytes(c) for c in calldatas], keccak(text=description)],
        )
        return int.from_bytes(keccak(encoded), "big")

    def operation_id(self, p: ProposalModel) -> bytes:
        salt = (int(self.governor_addr, 16) << 96 ^ int.from_bytes(p.description_hash, "big")).to_bytes(32, "big")
        return keccak(abi_encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
            [[A(t) for t in p.targets], list(p.values), [bytes(c) for c in p.calldatas], ZERO_BYTES32, salt],
        ))

    def propose(self, proposer, actions, targets, values, calldatas, description: str, now: int) -> ProposalModel:
        proposer = A(proposer)
        threshold = self.settings["proposalThreshold"]
        if threshold > 0:
            votes = self.votes_at(proposer, now - 1)
            if votes < threshold:
                raise Revert(err("GovernorInsufficientProposerVotes", ("address", proposer), ("uint256", votes),
                                 ("uint256", threshold)))
        quota_error = self.quotas.check(proposer, now, self.escrow.balance_of_at(proposer, now - 1))  # checked before the duplicate, as the governor does
        if quota_error is not None:
            raise Revert(quota_error)
        pid = self.proposal_id(targets, values, calldatas, description)
        if pid in self.proposals:
            raise self._state_error(self.proposals[pid], now, ZERO_BYTES32)
        self.quotas.propose(proposer, pid, now)
        p = ProposalModel(pid, proposer, list(actions), list(targets), list(values), list(calldatas), description,
                          snapshot=now + self.settings["votingDelay"], duration=self.settings["votingPeriod"])
        self.proposals[pid] = p
        return p

    def vote(self, voter, pid: int, support: int, now: int) -> int:
        voter = A(voter)
        p = self.proposals[pid]
        if self.state(p, now) != ACTIVE:
            raise self._state_error(p, now, bitmap(ACTIVE))
        if voter in p.voters:
            raise Revert(err("GovernorAlreadyCastVote", ("address", voter)))
        weight = self.votes_at(voter, p.snapshot)
        p.voters[voter] = (support, weight)
        p.votes[support] += weight
        if p.extended == 0 and self._quorum_reached(p):
            p.extended = now + self.settings["lateQuorumVoteExtension"]
        return weight

    def cancel(self, caller, pid: int, now: int) -> None:
        caller = A(caller)
        p = self.proposals[pid]
        if not (self.state(p, now) == PENDING and caller == p.proposer):
            raise Revert(err("GovernorUnableToCancel", ("uint256", pid), ("address", caller)))
        p.canceled = True
        self.quotas.cancel(caller, pid, now)

    def queue(self, pid: int, now: int) -> int:
        p = self.proposals[pid]
        if self.state(p, now) != SUCCEEDED:
            raise self._state_error(p, now, bitmap(SUCCEEDED))
        p.eta = now + self.timelock_delay
        return p.eta

    def execute(self, pid: int, now: int) -> None:
        p = self.proposals[pid]
        if self.state(p, now) not in (SUCCEEDED, QUEUED):
            raise self._state_error(p, now, bitmap(SUCCEEDED, QUEUED))
        if p.eta == 0 or now < p.eta:
            raise Revert(err("TimelockUnexpectedOperationState", ("bytes32", self.operation_id(p)),
                             ("bytes32", READY_BITMAP)))
        # every action is checked on scratch copies first: one failing action reverts the whole proposal
        scratch = {"rewards": list(self.reward_list),
                   "active": {t for t in self.reward_list},
                   "bal": {t: dict(b) for t, b in self.balances.items()}}
        for action in p.actions:
            self._check_action(action, scratch)
        for action in p.actions:
            self._apply_action(action, now, pid)
        p.executed = True

    def _check_action(self, action, s) -> None:
        kind = action[0]
        if kind == "add_reward":
            tok = A(action[1])
            if tok in s["active"]:
                raise Revert(err("TokenAlreadyActive", ("address", tok)))
            if len(s["rewards"]) >= MAX_REWARD_TOKENS:
                raise Revert(err("TooManyRewardTokens"))
            s["active"].add(tok)
            s["rewards"].append(tok)
        elif kind == "remove_reward":
            tok = A(action[1])
            if tok == self.token:
                raise Revert(err("CannotRemoveStakingToken"))
            if tok not in s["active"]:
                raise Revert(err("TokenNotActive", ("address", tok)))
            s["active"].discard(tok)
            s["rewards"].remove(tok)
        elif kind == "grant":
            _, tok, to, amount = action
            tok, to = A(tok), A(to)
            bal = s["bal"][tok].get(self.timelock_addr, 0)
            if bal < amount:
                raise insufficient(self.timelock_addr, bal, amount)
            s["bal"][tok][self.timelock_addr] = bal - amount
            s["bal"][tok][to] = s["bal"][tok].get(to, 0) + amount
        elif kind == "set":
            _, name, value = action
            if name == "votingPeriod" and value == 0:
                raise Revert(err("GovernorInvalidVotingPeriod", ("uint256", 0)))
            if name == "quorumNumerator" and value > 100:
                raise Revert(err("GovernorInvalidQuorumFraction", ("uint256", value), ("uint256", 100)))
            if name == "minimumQuorum" and value > max_voting_power(self.supply[self.token]):
                raise Revert(err("GovernorMinimumQuorumUnreachable", ("uint256", value),
                                 ("uint256", max_voting_power(self.supply[self.token]))))
        elif kind == "create_plan":
            _, tok, price, period = action
            if price == 0 or period == 0:
                raise Revert(err("InvalidPlan"))
            if A(tok) not in s["active"]:
                raise Revert(err("NotRewardToken", ("address", A(tok))))
        elif kind == "plan_price":
            _, plan_id, price = action
            if plan_id not in self.access.plans:
                raise Revert(err("UnknownPlan", ("uint256", plan_id)))
            if price == 0:
                raise Revert(err("InvalidPlan"))
        elif kind == "split":
            if sum(action[1:]) != 10_000:
                raise Revert(err("InvalidSplit"))
        elif kind in ("delay", "trust_creator"):
            pass
        else:  # pragma: no cover
            raise ValueError(action)

    def _apply_action(self, action, now: int, pid: int) -> None:
        kind = action[0]
        if kind == "add_reward":
            tok = A(action[1])
            self.reward_list.append(tok)
            self.dist.add_token(tok, now)
        elif kind == "remove_reward":
            tok = A(action[1])
            i = self.reward_list.index(tok)
            self.reward_list[i] = self.reward_list[-1]
            self.reward_list.pop()
            self.dist.remove_token(tok)
        elif kind == "grant":
            _, tok, to, amount = action
            self._move(tok, self.timelock_addr, to, amount)
        elif kind == "set":
            _, name, value = action
            if name in ("quorumNumerator", "minimumQuorum"):
                # checkpointed by timestamp like the contract: a second change in one block overwrites
                history = self.quorum_history if name == "quorumNumerator" else self.minimum_quorum_history
                if history[-1][0] == now:
                    history[-1] = (now, value)
                else:
                    history.append((now, value))
            else:
                self.settings[name] = value
        elif kind == "delay":
            self.timelock_delay = action[1]
        elif kind == "trust_creator":
            _, creator, trusted = action
            self.escrow.set_trusted_lock_creator(A(creator), trusted)
        elif kind == "create_plan":
            _, tok, price, period = action
            self.access.create_plan(A(tok), price, period)
        elif kind == "plan_price":
            self.access.set_plan_price(action[1], action[2])
        elif kind == "split":
            self.access.set_revenue_split(*action[1:])
        if kind != "grant":
            self.executed_changes.append((now, pid, action))


    # ---------------------------------------------------------------- services (SPEC 5.1, 5.2)
    def attach_services(self, access, thresholds, benefits, split: tuple, withdrawal_delay: int, plans: dict) -> None:
        """The deployed StakingLevels table and ServiceAccess (its split, delay and plans as read from
        the chain); levels and locks come from this model's escrow, pay tokens from its reward list."""
        self.access_addr = A(access)
        self.thresholds = list(thresholds)
        self.benefits = [list(table) for table in benefits]
        self.services_now = 0  # the block time of the call being modelled (levels are read "now")
        self.quotas.set_levels(LevelsModel(thresholds=tuple(thresholds), benefits=Benefits.from_tuple(benefits)))
        stakers, treasury, burn = split
        self.access = ServiceAccessModel(
            staking_token=self.token, reward_tokens=self.reward_list, lock_of=self._lock_tuple,
            level_of=self._level_now, platform_discount_bps=self._platform_discount, referral_bps=self._referral_bps,
            stakers_bps=stakers, treasury_bps=treasury, burn_bps=burn, withdrawal_delay=withdrawal_delay,
        )
        for plan_id, (pay_token, price, period, active) in plans.items():
            assert self.access.create_plan(A(pay_token), price, period) == plan_id
            self.access.set_plan_active(plan_id, active)

    def _lock_tuple(self, account):
        lock = self.lock_of(account)
        return (lock.amount, lock.end, lock.permanent)

    def level_at(self, account, t: int) -> int:
        return level_for_score(self.escrow.balance_of_at(A(account), t), self.thresholds)

    def _level_now(self, account) -> int:
        return self.level_at(account, self.services_now)

    def _platform_discount(self, level: int) -> int:
        return self.benefits[0][level - 1] if level else 0

    def _referral_bps(self, level: int) -> int:
        return self.benefits[2][level - 1] if level else 0

    # the access model's state (its callbacks and the shared reward list are not state)
    _ACCESS_STATE = ("stakers_bps", "treasury_bps", "burn_bps", "withdrawal_delay", "plans", "access", "referrer",
                     "credits", "spent", "requests", "ledger", "deposited", "withdrawn", "referral_income")

    def _access_saved(self) -> dict:
        return deepcopy({name: getattr(self.access, name) for name in self._ACCESS_STATE})

    def _access_restore(self, saved: dict) -> None:
        for name, value in saved.items():
            setattr(self.access, name, value)

    def _access_call(self, now: int, fn):
        """`fn()` on the access model at `now`, all or nothing: on a revert (the access model's, or a
        balance `_move` refuses before moving anything) the access model's state is restored."""
        self.services_now = now
        saved = self._access_saved()
        try:
            return fn()
        except ModelRevert as exc:
            self._access_restore(saved)
            raise Revert(exc.error) from None
        except Revert:
            self._access_restore(saved)
            raise

    def _pay_in(self, payer, token, amount: int) -> None:
        """ServiceAccess pulls `amount` from `payer` (its allowance is unlimited in the system world);
        an insufficient balance reverts with the token's error, as the pull comes after every check."""
        if amount:
            self._move(token, payer, self.access_addr, amount)

    def _pay_out(self, token, result, referrer) -> None:
        """A payment's split, from ServiceAccess's balance: stakers through depositRevenue, the burn,
        the referrer and the treasury (the timelock)."""
        if result is None:
            return
        token = A(token)
        if result.stakers:
            self._move(token, self.access_addr, self.dist_addr, result.stakers)
            self.dist.deposit(token, result.stakers, self.services_now)
        if result.burned:
            self.balances[token][self.access_addr] -= result.burned
            self.supply[token] -= result.burned
        if result.referral:
            self._move(token, self.access_addr, referrer, result.referral)
        if result.treasury:
            self._move(token, self.access_addr, self.timelock_addr, result.treasury)

    def subscribe(self, payer, account, plan_id: int, periods: int, referrer, max_cost: int, now: int):
        """(accessUntil, cost, split) of `subscribe`/`subscribeFor`."""
        payer, account, referrer = A(payer), A(account), A(referrer)

        def pay():
            until, cost, result = self.access.subscribe(payer, account, plan_id, periods, referrer, max_cost, now)
            self._pay_in(payer, self.access.plans[plan_id].pay_token, cost)
            return until, cost, result

        until, cost, result = self._access_call(now, pay)
        self._pay_out(self.access.plans[plan_id].pay_token, result, self.access.referrer.get(account))
        return until, cost, result

    def deposit_credits(self, payer, account, token, amount: int, now: int) -> None:
        payer, account, token = A(payer), A(account), A(token)
        self._access_call(now, lambda: (self.access.deposit(payer, account, token, amount),
                                        self._pay_in(payer, token, amount)))

    def redeem_usage(self, account, token, cumulative: int, deadline: int, signature_valid: bool, now: int) -> int:
        receipt = Receipt(A(account), A(token), cumulative, deadline, signature_valid)
        charge, result = self._access_call(now, lambda: self.access.redeem(receipt, now))
        self._pay_out(token, result, None)
        return charge

    def request_withdrawal(self, account, token, now: int) -> int:
        return self._access_call(now, lambda: self.access.request_withdrawal(A(account), A(token), now))

    def withdraw_credits(self, account, token, now: int) -> int:
        amount = self._access_call(now, lambda: self.access.withdraw(A(account), A(token), now))
        if amount:
            self._move(token, self.access_addr, account, amount)
        return amount

    # ---------------------------------------------------------------- community airdrop (SPEC 5.4)
    def attach_airdrop(self, airdrop, allocations: dict, airdrop_total: int, claim_deadline: int,
                       max_lock_bonus_bps: int) -> None:
        """The deployed CommunityAirdrop (treasury: the timelock), funded already: its balance here is
        what it holds. Locks come from this model's escrow."""
        self.airdrop_addr = A(airdrop)
        self.airdrop = AirdropModel({A(a): v for a, v in allocations.items()}, airdrop_total, claim_deadline,
                                    max_lock_bonus_bps, self._lock_tuple)
        self.airdrop.fund(self.balance(self.token, airdrop))

    def airdrop_claim(self, account, amount: int, proof_ok: bool, now: int) -> int:
        """`claim(account, amount, proof)` by anyone: the amount paid to `account`."""
        account = A(account)
        try:
            paid = self.airdrop.claim(account, amount, proof_ok, now)
        except ModelRevert as exc:
            raise Revert(exc.error) from None
        self._move(self.token, self.airdrop_addr, account, paid)
        return paid

    def airdrop_claim_and_lock(self, account, amount: int, proof_ok: bool, unlock: int, now: int,
                               signed: bool = False, deadline: int = 0, signature_ok: bool = True):
        """`claimAndLock` (by the account) or `claimAndLockBySig` (`signed`): (bonus, lock end as the
        event reports it, lock kind). The airdrop model decides the claim, the bonus and the lock kind;
        the tokens then go in through this model's createLockFor (a new lock, the airdrop a trusted
        creator) or depositFor (an active or permanent lock), pulled from the airdrop after its
        forceApprove of exactly amount + bonus."""
        account, d = A(account), self.airdrop
        saved = {name: copy(getattr(d, name)) for name in _AIRDROP_STATE}
        try:
            bonus, end, kind = d.claim_and_lock(account, amount, proof_ok, unlock, now, signed=signed,
                                                deadline=deadline, signature_ok=signature_ok)
        except ModelRevert as exc:
            # a new lock's own checks: the escrow's NotLockCreator comes first
            if exc.name in AIRDROP_ESCROW_ERRORS and not self.escrow.may_create_for(self.airdrop_addr, account):
                raise Revert(err("NotLockCreator", ("address", self.airdrop_addr), ("address", account))) from None
            raise Revert(exc.error) from None
        total = amount + bonus
        try:
            if kind == "new":
                self.create_lock(self.airdrop_addr, account, total, unlock, now, via_create_for=True, permit=True)
            else:
                self.increase_amount(self.airdrop_addr, account, total, now, permit=True)
        except Revert:
            for name, value in saved.items():
                setattr(d, name, value)
            raise
        return bonus, end, kind

    def airdrop_sweep(self, now: int) -> int:
        """`sweep()` by anyone after the deadline: everything the airdrop holds goes to the timelock."""
        try:
            amount = self.airdrop.sweep(now)
        except ModelRevert as exc:
            raise Revert(exc.error) from None
        self._move(self.token, self.airdrop_addr, self.timelock_addr, amount)
        return amount
