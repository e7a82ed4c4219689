// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRevenueDistributor} from "../interfaces/IRevenueDistributor.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";
import {WeekMath} from "./libraries/WeekMath.sol";

/// @title RevenueDistributor
/// @notice Weekly multi-token revenue sharing by Staking Score (SPEC 2.3), with early-exit penalties
/// shared among the stakers at the start of the exit's week, exiters excluded (SPEC 7).
/// @dev Curve's FeeDistributor, with its known losses removed:
///  - revenue is credited to whole weeks `w = floor(t / WEEK) * WEEK` (no pro-rating over checkpoints);
///  - a finished week whose total Staking Score is 0 rolls its revenue into the next week, so nothing
///    is stranded;
///  - every week of a token is finalised by one per-token global cursor, in order, at most
///    `MAX_WEEKS_PER_CALL` weeks per call; accounts only ever claim finalised weeks;
///  - each (account, token) pair keeps its own claim cursor and walks at most `MAX_WEEKS_PER_CALL`
///    weeks per call, resuming where it stopped; no loop depends on the number of stakers.
/// Account share of week `w`: `tokensPerWeek[token][w] * ve.balanceOfAt(a, w) / ve.totalSupplyAt(w)`
/// (floor). The escrow guarantees `totalSupplyAt(w) >= sum of balanceOfAt(a, w)`, so shares never
/// over-pay; the rounding dust stays in the contract.
/// Penalties (staking token only) are kept apart per week: `penalty[w]`, paid by the early exits made
/// during week `w`, and `exitedScore[w]`, the summed `balanceOfAt(exiter, w)` of that week's exiters
/// (each counted once). A non-exiter's penalty share is
/// `penalty[w] * balanceOfAt(a, w) / (totalSupplyAt(w) - exitedScore[w])` (floor): the exiters' own
/// scores are out of the denominator and the escrow's bound still holds for the rest, so it never
/// over-pays. When the remaining score is below `MIN_LOCK_AMOUNT` (nobody but exiters was staked) the
/// week's penalties become ordinary revenue of the next week, decided when the week is finalised.
contract RevenueDistributor is IRevenueDistributor, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---- constants ----

    /// @inheritdoc IRevenueDistributor
    uint256 public constant WEEK = WeekMath.WEEK;
    /// @inheritdoc IRevenueDistributor
    /// @dev Bounds the token list every admin call and `rewardTokens` walk.
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @inheritdoc IRevenueDistributor
    /// @dev Bounds every week loop (finalisation, claim walk, balance cache): a year of weeks per call
    /// keeps a claim far below the block gas limit; a longer backlog resumes in the next call.
    uint256 public constant MAX_WEEKS_PER_CALL = 52;

    // ---- types ----

    /// @dev Per-token state, one slot. Weeks are timestamps (multiples of WEEK).
    struct TokenState {
        bool listed; // ever added (claims allowed)
        bool active; // takes deposits now
        uint40 startWeek; // week of the first listing: no revenue before it
        uint40 cursor; // first week not yet finalised (global cursor)
        uint40 lastCredited; // latest week ever credited (deposit, penalty or rollover)
        uint40 lastPenalty; // staking token: latest week with a penalty pool (weeks after it have none)
    }

    /// @dev Early-exit penalties of one week, one slot (both fit: the token supply is far below 2^127).
    struct PenaltyPool {
        uint128 amount; // staking tokens paid during the week (0 once rolled into the next week's revenue)
        uint128 exitedScore; // summed balanceOfAt(exiter, week) of the week's early exiters, each once
    }

    /// @dev What `finalisation` would do for one token, computed without writes (shared by the
    /// state-changing path and the `claimable` view).
    struct Finalisation {
        uint256 from; // old cursor
        uint256 to; // new cursor
        uint256 carry; // revenue rolled past `to` (added to week `to`)
        uint256[] revenue; // week from + i*WEEK: revenue after rollover (rolled weeks: amount rolled out)
        uint256[] supply; // week's total supply if the week has revenue (0: rolled over / none)
        uint256 fetchedMask; // bit i: supply of week i was read from the escrow (cache it)
        uint256 changedMask; // bit i: revenue of week i differs from storage (rollover in)
        uint256 rolledMask; // bit i: week i rolled its revenue over
        uint256 penaltyRolledMask; // bit i: week i's penalties become revenue of the next week
        uint256 last; // latest credited week, counting weeks that received rolled-over revenue
        uint256 lastPenalty; // latest week with a penalty pool (0 for any token but the staking token)
    }

    /// @dev Balances already read from the escrow during one call (`balanceOfAt` + 1; 0 = unknown).
    struct BalanceCache {
        uint256 base;
        uint256[] vals;
    }

    // ---- storage ----

    /// @inheritdoc IRevenueDistributor
    address public immutable votingEscrow;
    /// @inheritdoc IRevenueDistributor
    address public immutable stakingToken;
    /// @inheritdoc IRevenueDistributor
    uint256 public immutable startWeek;
    /// @dev The escrow's MIN_LOCK_AMOUNT: a penalty week whose stakers, exiters excluded, score less than
    /// this has no staker left (every active lock scores at least it), so its penalties roll over.
    uint256 private immutable _minStakedScore;

    address[] private _rewardTokens;
    mapping(address token => TokenState) private _tokens;
    /// @inheritdoc IRevenueDistributor
    mapping(address token => uint256) public accounted;
    /// @inheritdoc IRevenueDistributor
    mapping(address token => mapping(uint256 week => uint256)) public tokensPerWeek;
    /// @dev `ve.totalSupplyAt(week) + 1` once cached (0 = not cached); only finished weeks are cached.
    mapping(uint256 week => uint256) private _weekSupply;
    /// @dev First week an account has not yet claimed, per token (0 = never claimed).
    mapping(address account => mapping(address token => uint256)) private _claimCursor;
    /// @inheritdoc IRevenueDistributor
    mapping(address account => bool) public autoCompound;
    /// @inheritdoc IRevenueDistributor
    mapping(address account => mapping(address keeper => bool)) public isKeeper;
    mapping(uint256 week => PenaltyPool) private _penalties;
    mapping(address account => mapping(uint256 week => bool)) private _exitedEarly;

    // ---- constructor ----

    /// @param votingEscrow_ The VotingEscrow whose Staking Score shares the revenue; its `token()` is
    /// the staking token, listed from deployment.
    /// @param initialOwner Owner of the admin functions (the deployer, then the timelock).
    constructor(address votingEscrow_, address initialOwner) Ownable(initialOwner) {
        if (votingEscrow_ == address(0)) revert ZeroAddress();
        address staking = IVotingEscrow(votingEscrow_).token();
        if (staking == address(0)) revert ZeroAddress();
        votingEscrow = votingEscrow_;
        stakingToken = staking;
        _minStakedScore = IVotingEscrow(votingEscrow_).MIN_LOCK_AMOUNT();
        uint256 week = WeekMath.floor(block.timestamp);
        startWeek = week;
        _listToken(staking, week);
    }

    // ---- admin ----

    /// @inheritdoc IRevenueDistributor
    function addRewardToken(address token) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (_tokens[token].active) revert TokenAlreadyActive(token);
        if (_rewardTokens.length >= MAX_REWARD_TOKENS) revert TooManyRewardTokens();
        _listToken(token, WeekMath.floor(block.timestamp));
    }

    /// @inheritdoc IRevenueDistributor
    function removeRewardToken(address token) external onlyOwner {
        if (token == stakingToken) revert CannotRemoveStakingToken();
        if (!_tokens[token].active) revert TokenNotActive(token);
        _tokens[token].active = false;
        uint256 n = _rewardTokens.length;
        for (uint256 i; i < n; ++i) {
            if (_rewardTokens[i] == token) {
                _rewardTokens[i] = _rewardTokens[n - 1];
                _rewardTokens.pop();
                break;
            }
        }
        emit RewardTokenRemoved(token);
    }

    // ---- revenue in ----

    /// @inheritdoc IRevenueDistributor
    function depositRevenue(address token, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        TokenState storage st = _tokens[token];
        if (!st.active) revert TokenNotActive(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        uint256 week = WeekMath.floor(block.timestamp);
        _credit(token, st, week, received);
        emit RevenueDeposited(token, msg.sender, week, received);
    }

    /// @inheritdoc IRevenueDistributor
    function checkpointToken(address token) external nonReentrant {
        TokenState storage st = _tokens[token];
        if (!st.active) revert TokenNotActive(token);
        _finalise(token);
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 booked = accounted[token];
        if (balance > booked) {
            uint256 extra = balance - booked;
            uint256 week = WeekMath.floor(block.timestamp);
            _credit(token, st, week, extra);
            emit TokenCheckpointed(token, week, extra);
        }
    }

    /// @inheritdoc IRevenueDistributor
    /// @dev The escrow reverts an early exit in the second a week starts, so here `now > week` and
    /// `balanceOfAt(account, week)` is final history (the exiter's lock is already gone from `now` on).
    function depositPenalty(address account, uint256 amount) external nonReentrant {
        if (msg.sender != votingEscrow) revert NotVotingEscrow(msg.sender);
        uint256 week = WeekMath.floor(block.timestamp);
        PenaltyPool storage pool = _penalties[week];
        uint256 excluded = 0;
        if (!_exitedEarly[account][week]) {
            _exitedEarly[account][week] = true;
            excluded = IVotingEscrow(votingEscrow).balanceOfAt(account, week);
            if (excluded != 0) pool.exitedScore += SafeCast.toUint128(excluded);
        }
        uint256 received = 0;
        if (amount != 0) {
            IERC20 t = IERC20(stakingToken);
            uint256 before = t.balanceOf(address(this));
            t.safeTransferFrom(msg.sender, address(this), amount);
            received = t.balanceOf(address(this)) - before;
            pool.amount += SafeCast.toUint128(received);
            accounted[address(t)] += received;
            TokenState storage st = _tokens[address(t)];
            if (week > st.lastCredited) st.lastCredited = uint40(week);
            if (week > st.lastPenalty) st.lastPenalty = uint40(week);
        }
        emit PenaltyDeposited(account, week, received, excluded);
    }

    // ---- revenue out ----

    /// @inheritdoc IRevenueDistributor
    function claim(address[] calldata tokens) external nonReentrant returns (uint256[] memory amounts) {
        return _claimMany(msg.sender, tokens, false);
    }

    /// @inheritdoc IRevenueDistributor
    /// @dev Reverts `NoActiveLock` if the caller has no lock, or an expired non-permanent one.
    function claimAndLock() external nonReentrant returns (uint256 amount) {
        if (!_hasActiveLock(msg.sender)) revert NoActiveLock(msg.sender);
        address staking = stakingToken;
        BalanceCache memory cache = _newCache();
        amount = _claimOne(msg.sender, staking, cache);
        _payOrLock(msg.sender, staking, amount, true);
    }

    /// @inheritdoc IRevenueDistributor
    function setAutoCompound(bool enabled) external {
        autoCompound[msg.sender] = enabled;
        emit AutoCompoundSet(msg.sender, enabled);
    }

    /// @inheritdoc IRevenueDistributor
    function setKeeper(address keeper, bool approved) external {
        if (keeper == address(0)) revert ZeroAddress();
        isKeeper[msg.sender][keeper] = approved;
        emit KeeperSet(msg.sender, keeper, approved);
    }

    /// @inheritdoc IRevenueDistributor
    function claimFor(address account, address[] calldata tokens)
        external
       
        nonReentrant
        returns (uint256[] memory amounts)
    {
        if (account == address(0)) revert ZeroAddress();
        bool reinvest = autoCompound[account] && (msg.sender == account || isKeeper[account][msg.sender])
            && _hasActiveLock(account);
        return _claimMany(account, tokens, reinvest);
    }

    // ---- views ----

    /// @inheritdoc IRevenueDistributor
    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokens;
    }

    /// @inheritdoc IRevenueDistributor
    function claimable(address account, address token) external view returns (uint256) {
        TokenState memory st = _tokens[token];
        if (!st.listed) return 0;
        Finalisation memory f = _previewFinalise(token, st);
        (uint256 amount,) = _previewClaim(account, token, st, f, _newCache());
        return amount;
    }

    /// @inheritdoc IRevenueDistributor
    function tokenState(address token)
        external
        view
        returns (bool listed, bool active, uint256 firstWeek, uint256 finalisedUntil, uint256 lastCreditedWeek)
    {
        TokenState memory st = _tokens[token];
        return (st.listed, st.active, st.startWeek, st.cursor, st.lastCredited);
    }

    /// @inheritdoc IRevenueDistributor
    function penaltyWeek(uint256 week) external view returns (uint256 penalty, uint256 exitedScore) {
        PenaltyPool memory pool = _penalties[week];
        return (pool.amount, pool.exitedScore);
    }

    /// @inheritdoc IRevenueDistributor
    function exitedEarly(address account, uint256 week) external view returns (bool) {
        return _exitedEarly[account][week];
    }

    /// @inheritdoc IRevenueDistributor
    function weekSupply(uint256 week) external view returns (uint256 supply, bool cached) {
        uint256 s = _weekSupply[week];
        return s == 0 ? (0, false) : (s - 1, true);
    }

    /// @inheritdoc IRevenueDistributor
    function claimCursor(address account, address token) external view returns (uint256) {
        return _claimCursor[account][token];
    }

    // ---- internals: listing, credit ----

    function _listToken(address token, uint256 week) private {
        TokenState storage st = _tokens[token];
        if (!st.listed) {
            st.listed = true;
            st.startWeek = uint40(week);
            st.cursor = uint40(week);
            st.lastCredited = uint40(week);
        }
        st.active = true;
        _rewardTokens.push(token);
        emit RewardTokenAdded(token);
    }

    function _credit(address token, TokenState storage st, uint256 week, uint256 amount) private {
        if (amount == 0) return;
        tokensPerWeek[token][week] += amount;
        accounted[token] += amount;
        if (week > st.lastCredited) st.lastCredited = uint40(week);
    }

    // ---- internals: finalisation ----

    /// @dev Finalise finished weeks of `token` in order, from its cursor, at most MAX_WEEKS_PER_CALL
    /// of them; resumable: the next call continues from the new cursor.
    function _finalise(address token) private returns (Finalisation memory f) {
        TokenState storage st = _tokens[token];
        f = _previewFinalise(token, st);
        if (f.to == f.from) return f;
        uint256 n = (f.to - f.from) / WEEK;
        uint256 masks = f.fetchedMask | f.changedMask | f.rolledMask | f.penaltyRolledMask;
        for (uint256 i; masks >> i != 0 && i < n; ++i) {
            uint256 w = f.from + i * WEEK;
            if ((f.fetchedMask >> i) & 1 == 1) _weekSupply[w] = f.supply[i] + 1;
            if ((f.rolledMask >> i) & 1 == 1) {
                tokensPerWeek[token][w] = 0;
                emit RevenueRolledOver(token, w, w + WEEK, f.revenue[i]);
            } else if ((f.changedMask >> i) & 1 == 1) {
                tokensPerWeek[token][w] = f.revenue[i];
            }
            if ((f.penaltyRolledMask >> i) & 1 == 1) {
                PenaltyPool storage pool = _penalties[w];
                emit PenaltyRolledOver(w, w + WEEK, pool.amount);
                pool.amount = 0;
            }
        }
        if (f.carry != 0) tokensPerWeek[token][f.to] += f.carry;
        if (f.last > st.lastCredited) st.lastCredited = uint40(f.last);
        st.cursor = uint40(f.to);
        emit WeeksFinalised(token, f.from, f.to);
    }

    /// @dev What `_finalise` would do, without writing. A week is finished once `w + WEEK <= now`;
    /// its total supply, penalties and exited score are then final (and `w < now`, so caching the supply
    /// is safe). A week with a total supply of 0 rolls its revenue and penalties into the next week; a
    /// week whose stakers, exiters excluded, score less than `_minStakedScore` rolls its penalties there.
    function _previewFinalise(address token, TokenState memory st) private view returns (Finalisation memory f) {
        uint256 from = st.cursor;
        f.from = from;
        f.to = from;
        f.last = st.lastCredited;
        f.lastPenalty = token == stakingToken ? st.lastPenalty : 0;
        uint256 current = WeekMath.floor(block.timestamp);
        if (from >= current) return f;
        f.revenue = new uint256[](MAX_WEEKS_PER_CALL);
        f.supply = new uint256[](MAX_WEEKS_PER_CALL);
        uint256 last = st.lastCredited;
        uint256 carry;
        uint256 w = from;
        for (uint256 i; i < MAX_WEEKS_PER_CALL && w < current; ++i) {
            if (w > last && carry == 0) {
                // Nothing was ever credited to `w` or later: every finished week from here is empty.
                w = current;
                break;
            }
            uint256 stored = tokensPerWeek[token][w];
            uint256 amount = stored + carry;
            PenaltyPool memory pool = _penaltyPool(w, f.lastPenalty);
            if (amount != 0 || pool.amount != 0) {
                uint256 cached = _weekSupply[w];
                uint256 supply;
                if (cached == 0) {
                    supply = IVotingEscrow(votingEscrow).totalSupplyAt(w);
                    f.fetchedMask |= 1 << i;
                } else {
                    supply = cached - 1;
                }
                f.revenue[i] = amount;
                if (supply == 0) {
                    if (amount != 0) f.rolledMask |= 1 << i;
                    if (pool.amount != 0) f.penaltyRolledMask |= 1 << i;
                    carry = amount + pool.amount;
                } else {
                    f.supply[i] = supply;
                    if (carry != 0) {
                        f.changedMask |= 1 << i;
                        if (w > last) last = w;
                    }
                    carry = 0;
                    if (pool.amount != 0 && supply - pool.exitedScore < _minStakedScore) {
                        f.penaltyRolledMask |= 1 << i;
                        carry = pool.amount;
                    }
                }
            }
            w += WEEK;
        }
        f.to = w;
        f.carry = carry;
        if (carry != 0 && w > last) last = w;
        f.last = last;
    }

    // ---- internals: claims ----

    function _claimMany(address account, address[] calldata tokens, bool reinvest)
        private
        returns (uint256[] memory amounts)
    {
        uint256 n = tokens.length;
        amounts = new uint256[](n);
        address staking = stakingToken;
        BalanceCache memory cache = _newCache();
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            for (uint256 j; j < i; ++j) {
                if (tokens[j] == token) revert DuplicateToken(token);
            }
            uint256 amount = _claimOne(account, token, cache);
            amounts[i] = amount;
            _payOrLock(account, token, amount, reinvest && token == staking);
        }
    }

    /// @dev Finalise `token`, walk `account`'s cursor and book the payout (no transfer here).
    function _claimOne(address account, address token, BalanceCache memory cache) private returns (uint256 amount) {
        TokenState memory st = _tokens[token];
        if (!st.listed) revert TokenNeverListed(token);
        Finalisation memory f = _finalise(token);
        st.cursor = uint40(f.to);
        uint256 until;
        (amount, until) = _previewClaim(account, token, st, f, cache);
        if (until != 0) _claimCursor[account][token] = until;
        if (amount != 0) accounted[token] -= amount;
    }

    function _payOrLock(address account, address token, uint256 amount, bool lock) private {
        if (amount != 0) {
            if (lock) {
                address ve = votingEscrow;
                IERC20(token).forceApprove(ve, amount);
                IVotingEscrow(ve).depositFor(account, amount);
            } else {
                IERC20(token).safeTransfer(account, amount);
            }
        }
        emit Claimed(account, token, amount, lock && amount != 0, _claimCursor[account][token]);
    }

    /// @dev Walk `account`'s cursor in `token` over finalised weeks (storage before `f.from`, the
    /// preview `f` from there), at most MAX_WEEKS_PER_CALL weeks. Returns the amount and the new cursor
    /// (0: the account never locked, nothing to store).
    function _previewClaim(
        address account,
        address token,
        TokenState memory st,
        Finalisation memory f,
        BalanceCache memory cache
    ) private view returns (uint256 amount, uint256 until) {
        uint256 cursor = _startCursor(account, token, st);
        if (cursor == 0) return (0, 0);
        uint256 finalised = f.to;
        if (cursor >= finalised) return (0, cursor);
        uint256 end = cursor + MAX_WEEKS_PER_CALL * WEEK;
        if (end > finalised) end = finalised;
        for (uint256 w = cursor; w < end; w += WEEK) {
            if (w > f.last) {
                // Nothing credited at or after `w`: every finalised week from here is empty.
                end = finalised;
                break;
            }
            amount += _weekShare(account, token, f, w, cache);
        }
        until = end;
    }

    /// @dev `account`'s share of finalised week `w` of `token`: of its revenue by
    /// `balanceOfAt / totalSupplyAt`, and for the staking token of its penalties by
    /// `balanceOfAt / (totalSupplyAt - exitedScore)` unless the account exited early during `w`.
    function _weekShare(address account, address token, Finalisation memory f, uint256 w, BalanceCache memory cache)
        private
        view
        returns (uint256 share)
    {
        (uint256 revenue, uint256 supply, uint256 penalty, uint256 penaltySupply) = _weekRevenue(token, f, w);
        if (supply != 0) {
            uint256 balance = _balanceAt(account, w, cache);
            if (balance != 0) {
                share = Math.mulDiv(revenue, balance, supply);
                // The exit flag is read only for weeks with penalties to share.
                if (penalty != 0 && !_exitedEarly[account][w]) share += Math.mulDiv(penalty, balance, penaltySupply);
            }
        }
    }

    /// @dev The penalty pool of week `w`, read only up to the latest week that has one (`lastPenalty`,
    /// 0 for any token but the staking token): later weeks, and every week of other tokens, have none.
    function _penaltyPool(uint256 w, uint256 lastPenalty) private view returns (PenaltyPool memory pool) {
        if (w <= lastPenalty) pool = _penalties[w];
    }

    /// @dev The account's claim cursor in `token`; for a first claim the week of its first lock point
    /// (rounded up: a lock made after `w` has no score at `w`, one made exactly at `w` has) or the
    /// token's first week, whichever is later. 0: the account never locked.
    function _startCursor(address account, address token, TokenState memory st) private view returns (uint256 cursor) {
        cursor = _claimCursor[account][token];
        if (cursor != 0) return cursor;
        IVotingEscrow ve = IVotingEscrow(votingEscrow);
        if (ve.userPointEpoch(account) == 0) return 0;
        cursor = WeekMath.ceil(ve.userPointTimestamp(account, 1));
        if (cursor < st.startWeek) cursor = st.startWeek;
    }

    /// @dev Revenue and total supply of finalised week `w` (supply 0: nothing to share in it), and for
    /// the staking token its penalties still to share with their denominator (`totalSupplyAt(w)` minus
    /// the week's exited score). Weeks before `f.from` come from storage, later ones from the pending
    /// finalisation `f` (and the penalty pools, unchanged by it unless rolled over).
    function _weekRevenue(address token, Finalisation memory f, uint256 w)
        private
        view
        returns (uint256 revenue, uint256 supply, uint256 penalty, uint256 penaltySupply)
    {
        PenaltyPool memory pool = _penaltyPool(w, f.lastPenalty);
        if (w < f.from) {
            revenue = tokensPerWeek[token][w];
            penalty = pool.amount; // 0 if rolled over when finalised
            // A finalised week with revenue or penalties had a non-zero supply, cached when finalised.
            if (revenue != 0 || penalty != 0) supply = _weekSupply[w] - 1;
        } else {
            uint256 i = (w - f.from) / WEEK;
            supply = f.supply[i]; // 0: nothing credited, or rolled over
            revenue = f.revenue[i];
            if ((f.penaltyRolledMask >> i) & 1 == 0) penalty = pool.amount;
        }
        if (penalty != 0) penaltySupply = supply - pool.exitedScore;
    }

    function _newCache() private pure returns (BalanceCache memory cache) {
        cache.vals = new uint256[](MAX_WEEKS_PER_CALL);
    }

    /// @dev `ve.balanceOfAt(account, w)`, read once per call for the first claimed token's weeks.
    function _balanceAt(address account, uint256 w, BalanceCache memory cache) private view returns (uint256) {
        IVotingEscrow ve = IVotingEscrow(votingEscrow);
        if (cache.base == 0) cache.base = w;
        if (w >= cache.base) {
            uint256 i = (w - cache.base) / WEEK;
            if (i < MAX_WEEKS_PER_CALL) {
                uint256 v = cache.vals[i];
                if (v != 0) return v - 1;
                v = ve.balanceOfAt(account, w);
                cache.vals[i] = v + 1;
                return v;
            }
        }
        return ve.balanceOfAt(account, w);
    }

    function _hasActiveLock(address account) private view returns (bool) {
        (uint256 amount, uint256 end, bool permanent) = IVotingEscrow(votingEscrow).locked(account);
        return amount != 0 && (permanent || end > block.timestamp);
    }
}
