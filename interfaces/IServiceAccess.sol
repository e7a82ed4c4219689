// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title IServiceAccess
/// @notice Paying for the platform's AI services with the token or another reward token (SPEC 5.2):
/// subscriptions to plans, discounted by the subscriber's Staking Score level, and prepaid credits for
/// metered calls settled with EIP-712 cumulative `Usage` receipts. Every payment is split at once
/// between stakers (RevenueDistributor), a burn (staking token only), a referrer and the treasury.
/// @dev Split of a payment `P`: `s = P * stakersBps / 10_000`, `b = P * burnBps / 10_000`,
/// `treasuryPart = P - s - b` (each rounded down). Staking token: `b` burnt, `s` to the distributor;
/// other tokens: `s + b` to the distributor. Of `treasuryPart`, the referral `r` goes to the referrer,
/// the rest to the treasury. Fee-on-transfer tokens are not supported: a transfer in that delivers
/// less than asked reverts `UnsupportedFeeOnTransfer`.
interface IServiceAccess is IServiceErrors {
    // ---- structs ----
    /// @notice One signed usage receipt, as `redeemUsageBatch` takes it.
    /// @param account The account whose credits pay; the signer (EOA, or ERC-1271 wallet).
    /// @param token Pay token of the credits.
    /// @param cumulative Everything the account's metered use of `token` has cost so far.
    /// @param deadline Last timestamp at which the receipt may be redeemed.
    /// @param signature EIP-712 signature of `Usage(account, token, cumulative, deadline)`.
    struct UsageReceipt {
        address account;
        address token;
        uint256 cumulative;
        uint256 deadline;
        bytes signature;
    }

    // ---- events: configuration ----
    /// @notice The revenue split changed (also emitted by the constructor).
    event RevenueSplitSet(uint16 stakersBps, uint16 treasuryBps, uint16 burnBps);
    /// @notice The delay between `requestWithdrawal` and `withdrawCredits` changed (also emitted by the constructor).
    event WithdrawalDelaySet(uint64 delay);
    /// @notice Plan `planId` was created, active, paid in `payToken`.
    event PlanCreated(uint256 indexed planId, address indexed payToken, uint256 pricePerPeriod, uint64 period);
    /// @notice The price per period of plan `planId` changed.
    event PlanPriceSet(uint256 indexed planId, uint256 pricePerPeriod);
    /// @notice Plan `planId` was activated or deactivated (an inactive plan sells nothing; access
    /// already bought stays).
    event PlanActiveSet(uint256 indexed planId, bool active);

    // ---- events: payments ----
    /// @notice A payment in `token` was split; the amounts are what was actually sent (or burnt).
    /// `stakers` went to `RevenueDistributor.depositRevenue`, `treasury` to the treasury, `burned` was
    /// burnt (staking token only), `referral` to the referrer.
    event RevenueSplit(address indexed token, uint256 stakers, uint256 treasury, uint256 burned, uint256 referral);
    /// @notice `payer` paid `cost` for `periods` periods of plan `planId` for `account`, whose access
    /// now lasts until `accessUntil`.
    event Subscribed(
        address indexed account,
        address indexed payer,
        uint256 indexed planId,
        uint256 periods,
        uint256 cost,
        uint64 accessUntil
    );
    /// @notice `account`'s referrer was bound, once and for good.
    event ReferrerBound(address indexed account, address indexed referrer);
    /// @notice `referrer` received `amount` of `token` from a payment of `account`.
    event ReferralPaid(address indexed referrer, address indexed account, address indexed token, uint256 amount);

    // ---- events: credits ----
    /// @notice `payer` added `amount` of `token` to `account`'s credits.
    event CreditsDeposited(address indexed account, address indexed payer, address indexed token, uint256 amount);
    /// @notice A receipt of `account` for `token` up to `cumulative` was settled: `charged` left its credits.
    event UsageRedeemed(address indexed account, address indexed token, uint256 cumulative, uint256 charged);
    /// @notice `redeemUsageBatch` skipped a receipt; `reason` is the selector of the error
    /// `redeemUsage` would have raised for it.
    event UsageReceiptSkipped(address indexed account, address indexed token, uint256 cumulative, bytes4 reason);
    /// @notice `account` asked to withdraw its `token` credits; `withdrawCredits` works from `readyAt`
    /// (with the delay in force at the time of the request).
    event WithdrawalRequested(address indexed account, address indexed token, uint64 readyAt);
    /// @notice `account` withdrew `amount` of `token`, all its credits; its request is closed.
    event CreditsWithdrawn(address indexed account, address indexed token, uint256 amount);

    // ---- errors ----
    /// @notice The StakingLevels contract and the RevenueDistributor read different escrows.
    error EscrowMismatch(address levelsEscrow, address distributorEscrow);
    /// @notice The three split bps do not sum to 10_000.
    error InvalidSplit();
    /// @notice `token` is not a current reward token of the RevenueDistributor.
    error NotRewardToken(address token);
    /// @notice A plan needs a price and a period above zero.
    error InvalidPlan();
    /// @notice No plan has id `planId` (ids start at 1).
    error UnknownPlan(uint256 planId);
    /// @notice Plan `planId` is not active.
    error PlanInactive(uint256 planId);
    /// @notice A subscription needs at least one period.
    error ZeroPeriods();
    /// @notice `periods` would take the access past the uint64 timestamp range (`maxPeriods` fit).
    error TooManyPeriods(uint256 periods, uint256 maxPeriods);
    /// @notice The subscription would cost `cost`, above the caller's `maxCost`.
    error CostAboveMax(uint256 cost, uint256 maxCost);
    /// @notice `account` named itself as its referrer.
    error SelfReferral(address account);
    /// @notice Only `received` of the `expected` tokens arrived: fee-on-transfer tokens are not supported.
    error UnsupportedFeeOnTransfer(address token, uint256 expected, uint256 received);
    /// @notice A deposit of `amount` is above `room`: credits plus spent of one account and token are
    /// stored packed and together stay below 2^128.
    error CreditsTooLarge(uint256 amount, uint256 room);
    /// @notice The receipt's `cumulative` is not above what was already charged (`spent`).
    error ReceiptNotNewer(uint256 cumulative, uint256 spent);
    /// @notice The receipt's `deadline` has passed.
    error ReceiptExpired(uint256 deadline);
    /// @notice The signature is not the account's (EOA or ERC-1271) over the receipt.
    error InvalidSignature();
    /// @notice Charging the receipt needs `needed` credits; the account has `available`.
    error InsufficientCredits(uint256 needed, uint256 available);
    /// @notice `redeemUsageBatch` takes at most `max` receipts.
    error BatchTooLarge(uint256 length, uint256 max);
    /// @notice The withdrawal delay must be between `MIN_WITHDRAWAL_DELAY` and `MAX_WITHDRAWAL_DELAY`.
    error InvalidWithdrawalDelay(uint64 delay);
    /// @notice `withdrawCredits` without a pending `requestWithdrawal`.
    error NoWithdrawalRequest();
    /// @notice The withdrawal can be completed from `readyAt`.
    error WithdrawalNotReady(uint256 readyAt);

    // ---- constants ----
    /// @notice Most receipts one `redeemUsageBatch` takes.
    function MAX_BATCH() external view returns (uint256);
    /// @notice Shortest withdrawal delay the owner may set.
    function MIN_WITHDRAWAL_DELAY() external view returns (uint64);
    /// @notice Longest withdrawal delay the owner may set (7 days).
    function MAX_WITHDRAWAL_DELAY() external view returns (uint64);
    /// @notice Withdrawal delay at deployment (1 day).
    function DEFAULT_WITHDRAWAL_DELAY() external view returns (uint64);
    /// @notice `keccak256("Usage(address account,address token,uint256 cumulative,uint256 deadline)")`.
    function USAGE_TYPEHASH() external view returns (bytes32);

    // ---- plans (owner: the timelock) ----
    /// @notice Create an active plan (ids from 1).
    /// @param payToken A current reward token of the distributor (checked again at each payment).
    /// @param pricePerPeriod Price of one period (> 0), in `payToken` units.
    /// @param period Length of one period in seconds (> 0).
    /// @return planId The new plan's id.
    function createPlan(address payToken, uint256 pricePerPeriod, uint64 period) external returns (uint256 planId);

    /// @notice Change the price of plan `planId` (> 0); applies to later payments only.
    function setPlanPrice(uint256 planId, uint256 pricePerPeriod) external;

    /// @notice Activate or deactivate plan `planId`.
    function setPlanActive(uint256 planId, bool active) external;

    /// @notice Change the split of later payments; the three bps must sum to 10_000.
    function setRevenueSplit(uint16 stakersBps, uint16 treasuryBps, uint16 burnBps) external;

    /// @notice Change the delay between `requestWithdrawal` and `withdrawCredits`; applies to pending
    /// requests too.
    /// @param delay Seconds, between `MIN_WITHDRAWAL_DELAY` and `MAX_WITHDRAWAL_DELAY` (7 days).
    function setWithdrawalDelay(uint64 delay) external;

    // ---- subscriptions ----
    /// @notice Buy `periods` periods of plan `planId` for the caller.
    /// @param planId An active plan.
    /// @param periods Number of periods (> 0).
    /// @param referrer Bound as the caller's referrer if it has none yet (zero: none; later values are ignored).
    /// @param maxCost Revert `CostAboveMax` if the cost is higher (a price change never overcharges).
    /// @return accessUntil `max(now, current) + periods * period`.
    function subscribe(uint256 planId, uint256 periods, address referrer, uint256 maxCost)
        external
        returns (uint64 accessUntil);

    /// @notice Buy `periods` periods of plan `planId` for `account`, paid by the caller; the discount,
    /// the access and the referrer binding are `account`'s.
    function subscribeFor(address account, uint256 planId, uint256 periods, address referrer, uint256 maxCost)
        external
        returns (uint64 accessUntil);

    /// @notice `subscribe` with an EIP-2612 permit of `maxCost` of the plan's pay token, in one
    /// transaction. A permit that fails (already used, e.g. front-run) is ignored when the allowance
    /// is already there.
    function subscribeWithPermit(
        uint256 planId,
        uint256 periods,
        address referrer,
        uint256 maxCost,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint64 accessUntil);

    /// @notice What `subscribeFor(account, planId, periods, ...)` would cost now and the discount it
    /// would get (0 unless `account`'s lock is permanent or ends at or after the new access end).
    /// Reverts where the subscription would (unknown or inactive plan, zero periods, pay token no
    /// longer a reward token).
    function quote(address account, uint256 planId, uint256 periods)
        external
        view
        returns (uint256 cost, uint16 discountBps);

    /// @notice Plan `planId` (all zero for an unknown id).
    function plans(uint256 planId)
        external
        view
        returns (address payToken, uint256 pricePerPeriod, uint64 period, bool active);

    /// @notice Number of plans created (the highest plan id).
    function planCount() external view returns (uint256);

    /// @notice End of `account`'s access to plan `planId` (0: never subscribed).
    function accessUntil(address account, uint256 planId) external view returns (uint64);

    /// @notice `accessUntil(account, planId) > block.timestamp`.
    function hasAccess(address account, uint256 planId) external view returns (bool);

    /// @notice `account`'s bound referrer (zero: none).
    function referrerOf(address account) external view returns (address);

    // ---- credits ----
    /// @notice Add `amount` of `token` (a current reward token) to the caller's credits.
    function depositCredits(address token, uint256 amount) external;

    /// @notice Add `amount` of `token`, paid by the caller, to `account`'s credits.
    function depositCreditsFor(address account, address token, uint256 amount) external;

    /// @notice `depositCredits` with an EIP-2612 permit of `amount`, in one transaction. A permit that
    /// fails (already used, e.g. front-run) is ignored when the allowance is already there.
    function depositCreditsWithPermit(address token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Charge `cumulative - spent(account, token)` from `account`'s credits and split it (no
    /// referral, no discount). Anyone may submit; the proceeds go only to the split.
    /// @param account Signer of the receipt.
    /// @param token Pay token (a current reward token).
    /// @param cumulative Total metered use so far, above `spent(account, token)`.
    /// @param deadline The receipt is valid while `block.timestamp <= deadline`.
    /// @param signature EIP-712 `Usage` signature by `account` (EOA or ERC-1271).
    /// @return charged The amount taken from the credits.
    function redeemUsage(address account, address token, uint256 cumulative, uint256 deadline, bytes calldata signature)
        external
        returns (uint256 charged);

    /// @notice Redeem several receipts; a receipt that `redeemUsage` would refuse is skipped with
    /// `UsageReceiptSkipped(..., reason)` instead of reverting the batch. The charged amounts are
    /// split once per token at the end of the batch.
    /// @param receipts At most `MAX_BATCH` receipts, in any order (a later receipt of the same
    /// account and token charges only its increment).
    /// @return charged Per receipt, the amount charged (0: skipped).
    function redeemUsageBatch(UsageReceipt[] calldata receipts) external returns (uint256[] memory charged);

    /// @notice What `redeemUsage` would do now with this receipt: the charge, or the selector of the
    /// error it would raise (`reason` 0: it would succeed).
    function previewRedeem(address account, address token, uint256 cumulative, uint256 deadline, bytes calldata signature)
        external
        view
        returns (uint256 charge, bytes4 reason);

    /// @notice The EIP-712 digest an account signs for a `Usage` receipt.
    function usageDigest(address account, address token, uint256 cumulative, uint256 deadline)
        external
        view
        returns (bytes32);

    /// @notice Start a withdrawal of the caller's `token` credits; `withdrawCredits` works after the
    /// withdrawal delay. Asking again restarts the delay. Receipts can still be redeemed meanwhile.
    /// @return readyAt When `withdrawCredits` becomes possible (with the current delay).
    function requestWithdrawal(address token) external returns (uint64 readyAt);

    /// @notice Pay the caller all its `token` credits left, once its request is ready; closes the request.
    /// @return amount What was paid (may be 0 if everything was spent).
    function withdrawCredits(address token) external returns (uint256 amount);

    /// @notice `account`'s pending withdrawal request for `token` (zeros: none).
    /// @return requestedAt When it was requested.
    /// @return readyAt `requestedAt + withdrawalDelay()`: from then on `withdrawCredits` pays out.
    function withdrawalRequest(address account, address token) external view returns (uint64 requestedAt, uint64 readyAt);

    /// @notice Credits of `account` in `token` left to spend.
    function credits(address account, address token) external view returns (uint256);

    /// @notice Cumulative amount of `token` charged to `account` so far (the last redeemed `cumulative`).
    function spent(address account, address token) external view returns (uint256);

    // ---- wiring and parameters ----
    /// @notice The StakingLevels contract that gives levels and benefits.
    function stakingLevels() external view returns (address);
    /// @notice The RevenueDistributor that receives the stakers' part (and lists the pay tokens).
    function revenueDistributor() external view returns (address);
    /// @notice The VotingEscrow (`stakingLevels.votingEscrow()`), read for the lock-end discount rule.
    function votingEscrow() external view returns (address);
    /// @notice The staking token (`revenueDistributor.stakingToken()`), the only token burnt.
    function stakingToken() external view returns (address);
    /// @notice Receives the treasury part (the DAO timelock).
    function treasury() external view returns (address);
    /// @notice Stakers' share of each payment, bps.
    function stakersBps() external view returns (uint16);
    /// @notice Treasury's share of each payment (referrals come out of it), bps.
    function treasuryBps() external view returns (uint16);
    /// @notice Burnt share of each staking-token payment (other tokens: to stakers), bps.
    function burnBps() external view returns (uint16);
    /// @notice Seconds between `requestWithdrawal` and `withdrawCredits`.
    function withdrawalDelay() external view returns (uint64);
}
