"""Fixtures for the RevenueDistributor tests: the real VotingEscrow (no mocks), the distributor wired
to it, two extra reward tokens, approvals, and a small driver (`env`) for locks, deposits and time."""

from __future__ import annotations

import pytest
from brownie import compile_source

from harness.chain.time import mine_at, now
from harness.core.staking import week_start
from harness.core.units import WEEK
from tests.support.constants import BIG, PENALTY_BPS

# Test-only tokens, compiled here and never part of contracts/: a minimal ERC-20 that can charge a
# transfer fee (to check that deposits credit what arrived) and call a hook on every transfer (to prove
# the reentrancy guard).
TEST_TOKENS_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract HookToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public feeBps;
    address public hookTarget;
    bytes public hookData;
    constructor(uint256 supply, uint256 fee) { balanceOf[msg.sender] = supply; feeBps = fee; }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        return true;
    }
    function setHook(address target, bytes calldata data) external { hookTarget = target; hookData = data; }
    function transfer(address to, uint256 value) external returns (bool) { _move(msg.sender, to, value); return true; }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        allowance[from][msg.sender] -= value;
        _move(from, to, value);
        return true;
    }
    function _move(address from, address to, uint256 value) internal {
        balanceOf[from] -= value;
        balanceOf[to] += value - value * feeBps / 10_000;
        address target = hookTarget;
        if (target != address(0)) {
            (bool ok, bytes memory ret) = target.call(hookData);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
        }
    }
}
"""

_compiled = {}


@pytest.fixture(scope="module")
def HookToken():
    if "p" not in _compiled:
        _compiled["p"] = compile_source(TEST_TOKENS_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"].HookToken


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer):
    # Start every module a little after a week boundary, so week arithmetic in tests is simple.
    mine_at(week_start(now()) + WEEK + 3600)
    return VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})


@pytest.fixture(scope="module")
def dist(RevenueDistributor, ve, token, deployer, holders):
    d = RevenueDistributor.deploy(ve, deployer, {"from": deployer})
    ve.setRevenueDistributor(d, {"from": deployer})
    for h in holders:
        token.approve(ve, 2**256 - 1, {"from": h})
        token.approve(d, 2**256 - 1, {"from": h})
    return d


@pytest.fixture(scope="module")
def usd(ServiceToken, dist, deployer, holders):
    t = ServiceToken.deploy("USD Coin", "USD", [deployer], [BIG], {"from": deployer})
    t.approve(dist, 2**256 - 1, {"from": deployer})
    dist.addRewardToken(t, {"from": deployer})
    return t


@pytest.fixture(scope="module")
def weth(ServiceToken, dist, deployer):
    t = ServiceToken.deploy("Wrapped Ether", "WETH", [deployer], [BIG], {"from": deployer})
    t.approve(dist, 2**256 - 1, {"from": deployer})
    dist.addRewardToken(t, {"from": deployer})
    return t


class Env:
    """Drives locks, revenue and time for one test."""

    def __init__(self, ve, dist, token, deployer, holders):
        self.ve, self.dist, self.token, self.deployer, self.holders = ve, dist, token, deployer, holders

    def lock(self, account, amount, weeks=52):
        end = week_start(now()) + weeks * WEEK
        return self.ve.createLock(amount, end, {"from": account})

    def deposit(self, tok, amount, sender=None):
        sender = sender or (self.holders[0] if tok == self.token else self.deployer)
        return self.dist.depositRevenue(tok, amount, {"from": sender})

    def next_week(self, offset=60, weeks=1):
        """Mine a block `offset` seconds after the start of the week `weeks` ahead; return that week."""
        target = week_start(now()) + weeks * WEEK
        mine_at(target + offset)
        return target

    def week(self):
        return week_start(now())


@pytest.fixture(scope="module")
def env(ve, dist, token, deployer, holders):
    return Env(ve, dist, token, deployer, holders)
