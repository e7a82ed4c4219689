// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/// @title IVotingEscrow
/// @notice Vote-escrow lock of the ServiceToken that yields a Staking Score (SPEC 2.2, amended by SPEC 7).
/// A lock of `amount` ending at week boundary `end` scores `amount + amount * (end - t) / MAX_LOCK`
/// while `t < end`, 0 once expired, and `2 * amount` while permanent. The score is the voting power
/// (IERC5805, timestamp clock); only permanent locks may delegate it.
interface IVotingEscrow is IERC5805 {
    /// @notice What a `Deposit` event records.
    enum DepositType {
        CreateLock,
        IncreaseAmount,
        DepositFor,
        IncreaseUnlockTime
    }

    // ---- events ----
    /// @notice A lock was created, topped up or extended. `payer` paid `amount` (0 for an extension);
    /// `end` is the lock's end after the change (0 for a permanent lock).
    event Deposit(
        address indexed account,
        address indexed payer,
        uint256 amount,
        uint256 end,
        DepositType depositType,
        uint256 timestamp
    );
    /// @notice An expired lock was withdrawn in full.
    event Withdraw(address indexed account, uint256 amount, uint256 timestamp);
    /// @notice A lock was left before its end; `penalty` went to the RevenueDistributor, the rest to the account.
    event WithdrawEarly(address indexed account, uint256 amount, uint256 penalty, uint256 timestamp);
    /// @notice A lock became permanent (score `2 * amount`, no expiry).
    event LockPermanent(address indexed account, uint256 amount, uint256 timestamp);
    /// @notice A permanent lock became a decaying lock ending at `end`.
    event UnlockPermanent(address indexed account, uint256 amount, uint256 end, uint256 timestamp);
    /// @notice Total tokens locked changed.
    event Supply(uint256 previousSupply, uint256 supply);
    /// @notice The RevenueDistributor that receives early-exit penalties was set (once).
    event RevenueDistributorSet(address indexed distributor);
    /// @notice The global point history was brought up to `timestamp` by `checkpoint()`.
    event GlobalCheckpoint(uint256 epoch, uint256 timestamp);
    /// @notice `account` approved (or revoked) `creator` to create a lock for it with `createLockFor`.
    event LockCreatorSet(address indexed account, address indexed creator, bool approved);
    /// @notice The owner (the timelock) trusted (or stopped trusting) `creator` to create locks for any
    /// account with `createLockFor` (e.g. the airdrop's claim-and-lock).
    event TrustedLockCreatorSet(address indexed creator, bool trusted);

    // ---- errors ----
    /// @notice Constructor: `bps` is above 10_000.
    error InvalidPenaltyBps(uint256 bps);
    /// @notice A zero address was given where an address is required.
    error ZeroAddress();
    /// @notice `setRevenueDistributor` was already called.
    error RevenueDistributorAlreadySet(address current);
    /// @notice The distributor given to `setRevenueDistributor` serves another escrow.
    error RevenueDistributorMismatch(address distributor, address escrow);
    /// @notice `withdrawEarly` before `setRevenueDistributor`.
    error RevenueDistributorNotSet();
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice A new lock of `amount` would hold less than `minimum` (`MIN_LOCK_AMOUNT`).
    error AmountBelowMinimum(uint256 amount, uint256 minimum);
    /// @notice `caller` may not create a lock for `account`: it is not `account`, not a lock creator
    /// `account` approved (`setLockCreator`) and not a creator the owner trusts (`setTrustedLockCreator`).
    error NotLockCreator(address caller, address account);
    /// @notice `withdrawEarly` in the very second a week starts (`timestamp` is a multiple of WEEK): the
    /// stakers at that week's start, who share the penalty, are only final after this block. Retry a
    /// second later.
    error EarlyExitAtWeekStart(uint256 timestamp);
    /// @notice `poke` was given `count` accounts, more than `max` (`MAX_POKE_ACCOUNTS`).
    error TooManyAccounts(uint256 count, uint256 max);
    /// @notice The rounded-down end `end` is not after `nowTime`.
    error UnlockTimeNotInFuture(uint256 end, uint256 nowTime);
    /// @notice The rounded-down end `end` is after `maxEnd = now + MAX_LOCK`.
    error UnlockTimeTooLate(uint256 end, uint256 maxEnd);
    /// @notice `increaseUnlockTime` must move the end later than `currentEnd`.
    error UnlockTimeNotLater(uint256 end, uint256 currentEnd);
    /// @notice `account` already has a lock (an expired one must be withdrawn or relocked first).
    error LockExists(address account);
    /// @notice `account` has no lock.
    error NoLock(address account);
    /// @notice `account`'s lock expired at `end`.
    error LockExpired(address account, uint256 end);
    /// @notice `account`'s lock only ends at `end`.
    error LockNotExpired(address account, uint256 end);
    /// @notice The operation is not allowed on `account`'s permanent lock.
    error PermanentLock(address account);
    /// @notice The operation needs a permanent lock and `account`'s lock is not one.
    error NotPermanentLock(address account);
    /// @notice Only a permanent lock may delegate its voting power to another address.
    error DelegationRequiresPermanentLock(address account);
    /// @notice History lookup at `timestamp`, later than the current block's `nowTime`.
    error FutureLookup(uint256 timestamp, uint256 nowTime);
    /// @notice IERC5805 past lookup at `timepoint >= clock` (same signature as OpenZeppelin Votes).
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);

    // ---- lock management ----
    /// @notice Locks `amount` (at least `MIN_LOCK_AMOUNT`) of the caller's tokens until `unlockTime`
    /// rounded down to a week boundary.
    function createLock(uint256 amount, uint256 unlockTime) external;
    /// @notice `createLock` in one transaction for a wallet: first applies the caller's EIP-2612 permit
    /// `permit(caller, escrow, amount, deadline, v, r, s)` on the token, then locks. A permit that fails
    /// (for instance already used by a front-runner) is ignored: the lock goes through if the allowance
    /// is there, else the token transfer reverts with the token's error.
    function createLockWithPermit(uint256 amount, uint256 unlockTime, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
    /// @notice Creates a lock owned by `account`, paid with the caller's tokens. The caller must be
    /// `account`, a lock creator `account` approved, or a creator the owner trusts (`NotLockCreator`).
    function createLockFor(address account, uint256 amount, uint256 unlockTime) external;
    /// @notice Adds `amount` of the caller's tokens to the caller's active (or permanent) lock.
    function increaseAmount(uint256 amount) external;
    /// @notice `increaseAmount` in one transaction for a wallet, with the caller's EIP-2612 permit
    /// (ignored if it fails, as in `createLockWithPermit`).
    function increaseAmountWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    function depositFor(address account, uint256 amount) external;
    function increaseUnlockTime(uint256 unlockTime) external;
    function withdraw() external;
    function withdrawEarly() external;
    function lockPermanent() external;
    function unlockPermanent() external;

    // ---- lock creators ----
    /// @notice Approve (or revoke) `creator` to create a lock for the caller with `createLockFor`.
    /// @param creator The address allowed to plant a lock for the caller (not zero).
    /// @param approved True to approve, false to revoke.
    function setLockCreator(address creator, bool approved) external;
    /// @notice Whether `account` approved `creator` to create a lock for it.
    function isLockCreator(address account, address creator) external view returns (bool);
    /// @notice Whether the owner trusts `creator` to create locks for any account.
    function isTrustedLockCreator(address creator) external view returns (bool);

    // ---- indexers ----
    /// @notice For each of `accounts`, emits `DelegateVotesChanged(account, votesAtLastChange, votesNow)`:
    /// its votes at the timestamp of its latest lock or delegation checkpoint, and `getVotes(account)`
    /// now. Changes no state; anyone may call. Scores decay without events: an indexer that rebuilds
    /// votes from `DelegateVotesChanged` stays within a poke interval of `getVotes`.
    function poke(address[] calldata accounts) external;

    // ---- admin ----
    function setRevenueDistributor(address distributor) external;
    /// @notice Trust (or stop trusting) `creator` to create locks for any account (owner only: the timelock).
    function setTrustedLockCreator(address creator, bool trusted) external;
    function checkpoint() external;

    // ---- views ----
    function token() external view returns (address);
    function revenueDistributor() external view returns (address);
    function maxEarlyPenaltyBps() external view returns (uint256);
    function MAX_LOCK() external view returns (uint256);
    function WEEK() external view returns (uint256);
    /// @notice Smallest amount a lock may be created with: one whole token (1e18).
    function MIN_LOCK_AMOUNT() external view returns (uint256);
    /// @notice Most accounts one `poke` call takes.
    function MAX_POKE_ACCOUNTS() external view returns (uint256);
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
    /// @notice Total tokens locked (decaying and permanent).
    function supply() external view returns (uint256);
    /// @notice Number of the latest global point (the first, written at deployment, is 0).
    function epoch() external view returns (uint256);
}
