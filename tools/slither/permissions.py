"""Render docs/permissions.md from Slither's `vars-and-auth` printer.

For every project contract (sources under contracts/, not contracts/test/) and each of its
state-changing entry points (public/external, not view/pure, not a constructor; inherited ones
included, since they are callable too) the table shows what the printer shows: the state variables
the call can write (transitively) and the conditions on msg.sender it checks (the printer's own
code, PrinterWrittenVariablesAndAuthorization.get_msg_sender_checks). Because the printer only sees
conditions that read `msg.sender` directly, it misses OpenZeppelin's checks made through
`_msgSender()` (onlyOwner, onlyGovernance, the Governor's proposer checks); the Modifiers column is
added for that reason.

`collect` needs Slither; `render` is pure Python (tested without Slither).
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = """\
<!-- GENERATED FILE: do not edit. Regenerate with `make slither-permissions`; `make slither` fails
     when this file is out of date. Source: tools/slither/permissions.py (Slither vars-and-auth). -->
# Permissions: who can change what

Generated from Slither's `vars-and-auth` printer over the project contracts (OpenZeppelin-only
contracts such as `TimelockController`, and `contracts/test/`, are not listed). One table per
contract; one row per state-changing entry point (public/external, not view/pure, constructors
omitted), inherited ones included.

- **Modifiers**: as declared (`onlyOwner`: the owner, the timelock after deployment;
  `onlyGovernance`: only through an executed proposal; `nonReentrant`: reentrancy guard).
- **Conditions on msg.sender**: the printer's column: `if`/`require` conditions that read
  `msg.sender` directly, in the function or anything it calls internally. Checks made through
  OpenZeppelin's `_msgSender()` (inside `onlyOwner`, `onlyGovernance`, the Governor's proposer and
  signature checks) are not detected by the printer; read the Modifiers column for those.
- **State variables written**: every state variable the call can write, directly or through
  internal calls (the printer's column, Slither's `all_state_variables_written`). Marked `*`: added
  by this script, because the printer misses them: state passed as a `storage` argument to a
  state-changing library function (e.g. OpenZeppelin `Checkpoints.push`).
- **Declared in**: the contract that declares the function (OpenZeppelin's name when inherited).
"""


@dataclass(frozen=True)
class Row:
    function: str  # full signature, e.g. transfer(address,uint256)
    declared_in: str
    modifiers: tuple[str, ...]
    msg_sender_conditions: tuple[str, ...]
    written: tuple[str, ...]
    payable: bool = False
    written_by_library: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractTable:
    name: str
    path: str
    rows: tuple[Row, ...]


def is_project_source(rel_path: str) -> bool:
    rel = rel_path.replace("\\", "/")
    return rel.startswith("contracts/") and not rel.startswith("contracts/test/")


def _library_storage_writes(function) -> set[str]:  # pragma: no cover - needs Slither
    """State variables passed as `storage` arguments to non-view library functions (e.g.
    `Checkpoints.push(_delegateeCheckpoints[a], ...)`): written, but not in all_state_variables_written."""
    from slither.core.variables.state_variable import StateVariable

    names = set()
    for ir in function.all_library_calls():
        callee = ir.function
        params = getattr(callee, "parameters", None)
        if params is None or getattr(callee, "view", False) or getattr(callee, "pure", False):
            continue
        for arg, param in zip(ir.arguments, params):
            if getattr(param, "location", None) != "storage":
                continue
            origin = arg if isinstance(arg, StateVariable) else getattr(arg, "points_to_origin", None)
            if isinstance(origin, StateVariable) and origin.name:
                names.add(origin.name)
    return names


def collect(slither) -> list[ContractTable]:  # pragma: no cover - needs Slither (run by make slither)
    from slither.printers.functions.authorization import PrinterWrittenVariablesAndAuthorization

    checks = PrinterWrittenVariablesAndAuthorization.get_msg_sender_checks
    tables = []
    for contract in slither.contracts:
        path = contract.source_mapping.filename.relative
        if contract.is_interface or not is_project_source(path):
            continue
        rows = []
        for function in contract.functions_entry_points:
            if function.is_constructor or function.view or function.pure:
                continue
            written = {v.name for v in function.all_state_variables_written() if v.name}
            rows.append(
                Row(
                    function=function.full_name,
                    declared_in=function.contract_declarer.name,
                    modifiers=tuple(m.name for m in function.modifiers),
                    msg_sender_conditions=tuple(sorted(set(checks(function)))),
                    written=tuple(sorted(written)),
                    payable=bool(function.payable),
                    written_by_library=tuple(sorted(_library_storage_writes(function) - written)),
                )
            )
        tables.append(ContractTable(contract.name, path, tuple(sorted(rows, key=lambda r: r.function))))
    return sorted(tables, key=lambda t: t.name)


def _code(items: tuple[str, ...] | list[str], empty: str = "-") -> str:
    if not items:
        return empty
    return ", ".join("`" + item.replace("|", "\\|").replace("`", "'") + "`" for item in items)


def render(tables: list[ContractTable]) -> str:
    out = [HEADER]
    for table in tables:
        out.append(f"## {table.name}\n")
        out.append(f"`{table.path}`\n")
        if not table.rows:
            out.append("No state-changing entry point.\n")
            continue
        out.append("| Function | Declared in | Modifiers | Conditions on msg.sender | State variables written |")
        out.append("|---|---|---|---|---|")
        for r in table.rows:
            name = f"`{r.function}`" + (" (payable)" if r.payable else "")
            written = _code(r.written, empty="")
            if r.written_by_library:
                written += (", " if written else "") + ", ".join(f"`{v}`*" for v in r.written_by_library)
            out.append(
                f"| {name} | {r.declared_in} | {_code(r.modifiers)} | {_code(r.msg_sender_conditions)} "
                f"| {written or '-'} |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
