// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/// @title IVotingEscrow
/// @notice Vote-escrow lock of the ServiceToken that yields a Staking Score (SPEC 2.2).
/// A lock of `amount` ending at week boundary `end` scores `amount + amount * (end - t) / MAX_LOCK`
/// while `t < end`, 0 once expired, and `2 * amount` while permanent. The score is the voting power
/// (IERC5805, timestamp clock); only permanent locks may delegate it.
interface IVotingEscrow is IERC5805 {
    // ---- lock management ----
    function createLock(uint256 amount, uint256 unlockTime) external;
    function createLockFor(address account, uint256 amount, uint256 unlockTime) external;
    function increaseAmount(uint256 amount) external;
    function depositFor(address account, uint256 amount) external;
    function increaseUnlockTime(uint256 unlockTime) external;
    function withdraw() external;
    function withdrawEarly() external;
    function lockPermanent() external;
    function unlockPermanent() external;

    // ---- admin ----
    function setRevenueDistributor(address distributor) external;

    // ---- views ----
    function token() external view returns (address);
    function revenueDistributor() external view returns (address);
    function maxEarlyPenaltyBps() external view returns (uint256);
    function MAX_LOCK() external view returns (uint256);
    function WEEK() external view returns (uint256);
    function locked(address account) external view returns (uint256 amount, uint256 end, bool permanent);
    function balanceOf(address account) external view returns (uint256);
    function balanceOfAt(address account, uint256 timestamp) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function totalSupplyAt(uint256 timestamp) external view returns (uint256);
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
    /// @notice Number of points in `account`'s history (0: never locked).
    function userPointEpoch(address account) external view returns (uint256);
    /// @notice Timestamp of point `epoch` (1-based) of `account`'s history.
    function userPointTimestamp(address account, uint256 epoch) external view returns (uint256);
}
