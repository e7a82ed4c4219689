// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";
import {IRevenueDistributor} from "../interfaces/IRevenueDistributor.sol";
import {EscrowMath} from "./libraries/EscrowMath.sol";
import {WeekMath} from "./libraries/WeekMath.sol";

/// @title VotingEscrow
/// @notice Locks the ServiceToken for up to 12 months and yields a Staking Score (SPEC 2.2, SPEC 7):
/// `amount + amount * (end - t) / MAX_LOCK` for a decaying lock while `t < end`, 0 once expired,
/// `2 * amount` for a permanent lock. The score is also the voting power (IERC5805, timestamp clock).
/// @dev Exactness: every point is kept in units scaled by MAX_LOCK. A decaying lock contributes
/// `bias = amount * MAX_LOCK + amount * (end - t)` and `slope = amount` per second; a permanent lock
/// contributes `bias = 2 * amount * MAX_LOCK` and no slope. At `end` both the slope (`amount`) and the
/// 1x base (`amount * MAX_LOCK`) drop; both are scheduled in `slopeChanges[end]` (the base drop is
/// always `slopeChanges[end] * MAX_LOCK`). All arithmetic is exact integer arithmetic, so
/// `balanceOfAt = floor(bias_u / MAX_LOCK)` equals the spec formula and
/// `totalSupplyAt = floor(sum(bias_u) / MAX_LOCK) >= sum(balanceOfAt)`, exceeding it by less than one
/// wei per active decaying lock.
/// SPEC 7: every lock holds at least MIN_LOCK_AMOUNT; only the account, a creator it approved or a
/// creator the owner trusts may `createLockFor` it; every early exit is reported to the
/// RevenueDistributor (`depositPenalty(account, penalty)`, also for a zero penalty), which excludes the
/// exiter from that week's penalty shares.
contract VotingEscrow is IVotingEscrow, Ownable, ReentrancyGuardTransient, EIP712, Nonces {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using Checkpoints for Checkpoints.Trace208;

    // ---- constants ----

    /// @inheritdoc IVotingEscrow
    uint256 public constant MAX_LOCK = EscrowMath.MAX_LOCK;
    /// @inheritdoc IVotingEscrow
    uint256 public constant WEEK = WeekMath.WEEK;
    /// @inheritdoc IVotingEscrow
    /// @dev One whole token: every active lock then scores at least 1e18, so the escrow's rounding excess (under one wei per lock) stays negligible against
    /// any week's total score (SPEC 7), and a penalty week's remaining stakers are told apart from dust.
    uint256 public constant MIN_LOCK_AMOUNT = 1e18;
    /// @inheritdoc IVotingEscrow
    /// @dev Bounds `poke`'s loop: each account costs a few thousand gas (two checkpoint reads and
    /// an event), so 256 stay far below a block's gas limit while letting a keeper cover many
    /// delegates per transaction.
    uint256 public constant MAX_POKE_ACCOUNTS = 256;
    /// @dev Bounds every forward walk of the global point (see EscrowMath.MAX_WEEKS).
    uint256 private constant MAX_WEEKS = EscrowMath.MAX_WEEKS;
    bytes32 private constant DELEGATION_TYPEHASH =
        keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)");

    // ---- types ----

    /// @dev One slot. `end` is 0 for a permanent lock; `amount == 0` means no lock.
    struct LockedBalance {
        uint128 amount;
        uint48 end;
        bool permanent;
    }

    // ---- storage ----

    /// @inheritdoc IVotingEscrow
    address public immutable token;
    /// @inheritdoc IVotingEscrow
    uint256 public immutable maxEarlyPenaltyBps;
    /// @inheritdoc IVotingEscrow
    address public revenueDistributor;
    /// @inheritdoc IVotingEscrow
    uint256 public supply;
    /// @inheritdoc IVotingEscrow
    uint256 public epoch;
    /// @inheritdoc IVotingEscrow
    mapping(uint256 epoch => EscrowMath.Point) public pointHistory;
    /// @inheritdoc IVotingEscrow
    mapping(uint256 week => uint128) public slopeChanges;
    /// @inheritdoc IVotingEscrow
    mapping(address account => uint256) public userPointEpoch;
    /// @inheritdoc IVotingEscrow
    mapping(address account => mapping(address creator => bool)) public isLockCreator;
    /// @inheritdoc IVotingEscrow
    mapping(address creator => bool) public isTrustedLockCreator;

    mapping(address account => LockedBalance) private _locked;
    mapping(address account => mapping(uint256 epoch => EscrowMath.UserPoint)) private _userPointHistory;
    /// @dev Delegatee history per account; value 0 means "self".
    mapping(address account => Checkpoints.Trace208) private _delegateeCheckpoints;
    /// @dev Permanent voting power delegated to an account by others.
    mapping(address account => Checkpoints.Trace208) private _delegatedPowerCheckpoints;

    string private _name;
    string private _symbol;

    /// @param token_ The staking token (ServiceToken).
    /// @param maxEarlyPenaltyBps_ Early-exit penalty for a lock with MAX_LOCK left, in basis points (<= 10_000).
    /// @param initialOwner Owner, who sets the RevenueDistributor once (then the timelock).
    constructor(address token_, uint256 maxEarlyPenaltyBps_, address initialOwner)
        Ownable(initialOwner)
        EIP712(_veName(token_), "1")
    {
        if (maxEarlyPenaltyBps_ > 10_000) revert InvalidPenaltyBps(maxEarlyPenaltyBps_);
        token = token_;
        maxEarlyPenaltyBps = maxEarlyPenaltyBps_;
        _name = _veName(token_);
        _symbol = string.concat("ve", IERC20Metadata(token_).symbol());
        pointHistory[0] = EscrowMath.Point({bias: 0, slope: 0, ts: uint48(block.timestamp)});
    }

    function _veName(address token_) private view returns (string memory) {
        if (token_ == address(0)) revert ZeroAddress();
        return string.concat("ve", IERC20Metadata(token_).name());
    }

    // ---- admin ----

    /// @inheritdoc IVotingEscrow
    function setRevenueDistributor(address distributor) external onlyOwner {
        if (distributor == address(0)) revert ZeroAddress();
        if (revenueDistributor != address(0)) revert RevenueDistributorAlreadySet(revenueDistributor);
        if (IRevenueDistributor(distributor).votingEscrow() != address(this)) {
            revert RevenueDistributorMismatch(distributor, address(this));
        }
        revenueDistributor = distributor;
        emit RevenueDistributorSet(distributor);
    }

    /// @inheritdoc IVotingEscrow
    function setTrustedLockCreator(address creator, bool trusted) external onlyOwner {
        if (creator == address(0)) revert ZeroAddress();
        isTrustedLockCreator[creator] = trusted;
        emit TrustedLockCreatorSet(creator, trusted);
    }

    /// @inheritdoc IVotingEscrow
    function setLockCreator(address creator, bool approved) external {
        if (creator == address(0)) revert ZeroAddress();
        isLockCreator[msg.sender][creator] = approved;
        emit LockCreatorSet(msg.sender, creator, approved);
    }

    // ---- locks ----

    /// @inheritdoc IVotingEscrow
    function createLock(uint256 amount, uint256 unlockTime) external nonReentrant {
        _createLock(msg.sender, amount, unlockTime);
    }

    /// @inheritdoc IVotingEscrow
    function createLockWithPermit(uint256 amount, uint256 unlockTime, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        _tryPermit(amount, deadline, v, r, s);
        _createLock(msg.sender, amount, unlockTime);
    }

    /// @inheritdoc IVotingEscrow
    function createLockFor(address account, uint256 amount, uint256 unlockTime) external nonReentrant {
        if (account == address(0)) revert ZeroAddress();
        if (msg.sender != account && !isLockCreator[account][msg.sender] && !isTrustedLockCreator[msg.sender]) {
            revert NotLockCreator(msg.sender, account);
        }
        _createLock(account, amount, unlockTime);
    }

    /// @inheritdoc IVotingEscrow
    function increaseAmount(uint256 amount) external nonReentrant {
        _increase(msg.sender, amount, DepositType.IncreaseAmount);
    }

    /// @inheritdoc IVotingEscrow
    function increaseAmountWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        _tryPermit(amount, deadline, v, r, s);
        _increase(msg.sender, amount, DepositType.IncreaseAmount);
    }

    /// @inheritdoc IVotingEscrow
    function depositFor(address account, uint256 amount) external nonReentrant {
        _increase(account, amount, DepositType.DepositFor);
    }

    /// @inheritdoc IVotingEscrow
    function increaseUnlockTime(uint256 unlockTime) external {
        LockedBalance memory oldLock = _locked[msg.sender];
        if (oldLock.amount == 0) revert NoLock(msg.sender);
        if (oldLock.permanent) revert PermanentLock(msg.sender);
        uint256 newEnd = _checkedEnd(unlockTime);
        if (newEnd <= oldLock.end) revert UnlockTimeNotLater(newEnd, oldLock.end);
        LockedBalance memory newLock = LockedBalance({amount: oldLock.amount, end: uint48(newEnd), permanent: false});
        _updateLock(msg.sender, oldLock, newLock);
        emit Deposit(msg.sender, msg.sender, 0, newEnd, DepositType.IncreaseUnlockTime, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function withdraw() external nonReentrant {
        LockedBalance memory oldLock = _locked[msg.sender];
        if (oldLock.amount == 0) revert NoLock(msg.sender);
        if (oldLock.permanent) revert PermanentLock(msg.sender);
        if (block.timestamp < oldLock.end) revert LockNotExpired(msg.sender, oldLock.end);
        uint256 amount = oldLock.amount;
        _updateLock(msg.sender, oldLock, LockedBalance(0, 0, false));
        _setSupply(supply - amount);
        IERC20(token).safeTransfer(msg.sender, amount);
        emit Withdraw(msg.sender, amount, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    /// @dev penalty = amount * (end - now) * maxEarlyPenaltyBps / (MAX_LOCK * 10_000), one floor
    /// division. The exit is always reported to the RevenueDistributor with `depositPenalty(caller,
    /// penalty)`, even for a zero penalty: it excludes the caller from the penalties of the current
    /// week, which go to the accounts staked at that week's start. The rest is sent to the caller. Not
    /// for permanent or expired locks; reverts until the RevenueDistributor is set, and in the very
    /// second a week starts (`EarlyExitAtWeekStart`): within that second the scores "at the week's
    /// start" are not final, so a lock made after the exit in the same block would share the penalty.
    function withdrawEarly() external nonReentrant {
        address distributor = revenueDistributor;
        if (distributor == address(0)) revert RevenueDistributorNotSet();
        LockedBalance memory oldLock = _locked[msg.sender];
        if (oldLock.amount == 0) revert NoLock(msg.sender);
        if (oldLock.permanent) revert PermanentLock(msg.sender);
        if (block.timestamp >= oldLock.end) revert LockExpired(msg.sender, oldLock.end);
        if (WeekMath.isWeekStart(block.timestamp)) revert EarlyExitAtWeekStart(block.timestamp);
        uint256 amount = oldLock.amount;
        uint256 penalty = EscrowMath.penalty(amount, oldLock.end, block.timestamp, maxEarlyPenaltyBps);
        _updateLock(msg.sender, oldLock, LockedBalance(0, 0, false));
        _setSupply(supply - amount);
        IERC20 stakingToken = IERC20(token);
        if (penalty != 0) stakingToken.forceApprove(distributor, penalty);
        IRevenueDistributor(distributor).depositPenalty(msg.sender, penalty);
        stakingToken.safeTransfer(msg.sender, amount - penalty);
        emit WithdrawEarly(msg.sender, amount, penalty, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function lockPermanent() external {
        LockedBalance memory oldLock = _locked[msg.sender];
        if (oldLock.amount == 0) revert NoLock(msg.sender);
        if (oldLock.permanent) revert PermanentLock(msg.sender);
        if (block.timestamp >= oldLock.end) revert LockExpired(msg.sender, oldLock.end);
        _updateLock(msg.sender, oldLock, LockedBalance({amount: oldLock.amount, end: 0, permanent: true}));
        emit LockPermanent(msg.sender, oldLock.amount, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function unlockPermanent() external {
        LockedBalance memory oldLock = _locked[msg.sender];
        if (oldLock.amount == 0) revert NoLock(msg.sender);
        if (!oldLock.permanent) revert NotPermanentLock(msg.sender);
        address current = delegates(msg.sender);
        if (current != msg.sender) _changeDelegate(msg.sender, current, msg.sender, 2 * uint256(oldLock.amount));
        uint256 newEnd = WeekMath.floor(block.timestamp + MAX_LOCK);
        _updateLock(msg.sender, oldLock, LockedBalance({amount: oldLock.amount, end: uint48(newEnd), permanent: false}));
        emit UnlockPermanent(msg.sender, oldLock.amount, newEnd, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function poke(address[] calldata accounts) external {
        uint256 n = accounts.length;
        if (n > MAX_POKE_ACCOUNTS) revert TooManyAccounts(n, MAX_POKE_ACCOUNTS);
        // Bounded by MAX_POKE_ACCOUNTS (checked above).
        for (uint256 i = 0; i < n; ++i) {
            address account = accounts[i];
            emit DelegateVotesChanged(account, _votesAtLastChange(account), getVotes(account));
        }
    }

    /// @inheritdoc IVotingEscrow
    function checkpoint() external {
        _checkpoint(address(0), LockedBalance(0, 0, false), LockedBalance(0, 0, false));
        emit GlobalCheckpoint(epoch, block.timestamp);
    }

    /// @dev Only new locks are checked against MIN_LOCK_AMOUNT: every other deposit adds to a lock that
    /// already holds at least it, so the resulting lock of any deposit holds at least it too.
    function _createLock(address account, uint256 amount, uint256 unlockTime) private {
        if (amount == 0) revert ZeroAmount();
        if (amount < MIN_LOCK_AMOUNT) revert AmountBelowMinimum(amount, MIN_LOCK_AMOUNT);
        LockedBalance memory oldLock = _locked[account];
        if (oldLock.amount != 0) revert LockExists(account);
        uint256 end = _checkedEnd(unlockTime);
        _deposit(account, amount, oldLock, LockedBalance({amount: amount.toUint128(), end: uint48(end), permanent: false}), DepositType.CreateLock);
    }

    function _increase(address account, uint256 amount, DepositType kind) private {
        if (amount == 0) revert ZeroAmount();
        LockedBalance memory oldLock = _locked[account];
        if (oldLock.amount == 0) revert NoLock(account);
        if (!oldLock.permanent && block.timestamp >= oldLock.end) revert LockExpired(account, oldLock.end);
        LockedBalance memory newLock = LockedBalance({
            amount: (uint256(oldLock.amount) + amount).toUint128(),
            end: oldLock.end,
            permanent: oldLock.permanent
        });
        _deposit(account, amount, oldLock, newLock, kind);
    }

    /// @dev Effects first, then pulls `amount` from the caller.
    function _deposit(
        address account,
        uint256 amount,
        LockedBalance memory oldLock,
        LockedBalance memory newLock,
        DepositType kind
    ) private {
        _updateLock(account, oldLock, newLock);
        _setSupply(supply + amount);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        emit Deposit(account, msg.sender, amount, newLock.end, kind, block.timestamp);
    }

    /// @dev The caller's EIP-2612 permit of `amount` for this escrow; a failure (e.g. the permit was
    /// already used by someone who front-ran it) is ignored: the transfer that follows needs the
    /// allowance either way and reverts with the token's error without it.
    function _tryPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
    }

    function _setSupply(uint256 newSupply) private {
        emit Supply(supply, newSupply);
        supply = newSupply;
    }

    /// @dev `floor(unlockTime / WEEK) * WEEK`, checked to be in (now, now + MAX_LOCK].
    function _checkedEnd(uint256 unlockTime) private view returns (uint256 end) {
        end = WeekMath.floor(unlockTime);
        if (end <= block.timestamp) revert UnlockTimeNotInFuture(end, block.timestamp);
        if (end > block.timestamp + MAX_LOCK) revert UnlockTimeTooLate(end, block.timestamp + MAX_LOCK);
    }

    /// @dev Stores the new lock, updates the global and account histories and reports the change of
    /// voting power of whoever holds `account`'s votes.
    function _updateLock(address account, LockedBalance memory oldLock, LockedBalance memory newLock) private {
        _locked[account] = newLock;
        _checkpoint(account, oldLock, newLock);

        uint256 oldScore = EscrowMath.score(oldLock.amount, oldLock.end, oldLock.permanent, block.timestamp);
        uint256 newScore = EscrowMath.score(newLock.amount, newLock.end, newLock.permanent, block.timestamp);
        if (oldScore == newScore) return;
        address holder = delegates(account);
        if (holder == account) {
            uint256 received = _delegatedPowerCheckpoints[account].latest();
            emit DelegateVotesChanged(account, oldScore + received, newScore + received);
        } else {
            // Delegated away: only a permanent lock can be, and its score is its delegated power.
            uint256 ownVotes = _ownVotes(holder);
            uint256 received = _delegatedPowerCheckpoints[holder].latest();
            uint256 newReceived = received + newScore - oldScore;
            _delegatedPowerCheckpoints[holder].push(uint48(block.timestamp), newReceived.toUint208());
            emit DelegateVotesChanged(holder, ownVotes + received, ownVotes + newReceived);
        }
    }

    /// @dev Brings the global point up to now (one point per week boundary crossed while decaying locks
    /// exist), applies the change of `account`'s lock from `oldLock` to `newLock` and writes the global
    /// and account points. Points written in the same block overwrite each other, so timestamps in
    /// both histories strictly increase. `account == address(0)`: global checkpoint only.
    function _checkpoint(address account, LockedBalance memory oldLock, LockedBalance memory newLock) private {
        (uint256 bias, uint256 slope, uint256 ep) = _advanceGlobal();
        if (account != address(0)) {
            uint256 t = block.timestamp;
            (uint256 oldBias, uint256 oldSlope) = EscrowMath.contribution(oldLock.amount, oldLock.end, oldLock.permanent, t);
            (uint256 newBias, uint256 newSlope) = EscrowMath.contribution(newLock.amount, newLock.end, newLock.permanent, t);
            bias = bias + newBias - oldBias;
            slope = slope + newSlope - oldSlope;
            if (oldSlope != 0) slopeChanges[oldLock.end] -= oldLock.amount;
            if (newSlope != 0) slopeChanges[newLock.end] += newLock.amount;
            _writeUserPoint(account, newLock);
        }
        pointHistory[ep] = EscrowMath.Point({bias: bias.toUint128(), slope: slope.toUint128(), ts: uint48(block.timestamp)});
        epoch = ep;
    }

    /// @dev The global point at now, and the epoch to store it at (the latest one if it already has
    /// this timestamp). Writes one point per week boundary crossed since the latest point.
    function _advanceGlobal() private returns (uint256 bias, uint256 slope, uint256 ep) {
        uint256 t = block.timestamp;
        ep = epoch;
        EscrowMath.Point memory last = pointHistory[ep];
        bias = last.bias;
        slope = last.slope;
        uint256 ts = last.ts;
        if (ts == t) return (bias, slope, ep);
        // Bounded loop: every decaying lock in `last` ends at most MAX_LOCK after `last.ts`, so the
        // slope is 0 after at most MAX_WEEKS boundaries and the loop stops there, or at `t` first.
        uint256 w = WeekMath.floor(ts);
        for (uint256 i = 0; i < MAX_WEEKS && slope != 0; ++i) {
            w += WEEK;
            if (w > t) break;
            bias -= slope * (w - ts);
            uint256 change = slopeChanges[w];
            bias -= change * MAX_LOCK;
            slope -= change;
            ts = w;
            if (w == t) break;
            unchecked {
                ++ep;
            }
            pointHistory[ep] = EscrowMath.Point({bias: uint128(bias), slope: uint128(slope), ts: uint48(w)});
        }
        bias -= slope * (t - ts);
        // The stored latest point is older than `t`: the point for `t` is a new one.
        unchecked {
            ++ep;
        }
    }

    /// @dev Appends `account`'s point for now, or overwrites it if one was written in this block.
    function _writeUserPoint(address account, LockedBalance memory newLock) private {
        uint256 t = block.timestamp;
        uint256 uep = userPointEpoch[account];
        if (uep == 0 || _userPointHistory[account][uep].ts != t) {
            ++uep;
            userPointEpoch[account] = uep;
        }
        _userPointHistory[account][uep] =
            EscrowMath.UserPoint({amount: newLock.amount, end: newLock.end, ts: uint48(t), permanent: newLock.permanent});
    }

    // ---- views ----

    /// @inheritdoc IVotingEscrow
    function locked(address account) external view returns (uint256 amount, uint256 end, bool permanent) {
        LockedBalance memory lock = _locked[account];
        return (lock.amount, lock.end, lock.permanent);
    }

    /// @inheritdoc IVotingEscrow
    function balanceOf(address account) public view returns (uint256) {
        LockedBalance memory lock = _locked[account];
        return EscrowMath.score(lock.amount, lock.end, lock.permanent, block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function balanceOfAt(address account, uint256 timestamp) public view returns (uint256) {
        if (timestamp > block.timestamp) revert FutureLookup(timestamp, block.timestamp);
        return EscrowMath.balanceOfAt(_userPointHistory[account], userPointEpoch[account], timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function totalSupply() external view returns (uint256) {
        return EscrowMath.supplyAt(slopeChanges, pointHistory[epoch], block.timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function totalSupplyAt(uint256 timestamp) public view returns (uint256) {
        if (timestamp > block.timestamp) revert FutureLookup(timestamp, block.timestamp);
        return EscrowMath.totalSupplyAt(pointHistory, slopeChanges, epoch, timestamp);
    }

    /// @inheritdoc IVotingEscrow
    function userPointTimestamp(address account, uint256 epoch_) external view returns (uint256) {
        return _userPointHistory[account][epoch_].ts;
    }

    /// @inheritdoc IVotingEscrow
    function userPointHistory(address account, uint256 epoch_)
        external
        view
        returns (uint256 amount, uint256 end, uint256 ts, bool permanent)
    {
        EscrowMath.UserPoint memory p = _userPointHistory[account][epoch_];
        return (p.amount, p.end, p.ts, p.permanent);
    }

    /// @inheritdoc IVotingEscrow
    function name() external view returns (string memory) {
        return _name;
    }

    /// @inheritdoc IVotingEscrow
    function symbol() external view returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IVotingEscrow
    function decimals() external pure returns (uint8) {
        return 18;
    }

    // ---- votes (IERC5805 / IERC6372) ----

    /// @notice The clock: the block timestamp.
    function clock() public view returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice Clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Current voting power: own score unless delegated away, plus permanent power delegated to it.
    /// @param account Voter.
    function getVotes(address account) public view returns (uint256) {
        return _ownVotes(account) + _delegatedPowerCheckpoints[account].latest();
    }

    /// @notice Voting power of `account` at `timepoint` (< clock()).
    /// @param account Voter.
    /// @param timepoint A past timestamp.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        uint48 key = _pastKey(timepoint);
        // the library directly: `_pastKey` already rejected every timepoint balanceOfAt would
        uint256 own = _delegateeCheckpoints[account].upperLookupRecent(key) == 0
            ? EscrowMath.balanceOfAt(_userPointHistory[account], userPointEpoch[account], timepoint)
            : 0;
        return own + _delegatedPowerCheckpoints[account].upperLookupRecent(key);
    }

    /// @notice Total Staking Score at `timepoint` (< clock()).
    /// @param timepoint A past timestamp.
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        _pastKey(timepoint);
        return EscrowMath.totalSupplyAt(pointHistory, slopeChanges, epoch, timepoint);
    }

    /// @notice Who votes with `account`'s score: itself unless its permanent lock delegated away.
    /// @param account Lock owner.
    function delegates(address account) public view returns (address) {
        uint256 stored = _delegateeCheckpoints[account].latest();
        return stored == 0 ? account : address(uint160(stored));
    }

    /// @notice Delegates the caller's whole voting power to `delegatee`. Only a permanent lock may
    /// delegate to another address; delegating to oneself is always allowed.
    /// @param delegatee Receiver of the voting power (the caller itself to undo a delegation).
    function delegate(address delegatee) external {
        _delegate(msg.sender, delegatee);
    }

    /// @notice `delegate` by an EIP-712 signature of
    /// `Delegation(address delegatee,uint256 nonce,uint256 expiry)` (same as OpenZeppelin Votes).
    /// Signatures are ECDSA only: IERC5805's signature names no signer, so an ERC-1271 smart-wallet
    /// signature cannot be checked here; a smart wallet calls `delegate` itself.
    /// @param delegatee Receiver of the signer's voting power.
    /// @param nonce The signer's current nonce.
    /// @param expiry Last timestamp at which the signature is valid.
    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > expiry) revert VotesExpiredSignature(expiry);
        address signer = ECDSA.recover(
            _hashTypedDataV4(keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry))), v, r, s
        );
        _useCheckedNonce(signer, nonce);
        _delegate(signer, delegatee);
    }

    function _delegate(address account, address delegatee) private {
        if (delegatee == address(0)) revert ZeroAddress();
        LockedBalance memory lock = _locked[account];
        if (delegatee != account && !lock.permanent) revert DelegationRequiresPermanentLock(account);
        address current = delegates(account);
        if (current == delegatee) {
            emit DelegateChanged(account, current, delegatee);
            return;
        }
        // Here the lock is permanent: only a permanent lock can be delegated away, and it stays
        // permanent while delegated (unlockPermanent resets the delegation first).
        _changeDelegate(account, current, delegatee, 2 * uint256(lock.amount));
    }

    /// @dev Moves `power` (the permanent lock's score) of `account` from `from` to `to`.
    function _changeDelegate(address account, address from, address to, uint256 power) private {
        uint48 t = uint48(block.timestamp);
        _delegateeCheckpoints[account].push(t, to == account ? 0 : uint208(uint160(to)));
        emit DelegateChanged(account, from, to);
        if (power == 0) return;
        if (from == account) {
            uint256 received = _delegatedPowerCheckpoints[account].latest();
            emit DelegateVotesChanged(account, power + received, received);
        } else {
            uint256 own = _ownVotes(from);
            uint256 received = _delegatedPowerCheckpoints[from].latest();
            _delegatedPowerCheckpoints[from].push(t, uint208(received - power));
            emit DelegateVotesChanged(from, own + received, own + received - power);
        }
        if (to == account) {
            uint256 received = _delegatedPowerCheckpoints[account].latest();
            emit DelegateVotesChanged(account, received, received + power);
        } else {
            uint256 own = _ownVotes(to);
            uint256 received = _delegatedPowerCheckpoints[to].latest();
            _delegatedPowerCheckpoints[to].push(t, (received + power).toUint208());
            emit DelegateVotesChanged(to, own + received, own + received + power);
        }
    }

    /// @dev `account`'s votes at the timestamp of its latest lock point, delegatee checkpoint or received
    /// power checkpoint, whichever is latest: what the last `DelegateVotesChanged` of a change said.
    /// Nothing about the account changed since then, so its current lock and checkpoints give it.
    function _votesAtLastChange(address account) private view returns (uint256) {
        uint256 t = 0;
        uint256 uep = userPointEpoch[account];
        if (uep != 0) t = _userPointHistory[account][uep].ts;
        (bool hasDelegatee, uint48 delegateeKey, uint208 delegatee) = _delegateeCheckpoints[account].latestCheckpoint();
        if (hasDelegatee && delegateeKey > t) t = delegateeKey;
        (bool hasReceived, uint48 receivedKey, uint208 received) = _delegatedPowerCheckpoints[account].latestCheckpoint();
        if (hasReceived && receivedKey > t) t = receivedKey;
        LockedBalance memory lock = _locked[account];
        uint256 own = delegatee == 0 ? EscrowMath.score(lock.amount, lock.end, lock.permanent, t) : 0;
        return own + received;
    }

    /// @dev `account`'s own current score if it votes with it itself, else 0.
    function _ownVotes(address account) private view returns (uint256) {
        return _delegateeCheckpoints[account].latest() == 0 ? balanceOf(account) : 0;
    }

    function _pastKey(uint256 timepoint) private view returns (uint48) {
        uint48 currentTimepoint = clock();
        if (timepoint >= currentTimepoint) revert ERC5805FutureLookup(timepoint, currentTimepoint);
        return uint48(timepoint);
    }
}
