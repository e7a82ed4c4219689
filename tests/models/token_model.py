"""Plain-Python reference model of ServiceToken (OpenZeppelin 5.4 ERC20 + ERC20Burnable + ERC20Permit).

The model holds balances, allowances, nonces and the total supply, applies every state-changing call the
way the contract does and, for a call the contract must reject, returns the exact custom error it must
revert with (and changes nothing). Errors are `ExpectedError` values that ABI-encode themselves
(selector + arguments), so a test can compare a revert's raw return data byte for byte.

Order of checks, as in OpenZeppelin 5.4:
- `transfer(to, v)`: receiver != 0, then balance >= v.
- `transferFrom(from, to, v)`: allowance first (`_spendAllowance`; an allowance of 2**256-1 is never spent;
  a finite allowance is re-written through `_approve(..., emitEvent=false)`, which rejects `from == 0`
  even for v == 0), then the transfer checks.
- `burn(v)`: balance >= v. `burnFrom(a, v)`: allowance as above, then `a != 0`, then balance.
- `approve(spender, v)`: spender != 0.
- `permit`: deadline (`block.timestamp > deadline` reverts), then signer == owner (the nonce is consumed
  only when the whole call succeeds), then spender != 0.
- constructor: lengths equal, then at least one allocation, then per allocation in order: amount != 0,
  recipient != 0, total supply does not overflow (Panic 0x11).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_abi import encode as abi_encode
from eth_utils import keccak

from harness.core.units import MAX_UINT256, ZERO_ADDRESS
from tests.models.errors import ExpectedError, addr

PANIC_OVERFLOW = 0x11


# --- the errors ServiceToken can raise -------------------------------------------------------------------
def AllocationLengthMismatch(recipients: int, amounts: int) -> ExpectedError:
    return ExpectedError("AllocationLengthMismatch", ("uint256", "uint256"), (recipients, amounts))


def NoAllocations() -> ExpectedError:
    return ExpectedError("NoAllocations", (), ())


def ZeroAllocation(index: int) -> ExpectedError:
    return ExpectedError("ZeroAllocation", ("uint256",), (index,))


def ERC20InsufficientBalance(sender, balance: int, needed: int) -> ExpectedError:
    return ExpectedError("ERC20InsufficientBalance", ("address", "uint256", "uint256"), (addr(sender), balance, needed))


def ERC20InvalidSender(sender) -> ExpectedError:
    return ExpectedError("ERC20InvalidSender", ("address",), (addr(sender),))


def ERC20InvalidReceiver(receiver) -> ExpectedError:
    return ExpectedError("ERC20InvalidReceiver", ("address",), (addr(receiver),))


def ERC20InsufficientAllowance(spender, allowance: int, needed: int) -> ExpectedError:
    return ExpectedError(
        "ERC20InsufficientAllowance", ("address", "uint256", "uint256"), (addr(spender), allowance, needed)
    )


def ERC20InvalidApprover(approver) -> ExpectedError:
    return ExpectedError("ERC20InvalidApprover", ("address",), (addr(approver),))


def ERC20InvalidSpender(spender) -> ExpectedError:
    return ExpectedError("ERC20InvalidSpender", ("address",), (addr(spender),))


def ERC2612ExpiredSignature(deadline: int) -> ExpectedError:
    return ExpectedError("ERC2612ExpiredSignature", ("uint256",), (deadline,))


def ERC2612InvalidSigner(signer, owner) -> ExpectedError:
    return ExpectedError("ERC2612InvalidSigner", ("address", "address"), (addr(signer), addr(owner)))


def ECDSAInvalidSignature() -> ExpectedError:
    return ExpectedError("ECDSAInvalidSignature", (), ())


def ECDSAInvalidSignatureS(s: bytes) -> ExpectedError:
    return ExpectedError("ECDSAInvalidSignatureS", ("bytes32",), (s,))


def Panic(code: int) -> ExpectedError:
    return ExpectedError("Panic", ("uint256",), (code,))


# --- the model -------------------------------------------------------------------------------------------
@dataclass
class TokenModel:
    """Balances, allowances, nonces and supply of one ServiceToken, keyed by checksummed address."""

    balances: dict[str, int] = field(default_factory=dict)
    allowances: dict[tuple[str, str], int] = field(default_factory=dict)
    nonces: dict[str, int] = field(default_factory=dict)
    total_supply: int = 0

    # construction ---------------------------------------------------------------------------------------
    @classmethod
    def deploy(cls, recipients, amounts) -> "TokenModel | ExpectedError":
        """The model right after the constructor, or the error the constructor must revert with."""
        recipients = [addr(r) for r in recipients]
        amounts = list(amounts)
        if len(recipients) != len(amounts):
            return AllocationLengthMismatch(len(recipients), len(amounts))
        if not recipients:
            return NoAllocations()
        model = cls()
        for index, (recipient, amount) in enumerate(zip(recipients, amounts)):
            if amount == 0:
                return ZeroAllocation(index)
            if recipient == ZERO_ADDRESS:
                return ERC20InvalidReceiver(ZERO_ADDRESS)
            if model.total_supply + amount > MAX_UINT256:
                return Panic(PANIC_OVERFLOW)
            model.total_supply += amount
            model.balances[recipient] = model.balances.get(recipient, 0) + amount
        return model

    # views ------------------------------------------------------------------------------------------------
    def balance_of(self, account) -> int:
        return self.balances.get(addr(account), 0)

    def allowance(self, owner, spender) -> int:
        return self.allowances.get((addr(owner), addr(spender)), 0)

    def nonce(self, owner) -> int:
        return self.nonces.get(addr(owner), 0)

    def sum_of_balances(self) -> int:
        return sum(self.balances.values())

    # checks (no state change) -------------------------------------------------------------------------
    def _check_update(self, sender: str, receiver: str, amount: int) -> ExpectedError | None:
        """`_transfer` / `_burn` checks: sender and receiver are already known to be valid."""
        balance = self.balance_of(sender)
        if balance < amount:
            return ERC20InsufficientBalance(sender, balance, amount)
        return None

    def _check_spend_allowance(self, owner: str, spender: str, amount: int) -> ExpectedError | None:
        current = self.allowance(owner, spender)
        if current == MAX_UINT256:
            return None
        if current < amount:
            return ERC20InsufficientAllowance(spender, current, amount)
        if owner == ZERO_ADDRESS:  # `_approve(owner, spender, current - amount, false)`
            return ERC20InvalidApprover(ZERO_ADDRESS)
        if spender == ZERO_ADDRESS:
            return ERC20InvalidSpender(ZERO_ADDRESS)
        return None

    # effects ----------------------------------------------------------------------------------------------
    def _move(self, sender: str, receiver: str, amount: int) -> None:
        if sender == ZERO_ADDRESS:
            self.total_supply += amount
        else:
            self.balances[sender] = self.balance_of(sender) - amount
        if receiver == ZERO_ADDRESS:
            self.total_supply -= amount
        else:
            self.balances[receiver] = self.balance_of(receiver) + amount

    def _spend_allowance(self, owner: str, spender: str, amount: int) -> None:
        current = self.allowance(owner, spender)
        if current != MAX_UINT256:
            self.allowances[(owner, spender)] = current - amount

    # state-changing calls: each returns None on success (state updated) or the expected error -----------
    def transfer(self, sender, to, amount: int) -> ExpectedError | None:
        sender, to = addr(sender), addr(to)
        if sender == ZERO_ADDRESS:
            return ERC20InvalidSender(ZERO_ADDRESS)
        if to == ZERO_ADDRESS:
            return ERC20InvalidReceiver(ZERO_ADDRESS)
        error = self._check_update(sender, to, amount)
        if error is None:
            self._move(sender, to, amount)
        return error

    def approve(self, owner, spender, amount: int) -> ExpectedError | None:
        owner, spender = addr(owner), addr(spender)
        if owner == ZERO_ADDRESS:
            return ERC20InvalidApprover(ZERO_ADDRESS)
        if spender == ZERO_ADDRESS:
            return ERC20InvalidSpender(ZERO_ADDRESS)
        self.allowances[(owner, spender)] = amount
        return None

    def transfer_from(self, spender, owner, to, amount: int) -> ExpectedError | None:
        spender, owner, to = addr(spender), addr(owner), addr(to)
        error = self._check_spend_allowance(owner, spender, amount)
        if error is not None:
            return error
        if owner == ZERO_ADDRESS:
            return ERC20InvalidSender(ZERO_ADDRESS)
        if to == ZERO_ADDRESS:
            return ERC20InvalidReceiver(ZERO_ADDRESS)
        error = self._check_update(owner, to, amount)
        if error is not None:
            return error
        self._spend_allowance(owner, spender, amount)
        self._move(owner, to, amount)
        return None

    def burn(self, account, amount: int) -> ExpectedError | None:
        account = addr(account)
        if account == ZERO_ADDRESS:
            return ERC20InvalidSender(ZERO_ADDRESS)
        error = self._check_update(account, ZERO_ADDRESS, amount)
        if error is None:
            self._move(account, ZERO_ADDRESS, amount)
        return error

    def burn_from(self, spender, account, amount: int) -> ExpectedError | None:
        spender, account = addr(spender), addr(account)
        error = self._check_spend_allowance(account, spender, amount)
        if error is not None:
            return error
        if account == ZERO_ADDRESS:
            return ERC20InvalidSender(ZERO_ADDRESS)
        error = self._check_update(account, ZERO_ADDRESS, amount)
        if error is not None:
            return error
        self._spend_allowance(account, spender, amount)
        self._move(account, ZERO_ADDRESS, amount)
        return None

    def permit(self, owner, spender, value: int, deadline: int, now: int, signer) -> ExpectedError | None:
        """`signer` is the address the contract recovers from the signature (None: ECDSA rejects it first,
        which the caller models itself)."""
        owner, spender = addr(owner), addr(spender)
        if now > deadline:
            return ERC2612ExpiredSignature(deadline)
        if addr(signer) != owner:
            return ERC2612InvalidSigner(signer, owner)
        if spender == ZERO_ADDRESS:
            return ERC20InvalidSpender(ZERO_ADDRESS)
        self.nonces[owner] = self.nonce(owner) + 1
        self.allowances[(owner, spender)] = value
        return None


# --- EIP-712 / EIP-2612 (permit) -------------------------------------------------------------------------
EIP712_DOMAIN_TYPEHASH = keccak(
    text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
PERMIT_TYPEHASH = keccak(
    text="Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)
PERMIT_VERSION = "1"  # ERC20Permit(name) -> EIP712(name, "1")


def domain_separator(name: str, chain_id: int, verifying_contract, version: str = PERMIT_VERSION) -> bytes:
    """EIP-712 domain separator computed by hand (no eth-account), as OpenZeppelin's EIP712 does."""
    return keccak(
        abi_encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                EIP712_DOMAIN_TYPEHASH,
                keccak(text=name),
                keccak(text=version),
                chain_id,
                addr(verifying_contract),
            ],
        )
    )


def permit_digest(name, chain_id, verifying_contract, owner, spender, value, nonce, deadline) -> bytes:
    """`_hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)))`."""
    struct_hash = keccak(
        abi_encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256"],
            [PERMIT_TYPEHASH, addr(owner), addr(spender), value, nonce, deadline],
        )
    )
    return keccak(b"\x19\x01" + domain_separator(name, chain_id, verifying_contract) + struct_hash)


def recover_signer(digest: bytes, v: int, r: bytes, s: bytes) -> str:
    """The address `ecrecover(digest, v, r, s)` returns (what the contract compares with the owner)."""
    from eth_account import Account

    return addr(Account._recover_hash(digest, vrs=(v, int.from_bytes(r, "big"), int.from_bytes(s, "big"))))
