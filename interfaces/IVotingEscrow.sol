// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title IVotingEscrow
/// @notice Vote-escrow lock of the ServiceToken that yields a Staking Score (SPEC 2.2, amended by SPEC 7).
/// A lock of `amount` ending at week boundary `end` scores `amount + amount * (end - t) / MAX_LOCK`
/// while `t < end`, 0 once expired, and `2 * amount` while permanent. The score is the voting power
/// (IERC5805, timestamp clock); only permanent locks may delegate it.
interface IVotingEscrow is IERC5805, IServiceErrors {
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
    /// @notice `setRevenueDistributor` was already called.
    error RevenueDistributorAlreadySet(address current);
    /// @notice The distributor given to `setRevenueDistributor` serves another escrow.
    error RevenueDistributorMismatch(address distributor, address escrow);
    /// @notice `withdrawEarly` before `setRevenueDistributor`.
    error RevenueDistributorNotSet();
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
    /// @param amount Tokens to lock, pulled from the caller.
    /// @param unlockTime Rounded down to a week; the result must be after now and at most now + MAX_LOCK.
    function createLock(uint256 amount, uint256 unlockTime) external;
    /// @notice `createLock` in one transaction for a wallet: first applies the caller's EIP-2612 permit
    /// `permit(caller, escrow, amount, deadline, v, r, s)` on the token, then locks. A permit that fails
    /// (for instance already used by a front-runner) is ignored: the lock goes through if the allowance
    /// is there, else the token transfer reverts with the token's error.
    /// @param amount Tokens to lock (at least MIN_LOCK_AMOUNT), pulled from the caller.
    /// @param unlockTime Rounded down to a week; the result must be after now and at most now + MAX_LOCK.
    /// @param deadline The permit's deadline.
    /// @param v The permit signature's v.
    /// @param r The permit signature's r.
    /// @param s The permit signature's s.
    function createLockWithPermit(uint256 amount, uint256 unlockTime, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
    /// @notice Creates a lock owned by `account`, paid with the caller's tokens (airdrop claim-and-lock).
    /// The caller must be `account`, a lock creator `account` approved (`setLockCreator`), or a creator
    /// the owner trusts (`setTrustedLockCreator`), else `NotLockCreator`: nobody can plant an unwanted
    /// lock on an address.
    /// @param account Owner of the new lock; must have none.
    /// @param amount Tokens to lock (at least MIN_LOCK_AMOUNT), pulled from the caller.
    /// @param unlockTime Rounded down to a week; the result must be after now and at most now + MAX_LOCK.
    function createLockFor(address account, uint256 amount, uint256 unlockTime) external;
    /// @notice Adds `amount` of the caller's tokens to the caller's active (or permanent) lock.
    /// @param amount Tokens to add (> 0).
    function increaseAmount(uint256 amount) external;
    /// @notice `increaseAmount` in one transaction for a wallet, with the caller's EIP-2612 permit for
    /// `amount` to this escrow (ignored if it fails, as in `createLockWithPermit`).
    /// @param amount Tokens to add (> 0).
    /// @param deadline The permit's deadline.
    /// @param v The permit signature's v.
    /// @param r The permit signature's r.
    /// @param s The permit signature's s.
    function increaseAmountWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// @notice Adds `amount` of the caller's tokens to `account`'s active (or permanent) lock. Anyone
    /// may call: it adds tokens and never changes the end.
    /// @param account Owner of the lock.
    /// @param amount Tokens to add (> 0).
    function depositFor(address account, uint256 amount) external;
    /// @notice Moves the end of the caller's lock later; also relocks an expired lock without a
    /// withdrawal. Not for permanent locks.
    /// @param unlockTime Rounded down to a week; must be later than the current end, after now and at
    /// most now + MAX_LOCK.
    function increaseUnlockTime(uint256 unlockTime) external;
    /// @notice Withdraws the whole amount of the caller's expired lock and deletes it.
    function withdraw() external;
    /// @notice Leaves the caller's decaying lock before its end. The penalty
    /// `amount * (end - now) * maxEarlyPenaltyBps / (MAX_LOCK * 10_000)` (one floor division) goes to
    /// the RevenueDistributor with `depositPenalty(caller, penalty)`, reported even when it is 0 (the
    /// exit excludes the caller from the current week's penalty shares); the rest goes to the caller.
    /// Not for permanent or expired locks; reverts until the RevenueDistributor is set, and in the very
    /// second a week starts (`EarlyExitAtWeekStart`).
    function withdrawEarly() external;
    /// @notice Makes the caller's active lock permanent: score `2 * amount`, no expiry, no withdrawal.
    function lockPermanent() external;
    /// @notice Turns the caller's permanent lock into a full decaying lock ending at
    /// `floor((now + MAX_LOCK) / WEEK) * WEEK`, and resets its delegation to itself.
    function unlockPermanent() external;

    // ---- lock creators ----
    /// @notice Approve (or revoke) `creator` to create a lock for the caller with `createLockFor`.
    /// @param creator The address allowed to plant a lock for the caller (not zero).
    /// @param approved True to approve, false to revoke.
    function setLockCreator(address creator, bool approved) external;
    /// @notice Whether `account` approved `creator` to create a lock for it.
    /// @param account The lock owner.
    /// @param creator The would-be creator.
    function isLockCreator(address account, address creator) external view returns (bool);
    /// @notice Whether the owner trusts `creator` to create locks for any account.
    /// @param creator The would-be creator.
    function isTrustedLockCreator(address creator) external view returns (bool);

    // ---- indexers ----
    /// @notice For each of `accounts`, emits `DelegateVotesChanged(account, votesAtLastChange, votesNow)`:
    /// its votes at the timestamp of its latest lock or delegation checkpoint, and `getVotes(account)`
    /// now. Changes no state; anyone may call. Scores decay without events: an indexer that rebuilds
    /// votes from `DelegateVotesChanged` stays within a poke interval of `getVotes`.
    /// @param accounts At most MAX_POKE_ACCOUNTS addresses (duplicates and accounts without a lock are fine).
    function poke(address[] calldata accounts) external;

    // ---- admin ----
    /// @notice Sets the RevenueDistributor that receives early-exit penalties. Owner only, once.
    /// @param distributor A RevenueDistributor whose `votingEscrow()` is this escrow.
    function setRevenueDistributor(address distributor) external;
    /// @notice Trust (or stop trusting) `creator` to create locks for any account with `createLockFor`
    /// (e.g. the airdrop's claim-and-lock). Owner only: the timelock after deployment.
    /// @param creator Contract allowed to plant locks for others (not zero).
    /// @param trusted True to trust, false to revoke.
    function setTrustedLockCreator(address creator, bool trusted) external;
    /// @notice Brings the global point history up to now. Anyone may call; it keeps later lookups cheap.
    function checkpoint() external;

    // ---- views ----
    /// @notice The locked token (the ServiceToken).
    function token() external view returns (address);
    /// @notice The RevenueDistributor that receives early-exit penalties (zero until set).
    function revenueDistributor() external view returns (address);
    /// @notice Early-exit penalty of a lock with MAX_LOCK left, in basis points (at most 10_000).
    function maxEarlyPenaltyBps() external view returns (uint256);
    /// @notice Longest lock, and the time over which the score's bonus decays from 1x to 0: 365 days.
    function MAX_LOCK() external view returns (uint256);
    /// @notice Lock ends are rounded down to multiples of WEEK (7 days).
    function WEEK() external view returns (uint256);
    /// @notice Smallest amount a lock may be created with: one whole token (1e18).
    function MIN_LOCK_AMOUNT() external view returns (uint256);
    /// @notice Most accounts one `poke` call takes.
    function MAX_POKE_ACCOUNTS() external view returns (uint256);
    /// @notice The lock of `account`: `end` is 0 for a permanent lock, `amount` 0 for no lock.
    /// @param account Lock owner.
    function locked(address account) external view returns (uint256 amount, uint256 end, bool permanent);
    /// @notice Current Staking Score of `account`.
    /// @param account Lock owner.
    function balanceOf(address account) external view returns (uint256);
    /// @notice Staking Score of `account` at `timestamp`, from its point history.
    /// @param account Lock owner.
    /// @param timestamp Any time up to the current block's (`FutureLookup` after it).
    function balanceOfAt(address account, uint256 timestamp) external view returns (uint256);
    /// @notice Current total Staking Score.
    function totalSupply() external view returns (uint256);
    /// @notice Total Staking Score at `timestamp`: at least the sum of every account's
    /// `balanceOfAt(timestamp)`, and less than one wei per active decaying lock above it.
    /// @param timestamp Any time up to the current block's (`FutureLookup` after it).
    function totalSupplyAt(uint256 timestamp) external view returns (uint256);
    /// @notice "ve" + the staking token's name.
    function name() external view returns (string memory);
    /// @notice "ve" + the staking token's symbol.
    function symbol() external view returns (string memory);
    /// @notice Always 18.
    function decimals() external view returns (uint8);
    /// @notice Number of points in `account`'s history (0: never locked).
    /// @param account Lock owner.
    function userPointEpoch(address account) external view returns (uint256);
    /// @notice Timestamp of point `epoch` (1-based) of `account`'s history (0 if there is none).
    /// @param account Lock owner.
    /// @param epoch 1..userPointEpoch(account).
    function userPointTimestamp(address account, uint256 epoch) external view returns (uint256);
    /// @notice Point `epoch` of `account`'s history: the lock as it was from `ts` on.
    /// @param account Lock owner.
    /// @param epoch 1..userPointEpoch(account).
    function userPointHistory(address account, uint256 epoch)
        external
        view
        returns (uint256 amount, uint256 end, uint256 ts, bool permanent);
    /// @notice Global point `epoch` (0..epoch()): the MAX_LOCK-scaled total bias and slope from `ts` on.
    /// @param epoch 0..epoch().
    function pointHistory(uint256 epoch) external view returns (uint128 bias, uint128 slope, uint48 ts);
    /// @notice Slope (sum of amounts) of the decaying locks that end at week boundary `week`; the
    /// scaled bias drops by `slopeChanges(week) * MAX_LOCK` at the same time.
    /// @param week A week boundary.
    function slopeChanges(uint256 week) external view returns (uint128);
    /// @notice Total tokens locked (decaying and permanent).
    function supply() external view returns (uint256);
    /// @notice Number of the latest global point (the first, written at deployment, is 0).
    function epoch() external view returns (uint256);
}
