"""Transaction fees for every script and the test suite: EIP-1559, priced by the node.

Every chain the protocol targets charges a base fee (EIP-1559), and so do the local Anvil chains the
tests and the demo run on (brownie-config.yaml). Each transaction is an EIP-1559 (type 2) one with

- a priority fee (tip): `PRIORITY_FEE_GWEI`, else brownie's network setting `priority_fee`
  (brownie-config.yaml `networks.development` / `networks.live`), else the node's suggestion
  (`eth_maxPriorityFeePerGas`), read at each transaction;
- a max fee: `MAX_FEE_GWEI`, else brownie's `max_fee`, else `HEADROOM` x the latest block's base fee
  + the priority fee, read at each transaction.

The base fee can rise by at most 12.5% a block, so a max fee of twice the latest base fee keeps a
transaction includable through five full blocks in a row (1.125^5 = 1.8); the fee paid is only
ever `base fee + tip` (the rest of the max fee is never charged).

A bad setting stops the script before its first transaction with the variable or setting named
(`apply` raises ScriptError, which the scripts turn into `error: ...` and exit status 1). On a chain
without EIP-1559 (no base fee in its blocks) transactions fall back to the node's legacy gas price.

`apply()` installs the policy into the connected brownie network's settings, which every brownie
transaction (`Contract.deploy`, contract calls, `Account.transfer`) reads; `transaction_fields()` gives
the same fees to a transaction sent with web3 directly. The launcher (harness/chain/launcher.py),
every script (harness/chain/entry.py) and the test suite (tests/conftest.py) call `apply()` once
connected.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any, Mapping

from brownie import web3
from brownie._config import CONFIG
from brownie.convert import Wei
from brownie.network.gas.bases import SimpleGasStrategy
from pydantic import BaseModel, ConfigDict, Field

from harness.core.errors import ScriptError
from harness.core.units import GWEI

# Max fee = HEADROOM x latest base fee + tip: brownie's own rule when no max fee is set
# (brownie.network.account._apply_fee_to_tx), kept here so raw web3 transactions use the same one.
HEADROOM = 2
MAX_FEE_VARIABLE = "MAX_FEE_GWEI"
PRIORITY_FEE_VARIABLE = "PRIORITY_FEE_GWEI"
_FEE_KEYS = ("gas_price", "max_fee", "priority_fee")


class NodeFees(BaseModel):
    """What the node says now: the latest block's base fee (None on a chain without EIP-1559) and its
    suggested priority fee (None when it has none to give)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    base_fee: int | None = Field(ge=0)
    priority_fee: int | None = Field(ge=0)


class FeePolicy(BaseModel):
    """How transactions are priced. `max_fee` / `priority_fee` in wei; None means "from the node, at
    each transaction" (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    eip1559: bool
    max_fee: int | None = Field(default=None, gt=0)
    priority_fee: int | None = Field(default=None, gt=0)

    def describe(self) -> str:
        if not self.eip1559:
            return "legacy gas price from the node (eth_gasPrice): the chain has no base fee"
        tip = f"{_gwei_text(self.priority_fee)} gwei" if self.priority_fee else "from the node (eth_maxPriorityFeePerGas)"
        cap = f"{_gwei_text(self.max_fee)} gwei" if self.max_fee else f"{HEADROOM} x latest base fee + tip"
        return f"EIP-1559: priority fee {tip}, max fee {cap}"


def parse_gwei(name: str, text: str) -> int:
    """A fee given in gwei (decimals allowed, down to 1 wei) as wei; `name` is the variable or
    setting named in the error."""
    raw = text.strip()
    if not raw:
        raise ScriptError(f"{name}: is empty: unset it to take the fee from the node, or give a number of gwei such as 1.5")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ScriptError(f"{name}: expected a number of gwei such as 1.5, got {raw!r}") from None
    if not amount.is_finite():
        raise ScriptError(f"{name}: expected a number of gwei such as 1.5, got {raw!r}")
    with localcontext() as exact:
        exact.prec = 100  # the default 28 digits would round a long value into a "whole" number of wei
        wei = amount * GWEI
    if wei != wei.to_integral_value():
        raise ScriptError(f"{name}: {raw} gwei is not a whole number of wei (at most 9 decimals)")
    if wei <= 0:
        # brownie reads a zero tip as "no EIP-1559 fee" and would send a legacy transaction instead
        raise ScriptError(f"{name}: must be more than 0 gwei, got {raw}")
    return int(wei)


def _configured_wei(name: str, value: Any, *, allow_auto: bool) -> int | None:
    """A brownie network setting (`priority_fee` / `max_fee`): None, "auto" (priority fee only: the
    node's), wei as an integer, or a string with a unit ("2 gwei")."""
    if value is None or (allow_auto and value == "auto"):
        return None
    try:
        wei = int(Wei(value))
    except (TypeError, ValueError):
        raise ScriptError(f"{name}: expected wei or an amount with a unit such as '2 gwei', got {value!r}") from None
    if wei <= 0:
        raise ScriptError(f"{name}: must be more than 0, got {value!r} (leave it unset to take the fee from the node)")
    return wei


def resolve(
    environment: Mapping[str, str], configured: Mapping[str, Any], network_type: str, node: NodeFees
) -> FeePolicy:
    """The fee policy from the environment (first), brownie's network settings (`configured`: the
    project's `networks.<network_type>` settings) and the node. Raises ScriptError naming the variable
    or setting that is wrong; reads nothing else and sends nothing."""
    setting = f"brownie-config.yaml networks.{network_type}"
    max_fee = priority_fee = None
    max_name, priority_name = f"{setting}.max_fee", f"{setting}.priority_fee"
    if environment.get(MAX_FEE_VARIABLE) is not None:
        max_fee, max_name = parse_gwei(MAX_FEE_VARIABLE, environment[MAX_FEE_VARIABLE]), MAX_FEE_VARIABLE
    else:
        max_fee = _configured_wei(max_name, configured.get("max_fee"), allow_auto=False)
    if environment.get(PRIORITY_FEE_VARIABLE) is not None:
        priority_fee = parse_gwei(PRIORITY_FEE_VARIABLE, environment[PRIORITY_FEE_VARIABLE])
        priority_name = PRIORITY_FEE_VARIABLE
    else:
        priority_fee = _configured_wei(priority_name, configured.get("priority_fee"), allow_auto=True)

    if node.base_fee is None:
        for name, value in ((max_name, max_fee), (priority_name, priority_fee)):
            if value is not None:
                raise ScriptError(f"{name}: the chain has no base fee (no EIP-1559): unset it to use the node's legacy gas price")
        return FeePolicy(eip1559=False)

    if max_fee is not None:
        if priority_fee is not None and priority_fee > max_fee:
            raise ScriptError(
                f"{max_name}: {_gwei_text(max_fee)} gwei is below the priority fee of {_gwei_text(priority_fee)} gwei ({priority_name})"
            )
        if max_fee < node.base_fee:
            raise ScriptError(
                f"{max_name}: {_gwei_text(max_fee)} gwei is below the latest block's base fee of "
                f"{_gwei_text(node.base_fee)} gwei: no transaction would be included until the base fee falls that low"
            )
        if priority_fee is None and node.priority_fee is not None and node.priority_fee > max_fee:
            raise ScriptError(
                f"{max_name}: {_gwei_text(max_fee)} gwei is below the node's priority fee of "
                f"{_gwei_text(node.priority_fee)} gwei: raise it or set {PRIORITY_FEE_VARIABLE} too"
            )
    return FeePolicy(eip1559=True, max_fee=max_fee, priority_fee=priority_fee)


def node_fees(node: Any = None) -> NodeFees:
    """The latest base fee and suggested priority fee of `node` (a Web3; default brownie's connection)."""
    node = node or web3
    base_fee = node.eth.get_block("latest").get("baseFeePerGas")
    if base_fee is None:
        return NodeFees(base_fee=None, priority_fee=None)
    try:
        priority_fee = int(node.eth.max_priority_fee)
    except ValueError:  # a node without eth_maxPriorityFeePerGas (nor fee history)
        priority_fee = None
    return NodeFees(base_fee=int(base_fee), priority_fee=priority_fee)


def apply(environment: Mapping[str, str] | None = None) -> FeePolicy:
    """Price every later transaction of the connected brownie network by the fee policy (see the
    module docstring) and return it. Idempotent: it starts from the project's network settings each
    time, so calling it again with another environment replaces what an earlier call installed."""
    network_type = CONFIG.network_type
    if network_type is None:
        raise ScriptError("fees: not connected to a network")
    configured = CONFIG.settings["networks"][network_type]
    policy = resolve(os.environ if environment is None else environment, configured, network_type, node_fees())
    install(policy)
    return policy


def install(policy: FeePolicy) -> None:
    """Write `policy` into the active brownie network's settings (what brownie prices each transaction by)."""
    settings = CONFIG.active_network["settings"]
    if policy.eip1559:
        # brownie: priority fee "auto" = eth_maxPriorityFeePerGas at each transaction; max fee None =
        # 2 x the latest base fee + priority fee at each transaction; gas_price None = not legacy
        settings.update(gas_price=None, max_fee=policy.max_fee, priority_fee=policy.priority_fee or "auto")
    else:
        settings.update(gas_price=_NodeGasPrice(), max_fee=None, priority_fee=None)


def saved_settings() -> dict[str, Any]:
    """The active network's fee settings, for `restore_settings` (tests that run scripts in-process)."""
    return {key: CONFIG.active_network["settings"].get(key) for key in _FEE_KEYS}


def restore_settings(saved: Mapping[str, Any]) -> None:
    CONFIG.active_network["settings"].update(saved)


def transaction_fields(policy: FeePolicy | None = None, node: Any = None) -> dict[str, int]:
    """Fee fields for a transaction sent with web3 directly (not through a brownie account), by
    `policy` (default the installed one) and `node` (a Web3; default brownie's connection), computed
    now the way brownie computes them for its own transactions."""
    policy = policy or active_policy()
    node = node or web3
    if not policy.eip1559:
        return {"gasPrice": int(node.eth.gas_price)}
    priority_fee = policy.priority_fee or int(node.eth.max_priority_fee)
    max_fee = policy.max_fee or HEADROOM * int(node.eth.get_block("latest")["baseFeePerGas"]) + priority_fee
    return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": priority_fee}


def active_policy() -> FeePolicy:
    """The policy the active network's settings carry now (what `apply` installed)."""
    settings = CONFIG.active_network["settings"]
    if settings.get("gas_price") is not None and settings.get("priority_fee") is None:
        return FeePolicy(eip1559=False)
    priority = settings.get("priority_fee")
    return FeePolicy(
        eip1559=True,
        max_fee=int(settings["max_fee"]) if settings.get("max_fee") else None,
        priority_fee=None if priority in (None, "auto") else int(priority),
    )


def _gwei_text(wei: int | None) -> str:
    if wei is None:
        return "?"
    text = format(Decimal(wei) / GWEI, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class _NodeGasPrice(SimpleGasStrategy):
    """Legacy chains only: the node's eth_gasPrice at each transaction."""

    def get_gas_price(self) -> int:
        return int(web3.eth.gas_price)
