"""Compare Slither's detector results with the committed triage file (security/slither-triage.yaml).

A finding is identified by detector + contract + function + element, never by line numbers:
  - contract / function: where the finding is (the function's name; an entry may also give the full
    signature, e.g. `_finalise(address)`, to tell overloads apart);
  - element: the Solidity source text of the flagged statement (whitespace-insensitive), or the
    variable's name for variable findings. An entry without `element` accepts every finding of that
    detector in that function.

The gate (exit status of `check`): 1 if a High or Medium finding matches no entry, if an entry
matches no finding any more (stale: remove it in the change that fixed the code), or if Slither
could not build its IR for a function not listed under `analysis_gaps` (or a listed gap is gone);
2 if the triage file itself is malformed. Low/Informational/Optimization findings are summarised only.

Pure Python (PyYAML only), so the tests run it without Slither installed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GATED_IMPACTS = ("High", "Medium")
IMPACT_ORDER = {"High": 0, "Medium": 1, "Low": 2, "Informational": 3, "Optimization": 4}

# Slither's messages when it cannot build SlithIR for a function (the function is then invisible to
# every detector). Both go to the log, not to the JSON output. A gap is named
# `Contract.function (File.sol)`: the file tells an inherited function from the contract's own.
_GAP_PATTERNS = (
    re.compile(r"Impossible to generate IR for (?P<name>[\w$]+\.[\w$]+) \((?P<where>[^)#]*)"),
    re.compile(r"Failed to generate IR for [^\n]*\n(?P<name>[\w$]+\.[\w$]+) \((?P<where>[^)#]*)"),
)


class TriageFileError(ValueError):
    """The triage file is malformed (exit status 2)."""


def squash(text: str | None) -> str | None:
    """Whitespace-insensitive form used to compare source snippets."""
    return None if text is None else re.sub(r"\s+", "", text)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Finding:
    detector: str
    impact: str
    confidence: str
    contract: str | None
    function: str | None
    signature: str | None
    element: str | None
    location: str
    description: str

    def key(self) -> str:
        where = ".".join(p for p in (self.contract, self.function) if p) or "?"
        return f"{self.detector} {where}" + (f" [{self.element}]" if self.element else "")


@dataclass
class Entry:
    detector: str
    contract: str
    function: str | None
    element: str | None
    reason: str
    index: int
    matched: list[Finding] = field(default_factory=list)

    def matches(self, f: Finding) -> bool:
        if f.detector != self.detector or f.contract != self.contract:
            return False
        if self.function is None:
            if f.function is not None:
                return False
        elif self.function not in (f.function, f.signature):
            return False
        return self.element is None or squash(self.element) == squash(f.element)

    def key(self) -> str:
        where = ".".join(p for p in (self.contract, self.function) if p)
        return f"{self.detector} {where}" + (f" [{self.element}]" if self.element else "")


@dataclass
class Gap:
    function: str
    reason: str
    index: int
    seen: bool = False


@dataclass
class Triage:
    findings: list[Entry]
    gaps: list[Gap]


# ---------------------------------------------------------------- triage file

def load_triage(path: Path) -> Triage:
    if not path.exists():
        raise TriageFileError(f"{path}: missing")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise TriageFileError(f"{path}: not YAML: {exc}") from exc
    return parse_triage(data or {}, str(path))


def parse_triage(data: dict, name: str = "triage file") -> Triage:
    if not isinstance(data, dict):
        raise TriageFileError(f"{name}: top level must be a mapping")
    unknown = set(data) - {"version", "findings", "analysis_gaps"}
    if unknown:
        raise TriageFileError(f"{name}: unknown top-level keys {sorted(unknown)}")
    if data.get("version", 1) != 1:
        raise TriageFileError(f"{name}: unsupported version {data.get('version')!r}")
    entries: list[Entry] = []
    seen: set[tuple] = set()
    for i, raw in enumerate(data.get("findings") or [], start=1):
        where = f"{name}: findings[{i}]"
        if not isinstance(raw, dict):
            raise TriageFileError(f"{where}: must be a mapping")
        extra = set(raw) - {"detector", "contract", "function", "element", "reason"}
        if extra:
            raise TriageFileError(f"{where}: unknown keys {sorted(extra)}")
        for required in ("detector", "contract", "reason"):
            if not isinstance(raw.get(required), str) or not raw[required].strip():
                raise TriageFileError(f"{where}: `{required}` is required (non-empty string)")
        reason = raw["reason"].strip()
        if "\n" in reason:
            raise TriageFileError(f"{where}: `reason` must be one line")
        for optional in ("function", "element"):
            if raw.get(optional) is not None and not isinstance(raw[optional], str):
                raise TriageFileError(f"{where}: `{optional}` must be a string")
        entry = Entry(
            detector=raw["detector"].strip(),
            contract=raw["contract"].strip(),
            function=(raw.get("function") or "").strip() or None,
            element=(raw.get("element") or "").strip() or None,
            reason=reason,
            index=i,
        )
        ident = (entry.detector, entry.contract, entry.function, squash(entry.element))
        if ident in seen:
            raise TriageFileError(f"{where}: duplicate of an earlier entry ({entry.key()})")
        seen.add(ident)
        entries.append(entry)
    gaps: list[Gap] = []
    for i, raw in enumerate(data.get("analysis_gaps") or [], start=1):
        where = f"{name}: analysis_gaps[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"function", "reason"}:
            raise TriageFileError(f"{where}: needs exactly `function` (Contract.function (File.sol)) and `reason`")
        if not all(isinstance(raw[k], str) and raw[k].strip() for k in raw):
            raise TriageFileError(f"{where}: `function` and `reason` must be non-empty strings")
        if "\n" in raw["reason"].strip():
            raise TriageFileError(f"{where}: `reason` must be one line")
        gaps.append(Gap(function=raw["function"].strip(), reason=raw["reason"].strip(), index=i))
    return Triage(findings=entries, gaps=gaps)


# ---------------------------------------------------------------- Slither JSON

def _source_text(element: dict, root: Path) -> str | None:
    sm = element.get("source_mapping") or {}
    rel = sm.get("filename_relative") or sm.get("filename_absolute")
    start, length = sm.get("start"), sm.get("length")
    if not rel or start is None or not length:
        return None
    path = Path(rel)
    if not path.is_absolute():
        path = root / path
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return one_line(data[start : start + length].decode("utf-8", errors="replace"))


def _location(element: dict) -> str:
    sm = element.get("source_mapping") or {}
    lines = sm.get("lines") or []
    name = sm.get("filename_relative") or "?"
    if not lines:
        return name
    return f"{name}#L{lines[0]}" + (f"-L{lines[-1]}" if lines[-1] != lines[0] else "")


def _parent(element: dict) -> dict:
    return (element.get("type_specific_fields") or {}).get("parent") or {}


def finding_from_result(result: dict, root: Path) -> Finding:
    elements = result.get("elements") or []
    contract = function = signature = element_text = None
    location = result.get("first_markdown_element") or ""
    if elements:
        first = elements[0]
        kind = first.get("type")
        parent = _parent(first)
        if kind in ("function", "modifier"):
            function = first.get("name")
            signature = (first.get("type_specific_fields") or {}).get("signature")
            contract = parent.get("name") if parent.get("type") == "contract" else None
        elif kind in ("node", "variable") and parent.get("type") in ("function", "modifier"):
            function = parent.get("name")
            signature = (parent.get("type_specific_fields") or {}).get("signature")
            grand = _parent(parent)
            contract = grand.get("name") if grand.get("type") == "contract" else None
            element_text = first.get("name") if kind == "variable" else (
                _source_text(first, root) or first.get("name"))
        elif kind == "contract":
            contract = first.get("name")
        else:
            contract = parent.get("name") if parent.get("type") == "contract" else None
            element_text = first.get("name")
        if element_text is None and kind in ("function", "modifier"):
            node = next((e for e in elements[1:] if e.get("type") == "node"), None)
            if node is not None:
                element_text = _source_text(node, root) or node.get("name")
        location = _location(first) or location
    return Finding(
        detector=result.get("check", "?"),
        impact=result.get("impact", "?"),
        confidence=result.get("confidence", "?"),
        contract=contract,
        function=function,
        signature=signature,
        element=element_text,
        location=location,
        description=(result.get("description") or "").rstrip(),
    )


def findings_from_output(output: dict, root: Path) -> list[Finding]:
    if not output.get("success", False):
        raise RuntimeError(f"Slither failed: {output.get('error')}")
    results = (output.get("results") or {}).get("detectors") or []
    found = [finding_from_result(r, root) for r in results]
    return sorted(found, key=lambda f: (IMPACT_ORDER.get(f.impact, 9), f.detector, f.contract or "",
                                        f.function or "", f.element or ""))


def ir_gaps_from_log(log: str) -> list[str]:
    """`Contract.function (File.sol)` for each function Slither could not build IR for, sorted."""
    names: set[str] = set()
    for pattern in _GAP_PATTERNS:
        for m in pattern.finditer(log):
            names.add(f"{m.group('name')} ({Path(m.group('where').strip()).name})")
    return sorted(names)


# ---------------------------------------------------------------- the gate

@dataclass
class Outcome:
    untriaged: list[Finding]
    accepted: list[tuple[Finding, Entry]]
    stale: list[Entry]
    unknown_gaps: list[str]
    stale_gaps: list[Gap]
    others: Counter

    @property
    def failed(self) -> bool:
        return bool(self.untriaged or self.stale or self.unknown_gaps or self.stale_gaps)


def evaluate(findings: list[Finding], triage: Triage, ir_gaps: list[str] | None = None) -> Outcome:
    for entry in triage.findings:
        entry.matched = []
    untriaged: list[Finding] = []
    accepted: list[tuple[Finding, Entry]] = []
    others: Counter = Counter()
    for f in findings:
        matching = [e for e in triage.findings if e.matches(f)]
        for e in matching:
            e.matched.append(f)
        if f.impact in GATED_IMPACTS:
            if matching:
                accepted.append((f, matching[0]))
            else:
                untriaged.append(f)
        else:
            others[(f.impact, f.detector)] += 1
    stale = [e for e in triage.findings if not e.matched]
    gaps_listed = {g.function: g for g in triage.gaps}
    unknown_gaps = []
    for name in ir_gaps or []:
        if name in gaps_listed:
            gaps_listed[name].seen = True
        else:
            unknown_gaps.append(name)
    stale_gaps = [g for g in triage.gaps if not g.seen]
    return Outcome(untriaged, accepted, stale, unknown_gaps, stale_gaps, others)


def render(outcome: Outcome, triage_path: str) -> str:
    out: list[str] = []
    gated = len(outcome.untriaged) + len(outcome.accepted)
    out.append(f"Slither: {gated} High/Medium finding(s): {len(outcome.accepted)} triaged in "
               f"{triage_path}, {len(outcome.untriaged)} untriaged.")
    if outcome.untriaged:
        out.append("")
        out.append(f"UNTRIAGED High/Medium findings (fix the contract, or add an entry with a reason to "
                   f"{triage_path}):")
        for f in outcome.untriaged:
            out.append("")
            out.append(f"  [{f.impact}/{f.confidence}] {f.detector}  {f.contract}.{f.function}  ({f.location})")
            out.append(f"    triage key: detector: {f.detector}, contract: {f.contract}, "
                       f"function: {f.function}" + (f", element: {f.element!r}" if f.element else ""))
            for line in f.description.splitlines():
                out.append(f"    | {line}")
    if outcome.stale:
        out.append("")
        out.append(f"STALE triage entries (no such finding any more: remove them from {triage_path}):")
        for e in outcome.stale:
            out.append(f"  findings[{e.index}]: {e.key()}")
    if outcome.unknown_gaps:
        out.append("")
        out.append("Slither could NOT analyse these functions (no IR: every detector skips them). Restructure "
                   f"the code, or list them under analysis_gaps in {triage_path} with a reason:")
        for name in outcome.unknown_gaps:
            out.append(f"  {name}")
    if outcome.stale_gaps:
        out.append("")
        out.append(f"STALE analysis_gaps (Slither analyses them now: remove them from {triage_path}):")
        for g in outcome.stale_gaps:
            out.append(f"  analysis_gaps[{g.index}]: {g.function}")
    if outcome.others:
        summary = ", ".join(f"{det} {n}" for (imp, det), n in sorted(
            outcome.others.items(), key=lambda kv: (IMPACT_ORDER.get(kv[0][0], 9), kv[0][1])))
        out.append("")
        out.append(f"Not gated (Low/Informational/Optimization): {sum(outcome.others.values())} result(s): {summary}")
    out.append("")
    out.append("slither triage: FAILED" if outcome.failed else "slither triage: OK")
    return "\n".join(out)
