"""The governor on a chain: the deployment from its manifest, proposal ids, states, revert reasons and
the checks every governance script makes before it sends anything."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from brownie import Contract, network, web3
from brownie.network.account import Account, LocalAccount
from eth_abi import decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from harness.accounts import is_development, signer
from harness.chain import now
from harness.cli import ScriptError
from harness.manifest import Manifest, load_manifest, manifest_path
from harness.proposal_args import canonical_type
from harness.proposals import BUILD_DIR, Catalog, build_abi, catalog_from_manifest, decode_call

STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"]
SUPPORT = {"against": 0, "for": 1, "abstain": 2}
SUPPORT_NAMES = {value: name for name, value in SUPPORT.items()}
REQUIRED = ("ServiceToken", "VotingEscrow", "ServiceGovernor", "TimelockController")


def utc(timestamp: int) -> str:
    return datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(seconds: int) -> str:
    seconds = int(seconds)
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    text = (f"{days}d " if days else "") + f"{hours}h {rest // 60:02d}m"
    return ("-" if seconds < 0 else "") + text


def tokens(base_units: int) -> str:
    whole, fraction = divmod(int(base_units), 10**18)
    return f"{whole:,}" + (f".{fraction:018d}".rstrip("0")[:7] if fraction else "")


# ---- the deployment ----------------------------------------------------------------------------


@dataclass
class GovernedDeployment:
    manifest: Manifest
    manifest_file: Path
    catalog: Catalog
    governor: Contract
    timelock: Contract
    token: Contract
    escrow: Contract
    symbol: str

    def contract(self, name: str) -> Contract:
        return view(name, self.manifest)


def view(name: str, manifest: Manifest) -> Contract:
    record = manifest.contracts[name]
    return Contract.from_abi(name, record.address, build_abi(record.contract), persist=False)


def open_manifest(manifest_file: str | None) -> tuple[Path, Manifest]:
    path = Path(manifest_file) if manifest_file else manifest_path(network.show_active(), web3.eth.chain_id)
    if not path.is_file():
        raise ScriptError(f"manifest: no such file {path} (deploy first, or pass manifest=PATH)")
    try:
        return path, load_manifest(path)
    except ValueError as error:
        raise ScriptError(f"manifest {path}: not a valid manifest ({error})") from None


def load_deployment(manifest_file: str | None = None) -> GovernedDeployment:
    """The deployment of the connected chain from its manifest, checked to be there."""
    path, manifest = open_manifest(manifest_file)
    if manifest.chain_id != web3.eth.chain_id:
        raise ScriptError(f"manifest {path}: is for chain id {manifest.chain_id}, connected to {web3.eth.chain_id}")
    missing = [name for name in REQUIRED if name not in manifest.contracts]
    if missing:
        raise ScriptError(f"manifest {path}: has no {', '.join(missing)}")
    for name in REQUIRED:
        if not web3.eth.get_code(manifest.address_of(name)):
            raise ScriptError(f"manifest {path}: no contract code at {name} {manifest.address_of(name)} on this chain")
    token = view("ServiceToken", manifest)
    symbol = token.symbol()
    return GovernedDeployment(
        manifest=manifest, manifest_file=path, catalog=catalog_from_manifest(manifest, symbol),
        governor=view("ServiceGovernor", manifest), timelock=view("TimelockController", manifest),
        token=token, escrow=view("VotingEscrow", manifest), symbol=symbol,
    )


# ---- script arguments --------------------------------------------------------------------------


def split_args(args: tuple[str, ...], usage: str, positional: list[str], optional: int = 0, options: set[str] = frozenset()) -> tuple[list[str], dict[str, str]]:
    """Positional arguments and `key=value` options, checked against the script's usage line."""
    values, opts = [], {}
    for arg in args:
        key, sep, value = str(arg).partition("=")
        if sep and key.replace("_", "").isalpha():
            if key not in options:
                raise ScriptError(f"{key}: unknown option (usage: {usage})")
            opts[key] = value
        else:
            values.append(str(arg))
    if not len(positional) - optional <= len(values) <= len(positional):
        wanted = [name for name in positional[len(values):len(positional) - optional]] or ["fewer arguments"]
        raise ScriptError(f"{', '.join(wanted) if len(values) < len(positional) else 'too many arguments'}: usage: {usage}")
    return values, opts


def account_option(options: dict[str, str], key: str = "account") -> Account | LocalAccount:
    """`account=N` picks Anvil account N (development only, a shorthand for SIGNER=N); otherwise the
    account SIGNER names (harness.accounts.signer)."""
    if key not in options:
        return signer()
    if not is_development():
        raise ScriptError(f"{key}=: only on a development network; on a live one set SIGNER")
    from brownie import accounts

    text = options[key]
    if not text.isdigit() or int(text) >= len(accounts):
        raise ScriptError(f"{key}=: must be an Anvil account index 0..{len(accounts) - 1}, got {text!r}")
    return accounts[int(text)]


def parse_support(text: str) -> int:
    key = str(text).strip().lower()
    if key in SUPPORT:
        return SUPPORT[key]
    if key in ("0", "1", "2"):
        return int(key)
    raise ScriptError(f"support: must be for, against or abstain (or 1, 0, 2), got {text!r}")


def parse_proposal_id(text: str, governor: Contract) -> int:
    """A proposal id (decimal or 0x hex) or `latest`, checked to exist on `governor`."""
    text = str(text).strip()
    if text == "latest":
        count = governor.proposalCount()
        if count == 0:
            raise ScriptError("proposal_id: latest: the governor has no proposal yet")
        return int(governor.proposalDetailsAt(count - 1)[0])
    try:
        proposal_id = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise ScriptError(f"proposal_id: must be a decimal or 0x-hex proposal id, or latest; got {text!r}") from None
    if not 0 <= proposal_id < 2**256 or governor.proposalSnapshot(proposal_id) == 0:
        raise ScriptError(f"proposal_id: no proposal {text} on the governor {governor.address}")
    return proposal_id


def state_name(governor: Contract, proposal_id: int) -> str:
    return STATES[int(governor.state(proposal_id))]


def require_state(governor: Contract, proposal_id: int, allowed: tuple[str, ...], doing: str) -> str:
    state = state_name(governor, proposal_id)
    if state not in allowed:
        raise ScriptError(f"proposal_id: proposal {proposal_id} is {state}, {doing} needs it {' or '.join(allowed)}")
    return state


# ---- revert reasons ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def known_errors() -> dict[bytes, tuple[str, list[dict[str, Any]]]]:
    """Every custom error of the compiled project (OpenZeppelin's included), by selector."""
    errors: dict[bytes, tuple[str, list[dict[str, Any]]]] = {}
    for path in sorted(BUILD_DIR.glob("*.json")):
        for entry in json.loads(path.read_text()).get("abi", []):
            if entry.get("type") == "error":
                signature = f"{entry['name']}({','.join(canonical_type(p) for p in entry['inputs'])})"
                errors[function_signature_to_4byte_selector(signature)] = (entry["name"], entry["inputs"])
    return errors


def decode_revert(data: bytes | str | None) -> str:
    """Error(string), Panic(uint256) or a custom error of the project, with its arguments."""
    if isinstance(data, str):
        data = bytes.fromhex(data.removeprefix("0x"))
    if not data:
        return "reverted without a reason"
    selector, body = data[:4], data[4:]
    if selector == function_signature_to_4byte_selector("Error(string)"):
        return f"Error: {decode(['string'], body)[0]}"
    if selector == function_signature_to_4byte_selector("Panic(uint256)"):
        return f"Panic(0x{decode(['uint256'], body)[0]:x})"
    if selector in known_errors():
        name, inputs = known_errors()[selector]
        try:
            args = decode([canonical_type(p) for p in inputs], body)
        except Exception:  # noqa: BLE001
            return f"{name}(<undecodable 0x{body.hex()}>)"
        shown = ", ".join(
            f"{param['name'] or i}={to_checksum_address(arg) if param['type'] == 'address' else arg}"
            for i, (param, arg) in enumerate(zip(inputs, args))
        )
        return f"{name}({shown})"
    return f"unknown error 0x{data.hex()}"


def try_call(sender: str, to: str, data: bytes, value: int = 0) -> tuple[bool, bytes | str]:
    """eth_call at the latest block: (True, return data) or (False, decoded revert reason)."""
    tx = {"from": sender, "to": to, "data": "0x" + data.hex(), "value": hex(value)}
    response = web3.provider.make_request("eth_call", [tx, "latest"])
    if "error" in response:
        error = response["error"]
        revert = error.get("data") if isinstance(error, dict) else None
        if isinstance(revert, dict):
            revert = revert.get("data")
        if isinstance(revert, str) and revert.startswith("0x"):
            return False, decode_revert(revert)
        return False, str(error.get("message", error)) if isinstance(error, dict) else str(error)
    return True, bytes.fromhex(str(response["result"]).removeprefix("0x"))



# ---- status ------------------------------------------------------------------------------------


def status_lines(deployment: GovernedDeployment, proposal_id: int) -> list[str]:
    governor = deployment.governor
    state = state_name(governor, proposal_id)
    snapshot = int(governor.proposalSnapshot(proposal_id))
    deadline = int(governor.proposalDeadline(proposal_id))
    against, for_votes, abstain = (int(v) for v in governor.proposalVotes(proposal_id))
    clock = now()
    lines = [
        f"proposal {proposal_id}",
        f"  state      {state}",
        f"  proposer   {governor.proposalProposer(proposal_id)}",
        f"  snapshot   {utc(snapshot)} ({snapshot})" + ("  (votes open then)" if snapshot >= clock else ""),
        f"  deadline   {utc(deadline)} ({deadline})",
        f"  votes      for {tokens(for_votes)}  against {tokens(against)}  abstain {tokens(abstain)}  (Staking Score)",
    ]
    if snapshot < clock:
        quorum = int(governor.quorum(snapshot))
        counted = for_votes + abstain
        reached = "reached" if counted >= quorum else f"not reached: {tokens(quorum - counted)} more for/abstain needed"
        lines.append(f"  quorum     {tokens(quorum)} at the snapshot ({reached})")
    else:
        lines.append(
            f"  quorum     fixed at the snapshot: the larger of {governor.quorumNumerator()}% of the total Staking Score "
            f"then and the minimum quorum then ({tokens(int(governor.minimumQuorum()))} now)"
        )
    eta = int(governor.proposalEta(proposal_id))
    if eta:
        ready = "executable now" if eta <= clock else f"executable in {duration(eta - clock)}"
        lines.append(f"  eta        {utc(eta)} ({eta}, {ready})")
    targets, values, calldatas, description_hash = governor.proposalDetails(proposal_id)
    lines.append(f"  actions    {len(targets)} (description hash {description_hash})")
    for index, (target, value, calldata) in enumerate(zip(targets, values, calldatas)):
        lines.append(f"    [{index}] {decode_call(deployment.catalog, target, bytes(calldata), int(value))}")
    return lines
