// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title IEarlyAccessDeals
/// @notice Early access to investment deals by Staking Score level (SPEC 5.3): a project's token,
/// offered through a DAO proposal, opens to the highest levels first; each level has its own cap per
/// account; when the sale is oversubscribed higher levels are filled first and the last level reached
/// pro rata; below the soft cap everyone is refunded; bought tokens vest (a share at the TGE, the
/// rest linearly from the deal's end).
/// @dev Level of an account for a deal: `min(levelAt(account, snapshot), levelOf(account))`, fixed
/// at its first commit. `price` is pay-token units per 10^18 sale-token units and
/// `raiseTarget = saleAmount * price / 1e18`. Fill, for levels 10 down to 1 with `left = raiseTarget`:
/// `fill[L] = min(committed[L], left)`, `sold[L] = fill[L] * 1e18 / price`; an account of level `L`
/// that committed `c` is refunded `c * (committed[L] - fill[L]) / committed[L]` and gets
/// `c * sold[L] / committed[L]` sale tokens (all rounded down). Fee-on-transfer tokens are refused:
/// the sale tokens pulled at creation and every commitment are measured, and less received reverts
/// `UnsupportedFeeOnTransfer`.
interface IEarlyAccessDeals is IServiceErrors {
    // ---- types ----

    /// @notice Where a deal stands. `Open` covers the time before, during and after the windows until
    /// `finalize` or `cancelDeal`.
    enum DealStatus {
        None,
        Open,
        Succeeded,
        Failed,
        Cancelled
    }

    /// @notice A deal as the DAO proposes it (`InvalidDeal(field)` names a field by its 0-based position).
    /// @param seller Supplies `saleAmount` (approved to this contract first) and receives the proceeds
    /// less the fee, and every unsold token.
    /// @param saleToken The token on sale.
    /// @param saleAmount Sale tokens on offer, pulled from `seller` at creation.
    /// @param payToken What buyers pay with: a reward token of the RevenueDistributor.
    /// @param price Pay-token units per 10^18 sale-token units.
    /// @param snapshot Time of the level snapshot (before the deal was announced; in the past).
    /// @param start Start of the deal: level `L`'s window opens at `start + opensAfter[L-1]`.
    /// @param end Close of every window; the vesting starts here.
    /// @param opensAfter Seconds after `start` at which each level (index 0: level 1) may commit;
    /// non-increasing in level.
    /// @param capByLevel Most an account of each level may commit in total (pay-token units);
    /// non-decreasing in level.
    /// @param minLevel Lowest level that may commit (1..10).
    /// @param softCap Least total commitment for the deal to succeed (pay-token units, at most the raise target).
    /// @param tgeBps Share of each buyer's tokens claimable at finalization.
    /// @param vestingDuration Seconds from `end` over which the rest vests linearly (0: all at finalization).
    /// @param feeBps Share of the proceeds paid to stakers through the RevenueDistributor (at most 2_000).
    struct DealParams {
        address seller;
        address saleToken;
        uint256 saleAmount;
        address payToken;
        uint256 price;
        uint64 snapshot;
        uint64 start;
        uint64 end;
        uint32[10] opensAfter;
        uint256[10] capByLevel;
        uint8 minLevel;
        uint256 softCap;
        uint16 tgeBps;
        uint64 vestingDuration;
        uint16 feeBps;
    }

    /// @notice One account's part in a deal.
    /// @param committed Pay tokens committed in total.
    /// @param level The account's level for the deal, fixed at its first commit.
    /// @param refundClaimed Whether the refund (or, for a failed or cancelled deal, the commitment) was paid.
    /// @param tokensClaimed Sale tokens paid out so far.
    struct Position {
        uint128 committed;
        uint8 level;
        bool refundClaimed;
        uint256 tokensClaimed;
    }

    /// @notice A deal's state: its parameters, status and totals per level (index 0: level 1).
    /// @param params The parameters it was created with.
    /// @param status Where it stands.
    /// @param committed Commitments per level.
    /// @param filled Pay tokens accepted per level at finalization (zero before, and for a failed deal).
    struct DealView {
        DealParams params;
        DealStatus status;
        uint256[10] committed;
        uint256[10] filled;
    }

    // ---- events ----

    /// @notice Deal `dealId` was created and its sale tokens pulled from the seller.
    event DealCreated(
        uint256 indexed dealId,
        address indexed seller,
        address indexed saleToken,
        uint256 saleAmount,
        address payToken,
        uint256 price,
        uint64 start,
        uint64 end
    );
    /// @notice `account` (of `level` for the deal) committed `amount` more, `total` in all.
    event Committed(uint256 indexed dealId, address indexed account, uint8 level, uint256 amount, uint256 total);
    /// @notice The deal was finalized: `raised` committed in all; if `succeeded`, `proceeds` accepted,
    /// `fee` of them to stakers, `tokensSold` sold and the rest returned to the seller.
    event DealFinalized(
        uint256 indexed dealId, bool succeeded, uint256 raised, uint256 proceeds, uint256 fee, uint256 tokensSold
    );
    /// @notice The owner cancelled the deal; its sale tokens went back to the seller.
    event DealCancelled(uint256 indexed dealId);
    /// @notice `account` was paid `refund` pay tokens and `tokens` sale tokens.
    event Claimed(uint256 indexed dealId, address indexed account, uint256 refund, uint256 tokens);

    // ---- errors ----

    /// @notice Field `field` (0-based position in `DealParams`) of a new deal breaks a rule; for an
    /// order rule, the later field.
    error InvalidDeal(uint256 field);
    /// @notice No deal has id `dealId`.
    error UnknownDeal(uint256 dealId);
    /// @notice The deal is no longer open (finalized or cancelled): `status` is where it stands.
    error DealNotOpen(uint256 dealId, DealStatus status);
    /// @notice `finalize` before the deal's `end`.
    error DealNotEnded(uint64 end);
    /// @notice `claim` on a deal that is still open.
    error DealNotFinalized(uint256 dealId);
    /// @notice `account`'s level for the deal is `level`, below its `minLevel`.
    error NotEligible(address account, uint8 level);
    /// @notice The caller's window is `[opensAt, end)` and now is outside it.
    error WindowClosed(uint64 opensAt, uint64 end);
    /// @notice The commitment would total `requested`, above the level's `cap`.
    error AboveCap(uint256 cap, uint256 requested);
    /// @notice A token transfer in delivered `received` of `expected`.
    error UnsupportedFeeOnTransfer(address token, uint256 expected, uint256 received);
    /// @notice `level` is above 10.
    error InvalidLevel(uint8 level);
    /// @notice `account` has nothing to claim from the deal now.
    error NothingToClaim(uint256 dealId, address account);

    // ---- owner ----

    /// @notice Create a deal (owner: the timelock, so a deal is a governance proposal) and pull its
    /// sale tokens from the seller. Ids start at 1.
    function createDeal(DealParams calldata params) external returns (uint256 dealId);

    /// @notice Cancel an open deal: its sale tokens go back to the seller at once; every commitment
    /// becomes refundable in full.
    function cancelDeal(uint256 dealId) external;

    // ---- buyers ----

    /// @notice Commit `amount` pay tokens (approved first) to deal `dealId` within the caller's window.
    function commit(uint256 dealId, uint256 amount) external;

    /// @notice Settle a deal after its end (anyone, once): fill by level, pay the fee to stakers and
    /// the rest of the proceeds and the unsold tokens to the seller; below the soft cap, fail it.
    function finalize(uint256 dealId) external returns (bool succeeded);

    /// @notice Pay the caller its refund (the first time) and its sale tokens vested so far.
    function claim(uint256 dealId) external returns (uint256 refund, uint256 tokens);

    // ---- views ----

    /// @notice The StakingLevels contract whose levels decide windows and caps.
    function stakingLevels() external view returns (address);

    /// @notice The RevenueDistributor that receives the fee (its reward tokens are the pay tokens).
    function revenueDistributor() external view returns (address);

    /// @notice Number of deals created (the latest id).
    function dealCount() external view returns (uint256);

    /// @notice Most a deal's fee may be, bps of the proceeds (2_000).
    function MAX_FEE_BPS() external view returns (uint16);

    /// @notice Deal `dealId`: parameters, status and totals per level.
    function deal(uint256 dealId) external view returns (DealView memory);

    /// @notice The total `account` committed to deal `dealId`.
    function commitment(uint256 dealId, address account) external view returns (uint256);

    /// @notice `account`'s position in deal `dealId`.
    function position(uint256 dealId, address account) external view returns (Position memory);

    /// @notice What `account` could still commit to deal `dealId` now: the rest of its level's cap
    /// while the deal is open, its window is open and its level is at least `minLevel`; else 0.
    function maxCommit(uint256 dealId, address account) external view returns (uint256);

    /// @notice `account`'s level for deal `dealId`: fixed at its first commit, else
    /// `min(levelAt(account, snapshot), levelOf(account))` now.
    function dealLevel(uint256 dealId, address account) external view returns (uint8);

    /// @notice When `level` may commit to deal `dealId`: `[opensAt, end)` (level 0: the deal's end twice).
    function windowOf(uint256 dealId, uint8 level) external view returns (uint64 opensAt, uint64 end);

    /// @notice What `claim` would pay `account` now.
    function claimable(uint256 dealId, address account) external view returns (uint256 refund, uint256 tokens);

    /// @notice The pay tokens deal `dealId` aims to raise: `saleAmount * price / 1e18`.
    function raiseTarget(uint256 dealId) external view returns (uint256);
}
