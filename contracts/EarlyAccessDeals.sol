// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEarlyAccessDeals} from "../interfaces/IEarlyAccessDeals.sol";
import {IRevenueDistributor} from "../interfaces/IRevenueDistributor.sol";
import {IStakingLevels} from "../interfaces/IStakingLevels.sol";

/// @title EarlyAccessDeals
/// @notice Early access to investment deals by Staking Score level (SPEC 5.3; numbers in docs/deals.md).
/// @dev Decisions where SPEC 5.3 is silent (docs/deals.md):
///  - fee-on-transfer tokens are refused by measurement: the sale tokens pulled at creation and each
///    commitment must arrive in full, else `UnsupportedFeeOnTransfer`;
///  - a deal whose raise target rounds to zero is refused (`InvalidDeal(4)`, the price), and one whose
///    end has passed (`InvalidDeal(7)`: a proposal executed too late);
///  - totals are kept per level, so `finalize` does ten steps whatever the number of buyers, and each
///    buyer's refund and tokens are computed at its claim from its level's totals;
///  - if the pay token stopped being a reward token of the distributor before `finalize`, the fee goes
///    to the owner (the timelock, the treasury) instead, so a deal can always be settled;
///  - `claim` with nothing to pay reverts `NothingToClaim`; a failed or cancelled deal refunds the
///    whole commitment and has no tokens.
contract EarlyAccessDeals is IEarlyAccessDeals, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---- constants ----

    /// @inheritdoc IEarlyAccessDeals
    uint16 public constant MAX_FEE_BPS = 2_000;
    /// @dev Levels 1..10 (SPEC 5.1): every per-level loop below runs at most this many times.
    uint8 private constant LEVELS = 10;
    uint256 private constant BPS = 10_000;
    uint256 private constant PRICE_UNIT = 1e18;

    // ---- types ----

    /// @dev A deal in storage: its parameters, then what changes.
    struct Deal {
        DealParams params;
        DealStatus status;
        uint256[10] committed;
        uint256[10] filled;
    }

    // ---- storage ----

    /// @inheritdoc IEarlyAccessDeals
    address public immutable stakingLevels;
    /// @inheritdoc IEarlyAccessDeals
    address public immutable revenueDistributor;
    /// @inheritdoc IEarlyAccessDeals
    uint256 public dealCount;
    mapping(uint256 dealId => Deal) private _deals;
    mapping(uint256 dealId => mapping(address account => Position)) private _positions;

    // ---- constructor ----

    /// @param stakingLevels_ The StakingLevels contract (levels at the snapshot and now).
    /// @param revenueDistributor_ The RevenueDistributor: its reward tokens are the pay tokens, and it
    /// receives each deal's fee for the stakers.
    /// @param initialOwner Creates and cancels deals (the deployer, then the timelock).
    constructor(address stakingLevels_, address revenueDistributor_, address initialOwner) Ownable(initialOwner) {
        if (stakingLevels_ == address(0) || revenueDistributor_ == address(0)) revert ZeroAddress();
        stakingLevels = stakingLevels_;
        revenueDistributor = revenueDistributor_;
    }

    // ---- owner ----

    /// @inheritdoc IEarlyAccessDeals
    function createDeal(DealParams calldata params) external onlyOwner nonReentrant returns (uint256 dealId) {
        _checkParams(params);
        dealId = ++dealCount;
        Deal storage d = _deals[dealId];
        d.params = params;
        d.status = DealStatus.Open;
        _pullFrom(params.saleToken, params.seller, params.saleAmount);
        emit DealCreated(
            dealId,
            params.seller,
            params.saleToken,
            params.saleAmount,
            params.payToken,
            params.price,
            params.start,
            params.end
        );
    }

    /// @inheritdoc IEarlyAccessDeals
    function cancelDeal(uint256 dealId) external onlyOwner nonReentrant {
        Deal storage d = _openDeal(dealId);
        d.status = DealStatus.Cancelled;
        emit DealCancelled(dealId);
        IERC20(d.params.saleToken).safeTransfer(d.params.seller, d.params.saleAmount);
    }

    // ---- buyers ----

    /// @inheritdoc IEarlyAccessDeals
    function commit(uint256 dealId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Deal storage d = _openDeal(dealId);
        Position storage p = _positions[dealId][msg.sender];
        uint8 level = p.committed == 0 ? _levelNow(d.params, msg.sender) : p.level;
        if (level < d.params.minLevel) revert NotEligible(msg.sender, level);
        (uint64 opensAt, uint64 end) = _window(d.params, level);
        if (block.timestamp < opensAt || block.timestamp >= end) revert WindowClosed(opensAt, end);
        uint256 total = p.committed + amount;
        uint256 cap = d.params.capByLevel[level - 1];
        if (total > cap) revert AboveCap(cap, total);
        p.committed = SafeCast.toUint128(total);
        p.level = level;
        d.committed[level - 1] += amount;
        emit Committed(dealId, msg.sender, level, amount, total);
        _pullFrom(d.params.payToken, msg.sender, amount);
    }

    /// @inheritdoc IEarlyAccessDeals
    function finalize(uint256 dealId) external nonReentrant returns (bool succeeded) {
        Deal storage d = _openDeal(dealId);
        DealParams storage params = d.params;
        if (block.timestamp < params.end) revert DealNotEnded(params.end);
        uint256[10] memory committed = d.committed;
        uint256 raised = _total(committed);
        succeeded = raised >= params.softCap;
        if (!succeeded) {
            d.status = DealStatus.Failed;
            emit DealFinalized(dealId, false, raised, 0, 0, 0);
            IERC20(params.saleToken).safeTransfer(params.seller, params.saleAmount);
            return false;
        }
        d.status = DealStatus.Succeeded;
        (uint256 proceeds, uint256 sold) = _fill(d, committed);
        uint256 fee = proceeds * params.feeBps / BPS;
        emit DealFinalized(dealId, true, raised, proceeds, fee, sold);
        _payFee(params.payToken, fee);
        if (proceeds > fee) IERC20(params.payToken).safeTransfer(params.seller, proceeds - fee);
        if (params.saleAmount > sold) IERC20(params.saleToken).safeTransfer(params.seller, params.saleAmount - sold);
    }

    /// @inheritdoc IEarlyAccessDeals
    function claim(uint256 dealId) external nonReentrant returns (uint256 refund, uint256 tokens) {
        Deal storage d = _knownDeal(dealId);
        if (d.status == DealStatus.Open) revert DealNotFinalized(dealId);
        Position storage p = _positions[dealId][msg.sender];
        (refund, tokens) = _claimable(d, p);
        if (refund == 0 && tokens == 0) revert NothingToClaim(dealId, msg.sender);
        p.refundClaimed = true;
        p.tokensClaimed += tokens;
        emit Claimed(dealId, msg.sender, refund, tokens);
        if (refund != 0) IERC20(d.params.payToken).safeTransfer(msg.sender, refund);
        if (tokens != 0) IERC20(d.params.saleToken).safeTransfer(msg.sender, tokens);
    }

    // ---- views ----

    /// @inheritdoc IEarlyAccessDeals
    function deal(uint256 dealId) external view returns (DealView memory) {
        Deal storage d = _knownDeal(dealId);
        return DealView({params: d.params, status: d.status, committed: d.committed, filled: d.filled});
    }

    /// @inheritdoc IEarlyAccessDeals
    function commitment(uint256 dealId, address account) external view returns (uint256) {
        return _positions[dealId][account].committed;
    }

    /// @inheritdoc IEarlyAccessDeals
    function position(uint256 dealId, address account) external view returns (Position memory) {
        return _positions[dealId][account];
    }

    /// @inheritdoc IEarlyAccessDeals
    function maxCommit(uint256 dealId, address account) external view returns (uint256) {
        Deal storage d = _knownDeal(dealId);
        if (d.status != DealStatus.Open) return 0;
        Position storage p = _positions[dealId][account];
        uint8 level = p.committed == 0 ? _levelNow(d.params, account) : p.level;
        if (level == 0 || level < d.params.minLevel) return 0;
        (uint64 opensAt, uint64 end) = _window(d.params, level);
        if (block.timestamp < opensAt || block.timestamp >= end) return 0;
        uint256 cap = d.params.capByLevel[level - 1];
        return cap > p.committed ? cap - p.committed : 0;
    }

    /// @inheritdoc IEarlyAccessDeals
    function dealLevel(uint256 dealId, address account) external view returns (uint8) {
        Deal storage d = _knownDeal(dealId);
        Position storage p = _positions[dealId][account];
        return p.committed == 0 ? _levelNow(d.params, account) : p.level;
    }

    /// @inheritdoc IEarlyAccessDeals
    function windowOf(uint256 dealId, uint8 level) external view returns (uint64 opensAt, uint64 end) {
        if (level > LEVELS) revert InvalidLevel(level);
        return _window(_knownDeal(dealId).params, level);
    }

    /// @inheritdoc IEarlyAccessDeals
    function claimable(uint256 dealId, address account) external view returns (uint256 refund, uint256 tokens) {
        Deal storage d = _knownDeal(dealId);
        if (d.status == DealStatus.Open) return (0, 0);
        return _claimable(d, _positions[dealId][account]);
    }

    /// @inheritdoc IEarlyAccessDeals
    function raiseTarget(uint256 dealId) external view returns (uint256) {
        DealParams storage params = _knownDeal(dealId).params;
        return Math.mulDiv(params.saleAmount, params.price, PRICE_UNIT);
    }

    // ---- internals ----

    /// @dev Every creation rule of SPEC 5.3, in field order, reverting `InvalidDeal(field)`.
    function _checkParams(DealParams calldata params) private view {
        if (params.seller == address(0)) revert InvalidDeal(0);
        if (params.saleToken == address(0)) revert InvalidDeal(1);
        if (params.saleAmount == 0) revert InvalidDeal(2);
        if (!_isRewardToken(params.payToken)) revert InvalidDeal(3);
        if (params.price == 0 || Math.mulDiv(params.saleAmount, params.price, PRICE_UNIT) == 0) revert InvalidDeal(4);
        if (params.snapshot >= block.timestamp) revert InvalidDeal(5);
        if (params.start <= params.snapshot) revert InvalidDeal(6);
        // a deal that has already ended could take no commitment (a proposal executed too late)
        if (params.end <= params.start || params.end <= block.timestamp) revert InvalidDeal(7);
        uint256 length = params.end - params.start;
        // two loops, so that a deal breaking both rules is named by the earlier field
        for (uint256 i; i < LEVELS; ++i) {
            if (params.opensAfter[i] >= length || (i > 0 && params.opensAfter[i] > params.opensAfter[i - 1])) {
                revert InvalidDeal(8);
            }
        }
        for (uint256 i = 1; i < LEVELS; ++i) {
            if (params.capByLevel[i] < params.capByLevel[i - 1]) revert InvalidDeal(9);
        }
        if (params.minLevel == 0 || params.minLevel > LEVELS) revert InvalidDeal(10);
        if (params.softCap > Math.mulDiv(params.saleAmount, params.price, PRICE_UNIT)) revert InvalidDeal(11);
        if (params.tgeBps > BPS) revert InvalidDeal(12);
        if (params.feeBps > MAX_FEE_BPS) revert InvalidDeal(14);
    }

    /// @dev Fill levels 10 down to 1 up to the raise target and store each level's fill; returns the
    /// proceeds and the sale tokens sold.
    function _fill(Deal storage d, uint256[10] memory committed) private returns (uint256 proceeds, uint256 sold) {
        uint256 price = d.params.price;
        uint256 left = Math.mulDiv(d.params.saleAmount, price, PRICE_UNIT);
        for (uint256 i = LEVELS; i > 0; --i) {
            uint256 fill = Math.min(committed[i - 1], left);
            if (fill == 0) continue;
            left -= fill;
            d.filled[i - 1] = fill;
            proceeds += fill;
            sold += Math.mulDiv(fill, PRICE_UNIT, price);
        }
    }

    /// @dev The sum of the ten per-level amounts.
    function _total(uint256[10] memory perLevel) private pure returns (uint256 total) {
        for (uint256 i; i < LEVELS; ++i) {
            total += perLevel[i];
        }
    }

    /// @dev What `p` may claim from finalized deal `d` now.
    function _claimable(Deal storage d, Position storage p) private view returns (uint256 refund, uint256 tokens) {
        uint256 c = p.committed;
        if (c == 0) return (0, 0);
        if (d.status != DealStatus.Succeeded) return (p.refundClaimed ? 0 : c, 0);
        uint256 i = p.level - 1;
        uint256 levelCommitted = d.committed[i];
        uint256 fill = d.filled[i];
        if (!p.refundClaimed) refund = Math.mulDiv(c, levelCommitted - fill, levelCommitted);
        uint256 bought = Math.mulDiv(c, Math.mulDiv(fill, PRICE_UNIT, d.params.price), levelCommitted);
        tokens = _vested(d.params, bought) - p.tokensClaimed;
    }

    /// @dev Of `bought`, what has vested now: `tgeBps` at once, the rest linearly over the vesting
    /// duration from the deal's end.
    function _vested(DealParams storage params, uint256 bought) private view returns (uint256) {
        uint256 atTge = bought * params.tgeBps / BPS;
        uint256 duration = params.vestingDuration;
        uint256 elapsed = block.timestamp - params.end;
        if (duration == 0 || elapsed >= duration) return bought;
        return atTge + Math.mulDiv(bought - atTge, elapsed, duration);
    }

    /// @dev `account`'s level for a deal it has not committed to yet: the lower of then and now.
    function _levelNow(DealParams storage params, address account) private view returns (uint8) {
        IStakingLevels levels = IStakingLevels(stakingLevels);
        uint8 atSnapshot = levels.levelAt(account, params.snapshot);
        if (atSnapshot == 0) return 0;
        uint8 current = levels.levelOf(account);
        return atSnapshot < current ? atSnapshot : current;
    }

    /// @dev `[opensAt, end)` of `level` (level 0: empty, at the end).
    function _window(DealParams storage params, uint8 level) private view returns (uint64 opensAt, uint64 end) {
        end = params.end;
        opensAt = level == 0 ? end : params.start + params.opensAfter[level - 1];
    }

    /// @dev Send the stakers' fee to the distributor (to the owner if `token` is no longer a reward token).
    function _payFee(address token, uint256 fee) private {
        if (fee == 0) return;
        if (_isRewardToken(token)) {
            IERC20(token).forceApprove(revenueDistributor, fee);
            IRevenueDistributor(revenueDistributor).depositRevenue(token, fee);
        } else {
            IERC20(token).safeTransfer(owner(), fee);
        }
    }

    /// @dev Pull `amount` of `token` from `from`; revert unless all of it arrived.
    function _pullFrom(address token, address from, uint256 amount) private {
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(from, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        if (received < amount) revert UnsupportedFeeOnTransfer(token, amount, received);
    }

    /// @dev Whether `token` is on the distributor's active list (at most its MAX_REWARD_TOKENS, 8,
    /// entries: the loop is bounded by that constant).
    function _isRewardToken(address token) private view returns (bool) {
        address[] memory rewards = IRevenueDistributor(revenueDistributor).rewardTokens();
        for (uint256 i; i < rewards.length; ++i) {
            if (rewards[i] == token) return true;
        }
        return false;
    }

    /// @dev Deal `dealId`, or `UnknownDeal`.
    function _knownDeal(uint256 dealId) private view returns (Deal storage d) {
        d = _deals[dealId];
        if (d.status == DealStatus.None) revert UnknownDeal(dealId);
    }

    /// @dev Deal `dealId` while open, or `UnknownDeal` / `DealNotOpen`.
    function _openDeal(uint256 dealId) private view returns (Deal storage d) {
        d = _knownDeal(dealId);
        if (d.status != DealStatus.Open) revert DealNotOpen(dealId, d.status);
    }
}
