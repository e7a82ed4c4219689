#!/usr/bin/env python3
"""Line, branch and function coverage of the project contracts from reports/coverage-raw.json.

Usage: report.py [--raw PATH] [--floor PCT] [--json OUT]

Counts only code in contracts/ (not contracts/test/, not OpenZeppelin, not interfaces/). Exit status 1
when a project contract's external/public function was never reached or branch coverage is below
the floor (default 95, or COVERAGE_BRANCH_FLOOR). See docs/coverage.md for how things are counted.

- Runtime code: brownie's own maps in build/contracts/<Name>.json. A statement (coverageMap
  "statements") is covered when an executed pc carries its id in pcMap. A branch (coverageMap
  "branches": an `if`, `require`, ternary or `&&`/`||` operand) has two outcomes; each JUMPI tagged
  with the branch id in pcMap shows one outcome when it jumps and the other when it falls through.
- Constructor code (brownie has no maps for it): the creation source map ("sourceMap") maps each
  executed creation pc to a source range. Statements are the AST statements of the constructors and
  of the project functions only the constructor runs; each `if` there has two outcomes, decided by
  where the JUMPIs inside its condition went (into the `if` body: true, elsewhere: false).
- Lines: a line is executable if a statement starts on it, covered if one of those statements is.
- Functions: every external/public function DECLARED in a project source file for the contract
  (its own declarations and those of project base contracts; public state-variable getters and
  overrides declared there included; functions only inherited from OpenZeppelin are out of scope,
  like the rest of node_modules), and receive()/fallback() if declared there; reached when a call
  frame of that contract's runtime code was entered with its selector (a transaction, an eth_call
  or a call from another contract).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from eth_utils import function_signature_to_4byte_selector

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "contracts"
STATEMENT_TYPES = {
    "ExpressionStatement",
    "VariableDeclarationStatement",
    "Return",
    "EmitStatement",
    "RevertStatement",
}


def is_project_source(path: str) -> bool:
    return path.startswith("contracts/") and not path.startswith("contracts/test/")


# ContractDefinition AST nodes of every contract, interface and library in a project source file,
# by name and by AST id (filled by project_artifacts(); bases are looked up by id).
PROJECT_CONTRACTS: dict[str, dict] = {}
PROJECT_CONTRACT_IDS: dict[int, dict] = {}


def project_artifacts() -> dict[str, dict]:
    out = {}
    for p in sorted(BUILD.glob("*.json")):
        art = json.loads(p.read_text())
        if not is_project_source(art.get("sourcePath", "")):
            continue
        for node in (art.get("ast") or {}).get("nodes", []):
            if node.get("nodeType") == "ContractDefinition":
                PROJECT_CONTRACT_IDS[node["id"]] = node
                if node["name"] == art["contractName"]:
                    PROJECT_CONTRACTS[node["name"]] = node
        if art.get("type") == "contract":
            out[art["contractName"]] = art
    return out


class Source:
    def __init__(self, path: str):
        self.path = path
        self.text = (ROOT / path).read_bytes()
        self.line_starts = [0]
        for i, b in enumerate(self.text):
            if b == 0x0A:
                self.line_starts.append(i + 1)

    def line(self, offset: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def snippet(self, start: int, end: int, width: int = 70) -> str:
        s = self.text[start:end].decode(errors="replace").replace("\n", " ")
        s = " ".join(s.split())
        return s if len(s) <= width else s[: width - 3] + "..."


def _ast_walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _ast_walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _ast_walk(v)


def _src(node) -> tuple[int, int]:
    start, length, _ = map(int, node["src"].split(":"))
    return start, start + length


def instruction_pcs(bytecode_hex: str) -> list[int]:
    code = bytes.fromhex(bytecode_hex[2:] if bytecode_hex.startswith("0x") else bytecode_hex)
    pcs, pc = [], 0
    while pc < len(code):
        pcs.append(pc)
        op = code[pc]
        pc += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
    return pcs


def expand_source_map(smap: str) -> list[tuple[int, int, int, str]]:
    out, last = [], [0, 0, -1, "-"]
    for entry in smap.split(";"):
        parts = entry.split(":")
        for i, v in enumerate(parts[:4]):
            if v != "":
                last[i] = int(v) if i < 3 else v
        out.append((last[0], last[1], last[2], last[3]))
    return out


class ContractReport:
    def __init__(self, name: str, art: dict, raw: dict):
        self.name = name
        self.art = art
        self.path_ids = {pid: p for pid, p in art["allSourcePaths"].items() if is_project_source(p)}
        self.sources = {pid: Source(p) for pid, p in self.path_ids.items()}
        rt = raw.get(f"{name}:runtime", {})
        cr = raw.get(f"{name}:creation", {})
        self.rt_pcs = set(rt.get("pcs", []))
        self.rt_jumpi = {tuple(x) for x in rt.get("jumpi", [])}
        self.cr_pcs = set(cr.get("pcs", []))
        self.cr_jumpi = {tuple(x) for x in cr.get("jumpi", [])}
        self.selectors = set(rt.get("selectors", []))
        # items: (pid, start, end, fn, covered)
        self.statements: list[tuple[str, int, int, str, bool]] = []
        # items: (pid, start, end, fn, true_seen, false_seen)
        self.branches: list[tuple[str, int, int, str, bool, bool]] = []
        self._runtime()
        self._constructor()
        self._functions()

    # -------------------------------------------------------------- runtime (brownie maps)

    def _runtime(self):
        pcmap = self.art["pcMap"]
        stmt_hit: set[tuple[str, int]] = set()
        for pc in self.rt_pcs:
            entry = pcmap.get(str(pc))
            if entry and "statement" in entry and entry.get("path") in self.path_ids:
                stmt_hit.add((entry["path"], entry["statement"]))
        jumped: set[tuple[str, int]] = set()
        fell: set[tuple[str, int]] = set()
        for pc, nxt in self.rt_jumpi:
            entry = pcmap.get(str(pc))
            if entry and "branch" in entry and entry.get("op") == "JUMPI" and entry.get("path") in self.path_ids:
                (fell if nxt == pc + 1 else jumped).add((entry["path"], entry["branch"]))
        cmap = self.art["coverageMap"]
        self.runtime_fns = set()
        for pid in self.path_ids:
            for fn, stmts in cmap["statements"].get(pid, {}).items():
                self.runtime_fns.add(fn)
                for sid, (start, end) in stmts.items():
                    self.statements.append((pid, start, end, fn, (pid, int(sid)) in stmt_hit))
            for fn, brs in cmap["branches"].get(pid, {}).items():
                for bid, (start, end, jump) in brs.items():
                    key = (pid, int(bid))
                    j, f = key in jumped, key in fell
                    true_seen, false_seen = (j, f) if jump else (f, j)
                    self.branches.append((pid, start, end, fn, true_seen, false_seen))

    # -------------------------------------------------------------- constructors (creation map)

    def _constructor(self):
        smap = self.art.get("sourceMap") or ""
        bytecode = self.art.get("bytecode") or ""
        if not smap or not bytecode:
            return
        pcs = instruction_pcs(bytecode)
        entries = expand_source_map(smap)
        pc_src = {}
        for pc, (start, length, fid, _jump) in zip(pcs, entries):
            if str(fid) in self.path_ids:
                pc_src[pc] = (str(fid), start, start + length)
        executed = [pc_src[pc] for pc in self.cr_pcs if pc in pc_src]
        runtime_names = {fn.split(".", 1)[1] for fn in self.runtime_fns if "." in fn}
        for node in _ast_walk(self.art["ast"]):
            if node.get("nodeType") != "ContractDefinition" or node.get("name") != self.name:
                continue
            pid = str(self.art["ast"]["src"].split(":")[2])
            for fn in node.get("nodes", []):
                if fn.get("nodeType") != "FunctionDefinition" or not fn.get("body"):
                    continue
                ctor = fn.get("kind") == "constructor"
                if not ctor and (fn.get("name") in runtime_names or fn.get("visibility") in ("public", "external")):
                    continue
                if not ctor and not self._called_from_ctor(fn, pc_src):
                    continue
                label = f"{self.name}.{'constructor' if ctor else fn['name']}"
                self._ctor_function(pid, fn, label, executed, pc_src)

    def _called_from_ctor(self, fn, pc_src) -> bool:
        start, end = _src(fn["body"])
        return any(s >= start and e <= end for (_, s, e) in pc_src.values())

    def _ctor_function(self, pid, fn, label, executed, pc_src):
        def ran_inside(start, end):
            return any(p == pid and s >= start and e <= end for (p, s, e) in executed)

        for node in _ast_walk(fn["body"]):
            t = node.get("nodeType")
            if t in STATEMENT_TYPES:
                start, end = _src(node)
                self.statements.append((pid, start, end, label, ran_inside(start, end)))
            elif t == "IfStatement":
                start, end = _src(node)
                cstart, cend = _src(node["condition"])
                tstart, tend = _src(node["trueBody"])
                true_seen = ran_inside(tstart, tend)
                false_seen = False
                if node.get("falseBody"):
                    fstart, fend = _src(node["falseBody"])
                    false_seen = ran_inside(fstart, fend)
                else:
                    for pc, nxt in self.cr_jumpi:
                        src = pc_src.get(pc)
                        if not src or src[0] != pid or not (src[1] >= start and src[2] <= end):
                            continue
                        if src[1] >= tstart and src[2] <= tend:
                            continue  # a JUMPI inside the body, not the condition's
                        dst = pc_src.get(nxt)
                        into_body = dst and dst[0] == pid and dst[1] >= tstart and dst[2] <= tend
                        into_cond = dst and dst[0] == pid and dst[1] >= cstart and dst[2] <= cend
                        if into_body:
                            true_seen = True
                        elif not into_cond:
                            false_seen = True
                self.branches.append((pid, cstart, cend, label, true_seen, false_seen))

    # -------------------------------------------------------------- functions

    def _functions(self):
        """The external/public functions DECLARED in project sources (contracts/, not contracts/test/)
        for this contract: its own and those of project base contracts, public state-variable
        getters and overrides included; functions only inherited from OpenZeppelin (or declared only
        in interfaces/) are not counted. Each is (signature, reached)."""
        by_sig = {}
        for item in self.art["abi"]:
            if item["type"] == "function":
                sig = f"{item['name']}({','.join(_abi_type(i) for i in item['inputs'])})"
                by_sig["0x" + function_signature_to_4byte_selector(sig).hex()] = sig
        self.functions = []
        seen = set()
        contract = PROJECT_CONTRACTS.get(self.name)
        bases = contract["linearizedBaseContracts"] if contract else []
        for base_id in bases:
            base = PROJECT_CONTRACT_IDS.get(base_id)
            if base is None:
                continue  # OpenZeppelin / interfaces: out of scope
            for node in base.get("nodes", []):
                t = node.get("nodeType")
                if t == "FunctionDefinition" and node.get("kind") in ("receive", "fallback"):
                    if node.get("implemented", True) and node["kind"] not in seen:
                        seen.add(node["kind"])
                        hit = ("0x" in self.selectors) if node["kind"] == "receive" else bool(self.selectors - set(by_sig))
                        self.functions.append((f"{node['kind']}()", hit))
                    continue
                public = node.get("visibility") in ("public", "external")
                getter = t == "VariableDeclaration" and node.get("stateVariable") and public
                fn = t == "FunctionDefinition" and node.get("kind") == "function" and public and node.get("implemented")
                if not (getter or fn) or not node.get("functionSelector"):
                    continue
                sel = "0x" + node["functionSelector"]
                if sel in seen:
                    continue
                seen.add(sel)
                self.functions.append((by_sig.get(sel, f"{node['name']}(?)"), sel in self.selectors))

    # -------------------------------------------------------------- totals

    def lines(self) -> tuple[set, set]:
        executable, covered = set(), set()
        for pid, start, _end, _fn, hit in self.statements:
            key = (pid, self.sources[pid].line(start))
            executable.add(key)
            if hit:
                covered.add(key)
        return executable, covered

    def branch_counts(self) -> tuple[int, int]:
        total = 2 * len(self.branches)
        covered = sum(int(t) + int(f) for *_, t, f in self.branches)
        return covered, total


def _abi_type(item) -> str:
    t = item["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(_abi_type(c) for c in item["components"]) + ")" + t[5:]
    return t


def pct(covered: int, total: int) -> str:
    return "  n/a " if total == 0 else f"{100.0 * covered / total:5.1f}%"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", default=str(ROOT / "reports" / "coverage-raw.json"))
    ap.add_argument("--floor", type=float, default=float(os.environ.get("COVERAGE_BRANCH_FLOOR", 95)))
    ap.add_argument("--json", default=str(ROOT / "reports" / "coverage-summary.json"))
    args = ap.parse_args(argv)

    raws = []
    raw_path = Path(args.raw)
    for p in [raw_path, *sorted(raw_path.parent.glob(raw_path.stem + "-*" + raw_path.suffix))]:
        if p.exists():
            raws.append(json.loads(p.read_text()))
    if not raws:
        print(f"coverage: no trace data at {raw_path}: run `make coverage`", file=sys.stderr)
        return 1
    raw: dict[str, dict] = {}
    for r in raws:
        for key, entry in r["contracts"].items():
            dst = raw.setdefault(key, {"pcs": [], "jumpi": [], "selectors": []})
            for k in dst:
                dst[k] = dst[k] + entry[k]
        if r.get("stats", {}).get("errors"):
            print(f"coverage: warning: {r['stats']['errors']} traces failed: {r.get('errors', [])[:5]}")

    reports = [ContractReport(name, art, raw) for name, art in project_artifacts().items()]
    print()
    print(f"{'contract':<22}{'lines':>16}{'branches':>18}{'functions':>16}")
    tl = tlc = tb = tbc = tf = tfc = 0
    summary = {"contracts": {}, "floor": args.floor}
    for r in reports:
        ex, cov = r.lines()
        bc, bt = r.branch_counts()
        fc = sum(1 for _, hit in r.functions if hit)
        ft = len(r.functions)
        tl, tlc, tb, tbc, tf, tfc = tl + len(ex), tlc + len(cov), tb + bt, tbc + bc, tf + ft, tfc + fc
        print(
            f"{r.name:<22}{len(cov):>5}/{len(ex):<4}{pct(len(cov), len(ex)):>7}"
            f"{bc:>7}/{bt:<4}{pct(bc, bt):>7}{fc:>6}/{ft:<4}{pct(fc, ft):>6}"
        )
        summary["contracts"][r.name] = {
            "lines": [len(cov), len(ex)], "branches": [bc, bt], "functions": [fc, ft],
        }
    print(f"{'total':<22}{tlc:>5}/{tl:<4}{pct(tlc, tl):>7}{tbc:>7}/{tb:<4}{pct(tbc, tb):>7}{tfc:>6}/{tf:<4}{pct(tfc, tf):>6}")
    summary["total"] = {"lines": [tlc, tl], "branches": [tbc, tb], "functions": [tfc, tf]}

    unreached = [(r.name, sig) for r in reports for sig, hit in r.functions if not hit]
    print()
    if unreached:
        print(f"Declared external/public functions no test reached ({len(unreached)}):")
        for name, sig in unreached:
            print(f"  {name}.{sig}")
    else:
        print("Every external/public function declared in contracts/ was reached.")

    missing_branches = []
    for r in reports:
        for pid, start, end, fn, t, f in r.branches:
            if not (t and f):
                src = r.sources[pid]
                never = "true" if not t and f else "false" if t and not f else "true nor false"
                missing_branches.append(f"  {src.path}:{src.line(start)}  {fn}  `{src.snippet(start, end)}` never {never}")
    missing_lines = []
    for r in reports:
        seen = set()
        for pid, start, end, fn, hit in sorted(r.statements, key=lambda s: (s[0], s[1])):
            src = r.sources[pid]
            key = (pid, src.line(start))
            if hit or key in seen:
                continue
            if any(h and (p, src.line(s)) == key for p, s, _e, _f, h in r.statements):
                continue
            seen.add(key)
            missing_lines.append(f"  {src.path}:{key[1]}  {fn}  `{src.snippet(start, end)}`")
    if missing_branches:
        print(f"\nUncovered branch outcomes ({len(missing_branches)} branches):")
        print("\n".join(missing_branches))
    if missing_lines:
        print(f"\nUncovered lines ({len(missing_lines)}):")
        print("\n".join(missing_lines))
    summary["unreached_functions"] = [f"{n}.{s}" for n, s in unreached]
    summary["uncovered_branches"] = [m.strip() for m in missing_branches]
    summary["uncovered_lines"] = [m.strip() for m in missing_lines]
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")

    branch_pct = 100.0 * tbc / tb if tb else 100.0
    failures = []
    if unreached:
        failures.append(f"{len(unreached)} declared external/public function(s) never reached")
    if branch_pct < args.floor:
        failures.append(f"branch coverage {branch_pct:.2f}% is below the floor of {args.floor:g}%")
    print()
    if failures:
        print("coverage: FAIL: " + "; ".join(failures))
        return 1
    print(f"coverage: OK: branches {branch_pct:.2f}% >= {args.floor:g}%, every declared external function reached")
    return 0


if __name__ == "__main__":
    sys.exit(main())
