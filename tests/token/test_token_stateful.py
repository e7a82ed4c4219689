"""Stateful test: random sequences of transfer / approve / transferFrom / burn / burnFrom (plus permit from
keyed accounts) over 12 accounts and the zero address, checked step by step against the reference model
(tests/models/token_model.py).

A step the model rejects must revert with exactly the model's custom error (raw revert data compared byte
for byte); a step the model accepts must succeed and emit exactly the expected events. After every step the
invariants compare every balance, every ordered-pair allowance, every nonce and the total supply with the
model, and check sum(balances) == totalSupply.
"""

from collections import Counter

from brownie import chain
from brownie.test import strategy
from eth_utils import keccak
from hypothesis import strategies as st

from harness.core.signing import sign_permit
from harness.core.units import MAX_UINT256, ZERO_ADDRESS
from tests.models.token_model import TokenModel, addr, permit_digest, recover_signer
from tests.support.profiles import machine_settings
from tests.support.reverts import reverts


def resolve(amount, reference: int) -> int:
    """Turn a drawn amount into a value: a per-mille fraction of `reference` (a balance or allowance: valid),
    just over it (always invalid), an absolute value, or 2**256-1."""
    kind, value = amount
    if kind == "permille":
        return reference * value // 1000
    if kind == "over":
        return reference + value
    if kind == "abs":
        return value
    return MAX_UINT256


class TokenMachine:
    # indices into `actors`; index len(actors) stands for the zero address where a target may be zero
    st_actor = strategy("uint8", max_value=11)
    st_target = strategy("uint8", max_value=12)
    st_keyed = strategy("uint8", max_value=1)
    st_pick = strategy("uint16")
    st_holder = strategy("uint8", max_value=8)  # actors[0..8] hold tokens at the start
    # cheap draws on purpose: a long run must stay inside hypothesis' 8 KiB buffer (an overrun run is
    # thrown away and replaced, which multiplies the work)
    st_amount = st.one_of(
        st.tuples(st.just("permille"), st.one_of(st.integers(min_value=0, max_value=1000), st.just(1000))),
        st.tuples(st.just("over"), st.integers(min_value=1, max_value=2**64)),
        st.tuples(st.just("abs"), st.integers(min_value=0, max_value=10**27)),
        st.tuples(st.just("max"), st.just(None)),
    )
    outcomes = Counter()  # over all runs: what the steps did (mutated in place, checked after the runs)
    st_permit = st.sampled_from(["valid", "valid", "expired", "wrong_signer", "stale_nonce", "future_nonce"])

    def __init__(cls, token, actors, keys, allocation, token_state):
        cls.token = token
        cls.actors = actors  # brownie accounts (12)
        cls.keys = keys  # [(account, private key)] for permits
        cls.allocation = allocation
        cls.token_state = staticmethod(token_state)  # a plain function, not a method
        cls.addresses = [a.address for a in actors] + [ZERO_ADDRESS]
        cls.chain_id = chain.id
        cls.name = token.name()

    st_grants = st.lists(st.tuples(st_actor, st_actor, st_amount), max_size=6)

    def setup(self):
        self.model = TokenModel.deploy(*self.allocation)
        self.outcomes["runs"] += 1

    def _target(self, index):
        return self.addresses[index]

    def _expect(self, error, send, events):
        """Send the transaction; it must revert with `error`, or (None) succeed with exactly `events`."""
        if error is None:
            tx = send()
            assert [(e.name, dict(e)) for e in tx.events] == events
            self.outcomes[f"{tx.fn_name} ok"] += 1
        else:
            with reverts(error):
                send()
            self.outcomes[error.name] += 1

    def initialize_allowances(self, grants="st_grants", infinite_owner="st_holder", infinite_spender="st_actor"):
        """Start each run with some allowances (any kind of amount) and one infinite allowance from a holder,
        so transferFrom/burnFrom often pass and the never-spent 2**256-1 allowance gets exercised."""
        for owner, spender, amount in grants:
            self.rule_approve(owner, spender, amount)
        self.rule_approve(infinite_owner, infinite_spender, ("max", None))

    # --- rules -------------------------------------------------------------------------------------------
    def rule_transfer(self, sender="st_actor", to="st_target", amount="st_amount"):
        sender, to = self.actors[sender], self._target(to)
        value = resolve(amount, self.model.balance_of(sender))
        error = self.model.transfer(sender, to, value)
        events = [("Transfer", {"from": sender.address, "to": to, "value": value})]
        self._expect(error, lambda: self.token.transfer(to, value, {"from": sender}), events)

    def rule_approve(self, owner="st_actor", spender="st_target", amount="st_amount"):
        owner, spender = self.actors[owner], self._target(spender)
        value = resolve(amount, self.model.balance_of(owner))
        error = self.model.approve(owner, spender, value)
        events = [("Approval", {"owner": owner.address, "spender": spender, "value": value})]
        self._expect(error, lambda: self.token.approve(spender, value, {"from": owner}), events)

    def rule_transfer_from(self, spender="st_actor", owner="st_target", to="st_target", amount="st_amount"):
        spender, owner, to = self.actors[spender], self._target(owner), self._target(to)
        reference = min(self.model.allowance(owner, spender), self.model.balance_of(owner))
        value = resolve(amount, reference)
        error = self.model.transfer_from(spender, owner, to, value)
        events = [("Transfer", {"from": owner, "to": to, "value": value})]
        self._expect(error, lambda: self.token.transferFrom(owner, to, value, {"from": spender}), events)

    def _approved_pair(self, pick):
        """An (owner index, spender index) with a non-zero allowance in the model, or None."""
        index = {a: i for i, a in enumerate(self.addresses)}
        pairs = sorted((index[o], index[s]) for (o, s), v in self.model.allowances.items() if v > 0)
        return pairs[pick % len(pairs)] if pairs else None

    def rule_transfer_from_approved(self, pick="st_pick", to="st_target", amount="st_amount"):
        """transferFrom on a pair that has an allowance (random pairs rarely do)."""
        pair = self._approved_pair(pick)
        if pair is not None:
            self.rule_transfer_from(pair[1], pair[0], to, amount)

    def rule_burn_from_approved(self, pick="st_pick", amount="st_amount"):
        pair = self._approved_pair(pick)
        if pair is not None:
            self.rule_burn_from(pair[1], pair[0], amount)

    def rule_burn(self, holder="st_actor", amount="st_amount"):
        holder = self.actors[holder]
        value = resolve(amount, self.model.balance_of(holder))
        error = self.model.burn(holder, value)
        events = [("Transfer", {"from": holder.address, "to": ZERO_ADDRESS, "value": value})]
        self._expect(error, lambda: self.token.burn(value, {"from": holder}), events)

    def rule_burn_from(self, spender="st_actor", owner="st_target", amount="st_amount"):
        spender, owner = self.actors[spender], self._target(owner)
        reference = min(self.model.allowance(owner, spender), self.model.balance_of(owner))
        value = resolve(amount, reference)
        error = self.model.burn_from(spender, owner, value)
        events = [("Transfer", {"from": owner, "to": ZERO_ADDRESS, "value": value})]
        self._expect(error, lambda: self.token.burnFrom(owner, value, {"from": spender}), events)

    def rule_permit(self, owner="st_keyed", spender="st_target", amount="st_amount", kind="st_permit", relayer="st_actor"):
        owner, key = self.keys[owner]
        spender, relayer = self._target(spender), self.actors[relayer]
        value = resolve(amount, self.model.balance_of(owner))
        nonce = self.model.nonce(owner)
        deadline = 1 if kind == "expired" else 2**64
        signed_nonce = {"stale_nonce": nonce - 1, "future_nonce": nonce + 1}.get(kind, nonce)
        signing_key = self.keys[1 - self.keys.index((owner, key))][1] if kind == "wrong_signer" else key
        if signed_nonce < 0:
            signed_nonce = nonce + 2
        v, r, s = sign_permit(
            signing_key, self.name, self.token.address, self.chain_id, addr(owner), addr(spender), value, signed_nonce, deadline
        )
        # the address the contract recovers: from the digest it builds (current nonce, given deadline)
        digest = permit_digest(self.name, self.chain_id, self.token, owner, spender, value, nonce, deadline)
        signer = recover_signer(digest, v, r, s)
        if kind in ("valid", "expired"):  # correctly signed (the expired one fails on its deadline)
            assert signer == owner.address
        else:
            assert signer != owner.address
        error = self.model.permit(owner, spender, value, deadline, chain[-1].timestamp, signer)
        events = [("Approval", {"owner": owner.address, "spender": spender, "value": value})]
        self._expect(
            error,
            lambda: self.token.permit(owner, spender, value, deadline, v, r, s, {"from": relayer}),
            events,
        )

    # --- invariants --------------------------------------------------------------------------------------
    def invariant_state_equals_model(self):
        balances, allowances, nonces, supply = self.token_state(self.token, self.addresses)
        for a in self.addresses:
            assert balances[a] == self.model.balance_of(a), f"balance of {a}"
            assert nonces[a] == self.model.nonce(a), f"nonce of {a}"
            for b in self.addresses:
                assert allowances[(a, b)] == self.model.allowance(a, b), f"allowance {a} -> {b}"
        assert supply == self.model.total_supply
        assert sum(balances.values()) == supply == self.model.sum_of_balances()


def test_token_state_machine(state_machine, token, deployer, holders, accounts, allocation, token_state):
    keyed = []
    for i in range(2):
        key = "0x" + keccak(text=f"service-token-stateful-{i}").hex()
        account = accounts.add(key)
        deployer.transfer(account, 10**18)  # gas money; these accounts also send transactions
        keyed.append((account, key))
    actors = list(holders) + [deployer] + [a for a, _ in keyed]
    TokenMachine.outcomes.clear()
    assert len({a.address for a in actors}) == 12
    state_machine(
        TokenMachine,
        token,
        actors,
        keyed,
        allocation,
        token_state,
        settings=machine_settings("token"),
    )
    outcomes = TokenMachine.outcomes
    print("state machine outcomes:", dict(outcomes))
    # the runs exercised both accepted and rejected steps (not a machine that only ever reverts)
    assert sum(n for k, n in outcomes.items() if k.endswith(" ok")) > 0
    assert outcomes["ERC20InsufficientBalance"] > 0
    assert outcomes["ERC20InsufficientAllowance"] > 0
