// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title WeekMath
/// @notice Week arithmetic shared by every contract (SPEC 2): a week boundary is `floor(t / WEEK) * WEEK`,
/// Thursday 00:00 UTC. Lock ends, scheduled slope changes, revenue weeks and penalty weeks all sit on
/// these boundaries.
library WeekMath {
    /// @dev One week in seconds.
    uint256 internal constant WEEK = 7 days;

    /// @dev The week boundary at or before `t`: `floor(t / WEEK) * WEEK`.
    function floor(uint256 t) internal pure returns (uint256) {
        unchecked {
            return t - (t % WEEK);
        }
    }

    /// @dev The week boundary at or after `t`: `t` itself when it is a boundary, else the next one.
    function ceil(uint256 t) internal pure returns (uint256) {
        return floor(t + (WEEK - 1));
    }

    /// @dev Whether `t` is a week boundary (the first second of a week).
    function isWeekStart(uint256 t) internal pure returns (bool) {
        return t % WEEK == 0;
    }
}
