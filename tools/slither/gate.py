"""`make slither`: the Slither CI gate. Run with the .venv-slither interpreter from the repo root.

Steps (all run; the exit status is 1 if any failed, 2 on a tool or configuration error):
 1. build/slither/input.json: solc standard-JSON input from brownie-config.yaml (build_input.py);
 2. compile it once with crytic-compile's solc-json platform and the repo's solc wrapper
    (`--compile-force-framework solc-json --solc tools/solc/solc-v<version>`), exported to
    build/slither/export/project_export.json, which the three analyses below reuse;
 3. `slither` detectors (OpenZeppelin and contracts/test/ filtered out) against
    security/slither-triage.yaml (triage.py): untriaged High/Medium findings, stale entries and
    unlisted analysis gaps fail;
 4. `slither-check-erc` on ServiceToken for ERC20 and ERC2612 (erc.py);
 5. docs/permissions.md from the `vars-and-auth` printer (permissions.py): fails when the committed
    file differs (`--update-permissions` rewrites it).

Equivalent one-shot detector run, without the shared compilation:
    slither build/slither/input.json --compile-force-framework solc-json \
        --solc tools/solc/solc-v0.8.28 --filter-paths 'node_modules|contracts/test'
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_input  # noqa: E402
import erc  # noqa: E402
import permissions  # noqa: E402
import triage  # noqa: E402

ROOT = HERE.parent.parent
OUT = Path("build/slither")
EXPORT_DIR = OUT / "export"
EXPORT = EXPORT_DIR / "project_export.json"
TRIAGE_FILE = Path("security/slither-triage.yaml")
PERMISSIONS_FILE = Path("docs/permissions.md")
FILTER_PATHS = "|".join(["node_modules", *build_input.EXCLUDED_DIRS])
ERC_CHECKS = (("ServiceToken", "ERC20"), ("ServiceToken", "ERC2612"))
BIN = Path(sys.executable).parent


class ToolError(RuntimeError):
    pass


def banner(title: str) -> None:
    print(f"\n==== {title} ====", flush=True)


def _shown(cmd: list) -> str:
    return " ".join(str(c) if " " not in str(c) and "|" not in str(c) else repr(str(c)) for c in cmd)


class Job:
    """A tool run in the background (the analyses share one compilation and run side by side)."""

    def __init__(self, cmd: list, log: Path):
        self.cmd = [str(c) for c in cmd]
        self.log = log
        self._out = open(ROOT / log, "w")
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT, text=True)

    def wait(self) -> tuple[int, str]:
        rc = self.proc.wait()
        self._out.close()
        print(f"$ {_shown(self.cmd)}", flush=True)
        return rc, (ROOT / self.log).read_text()


def run(cmd: list, log: Path) -> tuple[int, str]:
    return Job(cmd, log).wait()


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        raise ToolError(f"{path} missing: run `make slither` (it creates .venv-slither)")
    return str(path)


def solc_wrapper() -> Path:
    import yaml

    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text()) or {}
    wrapper = Path("tools/solc") / f"solc-v{build_input.solc_version(config)}"
    if not (ROOT / wrapper).exists():
        raise ToolError(f"{wrapper} missing (compiler.solc.version in brownie-config.yaml)")
    return wrapper


def compile_once() -> None:
    banner("compile (crytic-compile, solc-json platform)")
    build_input.main(["--root", str(ROOT), "--out", str(OUT / "input.json")])
    shutil.rmtree(ROOT / EXPORT_DIR, ignore_errors=True)
    rc, log = run(
        [tool("crytic-compile"), OUT / "input.json", "--compile-force-framework", "solc-json",
         "--solc", solc_wrapper(), "--export-format", "standard", "--export-dir", EXPORT_DIR],
        log=OUT / "compile.log",
    )
    exported = sorted((ROOT / EXPORT_DIR).glob("*.json")) if (ROOT / EXPORT_DIR).is_dir() else []
    if rc != 0 or len(exported) != 1:
        sys.stdout.write(log[-5000:])
        raise ToolError(f"compilation failed (exit {rc}); log: {OUT / 'compile.log'}")
    # crytic-compile's Standard platform recognises an export by the `_export.json` suffix.
    exported[0].rename(ROOT / EXPORT)


FINDINGS_JSON = OUT / "findings.json"


def start_detectors() -> Job:
    (ROOT / FINDINGS_JSON).unlink(missing_ok=True)  # slither refuses to overwrite
    return Job([tool("slither"), EXPORT, "--filter-paths", FILTER_PATHS, "--json", FINDINGS_JSON, "--fail-none"],
               OUT / "detectors.log")


def finish_detectors(job: Job) -> bool:
    banner("slither detectors vs " + str(TRIAGE_FILE))
    rc, log = job.wait()
    if not (ROOT / FINDINGS_JSON).exists():
        sys.stdout.write(log[-5000:])
        raise ToolError(f"slither wrote no {FINDINGS_JSON} (exit {rc})")
    output = json.loads((ROOT / FINDINGS_JSON).read_text())
    try:
        found = triage.findings_from_output(output, ROOT)
    except RuntimeError as exc:
        raise ToolError(str(exc)) from exc
    accepted = triage.load_triage(ROOT / TRIAGE_FILE)
    outcome = triage.evaluate(found, accepted, triage.ir_gaps_from_log(log))
    print(triage.render(outcome, str(TRIAGE_FILE)))
    print(f"(full results: {FINDINGS_JSON}, {OUT / 'detectors.log'})")
    return not outcome.failed


def start_erc_checks() -> list[tuple[str, str, Path, Job]]:
    jobs = []
    for contract, standard in ERC_CHECKS:
        out_json = OUT / f"erc-{contract}-{standard}.json"
        (ROOT / out_json).unlink(missing_ok=True)
        job = Job([tool("slither-check-erc"), EXPORT, contract, "--erc", standard, "--json", out_json],
                  OUT / f"erc-{contract}-{standard}.log")
        jobs.append((contract, standard, out_json, job))
    return jobs


def finish_erc_checks(jobs: list[tuple[str, str, Path, Job]]) -> bool:
    ok = True
    for contract, standard, out_json, job in jobs:
        banner(f"slither-check-erc {contract} {standard}")
        rc, log = job.wait()
        text = "\n".join(
            line for line in log.splitlines()
            # IR gaps are reported (and gated) by the detector step
            if "generate IR for" not in line and "object has no attribute" not in line
        )
        print(text.rstrip())
        if not (ROOT / out_json).exists():
            print(f"FAILED: slither-check-erc wrote no {out_json} (exit {rc})")
            ok = False
            continue
        failures, notes = erc.judge(json.loads((ROOT / out_json).read_text()))
        for note in notes:
            print(f"note (not gated): {note}")
        for failure in failures:
            print(f"FAILED: {failure}")
        print(f"{contract} {standard}: {'FAILED' if failures else 'OK'}")
        ok = ok and not failures
    return ok


def render_permissions() -> str:
    from slither import Slither

    logging.getLogger("ContractSolcParsing").setLevel(logging.CRITICAL)  # gaps: see detector step
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return permissions.render(permissions.collect(Slither(str(EXPORT))))
    finally:
        os.chdir(cwd)


def permissions_doc(text: str, update: bool) -> bool:
    banner(f"vars-and-auth -> {PERMISSIONS_FILE}")
    print(f"(Slither API on {EXPORT}: the vars-and-auth printer's data, tools/slither/permissions.py)")
    target = ROOT / PERMISSIONS_FILE
    current = target.read_text() if target.exists() else ""
    if current == text:
        print(f"{PERMISSIONS_FILE}: up to date")
        return True
    if update:
        target.write_text(text)
        print(f"{PERMISSIONS_FILE}: rewritten (commit it)")
        return True
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(), str(PERMISSIONS_FILE),
                                     "generated", lineterm="", n=1))
    print("\n".join(diff[:80]) + ("\n..." if len(diff) > 80 else ""))
    print(f"FAILED: {PERMISSIONS_FILE} is out of date: run `make slither-permissions` and commit it")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Slither CI gate (see docs/security-slither.md)")
    parser.add_argument("--update-permissions", action="store_true",
                        help=f"rewrite {PERMISSIONS_FILE} instead of checking it")
    parser.add_argument("--permissions-only", action="store_true",
                        help="compile and (re)generate/check the permissions doc only")
    args = parser.parse_args(argv)
    started = time.monotonic()
    (ROOT / OUT).mkdir(parents=True, exist_ok=True)
    results: dict[str, bool] = {}
    try:
        compile_once()
        if args.permissions_only:
            results["permissions doc"] = permissions_doc(render_permissions(), args.update_permissions)
        else:
            detector_job = start_detectors()
            erc_jobs = start_erc_checks()
            text = render_permissions()  # in this process, while the jobs run
            results["detectors/triage"] = finish_detectors(detector_job)
            results["ERC conformance"] = finish_erc_checks(erc_jobs)
            results["permissions doc"] = permissions_doc(text, args.update_permissions)
    except (ToolError, triage.TriageFileError) as exc:
        print(f"\nslither gate ERROR: {exc}")
        return 2
    banner("summary")
    for step, ok in results.items():
        print(f"{step:20s} {'OK' if ok else 'FAILED'}")
    print(f"slither gate: {'OK' if all(results.values()) else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
