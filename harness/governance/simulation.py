"""Dry-run a proposal on a local Anvil before anyone proposes it for real.

propose -> vote -> queue -> execute with time travel over the voting delay, the voting period and the
timelock delay, voted by simulation voters whose locks are created here. Every action is first run
alone as the timelock (its return value or revert reason), then the proposal is executed through the
governor; the views each action touches are read before and after. The chain is reverted to where it
was at the end: nothing of the simulation stays.

Where it runs: the connected network must be a development one (Anvil).
- The manifest is of that chain: the simulation runs on it, against the real local state.
- The manifest is of another chain (a live network): an Anvil fork of it needs its RPC, which this
  machine cannot reach, so the protocol is deployed afresh on the local Anvil from the manifest's
  config file and the proposal runs there (the config's initial state: addresses and balances differ).
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brownie import accounts, web3
from eth_abi import decode, encode
from eth_utils import keccak

from harness.chain import fees
from harness.chain.accounts import is_development
from harness.chain.calls import has_code, rpc, try_call
from harness.chain.protocol import Protocol, locate_manifest
from harness.chain.time import mine_at, now, realign_base_fee
from harness.core.abi import canonical_type, selector_of, signature_of
from harness.core.errors import ScriptError
from harness.core.manifest import Manifest, open_manifest
from harness.core.proposals.build import Action, Proposal, build_proposal, fmt_value
from harness.core.proposals.spec import ProposalFile
from harness.core.units import MAX_LOCK, UNIT, WEEK, utc
from harness.deploy.steps import deploy_from_config
from harness.governance.lifecycle import score, state_name

ERC20_BALANCES_SLOT = 0  # OpenZeppelin 5 ERC20: _balances, _allowances, _totalSupply
ERC20_TOTAL_SUPPLY_SLOT = 2
SKIPPED_VIEWS = {"clock", "CLOCK_MODE", "eip712Domain"}


@dataclass
class Reading:
    label: str
    before: Any = None
    after: Any = None


@dataclass
class ActionResult:
    action: Action
    ok: bool | None = None  # None: not reached
    returned: str = ""
    readings: list[Reading] = field(default_factory=list)


@dataclass
class Simulation:
    source: str
    where: str
    lines: list[str] = field(default_factory=list)
    results: list[ActionResult] = field(default_factory=list)
    executed: bool = False
    failure: str | None = None

    def log(self, text: str) -> None:
        self.lines.append(text)
        print(text)


# ---- chain helpers -----------------------------------------------------------------------------


def send_as(sender: str, to: str, data: bytes, value: int = 0) -> dict[str, Any]:
    """A transaction from any address (Anvil impersonation); returns the receipt."""
    rpc("anvil_impersonateAccount", [sender])
    try:
        balance = web3.eth.get_balance(sender)
        if balance < UNIT:  # one ether of gas money
            rpc("anvil_setBalance", [sender, hex(balance + UNIT)])
        tx_hash = web3.eth.send_transaction(
            {"from": sender, "to": to, "data": data, "value": value, "gas": 10_000_000, **fees.transaction_fields()}
        )
        return dict(web3.eth.wait_for_transaction_receipt(tx_hash))
    finally:
        rpc("anvil_stopImpersonatingAccount", [sender])


def call_view(contract_address: str, fn: dict[str, Any], args: list[Any]) -> Any:
    data = selector_of(fn) + encode([canonical_type(p) for p in fn["inputs"]], args)
    ok, result = try_call(contract_address, contract_address, data)
    if not ok:
        return f"<reverts: {result}>"
    values = decode([canonical_type(p) for p in fn["outputs"]], result)
    return values[0] if len(values) == 1 else tuple(values)


def credit_score(token: str, account: str, amount: int) -> None:
    """Give `account` `amount` more tokens on the simulation chain by writing the token's storage
    (balance and total supply, kept consistent)."""
    slot = int.from_bytes(keccak(encode(["address", "uint256"], [account, ERC20_BALANCES_SLOT])), "big")
    balance = int(rpc("eth_getStorageAt", [token, hex(slot), "latest"]), 16)
    supply = int(rpc("eth_getStorageAt", [token, hex(ERC20_TOTAL_SUPPLY_SLOT), "latest"]), 16)
    rpc("anvil_setStorageAt", [token, hex(slot), "0x" + (balance + amount).to_bytes(32, "big").hex()])
    rpc("anvil_setStorageAt", [token, hex(ERC20_TOTAL_SUPPLY_SLOT), "0x" + (supply + amount).to_bytes(32, "big").hex()])


# ---- what each action touches ------------------------------------------------------------------


def watched_reads(deployment: Protocol, action: Action) -> list[tuple[str, str, dict[str, Any], list[Any]]]:
    """(label, address, view ABI, args): the target's argument-free views, and `balanceOf` of the
    timelock and of every address argument when the target has one."""
    catalog = deployment.catalog
    abi = catalog.abis[action.contract]
    views = [fn for fn in abi if fn.get("type") == "function" and fn["stateMutability"] in ("view", "pure")]
    reads = [
        (f"{fn['name']}()", action.target, fn, [])
        for fn in views
        if not fn["inputs"] and fn["name"] not in SKIPPED_VIEWS and fn["stateMutability"] == "view"
    ]
    balance_of = next((fn for fn in views if signature_of(fn) == "balanceOf(address)"), None)
    if balance_of:
        holders = [deployment.timelock.address] + [
            arg for param, arg in zip(action.abi["inputs"], action.args) if param["type"] == "address"
        ]
        for holder in dict.fromkeys(holders):
            name = catalog.name_of(holder)
            reads.append((f"balanceOf({name + ' ' if name else ''}{holder})", action.target, balance_of, [holder]))
    return reads


def take_readings(reads: list[tuple[str, str, dict[str, Any], list[Any]]]) -> list[Any]:
    return [call_view(address, fn, args) for _, address, fn, args in reads]


def decode_return(action: Action, data: bytes) -> str:
    outputs = action.abi.get("outputs", [])
    if not outputs:
        return "nothing"
    try:
        values = decode([canonical_type(p) for p in outputs], data)
    except Exception:  # noqa: BLE001
        return f"0x{data.hex()}"
    return ", ".join(fmt_value(v) for v in values)


# ---- the simulation ----------------------------------------------------------------------------


def fresh_deployment(manifest: Manifest, workdir: Path) -> Protocol:
    """Deploy the protocol from `manifest`'s config onto the connected Anvil."""
    config_path = manifest.config_path
    if not Path(config_path).is_file():
        raise ScriptError(f"manifest: its config {config_path} is not here: the simulation deploys from it")
    deployment = deploy_from_config(config_path, deployer=accounts[0], manifest_file=workdir / "simulation.json")
    return Protocol.of(deployment.manifest, deployment.manifest_file)


def simulate(spec: ProposalFile, source: str, manifest_file: str | None, voters: int = 2) -> Simulation:
    if not is_development():
        raise ScriptError("network: the simulation runs on a local Anvil: pass --network development (or another local one)")
    path = locate_manifest(manifest_file)
    manifest = open_manifest(path)
    local = (
        manifest.chain_id == web3.eth.chain_id
        and "ServiceGovernor" in manifest.contracts
        and has_code(manifest.address_of("ServiceGovernor"))
    )
    snapshot = rpc("evm_snapshot", [])
    try:
        with tempfile.TemporaryDirectory() as workdir:
            if local:
                where = f"the local chain of {path} (chain id {manifest.chain_id}), reverted afterwards"
                deployment = Protocol.of(manifest, path)
            else:
                where = (
                    f"a FRESH local deployment from {manifest.config_path} (the manifest {path} is of "
                    f"{manifest.network}, chain id {manifest.chain_id}, which cannot be forked offline here): "
                    "addresses and balances are the config's initial ones, not the live chain's"
                )
                print(f"deploying the protocol from {manifest.config_path} for the simulation ...")
                deployment = fresh_deployment(manifest, Path(workdir))
            proposal = build_proposal(spec, deployment.catalog, source=source)
            sim = Simulation(source=source, where=where)
            run(sim, deployment, proposal, voters)
            return sim
    finally:
        rpc("evm_revert", [snapshot])
        realign_base_fee()  # Anvil keeps the next base fee across a revert (harness/chain/time.py)


def run(sim: Simulation, deployment: Protocol, proposal: Proposal, voter_count: int) -> None:
    governor, escrow, token = deployment.governor, deployment.escrow, deployment.token
    sim.log(f"Simulation of {sim.source}: {proposal.title}")
    sim.log(f"  on {sim.where}")

    # voters: fresh keys with locks big enough to pass the threshold, outvote everyone else and reach
    # the minimum quorum on their own (a lock's score is at least its amount until it expires)
    threshold = int(governor.proposalThreshold())
    existing = int(escrow.totalSupply())
    amount = max(threshold, existing, int(governor.minimumQuorum()), UNIT)
    voters = [accounts.add(secrets.token_hex(32)) for _ in range(voter_count)]
    unlock = now() + MAX_LOCK - WEEK
    for voter in voters:
        rpc("anvil_setBalance", [voter.address, hex(10**20)])
        credit_score(token.address, voter.address, amount)
        token.approve.transact(escrow, amount, {"from": voter}, silent=True)
        escrow.createLock.transact(amount, unlock, {"from": voter}, silent=True)
    mine_at(now() + 1)
    sim.log(f"  voters     {voter_count} simulation voter(s), each locking {score(amount)} {deployment.symbol} "
            f"(score {score(escrow.balanceOf(voters[0]))} each)")

    proposer = voters[0]
    tx = governor.propose.transact(
        proposal.targets, proposal.values, proposal.calldatas, proposal.description, {"from": proposer}, silent=True
    )
    proposal_id = int(tx.events["ProposalCreated"]["proposalId"])
    sim.log(f"  propose    id {proposal_id} at {utc(tx.timestamp)}")
    mine_at(int(governor.proposalSnapshot(proposal_id)) + 1)
    for voter in voters:
        governor.castVote.transact(proposal_id, 1, {"from": voter}, silent=True)
    votes = governor.proposalVotes(proposal_id)
    sim.log(f"  vote       for {score(votes[1])} from {voter_count} voter(s), quorum "
            f"{score(governor.quorum(governor.proposalSnapshot(proposal_id)))} (opened {utc(governor.proposalSnapshot(proposal_id))})")
    mine_at(int(governor.proposalDeadline(proposal_id)) + 1)
    state = state_name(governor, proposal_id)
    if state != "Succeeded":
        sim.failure = f"the vote ended {state}"
        sim.log(f"  result     {state}: stopped")
        return
    tx = governor.queue["uint256"].transact(proposal_id, {"from": proposer}, silent=True)
    eta = int(governor.proposalEta(proposal_id))
    sim.log(f"  queue      at {utc(tx.timestamp)}, ETA {utc(eta)}")
    if eta > now():
        mine_at(eta)

    # each action alone, as the timelock, in order
    reads = [watched_reads(deployment, action) for action in proposal.actions]
    before = [take_readings(r) for r in reads]
    inner = rpc("evm_snapshot", [])
    timelock = deployment.timelock.address
    failed = False
    for action, action_reads, action_before in zip(proposal.actions, reads, before):
        result = ActionResult(action=action)
        sim.results.append(result)
        if failed:
            continue
        if action.target == governor.address:
            # the governor's own settings run only inside its execute (onlyGovernance checks that
            # the call was queued by execute): their effect shows in the readings of the real run
            result.ok, result.returned = True, "(a governor setting: runs only inside the governor's execute)"
            continue
        ok, returned = try_call(timelock, action.target, action.calldata, action.value)
        result.ok = ok
        if not ok:
            result.returned = str(returned)
            failed = True
            continue
        result.returned = decode_return(action, returned)
        send_as(timelock, action.target, action.calldata, action.value)
        after = take_readings(action_reads)
        result.readings = [Reading(label, b, a) for (label, *_), b, a in zip(action_reads, action_before, after)]
    rpc("evm_revert", [inner])
    realign_base_fee()

    # the real thing, through the governor
    execute = governor.execute["uint256"]
    ok, reason = try_call(proposer.address, governor.address, bytes.fromhex(execute.encode_input(proposal_id)[2:]))
    if ok:
        tx = execute.transact(proposal_id, {"from": proposer}, silent=True)
        sim.executed = True
        sim.log(f"  execute    at {utc(tx.timestamp)}: {state_name(governor, proposal_id)}")
        after_all = [take_readings(r) for r in reads]
        for result, action_reads, b, a in zip(sim.results, reads, before, after_all):
            result.readings = [Reading(label, x, y) for (label, *_), x, y in zip(action_reads, b, a)]
    else:
        sim.failure = f"execution reverts: {reason}"
        sim.log(f"  execute    REVERTS: {reason}")
    print_effects(sim)


def show(value: Any) -> str:
    return fmt_value(value) if not isinstance(value, str) else value


def print_effects(sim: Simulation) -> None:
    sim.log("")
    sim.log("Effects (executed by the timelock, in order)")
    for result in sim.results:
        action = result.action
        sim.log(f"  [{action.index}] {action.describe()}")
        if result.ok is None:
            sim.log("      not reached: an earlier action reverts")
            continue
        if not result.ok:
            sim.log(f"      REVERTS: {result.returned}")
            continue
        sim.log(f"      {result.returned}" if result.returned.startswith("(") else f"      returns {result.returned}")
        if not sim.executed and result.returned.startswith("("):
            continue
        changed = [r for r in result.readings if r.before != r.after]
        for reading in result.readings:
            if reading.label.startswith("balanceOf(") or reading in changed:
                mark = "" if reading.before != reading.after else "  (unchanged)"
                sim.log(f"      {reading.label}: {show(reading.before)} -> {show(reading.after)}{mark}")
        if not changed:
            sim.log("      no view of the target changed")
    sim.log("")
    if sim.failure:
        sim.log(f"RESULT: the proposal would FAIL: {sim.failure}")
    else:
        sim.log("RESULT: the proposal would pass and execute")
