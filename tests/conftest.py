"""Fixtures shared by every test module. Each test runs in its own snapshot (fn_isolation)."""

import pytest

SUPPLY = 1_000_000_000 * 10**18


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def holders(accounts):
    """Accounts 1..9: each gets an equal share of the token supply in `token`."""
    return accounts[1:10]


@pytest.fixture(scope="module")
def token(ServiceToken, deployer, holders):
    """A ServiceToken whose whole supply is split evenly over `holders`."""
    share = SUPPLY // len(holders)
    amounts = [share] * len(holders)
    amounts[0] += SUPPLY - share * len(holders)
    return ServiceToken.deploy(
        "Service Token", "SVC", [h.address for h in holders], amounts, {"from": deployer}
    )
