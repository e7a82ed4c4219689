"""Fixtures for the ServiceAccess tests: the real VotingEscrow, RevenueDistributor and StakingLevels (no
mocks), a second reward token with EIP-2612 permits (a stablecoin stand-in), ServiceAccess wired to
them with the deployer as owner, users with known keys (they sign receipts and permits), and test-only
contracts compiled here, never part of contracts/: a configurable ERC-20 (transfer fee, blocklist,
re-entering hook) and ERC-1271 wallets."""

from __future__ import annotations

import pytest
from brownie import accounts, chain, compile_source


from harness.chain.time import mine_at, now
from harness.core.signing import sign_permit, sign_usage
from harness.core.staking import week_start
from harness.core.units import DAY, HOUR, MAX_LOCK, MAX_UINT256, UNIT, WEEK
from tests.access.access_helpers import SPLIT, address_for, key_for
from tests.models.levels_model import DEFAULT_BENEFITS, DEFAULT_THRESHOLDS
from tests.support.batch import reader_container
from tests.support.constants import BIG, PENALTY_BPS

TEST_CONTRACTS_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A minimal ERC-20 that can charge a fee on transfers, refuse to move tokens to or from blocked
/// addresses, and call a hook (once) from inside a transfer.
contract TestToken {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => bool) public blocked;
    uint256 public feeBps;
    address public hookTarget;
    bytes public hookData;
    error Blocked(address account);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    constructor(string memory name_, uint256 supply) {
        name = name_;
        symbol = name_;
        balanceOf[msg.sender] = supply;
        totalSupply = supply;
    }
    function setFee(uint256 bps) external { feeBps = bps; }
    function setBlocked(address account, bool value) external { blocked[account] = value; }
    function setHook(address target, bytes calldata data) external { hookTarget = target; hookData = data; }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function transfer(address to, uint256 value) external returns (bool) { _move(msg.sender, to, value); return true; }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        allowance[from][msg.sender] -= value;
        _move(from, to, value);
        return true;
    }
    function _move(address from, address to, uint256 value) internal {
        if (blocked[from]) revert Blocked(from);
        if (blocked[to]) revert Blocked(to);
        uint256 fee = value * feeBps / 10_000;
        balanceOf[from] -= value;
        balanceOf[to] += value - fee;
        totalSupply -= fee;
        emit Transfer(from, to, value - fee);
        address target = hookTarget;
        if (target != address(0)) {
            hookTarget = address(0);
            (bool ok, bytes memory ret) = target.call(hookData);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
        }
    }
}

/// An ERC-1271 smart wallet: valid signatures are its owner's ECDSA signatures of the digest; the
/// owner makes it call anything (deposit, request and withdraw credits).
contract UsageWallet {
    address public immutable owner;
    bool public revertOnCheck;
    constructor(address owner_) { owner = owner_; }
    function setRevertOnCheck(bool value) external { require(msg.sender == owner); revertOnCheck = value; }
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        require(!revertOnCheck, "wallet refuses");
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner);
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
        return ret;
    }
}
"""

_compiled: dict = {}


def compiled_test_contracts():
    if "p" not in _compiled:
        _compiled["p"] = compile_source(TEST_CONTRACTS_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"]


@pytest.fixture(scope="module")
def TestToken():
    return compiled_test_contracts().TestToken


@pytest.fixture(scope="module")
def UsageWallet():
    return compiled_test_contracts().UsageWallet


@pytest.fixture(scope="module")
def reader(deployer):
    return reader_container().deploy({"from": deployer})


@pytest.fixture(scope="module")
def ve(VotingEscrow, token, deployer):
    # Every module starts an hour into a fresh week, so week arithmetic in tests is simple.
    mine_at(week_start(now()) + WEEK + 3600)
    return VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})


@pytest.fixture(scope="module")
def dist(RevenueDistributor, ve, deployer):
    d = RevenueDistributor.deploy(ve, deployer, {"from": deployer})
    ve.setRevenueDistributor(d, {"from": deployer})
    return d


@pytest.fixture(scope="module")
def usd(ServiceToken, dist, deployer):
    """A second reward token with EIP-2612 permits (stands in for a stablecoin)."""
    t = ServiceToken.deploy("USD Coin", "USD", [deployer], [BIG], {"from": deployer})
    dist.addRewardToken(t, {"from": deployer})
    return t


@pytest.fixture(scope="module")
def levels(StakingLevels, ve, deployer):
    return StakingLevels.deploy(ve, DEFAULT_THRESHOLDS, DEFAULT_BENEFITS.as_tuple(), deployer, {"from": deployer})


@pytest.fixture(scope="module")
def treasury():
    """A fresh address with no tokens: every token it holds came from a split."""
    return address_for("treasury")


@pytest.fixture(scope="module")
def access(ServiceAccess, levels, dist, usd, treasury, deployer):
    return ServiceAccess.deploy(levels, dist, treasury, *SPLIT, deployer, {"from": deployer})


class User:
    """A brownie LocalAccount with its private key (it signs receipts and permits)."""

    def __init__(self, label: str):
        self.key = key_for(label)
        self.account = accounts.add(self.key)
        self.address = self.account.address

    def __str__(self):
        return self.address


@pytest.fixture(scope="module")
def users(token, usd, ve, access, holders, deployer):
    """Four users with 20M tokens and 10M USD each, both approved to the escrow and ServiceAccess."""
    out = []
    for i in range(4):
        u = User(f"user-{i}")
        deployer.transfer(u.account, 10 * UNIT)
        token.transfer(u.account, 20_000_000 * UNIT, {"from": holders[i]})
        usd.transfer(u.account, 10_000_000 * UNIT, {"from": deployer})
        for spender in (ve, access):
            token.approve(spender, MAX_UINT256, {"from": u.account})
            usd.approve(spender, MAX_UINT256, {"from": u.account})
        out.append(u)
    return out


class Env:
    """Drives locks, plans, receipts and time for one test."""

    def __init__(self, ve, dist, levels, access, token, usd, deployer, treasury):
        self.ve, self.dist, self.levels, self.access = ve, dist, levels, access
        self.token, self.usd, self.deployer, self.treasury = token, usd, deployer, treasury

    # ---- locks ----
    def lock(self, account, amount, weeks=52):
        """A decaying lock ending `weeks` week boundaries from now (capped at MAX_LOCK)."""
        end = min(week_start(now()) + weeks * WEEK, now() + MAX_LOCK)
        return self.ve.createLock(amount, end, {"from": account})

    def lock_permanent(self, account, amount):
        self.lock(account, amount)
        return self.ve.lockPermanent({"from": account})

    # ---- plans ----
    def plan(self, token=None, price=100 * UNIT, period=30 * DAY):
        tx = self.access.createPlan(token or self.usd, price, period, {"from": self.deployer})
        return tx.return_value

    # ---- receipts ----
    def sign(self, user, token, cumulative, deadline=None, account=None):
        """A `Usage` receipt signed by `user` (for `account`, by default the user itself)."""
        deadline = now() + DAY if deadline is None else deadline
        return sign_usage(
            user.key, self.access.address, chain.id, account or user.address, str(token), cumulative, deadline
        ), deadline

    def receipt(self, user, token, cumulative, deadline=None, account=None, signer=None):
        """The UsageReceipt tuple for redeemUsageBatch."""
        signature, deadline = self.sign(signer or user, token, cumulative, deadline, account or user.address)
        return (account or user.address, str(token), cumulative, deadline, signature)

    def permit(self, user, token, value, deadline=None):
        deadline = now() + HOUR if deadline is None else deadline
        v, r, s = sign_permit(
            user.key, token.name(), token.address, chain.id, user.address, self.access.address, value,
            token.nonces(user.address), deadline,
        )
        return deadline, v, r, s


@pytest.fixture(scope="module")
def env(ve, dist, levels, access, token, usd, deployer, treasury):
    return Env(ve, dist, levels, access, token, usd, deployer, treasury)

