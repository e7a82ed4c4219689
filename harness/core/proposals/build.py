"""A proposal built for `ServiceGovernor.propose`: every action of a proposal file
(harness/core/proposals/spec.py) checked against the ABI and encoded into (targets, values, calldatas,
description), and an action read back from chain. Nothing here touches a chain: building needs only the
manifest's addresses, the contracts' ABIs and the token's symbol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

from harness.core.abi import abi_of, canonical_type, signature_of
from harness.core.errors import ArgError, ProposalError
from harness.core.manifest import Manifest
from harness.core.proposals.args import Units, check_int_range, convert, to_integer
from harness.core.proposals.spec import ActionSpec, ProposalFile
from harness.core.units import DECIMALS, format_tokens

# ---- what the actions are checked against ------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """The deployment as the builder sees it: manifest names -> address and ABI, and the units an
    amount may be written in."""

    addresses: Mapping[str, str]
    abis: Mapping[str, list[dict[str, Any]]]
    units: Units = field(default_factory=Units)

    def name_of(self, address: str) -> str | None:
        for name, known in self.addresses.items():
            if known.lower() == address.lower():
                return name
        return None


def catalog_from_manifest(manifest: Manifest, token_symbol: str) -> Catalog:
    return Catalog(
        addresses={name: record.address for name, record in manifest.contracts.items()},
        abis={name: abi_of(record.contract) for name, record in manifest.contracts.items()},
        units=Units({token_symbol: DECIMALS}),
    )


def resolve_function(abi: list[dict[str, Any]], wanted: str, contract: str) -> dict[str, Any]:
    """The ABI entry for `wanted` (a name, or a full signature for overloaded functions)."""
    functions = [entry for entry in abi if entry.get("type") == "function"]
    if "(" in wanted:
        key = wanted.replace(" ", "")
        matches = [fn for fn in functions if signature_of(fn) == key]
        if not matches:
            same_name = [signature_of(fn) for fn in functions if fn["name"] == key.split("(")[0]]
            hint = f" (it has {', '.join(same_name)})" if same_name else ""
            raise ValueError(f"{contract} has no function {wanted}{hint}")
    else:
        matches = [fn for fn in functions if fn["name"] == wanted]
        if not matches:
            callable_names = sorted({fn["name"] for fn in functions if fn["stateMutability"] not in ("view", "pure")})
            raise ValueError(f"{contract} has no function {wanted!r} (state-changing ones: {', '.join(callable_names)})")
        if len(matches) > 1:
            options = " or ".join(repr(signature_of(fn)) for fn in matches)
            raise ValueError(f"{contract}.{wanted} is overloaded: write the full signature, {options}")
    fn = matches[0]
    if fn["stateMutability"] in ("view", "pure"):
        raise ValueError(f"{contract}.{signature_of(fn)} is a {fn['stateMutability']} function: a proposal only makes sense with one that changes state")
    return fn


# ---- the built proposal ------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    index: int
    contract: str
    target: str
    signature: str
    abi: dict[str, Any]
    args: tuple[Any, ...]
    value: int
    calldata: bytes
    note: str | None = None

    def describe(self) -> str:
        params = ", ".join(f"{p['name'] or i}={fmt_value(a)}" for i, (p, a) in enumerate(zip(self.abi["inputs"], self.args)))
        value = f" value={self.value} wei" if self.value else ""
        return f"{self.contract}.{self.abi['name']}({params}){value}"


@dataclass(frozen=True)
class Proposal:
    title: str
    description: str
    actions: tuple[Action, ...]

    @property
    def targets(self) -> list[str]:
        return [action.target for action in self.actions]

    @property
    def values(self) -> list[int]:
        return [action.value for action in self.actions]

    @property
    def calldatas(self) -> list[bytes]:
        return [action.calldata for action in self.actions]

    @property
    def description_hash(self) -> bytes:
        return keccak(text=self.description)

    @property
    def proposal_id(self) -> int:
        """`Governor.hashProposal`: keccak256(abi.encode(targets, values, calldatas, descriptionHash))."""
        encoded = encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32"],
            [self.targets, self.values, self.calldatas, self.description_hash],
        )
        return int.from_bytes(keccak(encoded), "big")


def fmt_value(value: Any) -> str:
    if isinstance(value, str) and len(value) == 42 and value.startswith("0x"):
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        inner = ", ".join(fmt_value(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10**15:
        return f"{value} ({format_tokens(value)} tokens)"
    return str(value)


def proposer_suffix(proposer: str) -> str:
    """OpenZeppelin's front-running protection: only `proposer` may propose a description ending so."""
    return f"#proposer={to_checksum_address(proposer)}"


def build_action(index: int, spec: ActionSpec, catalog: Catalog) -> tuple[Action | None, list[str]]:
    where = f"actions[{index}]"
    if spec.contract not in catalog.addresses:
        return None, [f"{where}.contract: {spec.contract!r} is not a contract of the manifest (known: {', '.join(sorted(catalog.addresses))})"]
    try:
        fn = resolve_function(catalog.abis[spec.contract], spec.function, spec.contract)
    except ValueError as error:
        return None, [f"{where}.function: {error}"]
    signature = signature_of(fn)
    inputs = fn["inputs"]
    names = [p["name"] for p in inputs]
    problems: list[str] = []
    if isinstance(spec.args, dict):
        missing = [n for n in names if n not in spec.args]
        unknown = [n for n in spec.args if n not in names]
        if missing or unknown or len(set(names)) != len(names):
            detail = "; ".join(
                part for part in (f"missing {missing}" if missing else "", f"unknown {unknown}" if unknown else "") if part
            ) or "parameters without unique names: use a list"
            return None, [f"{where}.args: {signature} takes parameters {names}: {detail}"]
        raw = [spec.args[n] for n in names]
        labels = names
    else:
        raw = list(spec.args)
        labels = [str(i) for i in range(len(raw))]
        if len(raw) != len(inputs):
            return None, [
                f"{where}.args: {signature} takes {len(inputs)} argument(s) ({', '.join(n or '?' for n in names)}), got {len(raw)}"
            ]
    values = []
    for label, param, value in zip(labels, inputs, raw):
        path = f"{where}.args[{label}] ({param['name'] or '?'}: {canonical_type(param)})"
        try:
            values.append(convert(value, param, path, catalog.units, catalog.addresses))
        except ArgError as error:
            problems.append(f"{error.path}: {error.message}")
    try:
        eth_value = check_int_range(to_integer(spec.value, f"{where}.value", Units({"ETH": 18})), "uint256", f"{where}.value")
    except ArgError as error:
        problems.append(f"{error.path}: {error.message}")
        eth_value = 0
    if eth_value and fn["stateMutability"] != "payable":
        problems.append(f"{where}.value: {spec.contract}.{signature} is not payable, value must be 0")
    if problems:
        return None, problems
    selector = function_signature_to_4byte_selector(signature)
    calldata = selector + encode([canonical_type(p) for p in inputs], values)
    action = Action(
        index=index, contract=spec.contract, target=to_checksum_address(catalog.addresses[spec.contract]),
        signature=signature, abi=fn, args=tuple(values), value=eth_value, calldata=calldata, note=spec.note,
    )
    return action, []


def build_proposal(spec: ProposalFile, catalog: Catalog, proposer: str | None = None, source: str = "<proposal>") -> Proposal:
    """Check every action against the ABI and encode it; raise ProposalError listing every problem.
    With `proposer`, the description gets the `#proposer=<address>` suffix."""
    actions, problems = [], []
    for index, action_spec in enumerate(spec.actions):
        action, action_problems = build_action(index, action_spec, catalog)
        problems += action_problems
        if action is not None:
            actions.append(action)
    if problems:
        raise ProposalError(source, problems)
    description = spec.text()
    if proposer is not None:
        description = f"{description}\n\n{proposer_suffix(proposer)}"
    return Proposal(title=spec.title, description=description, actions=tuple(actions))


def decode_call(catalog: Catalog, target: str, calldata: bytes, value: int = 0) -> str:
    """A proposal action read back from chain as `Name.function(param=value, ...)`."""
    name = catalog.name_of(target)
    if name is None:
        return f"{target} calldata 0x{calldata.hex()}" + (f" value={value}" if value else "")
    selector = calldata[:4]
    for fn in catalog.abis[name]:
        if fn.get("type") == "function" and function_signature_to_4byte_selector(signature_of(fn)) == selector:
            try:
                args = decode([canonical_type(p) for p in fn["inputs"]], calldata[4:])
            except Exception:  # noqa: BLE001 - undecodable calldata is shown raw
                break
            params = ", ".join(f"{p['name'] or i}={fmt_value(a)}" for i, (p, a) in enumerate(zip(fn["inputs"], args)))
            return f"{name}.{fn['name']}({params})" + (f" value={value} wei" if value else "")
    return f"{name} ({target}) calldata 0x{calldata.hex()}" + (f" value={value}" if value else "")
