// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title IStakingLevels
/// @notice Staking Score levels 1-10 and the benefits table they unlock (SPEC 5.1).
/// The level of an account at time `t` is the highest `L` in 1..10 with
/// `votingEscrow.balanceOfAt(account, t) >= thresholds[L-1]`, else 0: its own Staking Score, never
/// delegated votes. Level 0 has no benefits; index 0 of every table is level 1.
interface IStakingLevels is IServiceErrors {
    // ---- structs ----
    /// @notice The benefits of levels 1..10 (index 0 is level 1), each table non-decreasing in level.
    /// `table` in the errors below is the 0-based field position here: 0 platformDiscountBps,
    /// 1 apiDiscountBps, 2 referralBps, 3 proposalsPerMonth.
    /// @param platformDiscountBps Discount on subscriptions (ServiceAccess plans), basis points, <= 5_000.
    /// @param apiDiscountBps Discount on metered API calls (priced off-chain by the gateway), bps, <= 5_000.
    /// @param referralBps Share of the treasury part of a referred payment paid to the referrer, bps, <= 5_000.
    /// @param proposalsPerMonth Governance proposals per 30-day period (ServiceGovernor quotas), <= 10.
    struct Benefits {
        uint16[10] platformDiscountBps;
        uint16[10] apiDiscountBps;
        uint16[10] referralBps;
        uint8[10] proposalsPerMonth;
    }

    // ---- events ----
    /// @notice The level thresholds (Staking Score, 18 decimals) changed; emitted by the constructor too.
    /// @param thresholds Score needed for levels 1..10.
    event ThresholdsSet(uint256[10] thresholds);
    /// @notice The benefits table changed; emitted by the constructor too.
    /// @param benefits The new table.
    event BenefitsSet(Benefits benefits);

    // ---- errors ----
    /// @notice `thresholds[index]` breaks "thresholds[0] > 0 and strictly ascending" (0-based index of
    /// the first entry that breaks it).
    error ThresholdsNotAscending(uint256 index);
    /// @notice `thresholds[index]` does not fit the packed storage (uint128; far above any possible
    /// Staking Score, which is at most twice the token supply).
    error ThresholdTooLarge(uint256 index, uint256 threshold);
    /// @notice Entry `index` of table `table` is lower than the entry before it (tables are
    /// non-decreasing in level).
    error BenefitsNotMonotonic(uint256 table, uint256 index);
    /// @notice Entry `index` of table `table` is above its cap (5_000 bps for the three bps tables,
    /// 10 proposals per month).
    error BenefitTooHigh(uint256 table, uint256 index);
    /// @notice Levels are 0..10.
    error InvalidLevel(uint8 level);

    // ---- constants ----
    /// @notice Highest level (the table has this many entries).
    function MAX_LEVEL() external view returns (uint8);
    /// @notice Cap of every entry of the three bps tables (50%).
    function MAX_BENEFIT_BPS() external view returns (uint16);
    /// @notice Cap of every entry of the proposals-per-month table.
    function MAX_PROPOSALS_PER_MONTH() external view returns (uint8);

    // ---- levels ----
    /// @notice Level of `account` now, from `votingEscrow.balanceOf(account)`.
    /// @param account Any address.
    /// @return level 0..10.
    function levelOf(address account) external view returns (uint8 level);

    /// @notice Level of `account` at `timestamp` (<= now), from `votingEscrow.balanceOfAt(account, timestamp)`,
    /// with the current thresholds.
    /// @param account Any address.
    /// @param timestamp A time up to the current block's (the escrow reverts for a later one).
    /// @return level 0..10.
    function levelAt(address account, uint256 timestamp) external view returns (uint8 level);

    /// @notice Level of `account` at `timestamp` (as `levelAt`) and that level's proposals per 30-day
    /// period (as `proposalsPerMonth`): what the governor's proposal quota (SPEC 5.5) needs, in one call.
    /// @param account Any address.
    /// @param timestamp A time up to the current block's (the escrow reverts for a later one).
    /// @return level 0..10.
    /// @return quota Proposals per period at that level (level 0: 0).
    function proposalQuotaAt(address account, uint256 timestamp) external view returns (uint8 level, uint8 quota);

    /// @notice Whether `account`'s level at `timestamp` allows a proposal after `used` in the period:
    /// `used < proposalsPerMonth(levelAt(account, timestamp))`, what the governor checks on every
    /// `propose`. Cheaper than `proposalQuotaAt`: it reads the quota table, then at most one threshold
    /// (the lowest level whose quota exceeds `used`), instead of every threshold up to the level.
    /// @param account Any address.
    /// @param timestamp A time up to the current block's (the escrow reverts for a later one, when asked:
    /// a `used` no level's quota exceeds returns false without asking it).
    /// @param used Proposals already made in the period.
    /// @return True if one more proposal fits the level's quota.
    function allowsProposalAt(address account, uint256 timestamp, uint256 used) external view returns (bool);

    /// @notice Level that a Staking Score of `score` reaches with the current thresholds.
    /// @param score Staking Score (18 decimals).
    /// @return level 0..10.
    function levelForScore(uint256 score) external view returns (uint8 level);

    // ---- tables ----
    /// @notice Staking Score needed for levels 1..10.
    function thresholds() external view returns (uint256[10] memory);

    /// @notice The whole benefits table.
    function benefits() external view returns (Benefits memory);

    /// @notice Subscription discount of `level` in bps (level 0: 0; above 10: `InvalidLevel`).
    function platformDiscountBps(uint8 level) external view returns (uint16);

    /// @notice Metered-call discount of `level` in bps (level 0: 0; above 10: `InvalidLevel`).
    function apiDiscountBps(uint8 level) external view returns (uint16);

    /// @notice Referral share of `level` in bps of the treasury part (level 0: 0; above 10: `InvalidLevel`).
    function referralBps(uint8 level) external view returns (uint16);

    /// @notice Proposals per 30-day period of `level` (level 0: 0; above 10: `InvalidLevel`).
    function proposalsPerMonth(uint8 level) external view returns (uint8);

    /// @notice The VotingEscrow whose Staking Score the levels read.
    function votingEscrow() external view returns (address);

    // ---- admin (owner: the timelock) ----
    /// @notice Replace the thresholds: `thresholds[0] > 0`, strictly ascending, each fitting uint128.
    /// Applies from the next call on.
    /// @param newThresholds Staking Score needed for levels 1..10.
    function setThresholds(uint256[10] calldata newThresholds) external;

    /// @notice Replace the benefits table: every table non-decreasing in level, bps entries at most
    /// 5_000, proposals per month at most 10. Applies from the next call on.
    /// @param newBenefits The new table.
    function setBenefits(Benefits calldata newBenefits) external;
}
