"""DAO proposals written as YAML: validated with pydantic, checked against the ABI, built into the
(targets, values, calldatas, description) that `ServiceGovernor.propose` takes.

A proposal file (see docs/governance.md and proposals/):

    title: Add USDC as a reward token and fund the grants programme
    description: |
      Markdown body shown by Tally under the title.
    actions:
      - contract: RevenueDistributor          # a name of the deployment manifest
        function: addRewardToken              # or a full signature for an overloaded function
        args: ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"]
      - contract: ServiceToken
        function: transfer
        args: {to: "0x1111111111111111111111111111111111111111", value: "250000 AIS"}

Every action is executed by the TimelockController, in order, all or nothing. Nothing here touches
a chain: building needs only the manifest's addresses, the contracts' ABIs and the token's symbol.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Mapping

import yaml
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.cli import ScriptError
from harness.manifest import REPO_ROOT, Manifest
from harness.proposal_args import ArgError, Units, canonical_type, check_int_range, convert, to_integer

TOKEN_DECIMALS = 18
BUILD_DIR = REPO_ROOT / "build" / "contracts"


class ProposalError(ScriptError):
    """A proposal file that cannot be proposed: one line per problem, each naming its field."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join([f"invalid proposal {source}:"] + [f"  - {p}" for p in problems]))


# ---- the file schema ---------------------------------------------------------------------------


class ActionSpec(BaseModel):
    """One call the timelock makes: `contract.function(*args)` sending `value` wei of ETH."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    contract: Annotated[str, Field(min_length=1)]
    function: Annotated[str, Field(min_length=1)]
    args: list[Any] | dict[str, Any] = Field(default_factory=list)
    value: Any = 0
    note: str | None = None


class ProposalFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    actions: Annotated[list[ActionSpec], Field(min_length=1)]

    @field_validator("title")
    @classmethod
    def _one_line(cls, title: str) -> str:
        if "\n" in title or not title.strip():
            raise ValueError("must be one non-empty line")
        return title.strip()

    def text(self) -> str:
        """The description sent on chain: a Markdown `# title` line (what Tally shows as the title)
        then the body."""
        body = self.description.strip()
        return f"# {self.title}\n\n{body}" if body else f"# {self.title}"


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("list[any]", "dict[str,any]"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def parse_proposal(data: Any, source: str = "<proposal>") -> ProposalFile:
    if not isinstance(data, dict):
        raise ProposalError(source, [f"(top level): must be a mapping with title, description, actions; got {type(data).__name__}"])
    try:
        return ProposalFile.model_validate(data)
    except ValidationError as error:
        problems = []
        seen = set()
        for item in error.errors():
            where = _location(tuple(item["loc"]))
            if where in seen:  # the args union reports one error per member
                continue
            seen.add(where)
            message = item["msg"].removeprefix("Value error, ")
            if where.endswith(".args"):
                message = "must be a list of arguments or a mapping of parameter name to argument"
            problems.append(f"{where}: {message}")
        raise ProposalError(source, problems) from None


def load_proposal(path: str | Path) -> ProposalFile:
    path = Path(path)
    if not path.is_file():
        raise ProposalError(str(path), ["(file): no such file"])
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ProposalError(str(path), [f"(file): not valid YAML: {error}"]) from None
    return parse_proposal(data, str(path))


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


def build_abi(contract_type: str) -> list[dict[str, Any]]:
    """The ABI brownie compiled for `contract_type` (build/contracts/<type>.json)."""
    return json.loads((BUILD_DIR / f"{contract_type}.json").read_text())["abi"]


def catalog_from_manifest(manifest: Manifest, token_symbol: str) -> Catalog:
    return Catalog(
        addresses={name: record.address for name, record in manifest.contracts.items()},
        abis={name: build_abi(record.contract) for name, record in manifest.contracts.items()},
        units=Units({token_symbol: TOKEN_DECIMALS}),
    )


def signature_of(fn: Mapping[str, Any]) -> str:
    return f"{fn['name']}({','.join(canonical_type(p) for p in fn['inputs'])})"


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
        whole, fraction = divmod(value, 10**TOKEN_DECIMALS)
        tokens = f"{whole:,}" + (("." + f"{fraction:018d}".rstrip("0")) if fraction else "")
        return f"{value} ({tokens} tokens)"
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
    from eth_abi import decode

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
