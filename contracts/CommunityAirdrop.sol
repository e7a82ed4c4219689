// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ICommunityAirdrop} from "../interfaces/ICommunityAirdrop.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";
import {WeekMath} from "./libraries/WeekMath.sol";

/// @title CommunityAirdrop
/// @notice Merkle airdrop of the staking token, claimed liquid or straight into the claimer's
/// VotingEscrow lock with a bonus for the lock's remaining time (SPEC 5.4; numbers in docs/airdrop.md).
/// @dev Decisions where SPEC 5.4 is silent (docs/airdrop.md):
///  - claims are accepted while `block.timestamp <= claimDeadline`; `sweep` once `block.timestamp >
///    claimDeadline` (`ClaimWindowOpen` before), and it sends the whole balance, bonus reserve included;
///    a sweep with nothing to send reverts `ZeroAmount`; tokens sent later can be swept again;
///  - the checks run in this order: claim window, already claimed, proof, then (by signature) the
///    signature's deadline and the signature, then the lock (`LockExpired`), then the escrow's own checks;
///  - the end of a new lock is `WeekMath.floor(unlockTime)`, what the escrow records; an end the escrow
///    refuses (not after now, or after now + MAX_LOCK) and a new lock below the escrow's `MIN_LOCK_AMOUNT`
///    (amount plus bonus) revert with the escrow's own errors (`UnlockTimeNotInFuture`,
///    `UnlockTimeTooLate`, `AmountBelowMinimum`); `previewBonus` returns 0 for such an end;
///  - the bonus is computed with one floor division (`Math.mulDiv`) and capped by `bonusReserve()` as it
///    is before the claim; an exhausted reserve pays no bonus and the claim still goes through;
///  - constructor: zero escrow or treasury `ZeroAddress`, zero total `ZeroAmount`, zero root
///    `ZeroMerkleRoot`, a deadline not after the deployment block `DeadlineNotInFuture`, a bonus above
///    `MAX_BONUS_BPS` (10_000: a 12-month lock at most doubles the claim) `BonusBpsTooHigh`;
///  - the airdrop has no owner and no parameter changes; it must be a trusted lock creator of the escrow
///    (`setTrustedLockCreator`, by the escrow's owner) for claims into a new lock.
/// The escrow's `token()` and `MAX_LOCK()` are read once at construction: both are immutable there.
contract CommunityAirdrop is ICommunityAirdrop, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    // ---- constants ----

    /// @inheritdoc ICommunityAirdrop
    uint16 public constant MAX_BONUS_BPS = 10_000;
    /// @inheritdoc ICommunityAirdrop
    bytes32 public constant CLAIM_AND_LOCK_TYPEHASH =
        keccak256("ClaimAndLock(address account,uint256 amount,uint256 unlockTime,uint256 deadline)");
    uint256 private constant BPS = 10_000;

    // ---- storage ----

    /// @inheritdoc ICommunityAirdrop
    address public immutable votingEscrow;
    /// @inheritdoc ICommunityAirdrop
    address public immutable token;
    /// @inheritdoc ICommunityAirdrop
    bytes32 public immutable merkleRoot;
    /// @inheritdoc ICommunityAirdrop
    uint256 public immutable airdropTotal;
    /// @inheritdoc ICommunityAirdrop
    uint64 public immutable claimDeadline;
    /// @inheritdoc ICommunityAirdrop
    uint16 public immutable maxLockBonusBps;
    /// @inheritdoc ICommunityAirdrop
    address public immutable treasury;
    /// @inheritdoc ICommunityAirdrop
    uint256 public immutable MAX_LOCK;

    /// @inheritdoc ICommunityAirdrop
    uint256 public claimedTotal;
    /// @inheritdoc ICommunityAirdrop
    mapping(address account => bool) public claimed;

    // ---- constructor ----

    /// @param votingEscrow_ The VotingEscrow (its `token()` is the airdropped token).
    /// @param merkleRoot_ Root of the tree of `(address account, uint256 amount)` leaves.
    /// @param airdropTotal_ Sum of the tree's amounts.
    /// @param claimDeadline_ Last timestamp at which claims are accepted (after the deployment block).
    /// @param maxLockBonusBps_ Bonus of a claim into a lock with MAX_LOCK remaining, bps (at most 10_000).
    /// @param treasury_ Receives what is left after the deadline (the DAO timelock).
    constructor(
        address votingEscrow_,
        bytes32 merkleRoot_,
        uint256 airdropTotal_,
        uint64 claimDeadline_,
        uint16 maxLockBonusBps_,
        address treasury_
    ) EIP712("CommunityAirdrop", "1") {
        if (votingEscrow_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        if (airdropTotal_ == 0) revert ZeroAmount();
        if (merkleRoot_ == bytes32(0)) revert ZeroMerkleRoot();
        if (claimDeadline_ <= block.timestamp) revert DeadlineNotInFuture(claimDeadline_);
        if (maxLockBonusBps_ > MAX_BONUS_BPS) revert BonusBpsTooHigh(maxLockBonusBps_);
        votingEscrow = votingEscrow_;
        token = IVotingEscrow(votingEscrow_).token();
        MAX_LOCK = IVotingEscrow(votingEscrow_).MAX_LOCK();
        merkleRoot = merkleRoot_;
        airdropTotal = airdropTotal_;
        claimDeadline = claimDeadline_;
        maxLockBonusBps = maxLockBonusBps_;
        treasury = treasury_;
    }

    // ---- claims ----

    /// @inheritdoc ICommunityAirdrop
    function claim(address account, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        _useClaim(account, amount, proof);
        emit Claimed(account, amount);
        IERC20(token).safeTransfer(account, amount);
    }

    /// @inheritdoc ICommunityAirdrop
    function claimAndLock(uint256 amount, bytes32[] calldata proof, uint256 unlockTime)
        external
        nonReentrant
        returns (uint256)
    {
        _checkClaim(msg.sender, amount, proof);
        return _claimAndLock(msg.sender, amount, unlockTime);
    }

    /// @inheritdoc ICommunityAirdrop
    function claimAndLockBySig(
        address account,
        uint256 amount,
        bytes32[] calldata proof,
        uint256 unlockTime,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant returns (uint256) {
        _checkClaim(account, amount, proof);
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        bytes32 digest = claimAndLockDigest(account, amount, unlockTime, deadline);
        if (!SignatureChecker.isValidSignatureNow(account, digest, signature)) revert InvalidSignature();
        return _claimAndLock(account, amount, unlockTime);
    }

    /// @inheritdoc ICommunityAirdrop
    function sweep() external nonReentrant returns (uint256 amount) {
        if (block.timestamp <= claimDeadline) revert ClaimWindowOpen(claimDeadline);
        IERC20 t = IERC20(token);
        amount = t.balanceOf(address(this));
        if (amount == 0) revert ZeroAmount();
        emit Swept(treasury, amount);
        t.safeTransfer(treasury, amount);
    }

    // ---- views ----

    /// @inheritdoc ICommunityAirdrop
    function bonusReserve() public view returns (uint256) {
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 unclaimed = airdropTotal - claimedTotal;
        return balance > unclaimed ? balance - unclaimed : 0;
    }

    /// @inheritdoc ICommunityAirdrop
    function previewBonus(address account, uint256 amount, uint256 unlockTime) external view returns (uint256) {
        (bool ok, uint256 remaining,) = _lockTerms(account, unlockTime);
        return ok ? _bonus(amount, remaining) : 0;
    }

    /// @inheritdoc ICommunityAirdrop
    function claimAndLockDigest(address account, uint256 amount, uint256 unlockTime, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_AND_LOCK_TYPEHASH, account, amount, unlockTime, deadline)));
    }

    // ---- internals ----

    /// @dev Claim window, not yet claimed, proof: revert with the first that fails.
    function _checkClaim(address account, uint256 amount, bytes32[] calldata proof) private view {
        if (block.timestamp > claimDeadline) revert ClaimWindowClosed(claimDeadline);
        if (claimed[account]) revert AlreadyClaimed(account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidProof();
    }

    /// @dev `_checkClaim`, then mark the claim used.
    function _useClaim(address account, uint256 amount, bytes32[] calldata proof) private {
        _checkClaim(account, amount, proof);
        _markClaimed(account, amount);
    }

    function _markClaimed(address account, uint256 amount) private {
        claimed[account] = true;
        claimedTotal += amount;
    }

    /// @dev After the claim checks: `amount` plus the bonus into `account`'s lock.
    function _claimAndLock(address account, uint256 amount, uint256 unlockTime) private returns (uint256 bonus) {
        (uint256 lockAmount, uint256 lockEnd, bool permanent) = IVotingEscrow(votingEscrow).locked(account);
        bool hasLock = lockAmount != 0;
        if (hasLock && !permanent && lockEnd <= block.timestamp) revert LockExpired(account, lockEnd);
        (bool ok, uint256 remaining, uint256 end) = _lockTerms(account, unlockTime);
        // A new lock with an end the escrow refuses: no bonus; createLockFor reverts with its error.
        bonus = ok ? _bonus(amount, remaining) : 0;
        _markClaimed(account, amount);
        emit ClaimedAndLocked(account, amount, bonus, end);
        uint256 total = amount + bonus;
        IERC20(token).forceApprove(votingEscrow, total);
        if (hasLock) {
            IVotingEscrow(votingEscrow).depositFor(account, total);
        } else {
            IVotingEscrow(votingEscrow).createLockFor(account, total, unlockTime);
        }
    }

    /// @dev The lock a claim of `account` would go into: `ok` false for an expired lock or a new lock
    /// whose end the escrow refuses; `remaining` = end - now (MAX_LOCK for a permanent lock); `end` as
    /// the escrow records it (0 for a permanent lock; the week-rounded `unlockTime` for a new lock).
    function _lockTerms(address account, uint256 unlockTime)
        private
        view
        returns (bool ok, uint256 remaining, uint256 end)
    {
        (uint256 lockAmount, uint256 lockEnd, bool permanent) = IVotingEscrow(votingEscrow).locked(account);
        if (lockAmount != 0) {
            if (permanent) return (true, MAX_LOCK, 0);
            if (lockEnd <= block.timestamp) return (false, 0, lockEnd);
            return (true, lockEnd - block.timestamp, lockEnd);
        }
        end = WeekMath.floor(unlockTime);
        if (end <= block.timestamp || end > block.timestamp + MAX_LOCK) return (false, 0, end);
        return (true, end - block.timestamp, end);
    }

    /// @dev `amount * maxLockBonusBps * remaining / (MAX_LOCK * 10_000)`, capped by `bonusReserve()`.
    function _bonus(uint256 amount, uint256 remaining) private view returns (uint256) {
        uint256 bonus = Math.mulDiv(amount, uint256(maxLockBonusBps) * remaining, MAX_LOCK * BPS);
        uint256 reserve = bonusReserve();
        return bonus < reserve ? bonus : reserve;
    }
}
