"""The Slither gate's own logic (tools/slither): triage matching, IR-gap parsing, ERC judging,
permissions rendering and the standard-JSON input. Pure Python: no Slither, no chain needed."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "slither"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"slither_tools_{name}", TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


triage = _load("triage")
erc = _load("erc")
permissions = _load("permissions")
build_input = _load("build_input")


# ---------------------------------------------------------------- Slither JSON fixtures

SOURCE = "contract C {\n    function f(uint256 t) internal pure returns (uint256) {\n        return (t / 7) * 7;\n    }\n}\n"


def _fn(name="f", contract="C", signature=None):
    return {
        "type": "function",
        "name": name,
        "source_mapping": {"filename_relative": "contracts/C.sol", "lines": [2, 3, 4]},
        "type_specific_fields": {
            "parent": {"type": "contract", "name": contract},
            "signature": signature or f"{name}(uint256)",
        },
    }


def _node(text, fn_name="f", contract="C"):
    start = SOURCE.index(text) if text in SOURCE else 0
    return {
        "type": "node",
        "name": text.replace(" ", ""),
        "source_mapping": {"filename_relative": "contracts/C.sol", "start": start, "length": len(text),
                           "lines": [3]},
        "type_specific_fields": {"parent": {"type": "function", "name": fn_name,
                                            "type_specific_fields": {
                                                "parent": {"type": "contract", "name": contract},
                                                "signature": f"{fn_name}(uint256)"}}},
    }


def _result(check, impact, elements, description="desc"):
    return {"check": check, "impact": impact, "confidence": "Medium", "elements": elements,
            "description": description, "first_markdown_element": "contracts/C.sol#L2-L4"}


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "C.sol").write_text(SOURCE)
    return tmp_path


def _findings(repo, *results):
    return triage.findings_from_output({"success": True, "results": {"detectors": list(results)}}, repo)


def _triage(*entries, gaps=()):
    return triage.parse_triage({"version": 1, "findings": list(entries), "analysis_gaps": list(gaps)})


DIV = {"detector": "divide-before-multiply", "contract": "C", "function": "f", "reason": "week rounding"}


# ---------------------------------------------------------------- finding identity

def test_finding_key_uses_function_and_source_text_not_lines(repo):
    (f,) = _findings(repo, _result("divide-before-multiply", "Medium", [_fn(), _node("return (t / 7) * 7")]))
    assert (f.detector, f.contract, f.function, f.signature) == ("divide-before-multiply", "C", "f", "f(uint256)")
    assert f.element == "return (t / 7) * 7"


def test_variable_finding_element_is_the_variable_name(repo):
    var = {"type": "variable", "name": "carry", "source_mapping": {"filename_relative": "contracts/C.sol"},
           "type_specific_fields": {"parent": {"type": "function", "name": "f", "type_specific_fields": {
               "parent": {"type": "contract", "name": "C"}, "signature": "f(uint256)"}}}}
    (f,) = _findings(repo, _result("uninitialized-local", "Medium", [var]))
    assert (f.contract, f.function, f.element) == ("C", "f", "carry")


def test_failed_slither_output_raises(repo):
    with pytest.raises(RuntimeError, match="boom"):
        triage.findings_from_output({"success": False, "error": "boom"}, repo)


# ---------------------------------------------------------------- the gate

def test_untriaged_medium_fails_and_is_printed(repo):
    found = _findings(repo, _result("divide-before-multiply", "Medium", [_fn(), _node("return (t / 7) * 7")],
                                    "C.f performs a multiplication on the result of a division"))
    outcome = triage.evaluate(found, _triage())
    assert outcome.failed and outcome.untriaged == found
    text = triage.render(outcome, "security/slither-triage.yaml")
    assert "UNTRIAGED" in text and "performs a multiplication" in text
    assert "element: 'return (t / 7) * 7'" in text and text.endswith("slither triage: FAILED")


def test_entry_accepts_matching_finding_whitespace_insensitive(repo):
    found = _findings(repo, _result("divide-before-multiply", "Medium", [_fn(), _node("return (t / 7) * 7")]))
    outcome = triage.evaluate(found, _triage(dict(DIV, element="return (t/7)*7")))
    assert not outcome.failed and len(outcome.accepted) == 1


def test_entry_with_other_element_does_not_match(repo):
    found = _findings(repo, _result("divide-before-multiply", "Medium", [_fn(), _node("return (t / 7) * 7")]))
    outcome = triage.evaluate(found, _triage(dict(DIV, element="x = (y / 7) * 7")))
    assert outcome.untriaged == found and [e.index for e in outcome.stale] == [1]


def test_entry_without_element_covers_the_function_and_signature_works(repo):
    found = _findings(repo, _result("divide-before-multiply", "Medium", [_fn(), _node("return (t / 7) * 7")]))
    assert not triage.evaluate(found, _triage(DIV)).failed
    assert not triage.evaluate(found, _triage(dict(DIV, function="f(uint256)"))).failed
    assert triage.evaluate(found, _triage(dict(DIV, function="g"))).failed
    assert triage.evaluate(found, _triage(dict(DIV, contract="D"))).failed


def test_stale_entry_fails(repo):
    outcome = triage.evaluate([], _triage(DIV))
    assert outcome.failed and [e.key() for e in outcome.stale] == ["divide-before-multiply C.f"]
    assert "STALE" in triage.render(outcome, "t.yaml")


def test_low_findings_are_not_gated_but_can_be_triaged(repo):
    found = _findings(repo, _result("timestamp", "Low", [_fn()]))
    outcome = triage.evaluate(found, _triage())
    assert not outcome.failed and outcome.others == {("Low", "timestamp"): 1}


def test_malformed_triage_files_are_rejected():
    for bad in (
        {"findings": [{"detector": "x", "contract": "C"}]},  # no reason
        {"findings": [dict(DIV, reason="two\nlines")]},
        {"findings": [DIV, dict(DIV)]},  # duplicate
        {"findings": [dict(DIV, line=3)]},  # unknown key
        {"findings": [], "extra": 1},
        {"version": 2},
        {"analysis_gaps": [{"function": "C.f (C.sol)"}]},
    ):
        with pytest.raises(triage.TriageFileError):
            triage.parse_triage(bad)


def test_committed_triage_file_is_valid_and_every_entry_has_a_reason():
    parsed = triage.load_triage(ROOT / "security" / "slither-triage.yaml")
    assert parsed.findings, "the committed triage file lists the reviewed findings"
    assert all(len(e.reason) >= 20 for e in parsed.findings + parsed.gaps)


# ---------------------------------------------------------------- IR gaps

LOG = """\
ERROR:ContractSolcParsing:Impossible to generate IR for VotingEscrow.constructor (node_modules/@openzeppelin/contracts/utils/cryptography/EIP712.sol#68-77):
 'NoneType' object has no attribute 'parameters'
Impossible to generate IR for VotingEscrow._EIP712Name (node_modules/@openzeppelin/contracts/utils/cryptography/EIP712.sol#146-148):
ERROR:Slither:
Failed to generate IR for C.f. Please open an issue https://github.com/crytic/slither/issues.
C.f (contracts/C.sol#2-4):
"""


def test_ir_gaps_parsed_with_their_file():
    assert triage.ir_gaps_from_log(LOG) == [
        "C.f (C.sol)", "VotingEscrow._EIP712Name (EIP712.sol)", "VotingEscrow.constructor (EIP712.sol)"]


def test_unlisted_gap_fails_listed_gap_passes_vanished_gap_is_stale():
    gaps = ["VotingEscrow.constructor (EIP712.sol)"]
    listed = [{"function": "VotingEscrow.constructor (EIP712.sol)", "reason": "OZ code, Slither limitation"}]
    assert triage.evaluate([], _triage(), gaps).unknown_gaps == gaps
    assert not triage.evaluate([], _triage(gaps=listed), gaps).failed
    assert triage.evaluate([], _triage(gaps=listed), []).stale_gaps


# ---------------------------------------------------------------- slither-check-erc

def _erc(**kinds):
    return {"success": True, "error": None, "results": {"erc-conformance": kinds}}


def test_erc_race_condition_and_optional_function_are_notes_only():
    failures, notes = erc.judge(_erc(
        lack_of_erc20_race_condition_protection=[{"description": "\t[ ] T is not protected"}],
        missing_function=[{"description": "[ ] decimals() is missing (optional)",
                           "additional_fields": {"function": "decimals()", "required": False}}],
    ))
    assert failures == [] and len(notes) == 2


def test_erc_missing_required_function_event_or_index_fails():
    failures, _ = erc.judge(_erc(
        missing_function=[{"description": "[ ] transfer(address,uint256) is missing",
                           "additional_fields": {"required": True}}],
        missing_event=[{"description": "[ ] Approval(address,address,uint256) is missing"}],
        missing_event_index=[{"description": "\t[ ] parameter 0 should be indexed"}],
        something_new=[{"description": "?"}],
    ))
    assert len(failures) == 4


def test_erc_tool_error_fails():
    assert erc.judge({"success": False, "error": "Contract not found"})[0]


# ---------------------------------------------------------------- permissions doc

def test_permissions_render_is_a_table_per_contract():
    text = permissions.render([
        permissions.ContractTable("Z", "contracts/Z.sol", ()),
        permissions.ContractTable("A", "contracts/A.sol", (
            permissions.Row("set(uint256)", "A", ("onlyOwner",), (), ("x",), written_by_library=("h",)),
            permissions.Row("go()", "A", (), ("a != msg.sender || b",), (), payable=True),
        )),
    ])
    assert text.startswith("<!-- GENERATED FILE") and "make slither-permissions" in text
    assert "| `set(uint256)` | A | `onlyOwner` | - | `x`, `h`* |" in text
    assert "| `go()` (payable) | A | - | `a != msg.sender \\|\\| b` | - |" in text
    assert "No state-changing entry point." in text and text.endswith("\n")


def test_committed_permissions_doc_is_generated():
    text = (ROOT / "docs" / "permissions.md").read_text()
    assert text.startswith(permissions.HEADER)
    for name in ("ServiceToken", "VotingEscrow", "RevenueDistributor", "ServiceGovernor", "TeamVesting"):
        assert f"## {name}\n" in text


def test_project_sources_exclude_contracts_test():
    assert permissions.is_project_source("contracts/VotingEscrow.sol")
    assert not permissions.is_project_source("contracts/test/MockToken.sol")
    assert not permissions.is_project_source("node_modules/@openzeppelin/contracts/token/ERC20/ERC20.sol")


# ---------------------------------------------------------------- standard-JSON input

def test_input_uses_brownie_settings_and_skips_contracts_test(tmp_path):
    (tmp_path / "contracts" / "test").mkdir(parents=True)
    (tmp_path / "interfaces").mkdir()
    (tmp_path / "contracts" / "A.sol").write_text("// A")
    (tmp_path / "contracts" / "test" / "Mock.sol").write_text("// mock")
    (tmp_path / "interfaces" / "IA.sol").write_text("// IA")
    (tmp_path / "brownie-config.yaml").write_text((ROOT / "brownie-config.yaml").read_text())
    data = build_input.build_input(tmp_path)
    assert sorted(data["sources"]) == ["contracts/A.sol", "interfaces/IA.sol"]
    assert data["sources"]["contracts/A.sol"] == {"content": "// A"}
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())
    solc = config["compiler"]["solc"]
    settings = data["settings"]
    assert settings["evmVersion"] == config["compiler"]["evm_version"] == "cancun"
    assert settings["optimizer"] == {"enabled": True, "runs": solc["optimizer"]["runs"]}
    assert settings["remappings"] == solc["remappings"] == ["@openzeppelin=node_modules/@openzeppelin"]
    assert "ast" in json.dumps(settings["outputSelection"])
    assert build_input.solc_version(config) == "0.8.28"
    assert (ROOT / "tools" / "solc" / f"solc-v{build_input.solc_version(config)}").exists()
