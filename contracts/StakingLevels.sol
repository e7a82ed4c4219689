// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IStakingLevels} from "../interfaces/IStakingLevels.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";

/// @title StakingLevels
/// @notice Staking Score levels 1-10 and the governable benefits table they unlock (SPEC 5.1): the
/// level of an account is the highest `L` with `votingEscrow.balanceOfAt(account, t) >= thresholds[L-1]`
/// (its own score, never delegated votes), else 0. ServiceAccess reads the level and its benefits on
/// every payment, so both are stored packed and cheap to read.
/// @dev Storage: the ten thresholds as `uint128[10]` (two per slot, five slots); the benefits table as
/// four fixed arrays of one slot each (10 x uint16 = 160 bits, 10 x uint8 = 80 bits), so each
/// per-level getter is a single storage read. `levelOf` scans the thresholds from level 1 upwards and
/// stops at the first one the score does not reach: an account below level 1 (most of them) costs one
/// storage read, a level-10 account five cold reads. The scan is bounded by `MAX_LEVEL`. Changes made
/// by the owner (the timelock) apply from the next call on; nothing is cached per account.
contract StakingLevels is IStakingLevels, Ownable {
    // ---- constants ----

    /// @inheritdoc IStakingLevels
    /// @dev Also the bound of every loop over the table (there are exactly this many levels).
    uint8 public constant MAX_LEVEL = 10;
    /// @inheritdoc IStakingLevels
    uint16 public constant MAX_BENEFIT_BPS = 5_000;
    /// @inheritdoc IStakingLevels
    uint8 public constant MAX_PROPOSALS_PER_MONTH = 10;

    /// @dev Positions of the tables in `Benefits`, as the errors name them.
    uint256 private constant TABLE_PLATFORM = 0;
    uint256 private constant TABLE_API = 1;
    uint256 private constant TABLE_REFERRAL = 2;
    uint256 private constant TABLE_PROPOSALS = 3;

    // ---- storage ----

    /// @inheritdoc IStakingLevels
    address public immutable votingEscrow;

    /// @dev Staking Score needed for level i + 1 (18 decimals); strictly ascending, [0] > 0.
    uint128[10] private _thresholds;
    /// @dev Index i is level i + 1.
    Benefits private _benefits;

    // ---- constructor ----

    /// @param votingEscrow_ The VotingEscrow whose Staking Score defines the levels.
    /// @param thresholds_ Staking Score needed for levels 1..10 (validated as `setThresholds`).
    /// @param benefits_ Benefits of levels 1..10 (validated as `setBenefits`). Defaults (deploy config):
    /// Token Metrics' published veTMAI table, SPEC 5.1.
    /// @param initialOwner Owner of the setters (the deployer, then the timelock).
    constructor(address votingEscrow_, uint256[10] memory thresholds_, Benefits memory benefits_, address initialOwner)
        Ownable(initialOwner)
    {
        if (votingEscrow_ == address(0)) revert ZeroAddress();
        votingEscrow = votingEscrow_;
        _setThresholds(thresholds_);
        _setBenefits(benefits_);
    }

    // ---- admin ----

    /// @inheritdoc IStakingLevels
    function setThresholds(uint256[10] calldata newThresholds) external onlyOwner {
        _setThresholds(newThresholds);
    }

    /// @inheritdoc IStakingLevels
    function setBenefits(Benefits calldata newBenefits) external onlyOwner {
        _setBenefits(newBenefits);
    }

    // ---- views: levels ----

    /// @inheritdoc IStakingLevels
    function levelOf(address account) external view returns (uint8) {
        return _levelForScore(IVotingEscrow(votingEscrow).balanceOf(account));
    }

    /// @inheritdoc IStakingLevels
    function levelAt(address account, uint256 timestamp) external view returns (uint8) {
        return _levelForScore(IVotingEscrow(votingEscrow).balanceOfAt(account, timestamp));
    }

    /// @inheritdoc IStakingLevels
    function proposalQuotaAt(address account, uint256 timestamp) external view returns (uint8 level, uint8 quota) {
        level = _levelForScore(IVotingEscrow(votingEscrow).balanceOfAt(account, timestamp));
        quota = level == 0 ? 0 : _benefits.proposalsPerMonth[level - 1];
    }

    /// @inheritdoc IStakingLevels
    function allowsProposalAt(address account, uint256 timestamp, uint256 used) external view returns (bool) {
        // the table ascends with the level: the quota exceeds `used` from the lowest such level up, so
        // the account needs only that level's threshold (one slot) and the escrow is asked only then
        for (uint256 i; i < MAX_LEVEL; ++i) {
            if (_benefits.proposalsPerMonth[i] > used) return IVotingEscrow(votingEscrow).balanceOfAt(account, timestamp) >= _thresholds[i];
        }
        return false;
    }

    /// @inheritdoc IStakingLevels
    function levelForScore(uint256 score) external view returns (uint8) {
        return _levelForScore(score);
    }

    // ---- views: tables ----

    /// @inheritdoc IStakingLevels
    function thresholds() external view returns (uint256[10] memory out) {
        for (uint256 i; i < MAX_LEVEL; ++i) {
            out[i] = _thresholds[i];
        }
    }

    /// @inheritdoc IStakingLevels
    function benefits() external view returns (Benefits memory) {
        return _benefits;
    }

    /// @inheritdoc IStakingLevels
    function platformDiscountBps(uint8 level) external view returns (uint16) {
        return _checkedLevel(level) == 0 ? 0 : _benefits.platformDiscountBps[level - 1];
    }

    /// @inheritdoc IStakingLevels
    function apiDiscountBps(uint8 level) external view returns (uint16) {
        return _checkedLevel(level) == 0 ? 0 : _benefits.apiDiscountBps[level - 1];
    }

    /// @inheritdoc IStakingLevels
    function referralBps(uint8 level) external view returns (uint16) {
        return _checkedLevel(level) == 0 ? 0 : _benefits.referralBps[level - 1];
    }

    /// @inheritdoc IStakingLevels
    function proposalsPerMonth(uint8 level) external view returns (uint8) {
        return _checkedLevel(level) == 0 ? 0 : _benefits.proposalsPerMonth[level - 1];
    }

    // ---- internals ----

    /// @dev Highest level whose threshold `score` reaches. Thresholds ascend strictly, so the first
    /// one not reached ends the scan (at most MAX_LEVEL reads).
    function _levelForScore(uint256 score) private view returns (uint8) {
        for (uint256 i; i < MAX_LEVEL; ++i) {
            if (score < _thresholds[i]) return uint8(i);
        }
        return MAX_LEVEL;
    }

    function _checkedLevel(uint8 level) private pure returns (uint8) {
        if (level > MAX_LEVEL) revert InvalidLevel(level);
        return level;
    }

    function _setThresholds(uint256[10] memory newThresholds) private {
        uint256 previous = 0;
        for (uint256 i; i < MAX_LEVEL; ++i) {
            uint256 t = newThresholds[i];
            // i == 0: t > 0 (previous is 0); later: strictly above the level below.
            if (t <= previous) revert ThresholdsNotAscending(i);
            if (t > type(uint128).max) revert ThresholdTooLarge(i, t);
            _thresholds[i] = uint128(t);
            previous = t;
        }
        emit ThresholdsSet(newThresholds);
    }

    function _setBenefits(Benefits memory newBenefits) private {
        _checkBpsTable(TABLE_PLATFORM, newBenefits.platformDiscountBps);
        _checkBpsTable(TABLE_API, newBenefits.apiDiscountBps);
        _checkBpsTable(TABLE_REFERRAL, newBenefits.referralBps);
        uint8 previous = 0;
        for (uint256 i; i < MAX_LEVEL; ++i) {
            uint8 v = newBenefits.proposalsPerMonth[i];
            if (v > MAX_PROPOSALS_PER_MONTH) revert BenefitTooHigh(TABLE_PROPOSALS, i);
            if (v < previous) revert BenefitsNotMonotonic(TABLE_PROPOSALS, i);
            previous = v;
        }
        _benefits = newBenefits;
        emit BenefitsSet(newBenefits);
    }

    /// @dev Entries are checked in level order; for each, the cap first, then "not below the entry
    /// before it", so the error names the first entry that breaks either rule.
    function _checkBpsTable(uint256 table, uint16[10] memory values) private pure {
        uint16 previous = 0;
        for (uint256 i; i < MAX_LEVEL; ++i) {
            uint16 v = values[i];
            if (v > MAX_BENEFIT_BPS) revert BenefitTooHigh(table, i);
            if (v < previous) revert BenefitsNotMonotonic(table, i);
            previous = v;
        }
    }
}
