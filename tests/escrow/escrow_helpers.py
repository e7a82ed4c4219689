"""Constants and helpers shared by the VotingEscrow tests (imported by conftest and test modules)."""

import os
from contextlib import contextmanager

from brownie.exceptions import VirtualMachineError
from hypothesis import settings

PENALTY_BPS = 5_000
MAX_LOCK = 365 * 86400
WEEK = 7 * 86400
ZERO = "0x0000000000000000000000000000000000000000"

# Default profile keeps tests/escrow within a few minutes; HYPOTHESIS_PROFILE=deep digs further.
settings.register_profile("escrow-default", max_examples=20, stateful_step_count=40, deadline=None)
settings.register_profile("deep", max_examples=200, stateful_step_count=80, deadline=None)
PROFILE = "deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "escrow-default"
EXAMPLES = settings.get_profile(PROFILE).max_examples
STEPS = settings.get_profile(PROFILE).stateful_step_count

def error_name(exc) -> str:
    msg = getattr(exc, "revert_msg", None) or str(exc)
    return msg.split(":")[0].strip()


@contextmanager
def reverts_with(name: str, *args):
    """The block must revert with custom error `name` (and, if given, exactly these arguments)."""
    try:
        yield
    except VirtualMachineError as exc:
        got = error_name(exc)
        assert got == name, f"reverted with {exc.revert_msg!r}, expected {name}"
        if args:
            values = [v.strip().lower() for v in exc.revert_msg.split(":", 1)[1].split(",")]
            assert values == [str(a).lower() for a in args], f"{exc.revert_msg!r} != {name}{args}"
    else:
        raise AssertionError(f"did not revert (expected {name})")


