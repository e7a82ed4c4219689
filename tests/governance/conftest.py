"""Fixtures for the governance tests: the whole system as deployed by harness.deploy (tests/conftest.py
`system`), voters funded from the community allocation (Anvil account 2), and a proposal driver."""

import pytest

from harness.core.units import UNIT
from tests.governance.helpers import Gov, permanent_lock

FUND = 30_000_000 * UNIT


@pytest.fixture(scope="module")
def gov(system):
    return Gov(system)


@pytest.fixture(scope="module")
def community(accounts):
    """Anvil account 2: holds the 300M community allocation (minus what `voters` hands out)."""
    return accounts[2]


@pytest.fixture(scope="module")
def voters(system, accounts, community):
    """Anvil accounts 1, 6, 7, 8, 9 with 30M tokens each; they, account 2 and account 3 have approved
    the escrow. Nobody has a lock yet."""
    token, escrow = system.token, system.escrow
    vs = [accounts[i] for i in (1, 6, 7, 8, 9)]
    for v in vs:
        token.transfer(v, FUND, {"from": community})
    for a in vs + [accounts[2], accounts[3]]:
        token.approve(escrow, 2**256 - 1, {"from": a})
    return vs


@pytest.fixture(scope="module")
def whale(system, voters, community):
    """Account 2 with a 100M permanent lock: 200M votes, the only Staking Score (quorum 8M)."""
    permanent_lock(system.escrow, community, 100_000_000 * UNIT)
    return community
