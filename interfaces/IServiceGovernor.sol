// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IServiceGovernor
/// @notice What the ServiceGovernor adds to the stock OpenZeppelin 5 Governor ABI (SPEC 7): a minimum
/// quorum. `quorum(t) = max(quorumNumerator(t) * getPastTotalSupply(t) / 100, minimumQuorum(t))`, so a
/// proposal cannot pass on a handful of votes while little Staking Score is locked (right after
/// launch). Every other view, function and event is OpenZeppelin's, unchanged (what Tally indexes).
interface IServiceGovernor {
    // ---- events ----
    /// @notice The minimum quorum changed from `oldMinimumQuorum` to `newMinimumQuorum` (Staking Score,
    /// 18 decimals). Emitted by the constructor (old value 0) and by every `setMinimumQuorum`. The new
    /// value applies to timepoints from this block's timestamp on: proposals whose snapshot is earlier
    /// keep the quorum they had.
    event MinimumQuorumUpdated(uint256 oldMinimumQuorum, uint256 newMinimumQuorum);

    // ---- errors ----
    /// @notice `minimumQuorum` is above `maxVotingPower`, the largest Staking Score that can ever exist
    /// (2 x the staking token's total supply, every token in a permanent lock): no proposal, not even
    /// one lowering the minimum again, could ever reach quorum.
    error GovernorMinimumQuorumUnreachable(uint256 minimumQuorum, uint256 maxVotingPower);

    // ---- functions ----
    /// @notice Sets the minimum quorum, in Staking Score (18 decimals). Only through governance: a
    /// proposal executed by the timelock (OpenZeppelin's `onlyGovernance`, like `updateQuorumNumerator`).
    /// Checkpointed by the clock (timestamp): the quorum of proposals whose snapshot is before this
    /// call does not change. Emits `MinimumQuorumUpdated`.
    /// @param newMinimumQuorum The new floor of the quorum; 0 leaves only the fraction of the supply.
    /// At most 2 x the staking token's total supply, else `GovernorMinimumQuorumUnreachable`.
    function setMinimumQuorum(uint256 newMinimumQuorum) external;

    /// @notice The minimum quorum in force now, in Staking Score (18 decimals).
    function minimumQuorum() external view returns (uint256);

    /// @notice The minimum quorum that was in force at `timepoint` (a timestamp, the governor's clock):
    /// the value `quorum(timepoint)` uses.
    /// @param timepoint Any timestamp; before the deployment the value is 0.
    function minimumQuorum(uint256 timepoint) external view returns (uint256);
}
