"""Fixtures and helpers for the VotingEscrow tests (SPEC 2.2)."""

import pytest
from brownie import compile_source

from tests.support.constants import PENALTY_BPS

# A test-only stand-in for the RevenueDistributor: is told of every early exit (account and penalty, also
# a zero one) and takes the penalty with transferFrom like the real one; can re-enter the escrow to prove
# the reentrancy guard. Compiled here, never part of contracts/.
RECEIVER_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
interface ITokenLike { function transferFrom(address, address, uint256) external returns (bool); }
interface IEscrowLike { function token() external view returns (address); function withdraw() external;
    function withdrawEarly() external; }
contract PenaltyReceiver {
    address public immutable votingEscrow;
    uint256 public received;
    uint256 public calls;
    address public lastAccount;
    uint8 public reenter;
    constructor(address escrow) { votingEscrow = escrow; }
    function setReenter(uint8 mode) external { reenter = mode; }
    function depositPenalty(address account, uint256 amount) external {
        if (reenter == 1) IEscrowLike(votingEscrow).withdraw();
        if (reenter == 2) IEscrowLike(votingEscrow).withdrawEarly();
        if (amount != 0) ITokenLike(IEscrowLike(votingEscrow).token()).transferFrom(msg.sender, address(this), amount);
        received += amount;
        calls += 1;
        lastAccount = account;
    }
}
interface IEscrowBatch { function createLockFor(address, uint256, uint256) external;
    function depositFor(address, uint256) external; }
interface IApprove { function approve(address, uint256) external returns (bool); }
/// Several escrow actions in one transaction, so in one block (same timestamp).
contract Batcher {
    function lockAndTopUp(address escrow, address token, address account, uint256 amount, uint256 unlockTime,
        uint256 topUps) external {
        ITokenLike(token).transferFrom(msg.sender, address(this), amount * (1 + topUps));
        IApprove(token).approve(escrow, amount * (1 + topUps));
        IEscrowBatch(escrow).createLockFor(account, amount, unlockTime);
        for (uint256 i = 0; i < topUps; i++) IEscrowBatch(escrow).depositFor(account, amount);
    }
}
contract WrongEscrowDistributor {
    function votingEscrow() external pure returns (address) { return address(0xdead); }
}
"""

_compiled = {}


def _receiver_project():
    if "p" not in _compiled:
        _compiled["p"] = compile_source(RECEIVER_SOURCE, solc_version="0.8.28", evm_version="cancun")
    return _compiled["p"]


@pytest.fixture(scope="module")
def escrow(VotingEscrow, token, deployer, holders):
    ve = VotingEscrow.deploy(token, PENALTY_BPS, deployer, {"from": deployer})
    for h in holders:
        token.approve(ve, 2**256 - 1, {"from": h})
    return ve


@pytest.fixture(scope="module")
def receiver(escrow, deployer):
    """A PenaltyReceiver set as the escrow's RevenueDistributor."""
    rcv = _receiver_project().PenaltyReceiver.deploy(escrow, {"from": deployer})
    escrow.setRevenueDistributor(rcv, {"from": deployer})
    return rcv


@pytest.fixture(scope="module")
def wrong_distributor(deployer):
    return _receiver_project().WrongEscrowDistributor.deploy({"from": deployer})


@pytest.fixture(scope="module")
def batcher(deployer):
    return _receiver_project().Batcher.deploy({"from": deployer})


@pytest.fixture(scope="module")
def PenaltyReceiver():
    """The PenaltyReceiver container, to wire one to another escrow."""
    return _receiver_project().PenaltyReceiver


@pytest.fixture(scope="module")
def unset_receiver(escrow, deployer):
    """A PenaltyReceiver for `escrow`, not yet set."""
    return _receiver_project().PenaltyReceiver.deploy(escrow, {"from": deployer})
