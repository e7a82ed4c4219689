"""Every value the system fuzz draws for the minimum quorum (SPEC 7), set through a model-checked proposal
cycle on the fuzz's world, then two proposals whose fate depends on it. Deterministic, so the model's
minimum-quorum rules are checked on every run (the fuzz's default run rarely executes a setting)."""

import pytest

from harness.chain import time as hchain
from harness.core.units import UNIT
from tests.models.system_model import FOR
from tests.system.helpers import SETTING_VALUES, Ops

# The world (tests/system/conftest.py) has about 17.5M of Staking Score: 4% of it is below the local
# config's 2M minimum. holders[1] (3M for 52 weeks) votes about 6M, holders[2] (1M for 20 weeks) about 1.3M.
CASES = {
    0: (True, True),  # the 4% rule alone: both pass
    2_000_000 * UNIT: (True, False),  # the deployed value again
    30_000_000 * UNIT: (False, False),  # above everything locked
    2 * 10**9 * UNIT + 1: (True, False),  # refused at execution (above 2 x supply): 2M stays
}


def test_the_fuzz_draws_each_case():
    assert sorted(SETTING_VALUES["minimumQuorum"]) == sorted(CASES)


@pytest.mark.parametrize("minimum", list(CASES), ids=["zero", "local-default", "above-all-locked", "unreachable"])
def test_minimum_quorum_setting_against_the_model(world, minimum):
    model = world.fresh_model()
    ops, s, h = Ops(world, model), world.system, world.holders
    change = ops.cycle(h[0], [("set", "minimumQuorum", minimum)], [h[0], h[1]], [FOR, FOR], world.keeper)
    assert change.executed == (minimum <= 2 * s.token.totalSupply())
    assert s.governor.minimumQuorum() == model.minimum_quorum_at(hchain.now()) == (
        minimum if change.executed else 2_000_000 * UNIT
    )
    outcomes = []
    for voter, delay in ((h[1], 3600), (h[2], 2 * 86400)):
        p = ops.cycle(h[0], [("delay", delay)], [voter], [FOR], world.keeper)
        assert s.governor.quorum(p.snapshot) == model.quorum(p.snapshot)
        outcomes.append(p.executed)
    assert tuple(outcomes) == CASES[minimum]
