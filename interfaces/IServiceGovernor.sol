// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IServiceGovernor
/// @notice What the ServiceGovernor adds to the stock OpenZeppelin 5 Governor ABI. A minimum quorum
/// (SPEC 7): `quorum(t) = max(quorumNumerator(t) * getPastTotalSupply(t) / 100, minimumQuorum(t))`, so a
/// proposal cannot pass on a handful of votes while little Staking Score is locked (right after
/// launch). Proposal quotas by level (SPEC 5.5): at most `proposalsPerMonth(level)` proposals per
/// proposer per 30-day period (`clock() / 30 days`), the level read from the StakingLevels contract at
/// `clock() - 1`; a proposal cancelled before its vote starts gives its slot back. Every other view,
/// function and event is OpenZeppelin's, unchanged (what Tally indexes).
interface IServiceGovernor {
    // ---- events ----
    /// @notice The minimum quorum changed from `oldMinimumQuorum` to `newMinimumQuorum` (Staking Score,
    /// 18 decimals). Emitted by the constructor (old value 0) and by every `setMinimumQuorum`. The new
    /// value applies to timepoints from this block's timestamp on: proposals whose snapshot is earlier
    /// keep the quorum they had.
    event MinimumQuorumUpdated(uint256 oldMinimumQuorum, uint256 newMinimumQuorum);

    /// @notice The levels contract that sets proposal quotas changed (the zero address: no quotas).
    /// Emitted by the constructor (old value zero) and by every `setStakingLevels`.
    event StakingLevelsUpdated(address oldStakingLevels, address newStakingLevels);

    // ---- errors ----
    /// @notice `minimumQuorum` is above `maxVotingPower`, the largest Staking Score that can ever exist
    /// (2 x the staking token's total supply, every token in a permanent lock): no proposal, not even
    /// one lowering the minimum again, could ever reach quorum.
    error GovernorMinimumQuorumUnreachable(uint256 minimumQuorum, uint256 maxVotingPower);

    /// @notice `proposer`, at `level` at `clock() - 1`, already made `quota` proposals this 30-day
    /// period (level 0: a quota of 0).
    error ProposalQuotaExceeded(address proposer, uint8 level, uint256 quota);

    /// @notice `stakingLevels` is neither the zero address (no quotas) nor a contract.
    error GovernorInvalidStakingLevels(address stakingLevels);

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

    /// @notice Swaps the StakingLevels contract that sets proposal quotas; the zero address turns
    /// quotas off (proposals are still counted). Only through governance (`onlyGovernance`). The
    /// proposals already counted this period stay counted. Emits `StakingLevelsUpdated`.
    /// @param newStakingLevels A contract implementing IStakingLevels, or zero.
    function setStakingLevels(address newStakingLevels) external;

    /// @notice The StakingLevels contract whose `proposalsPerMonth` sets the quotas (zero: no quotas).
    function stakingLevels() external view returns (address);

    /// @notice Proposals `proposer` made in the current 30-day period (`clock() / 30 days`), less those
    /// cancelled before their vote started.
    function proposalsUsed(address proposer) external view returns (uint256);

    /// @notice Proposals `proposer` may still make this period: `proposalsPerMonth(level) - used` at
    /// its level at `clock() - 1` (what a `propose` in this block checks), 0 if none;
    /// `type(uint256).max` when quotas are off.
    function proposalsLeft(address proposer) external view returns (uint256);
}
