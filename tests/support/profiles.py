"""The one hypothesis set-up of the suite: how much each property and stateful test explores, for the
default run and for the deep one (`HYPOTHESIS_PROFILE=deep`, `make fuzz`).

    @settings(examples("escrow"))                   # a @given property test
    state_machine(Machine, ..., settings=machine_settings("system"))

Budgets are per suite (a system step costs far more than a token step); every test applies its own
settings (never a globally loaded profile, which would change brownie's for everything else). The
default run of the token and system machines is derandomized: the same examples every run, so their
"exercised enough kinds of step" checks cannot fail by luck; the deep run explores at random.
`HYPOTHESIS_VERBOSITY=3` prints every step of every example.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import HealthCheck, Verbosity, settings

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"


@dataclass(frozen=True)
class Budget:
    examples: int  # per @given property test
    machine_examples: int  # per state machine
    steps: int  # stateful steps per example
    derandomize: bool = False


# (default, deep) per suite
BUDGETS: dict[str, tuple[Budget, Budget]] = {
    "token": (Budget(12, 18, 25, derandomize=True), Budget(200, 300, 80)),
    "escrow": (Budget(20, 10, 40), Budget(200, 100, 80)),
    "distributor": (Budget(10, 12, 30), Budget(150, 100, 60)),
    "governance": (Budget(8, 0, 0), Budget(100, 0, 0)),
    # 9600 steps deep vs 480 by default (20x). Hypothesis runs its first 10 examples short (a few steps
    # each), so machine_examples must stay above 10 for full-length runs.
    "system": (Budget(0, 16, 30, derandomize=True), Budget(0, 48, 200)),
    "levels": (Budget(25, 0, 0), Budget(200, 0, 0)),
    # The access machine's default run is derandomized: its "exercised every kind of step" check
    # (tests/access/test_access_stateful.py) cannot fail by luck; 24 examples keep it above the
    # 10 short ones hypothesis starts with.
    "access": (Budget(12, 24, 30, derandomize=True), Budget(100, 50, 80)),
}

# Chain-backed examples are slow by nature, and brownie's function-scoped isolation is what each
# example wants: no health check is about the product.
COMMON = {
    "deadline": None,
    "database": None,
    "report_multiple_bugs": False,
    "suppress_health_check": list(HealthCheck),
}


def budget(suite: str) -> Budget:
    default, deep = BUDGETS[suite]
    return deep if DEEP else default


def _verbosity() -> dict:
    level = os.environ.get("HYPOTHESIS_VERBOSITY")
    return {"verbosity": Verbosity(int(level))} if level else {}


def examples(suite: str) -> settings:
    """Settings for a @given property test of `suite`."""
    b = budget(suite)
    return settings(max_examples=b.examples, derandomize=b.derandomize, **COMMON, **_verbosity())


def machine_settings(suite: str) -> dict:
    """Settings for brownie's `state_machine(..., settings=...)` of `suite`."""
    b = budget(suite)
    return {"max_examples": b.machine_examples, "stateful_step_count": b.steps, "derandomize": b.derandomize,
            **COMMON, **_verbosity()}
