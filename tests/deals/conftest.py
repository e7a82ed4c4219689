"""Fixtures for the EarlyAccessDeals tests: the real VotingEscrow, RevenueDistributor and StakingLevels
(no mocks), a 6-decimal pay token that is a reward token of the distributor, an 18-decimal sale token
held by the seller, StakingLevels with small thresholds (a permanent lock of `L` whole tokens scores
`2L` tokens: exactly level `L`), and EarlyAccessDeals owned by the deployer. The fee-on-transfer token
is tests/access's configurable TestToken.

`market` drives it all: permanent locks that put a buyer at a chosen level (and remembers each
level's history, the model's `level_at`), deal parameters with sensible defaults, deal creation at a
pinned time, and balance reads."""

from __future__ import annotations

import pytest
from brownie import compile_source

from harness.chain.time import mine_at, next_block_at, now
from harness.core.staking import week_start
from harness.core.units import DAY, HOUR, MAX_UINT256, UNIT, WEEK
from tests.access.conftest import compiled_test_contracts
from tests.models.deals_model import DealParams, DealsModel
from tests.models.levels_model import DEFAULT_BENEFITS
from tests.support.constants import BIG, PENALTY_BPS

PAY_UNIT = 10**6  # the pay token has 6 decimals (a USDC stand-in)
# Score thresholds: level L from a score of 2L whole tokens (a permanent lock of L tokens).
THRESHOLDS = [2 * level * UNIT for level in range(1, 11)]
SALE_SUPPLY = 10**9 * UNIT
PAY_PER_BUYER = 10**9 * PAY_UNIT

PAY_TOKEN_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A plain ERC-20 with a chosen number of decimals and an open mint (test only).
contract DecimalsToken {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    constructor(string memory name_, uint8 decimals_) { name = name_; symbol = name_; decimals = decimals_; }
    function mint(address to, uint256 value) external { balanceOf[to] += value; totalSupply += value; emit Transfer(address(0), to, value); }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function transfer(address to, uint256 value) external returns (bool) { _move(msg.sender, to, value); return true; }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        if (allowance[from][msg.sender] != type(uint256).max) allowance[from][msg.sender] -= value;
        _move(from, to, value);
        return true;
    }
    function _move(address from, address to, uint256 value) internal {
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
"""

_compiled: dict = {}


@pytest.fixture(scope="module")
def DecimalsToken():
    if "p" not in _compiled:
        _compiled["p"] = compile_source(PAY_TOKEN_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"].DecimalsToken


@pytest.fixture(scope="module")
def TestToken():
    """tests/access's ERC-20 with a configurable transfer fee (18 decimals)."""
    return compiled_test_contracts().TestToken


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer, holders):
    # Every module starts an hour into a fresh week.
    mine_at(week_start(now()) + WEEK + 3600)
    escrow = VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})
    for h in holders:
        token.approve(escrow, MAX_UINT256, {"from": h})
    return escrow


@pytest.fixture(scope="module")
def dist(RevenueDistributor, ve, deployer):
    d = RevenueDistributor.deploy(ve, deployer, {"from": deployer})
    ve.setRevenueDistributor(d, {"from": deployer})
    return d


@pytest.fixture(scope="module")
def levels(StakingLevels, ve, deployer):
    out = StakingLevels.deploy(ve, THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})
    return out


@pytest.fixture(scope="module")
def deals(EarlyAccessDeals, levels, dist, deployer):
    return EarlyAccessDeals.deploy(levels, dist, deployer, {"from": deployer})


@pytest.fixture(scope="module")
def seller(holders):
    return holders[8]


@pytest.fixture(scope="module")
def buyers(holders):
    return holders[:8]


@pytest.fixture(scope="module")
def pay(DecimalsToken, dist, deals, buyers, deployer):
    """The pay token: 6 decimals, a reward token of the distributor; every buyer holds 1e9 of it,
    approved to the deals contract."""
    t = DecimalsToken.deploy("USD6", 6, {"from": deployer})
    dist.addRewardToken(t, {"from": deployer})
    for b in buyers:
        t.mint(b, PAY_PER_BUYER, {"from": deployer})
        t.approve(deals, MAX_UINT256, {"from": b})
    return t


@pytest.fixture(scope="module")
def sale(ServiceToken, deals, seller, deployer):
    """The sale token (18 decimals), all held by the seller and approved to the deals contract."""
    t = ServiceToken.deploy("Sale Token", "SALE", [seller], [SALE_SUPPLY], {"from": deployer})
    t.approve(deals, MAX_UINT256, {"from": seller})
    return t


class Market:
    """Drives locks, deals and time for one test, and keeps the level history the model reads."""

    def __init__(self, ve, dist, levels, deals, pay, sale, deployer, seller, buyers, history=None):
        self.ve, self.dist, self.levels, self.deals = ve, dist, levels, deals
        self.pay, self.sale, self.deployer, self.seller, self.buyers = pay, sale, deployer, seller, buyers
        # account: [(from time, level)]; a copy, so what a test (or an example) adds is forgotten
        self.history: dict = {a: list(h) for a, h in (history or {}).items()}

    # ---- levels ----
    def lock_level(self, account, level, at=None):
        """A permanent lock of `level` whole tokens: level `level` from the block that makes it permanent
        on (the decaying lock of the block before scores less). Returns that block's time."""
        if level == 0:
            return None
        if at is not None:
            next_block_at(at)
        self.ve.createLock(level * UNIT, week_start(now()) + 52 * WEEK, {"from": account})
        tx = self.ve.lockPermanent({"from": account})
        self.history.setdefault(str(account), []).append((tx.timestamp, level))
        return tx.timestamp

    def raise_to(self, account, level, at=None):
        """Top a permanent lock up to `level` tokens in all (from its block on)."""
        if at is not None:
            next_block_at(at)
        amount = self.ve.locked(account)[0]
        tx = self.ve.increaseAmount(level * UNIT - amount, {"from": account})
        self.history.setdefault(str(account), []).append((tx.timestamp, level))
        return tx.timestamp

    def level_at(self, account, t) -> int:
        level = 0
        for since, value in self.history.get(str(account), []):
            if since <= t:
                level = value
        return level

    # ---- deals ----
    def params(self, **changes) -> DealParams:
        """A deal announced now: snapshot at the latest block, start an hour later, two days long, the
        SPEC's TMAI windows (levels 8-10 at the start, 5-7 after 12 h, 1-4 after 18 h), 1M sale tokens
        at 0.5 pay token each (raise target 500k), a cap of 10k per level."""
        t = now()
        start = t + HOUR
        base = DealParams(
            seller=str(self.seller), saleToken=str(self.sale), saleAmount=1_000_000 * UNIT,
            payToken=str(self.pay), price=PAY_UNIT // 2, snapshot=t, start=start, end=start + 2 * DAY,
            opensAfter=(18 * HOUR,) * 4 + (12 * HOUR,) * 3 + (0,) * 3,
            capByLevel=tuple(10_000 * level * PAY_UNIT for level in range(1, 11)),
            minLevel=1, softCap=0, tgeBps=0, vestingDuration=0, feeBps=0,
        )
        return base.but(**changes)

    def create(self, params: DealParams = None, at=None, **changes):
        """createDeal from the owner in a block at `at` (default: a second after the latest)."""
        params = params or self.params(**changes)
        next_block_at(at if at is not None else now() + 1)
        return self.deals.createDeal(params.as_tuple(), {"from": self.deployer})

    def model(self, **kw) -> DealsModel:
        return DealsModel(
            contract=self.deals.address, owner=str(self.deployer), distributor=self.dist.address,
            reward_tokens=[str(t) for t in self.dist.rewardTokens()], level_at=self.level_at, **kw,
        )

    def balances(self, accounts) -> dict:
        """(token, account) -> balance for the pay and sale tokens."""
        return {(str(t), str(a)): t.balanceOf(a) for t in (self.pay, self.sale) for a in accounts}


# The levels of `ranked` buyers: buyers[0] level 10, [1] 8, [2] 5, [3] 2; buyers[4:] have no lock.
RANKS = (10, 8, 5, 2)


@pytest.fixture(scope="module")
def ranked(ve, dist, levels, deals, pay, sale, deployer, seller, buyers):
    """Buyers 0..3 locked (permanently) at levels RANKS before any test of the module; returns their
    level history."""
    m = Market(ve, dist, levels, deals, pay, sale, deployer, seller, buyers)
    for b, level in zip(buyers, RANKS):
        m.lock_level(b, level)
    mine_at(now() + 1)
    return m.history


@pytest.fixture
def market(request, ve, dist, levels, deals, pay, sale, deployer, seller, buyers):
    """A Market for one test; with `ranked` among the test's fixtures, it knows those locks."""
    history = request.getfixturevalue("ranked") if "ranked" in request.fixturenames else None
    return Market(ve, dist, levels, deals, pay, sale, deployer, seller, buyers, history)
