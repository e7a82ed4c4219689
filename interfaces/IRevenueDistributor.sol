// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title IRevenueDistributor
/// @notice Weekly multi-token revenue sharing by Staking Score (SPEC 2.3, amended by SPEC 7).
/// Revenue credited to week `w` is shared by `balanceOfAt(a, w) / totalSupplyAt(w)` of the
/// VotingEscrow and becomes claimable once `w + WEEK <= block.timestamp`. Early-exit penalties paid
/// during week `w` are shared among the accounts staked at `w`'s start that did not exit early during
/// `w`: `penalty[w] * balanceOfAt(a, w) / (totalSupplyAt(w) - exitedScore[w])`, claimable with the
/// staking token's revenue.
interface IRevenueDistributor is IServiceErrors {
    // ---- errors ----
    /// @notice Only the VotingEscrow may deposit penalties.
    error NotVotingEscrow(address caller);
    /// @notice `token` is already an active reward token.
    error TokenAlreadyActive(address token);
    /// @notice `token` is not an active reward token (never added, or removed): no new deposits.
    error TokenNotActive(address token);
    /// @notice `token` was never a reward token, so there is nothing to claim in it.
    error TokenNeverListed(address token);
    /// @notice The staking token cannot be removed: early-exit penalties arrive in it.
    error CannotRemoveStakingToken();
    /// @notice Adding would exceed `MAX_REWARD_TOKENS` active tokens.
    error TooManyRewardTokens();
    /// @notice `token` appears twice in one claim list.
    error DuplicateToken(address token);
    /// @notice `account` has no active lock (none, or expired and not permanent) to reinvest into.
    error NoActiveLock(address account);

    // ---- events ----
    /// @notice `token` became an active reward token (first listing or re-adding).
    event RewardTokenAdded(address indexed token);
    /// @notice `token` takes no new deposits; what was credited stays claimable.
    event RewardTokenRemoved(address indexed token);
    /// @notice `amount` of `token` (what actually arrived) from `from` was credited to `week`.
    event RevenueDeposited(address indexed token, address indexed from, uint256 indexed week, uint256 amount);
    /// @notice `amount` of `token` sent directly to the contract was credited to `week`.
    event TokenCheckpointed(address indexed token, uint256 indexed week, uint256 amount);
    /// @notice `account` exited early during `week` and paid `amount` staking tokens (possibly 0) into
    /// that week's penalty pool. `excludedScore` is its `balanceOfAt(account, week)` now removed from the
    /// pool's denominator (0 when the account had already exited in that week, or had no score at its start).
    event PenaltyDeposited(address indexed account, uint256 indexed week, uint256 amount, uint256 excludedScore);
    /// @notice The accounts staked at `fromWeek`'s start, early exiters excluded, held less than
    /// `MIN_LOCK_AMOUNT` of Staking Score: the week's `amount` of penalties became ordinary staking-token
    /// revenue of `toWeek`.
    event PenaltyRolledOver(uint256 indexed fromWeek, uint256 indexed toWeek, uint256 amount);
    /// @notice Week `fromWeek` had a total Staking Score of 0: its `amount` of `token` moved to `toWeek`.
    event RevenueRolledOver(address indexed token, uint256 indexed fromWeek, uint256 indexed toWeek, uint256 amount);
    /// @notice Weeks `[fromWeek, toWeek)` of `token` are final and claimable.
    event WeeksFinalised(address indexed token, uint256 fromWeek, uint256 toWeek);
    /// @notice `account` received `amount` of `token` (revenue and, for the staking token, penalty
    /// shares) for weeks before `claimedUntil`; `reinvested`: added to its lock instead of paid out.
    event Claimed(
        address indexed account, address indexed token, uint256 amount, bool reinvested, uint256 claimedUntil
    );
    /// @notice `account` opted in to (or out of) reinvesting through `claimFor` by itself or its keepers.
    event AutoCompoundSet(address indexed account, bool enabled);
    /// @notice `account` approved (or revoked) `keeper`: an approved keeper's `claimFor` reinvests the
    /// staking token of an account that opted in to auto-compounding.
    event KeeperSet(address indexed account, address indexed keeper, bool approved);

    // ---- revenue in ----
    /// @notice Pull `amount` of an active reward `token` from the caller and credit what actually
    /// arrived to the current week. Anyone may deposit.
    /// @param token An active reward token.
    /// @param amount Amount to pull (> 0); fee-on-transfer tokens are credited what arrived.
    function depositRevenue(address token, uint256 amount) external;
    /// @notice Finalise finished weeks of `token` (at most `MAX_WEEKS_PER_CALL`) and credit tokens sent
    /// directly to the contract (balance minus `accounted`) to the current week. Anyone may call.
    /// @param token An active reward token.
    function checkpointToken(address token) external;
    /// @notice Called by the VotingEscrow on every early exit of `account` (also when the penalty is 0:
    /// the exit must still be recorded). Pulls `amount` staking tokens into the penalty pool of the
    /// current week `w` and, the first time `account` exits during `w`, excludes it from that week's
    /// penalty shares (its `balanceOfAt(account, w)` leaves the denominator).
    /// @param account The account that left its lock early.
    /// @param amount The penalty, in staking tokens (0: only the exit is recorded).
    function depositPenalty(address account, uint256 amount) external;

    // ---- revenue out ----
    /// @notice Claim the caller's revenue in each of `tokens` and pay it to the caller. Each token walks
    /// at most `MAX_WEEKS_PER_CALL` weeks; call again to continue a longer backlog.
    /// @param tokens Tokens that are or were reward tokens, no duplicates.
    /// @return amounts Amount paid per token, in the order of `tokens`.
    function claim(address[] calldata tokens) external returns (uint256[] memory amounts);
    /// @notice Claim the caller's staking-token revenue and add it to the caller's active lock
    /// (`NoActiveLock` if it has none, or an expired non-permanent one).
    /// @return amount Staking tokens added to the lock.
    function claimAndLock() external returns (uint256 amount);
    /// @notice Opt in (or out) of reinvesting the staking-token part of `claimFor` calls made by the
    /// caller itself or by a keeper it approved (`setKeeper`).
    /// @param enabled True: such a `claimFor` adds staking-token revenue to the caller's active lock.
    function setAutoCompound(bool enabled) external;
    /// @notice Approve (or revoke) `keeper` to reinvest the caller's staking-token revenue through
    /// `claimFor` (effective only while the caller has opted in with `setAutoCompound(true)`).
    /// @param keeper The keeper address (not zero).
    /// @param approved True to approve, false to revoke.
    function setKeeper(address keeper, bool approved) external;
    /// @notice Claim for `account` (anyone may call). The staking-token part is added to `account`'s
    /// lock only if it opted in to auto-compounding, its lock is active and the caller is `account` or
    /// one of its approved keepers, so nobody else chooses when its revenue is locked; everything else
    /// (and everything, for any other caller) is paid to `account`.
    /// @param account Account whose revenue is claimed.
    /// @param tokens Tokens that are or were reward tokens, no duplicates.
    /// @return amounts Amount paid or reinvested per token, in the order of `tokens`.
    function claimFor(address account, address[] calldata tokens) external returns (uint256[] memory amounts);

    // ---- admin ----
    /// @notice Make `token` an active reward token (owner only). A token removed earlier may be re-added:
    /// its history and cursors continue.
    /// @param token ERC-20 to accept as revenue.
    function addRewardToken(address token) external;
    /// @notice Stop accepting deposits of `token` (owner only). Everything already credited stays
    /// claimable. The staking token cannot be removed.
    /// @param token Active reward token to remove.
    function removeRewardToken(address token) external;

    // ---- views ----
    /// @notice One epoch: revenue is credited to, and shared by, whole weeks (7 days).
    function WEEK() external view returns (uint256);
    /// @notice Most reward tokens that may be active at the same time (8).
    function MAX_REWARD_TOKENS() external view returns (uint256);
    /// @notice Most weeks one call finalises (global cursor) or walks (account cursor) per token (52).
    function MAX_WEEKS_PER_CALL() external view returns (uint256);
    /// @notice The VotingEscrow whose Staking Score shares the revenue.
    function votingEscrow() external view returns (address);
    /// @notice The escrow's locked token: a reward token from deployment, the token penalties arrive in.
    function stakingToken() external view returns (address);
    /// @notice The week the distributor was deployed; no revenue is shared before it.
    function startWeek() external view returns (uint256);
    /// @notice The active reward tokens.
    function rewardTokens() external view returns (address[] memory);
    /// @notice Ordinary revenue of `token` credited to `week` (penalties are kept apart, see `penaltyWeek`).
    /// @param token A reward token.
    /// @param week A week boundary.
    function tokensPerWeek(address token, uint256 week) external view returns (uint256);
    /// @notice Tokens credited but not yet paid out (the contract's book balance) of `token`.
    /// @param token Any token.
    function accounted(address token) external view returns (uint256);
    /// @notice Per-token state: `listed` (ever added: claims allowed), `active` (takes deposits now),
    /// the week it was first listed, the global cursor (weeks before it are final) and the latest week
    /// credited.
    /// @param token Any token (all zero if it was never listed).
    function tokenState(address token)
        external
        view
        returns (bool listed, bool active, uint256 firstWeek, uint256 finalisedUntil, uint256 lastCreditedWeek);
    /// @notice Total Staking Score of `week` as cached when the week was finalised (`cached` false: not
    /// read yet).
    /// @param week A week boundary.
    function weekSupply(uint256 week) external view returns (uint256 supply, bool cached);
    /// @notice First week `account` has not claimed yet in `token` (0: never claimed).
    /// @param account Any account.
    /// @param token Any token.
    function claimCursor(address account, address token) external view returns (uint256);
    /// @notice Whether `account` opted in to auto-compounding.
    /// @param account Any account.
    function autoCompound(address account) external view returns (bool);
    /// @notice Whether `account` approved `keeper` (see `setKeeper`).
    /// @param account Any account.
    /// @param keeper Any address.
    function isKeeper(address account, address keeper) external view returns (bool);
    /// @notice What a claim of `token` by `account` would pay now (for the staking token: revenue and
    /// penalty shares together). Same bounds as a claim: at most `MAX_WEEKS_PER_CALL` weeks finalised
    /// and walked, so a longer backlog shows only its first part.
    /// @param account Any account.
    /// @param token Any token (0 if it was never listed).
    function claimable(address account, address token) external view returns (uint256);
    /// @notice The penalty pool of `week`: staking tokens paid by that week's early exits (0 once rolled
    /// over), and the summed `balanceOfAt(exiter, week)` of that week's exiters, each counted once.
    /// @param week A week boundary.
    function penaltyWeek(uint256 week) external view returns (uint256 penalty, uint256 exitedScore);
    /// @notice Whether `account` exited early during `week` (it then shares none of that week's penalties).
    /// @param account Any account.
    /// @param week A week boundary.
    function exitedEarly(address account, uint256 week) external view returns (bool);
}
