"""RevenueDistributor paths the other tests do not reach (found by `make coverage`, docs/coverage.md):
a first claim of a token listed after the account locked, a multi-token claim whose second token is
walked 52+ weeks after the first one (past the per-call balance cache), the constructor's check of
the escrow's `token()`, and renounceOwnership."""

from __future__ import annotations

import pytest
from brownie import web3
from brownie.exceptions import VirtualMachineError
from web3 import Web3

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import UNIT, WEEK, ZERO_ADDRESS

BIG = 10**30


def revert_name(exc: VirtualMachineError) -> str:
    return (exc.revert_msg or "").split(":")[0].strip()


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer):
    mine_at(week_start(now()) + WEEK + 3600)
    return VotingEscrow.deploy(token, 5_000, deployer, {"from": deployer})


@pytest.fixture(scope="module")
def dist(RevenueDistributor, ve, token, deployer, holders):
    d = RevenueDistributor.deploy(ve, deployer, {"from": deployer})
    ve.setRevenueDistributor(d, {"from": deployer})
    for h in holders[:2]:
        token.approve(ve, 2**256 - 1, {"from": h})
        token.approve(d, 2**256 - 1, {"from": h})
    return d


@pytest.mark.parametrize("usd_first", [False, True], ids=["token-then-usd", "usd-then-token"])
def test_late_listed_token_claimed_52_weeks_apart(usd_first, dist, ve, token, ServiceToken, deployer, holders):
    """`alice` locks (permanently) in week L; staking-token revenue goes to week L+2. 54 weeks later
    a second token `usd` is listed and gets revenue. alice's first claim of usd starts at usd's first
    week (her lock point is earlier: `_startCursor` raises it to `st.startWeek`). The per-call balance
    cache starts at the first week whose balance the call reads: in claim([token, usd]) the usd weeks
    lie 52+ weeks after it, in claim([usd, token]) the token weeks lie before it; either way
    `_balanceAt` reads the escrow directly, and the amounts are the same."""
    alice = holders[0]
    lock_week = week_start(now())
    lock_amount = 1_000 * UNIT
    ve.createLock(lock_amount, lock_week + 10 * WEEK, {"from": alice})
    ve.lockPermanent({"from": alice})
    assert ve.balanceOf(alice) == 2 * lock_amount

    revenue_week = lock_week + 2 * WEEK
    mine_at(revenue_week + 60)
    staking_revenue = 7_000 * UNIT + 3
    dist.depositRevenue(token, staking_revenue, {"from": alice})
    assert dist.tokensPerWeek(token, revenue_week) == staking_revenue

    listed_week = revenue_week + 54 * WEEK
    mine_at(listed_week + 60)
    usd = ServiceToken.deploy("USD Coin", "USD", [deployer], [BIG], {"from": deployer})
    usd.approve(dist, 2**256 - 1, {"from": deployer})
    dist.addRewardToken(usd, {"from": deployer})
    assert dist.tokenState(usd)[2] == listed_week
    usd_revenue = 12_345 * UNIT + 1
    dist.depositRevenue(usd, usd_revenue, {"from": deployer})
    mine_at(listed_week + WEEK + 60)

    # alice's lock point (week L+1 after rounding up) is 55 weeks before usd was listed
    assert week_start(ve.userPointTimestamp(alice, 1)) + WEEK == lock_week + WEEK < listed_week
    assert dist.claimCursor(alice, usd) == 0
    assert dist.claimable(alice, usd) == usd_revenue
    assert dist.claimable(alice, token) == staking_revenue

    before = token.balanceOf(alice), usd.balanceOf(alice)
    order = [usd, token] if usd_first else [token, usd]
    tx = dist.claim(order, {"from": alice})
    expected = {token.address: staking_revenue, usd.address: usd_revenue}
    assert tx.return_value == tuple(expected[t.address] for t in order)
    assert token.balanceOf(alice) - before[0] == staking_revenue
    assert usd.balanceOf(alice) - before[1] == usd_revenue
    # usd was walked from its first week (not from alice's lock week) to the finalised end
    assert dist.claimCursor(alice, usd) == listed_week + WEEK
    claimed = {(e["token"], e["amount"]) for e in tx.events["Claimed"]}
    assert claimed == {(token.address, staking_revenue), (usd.address, usd_revenue)}
    assert dist.accounted(token) == 0 and dist.accounted(usd) == 0


def test_constructor_rejects_an_escrow_whose_token_is_zero(RevenueDistributor, deployer):
    """An "escrow" whose code returns 32 zero bytes for any call (PUSH1 32 PUSH1 0 RETURN): token() is 0."""
    fake = Web3.to_checksum_address("0x00000000000000000000000000000000c0fe0001")
    assert "error" not in web3.provider.make_request("anvil_setCode", [fake, "0x60206000f3"])
    assert web3.eth.call({"to": fake, "data": "0xfc0c546a"}) == bytes(32)
    with pytest.raises(VirtualMachineError) as info:
        RevenueDistributor.deploy(fake, deployer, {"from": deployer})
    assert revert_name(info.value) == "ZeroAddress"
    with pytest.raises(VirtualMachineError) as info:
        RevenueDistributor.deploy(ZERO_ADDRESS, deployer, {"from": deployer})
    assert revert_name(info.value) == "ZeroAddress"


def test_renounce_ownership_locks_the_admin_functions(dist, deployer, holders, ServiceToken):
    usd = ServiceToken.deploy("USD Coin", "USD", [deployer], [BIG], {"from": deployer})
    with pytest.raises(VirtualMachineError) as info:
        dist.renounceOwnership({"from": holders[0]})
    assert revert_name(info.value) == "OwnableUnauthorizedAccount"
    tx = dist.renounceOwnership({"from": deployer})
    assert dist.owner() == ZERO_ADDRESS
    assert tx.events["OwnershipTransferred"]["newOwner"] == ZERO_ADDRESS
    with pytest.raises(VirtualMachineError) as info:
        dist.addRewardToken(usd, {"from": deployer})
    assert revert_name(info.value) == "OwnableUnauthorizedAccount"
