// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {WeekMath} from "./WeekMath.sol";

/// @title EscrowMath
/// @notice The VotingEscrow's arithmetic, kept apart from its state (Velodrome V2's BalanceLogicLibrary
/// is the model): the Staking Score and a lock's contribution to the global point (SPEC 2.2), the
/// early-exit penalty, the forward walk of a global point through the scheduled slope changes and the
/// binary searches of the point histories. Internal functions only: they are inlined into the escrow.
/// @dev Units: a point's `bias` is scaled by MAX_LOCK (a decaying lock of `amount` ending at `end`
/// contributes `amount * MAX_LOCK + amount * (end - t)` and a slope of `amount` per second; a permanent
/// lock `2 * amount * MAX_LOCK` and no slope), so every sum is exact and only the final division by
/// MAX_LOCK rounds.
library EscrowMath {
    /// @dev Longest lock, and the time over which the bonus decays from 1x to 0 (SPEC 2.2).
    uint256 internal constant MAX_LOCK = 365 days;
    /// @dev Number of week boundaries in (t, t + MAX_LOCK]: after this many boundaries every decaying
    /// lock known at `t` has expired (the slope is 0), so every forward walk from a point ends within it.
    uint256 internal constant MAX_WEEKS = 53;
    /// @dev Basis points in one.
    uint256 internal constant BPS = 10_000;

    /// @dev Global point, in MAX_LOCK-scaled units (two slots).
    struct Point {
        uint128 bias;
        uint128 slope;
        uint48 ts;
    }

    /// @dev Per-account point: the lock as it was from `ts` on (one slot). The score at any later time
    /// follows from the spec formula, so no slope needs storing.
    struct UserPoint {
        uint128 amount;
        uint48 end;
        uint48 ts;
        bool permanent;
    }

    /// @dev Staking Score at `t` of a lock (SPEC 2.2): `2 * amount` if permanent, 0 from `end` on,
    /// else `amount + amount * (end - t) / MAX_LOCK` (floor).
    function score(uint256 amount, uint256 end, bool permanent, uint256 t) internal pure returns (uint256) {
        if (permanent) return 2 * amount;
        if (t >= end) return 0;
        return amount + (amount * (end - t)) / MAX_LOCK;
    }

    /// @dev Scaled (bias, slope) a lock adds to the global point at time `t` (0 once expired).
    function contribution(uint256 amount, uint256 end, bool permanent, uint256 t)
        internal
        pure
        returns (uint256 bias, uint256 slope)
    {
        if (permanent) return (2 * amount * MAX_LOCK, 0);
        if (end > t) return (amount * MAX_LOCK + amount * (end - t), amount);
        return (0, 0);
    }

    /// @dev Early-exit penalty of a decaying lock at `t < end` (SPEC 2.2):
    /// `amount * (end - t) * bps / (MAX_LOCK * 10_000)`, one floor division.
    function penalty(uint256 amount, uint256 end, uint256 t, uint256 bps) internal pure returns (uint256) {
        return (amount * (end - t) * bps) / (MAX_LOCK * BPS);
    }

    /// @dev Total Staking Score at `t >= p.ts` of global point `p`: walked forward week by week through
    /// the scheduled drops, then divided by MAX_LOCK; stops once the slope is 0 (bounded by MAX_WEEKS).
    function supplyAt(mapping(uint256 week => uint128) storage slopeChanges, Point memory p, uint256 t)
        internal
        view
        returns (uint256)
    {
        uint256 bias = p.bias;
        uint256 slope = p.slope;
        uint256 ts = p.ts;
        uint256 w = WeekMath.floor(ts);
        for (uint256 i = 0; i < MAX_WEEKS && slope != 0; ++i) {
            w += WeekMath.WEEK;
            if (w > t) break;
            bias -= slope * (w - ts);
            uint256 change = slopeChanges[w];
            bias -= change * MAX_LOCK;
            slope -= change;
            ts = w;
        }
        bias -= slope * (t - ts);
        return bias / MAX_LOCK;
    }

    /// @dev Total Staking Score at `t` from a global history `0..latest` (point 0, written at deployment,
    /// is the earliest): binary search for the last point with `ts <= t` (timestamps strictly
    /// increase), walked forward to `t`; 0 before the first point.
    function totalSupplyAt(
        mapping(uint256 epoch => Point) storage history,
        mapping(uint256 week => uint128) storage slopeChanges,
        uint256 latest,
        uint256 t
    ) internal view returns (uint256) {
        uint256 lo = 0;
        uint256 hi = latest;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (history[mid].ts <= t) lo = mid;
            else hi = mid - 1;
        }
        Point memory p = history[lo];
        if (p.ts > t) return 0;
        return supplyAt(slopeChanges, p, t);
    }

    /// @dev Staking Score at `t` from an account history `1..latest`: its latest point if that is at or
    /// before `t` (the usual case: a lookup of a week or a snapshot after the account's last change),
    /// else the last earlier point with `ts <= t` by binary search (timestamps strictly increase);
    /// 0 before the first point.
    function balanceOfAt(mapping(uint256 epoch => UserPoint) storage history, uint256 latest, uint256 t)
        internal
        view
        returns (uint256)
    {
        if (latest == 0) return 0;
        uint256 index = latest;
        if (history[latest].ts > t) {
            // the only point, or the first one, is later than `t`
            if (latest == 1 || history[1].ts > t) return 0;
            uint256 lo = 1;
            uint256 hi = latest - 1;
            while (lo < hi) {
                uint256 mid = (lo + hi + 1) / 2;
                if (history[mid].ts <= t) lo = mid;
                else hi = mid - 1;
            }
            index = lo;
        }
        UserPoint memory p = history[index];
        return score(p.amount, p.end, p.permanent, t);
    }
}
