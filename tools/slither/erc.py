"""Judge `slither-check-erc --json` output: which results fail the gate.

Fails on a missing required function, a wrong return type, a function that should be view, a
missing event, an event not emitted where the ERC requires it, a missing `indexed`, and any result
kind this module does not know. Notes only (no failure): a missing optional function (ERC-20's
name/symbol/decimals) and the ERC-20 approval race condition, which OpenZeppelin 5's ERC20 no longer
mitigates with increaseAllowance/decreaseAllowance (a known property of ERC-20 itself).
"""

from __future__ import annotations

NOTE_ONLY = {"lack_of_erc20_race_condition_protection"}
FAILING = {
    "missing_function",
    "incorrect_return_type",
    "should_be_view",
    "missing_event",
    "missing_event_emmited",  # sic: Slither's key
    "missing_event_index",
    "erroneous_erc1155_safeBatchTransferFrom_event",
}


def judge(output: dict) -> tuple[list[str], list[str]]:
    """(failures, notes) as one-line descriptions."""
    if not output.get("success", False):
        return [f"slither-check-erc failed: {output.get('error')}"], []
    conformance = (output.get("results") or {}).get("erc-conformance")
    if not isinstance(conformance, dict):
        return ["slither-check-erc produced no erc-conformance results"], []
    failures: list[str] = []
    notes: list[str] = []
    for kind, items in sorted(conformance.items()):
        for item in items or []:
            text = " ".join((item.get("description") or kind).split())
            fields = item.get("additional_fields") or {}
            if kind == "missing_function" and fields.get("required") is False:
                notes.append(f"{kind}: {text}")
            elif kind in NOTE_ONLY:
                notes.append(f"{kind}: {text}")
            else:
                failures.append(f"{kind}: {text}")
    return failures, notes
