// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IServiceErrors} from "./IServiceErrors.sol";

/// @title ICommunityAirdrop
/// @notice The community airdrop (SPEC 5.4): accounts of a merkle tree of `(address account, uint256 amount)`
/// claim their amount once, either paid out liquid or straight into their VotingEscrow lock with a
/// bonus from a reserve that grows with the lock's remaining time. After the claim deadline whatever is
/// left goes to the treasury.
/// @dev Leaves are OpenZeppelin `StandardMerkleTree` leaves:
/// `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`, checked with `MerkleProof`.
/// The contract is funded by plain transfers: `airdropTotal` (the sum of the tree's amounts) plus a bonus
/// reserve, `bonusReserve() = balance - (airdropTotal - claimedTotal)` (0 if negative).
/// Bonus of a claim into a lock: `amount * maxLockBonusBps * remaining / (MAX_LOCK * 10_000)` (rounded
/// down), `remaining = end - now` (`MAX_LOCK` for a permanent lock), capped by `bonusReserve()`.
interface ICommunityAirdrop is IServiceErrors {
    // ---- events ----
    /// @notice `account` claimed `amount`, paid to it liquid.
    event Claimed(address indexed account, uint256 amount);
    /// @notice `account` claimed `amount`; `amount + bonus` went into its lock, which ends at `lockEnd`
    /// (0 for a permanent lock, as the escrow records it).
    event ClaimedAndLocked(address indexed account, uint256 amount, uint256 bonus, uint256 lockEnd);
    /// @notice After the claim deadline, `amount` (everything the contract held) went to `treasury`.
    event Swept(address indexed treasury, uint256 amount);

    // ---- errors ----
    /// @notice `account` has already claimed (a signature is single-use because the claim is).
    error AlreadyClaimed(address account);
    /// @notice The proof does not lead from the leaf `(account, amount)` to the merkle root.
    error InvalidProof();
    /// @notice Claims are only accepted while `block.timestamp <= deadline`.
    error ClaimWindowClosed(uint64 deadline);
    /// @notice `sweep` is only possible once `block.timestamp > deadline`.
    error ClaimWindowOpen(uint64 deadline);
    /// @notice `account`'s lock expired at `end`: withdraw it (or relock it) before claiming into a lock.
    error LockExpired(address account, uint256 end);
    /// @notice The signature is not the account's (EOA or ERC-1271) over the `ClaimAndLock` message.
    error InvalidSignature();
    /// @notice The signed `ClaimAndLock` message's `deadline` has passed.
    error SignatureExpired(uint256 deadline);
    /// @notice Constructor: the merkle root is zero.
    error ZeroMerkleRoot();
    /// @notice Constructor: the claim deadline is not after the deployment block.
    error DeadlineNotInFuture(uint64 deadline);
    /// @notice Constructor: `bps` is above `MAX_BONUS_BPS` (10_000).
    error BonusBpsTooHigh(uint16 bps);

    // ---- constants ----
    /// @notice Highest `maxLockBonusBps` (10_000: a claim into a 12-month lock at most doubles).
    function MAX_BONUS_BPS() external view returns (uint16);
    /// @notice `keccak256("ClaimAndLock(address account,uint256 amount,uint256 unlockTime,uint256 deadline)")`.
    function CLAIM_AND_LOCK_TYPEHASH() external view returns (bytes32);

    // ---- claims ----
    /// @notice Claim `account`'s allocation and pay it to `account` (liquid). Anyone may call; the
    /// tokens only ever go to `account`.
    /// @param account The leaf's account, which receives `amount`.
    /// @param amount The leaf's amount.
    /// @param proof Merkle proof of the leaf `(account, amount)`.
    function claim(address account, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Claim the caller's allocation straight into its lock, with the bonus
    /// `previewBonus(caller, amount, unlockTime)`: a new lock (`createLockFor`, until `unlockTime`
    /// rounded down to a week) when the caller has none, else `depositFor` into its active or permanent
    /// lock (`unlockTime` ignored). An expired lock reverts `LockExpired`. The escrow's own checks apply
    /// to a new lock (end after now and at most now + MAX_LOCK, at least `MIN_LOCK_AMOUNT` with the bonus)
    /// and revert with the escrow's errors.
    /// @param amount The leaf's amount (the leaf's account is the caller).
    /// @param proof Merkle proof of the leaf `(caller, amount)`.
    /// @param unlockTime End of a new lock, rounded down to a week by the escrow; ignored for an existing lock.
    /// @return bonus The bonus added to the lock.
    function claimAndLock(uint256 amount, bytes32[] calldata proof, uint256 unlockTime)
        external
        returns (uint256 bonus);

    /// @notice `claimAndLock` for `account`, submitted by anyone with `account`'s EIP-712 signature of
    /// `ClaimAndLock(account, amount, unlockTime, deadline)` (domain "CommunityAirdrop", version "1").
    /// @param account The leaf's account and the signer (EOA, or ERC-1271 wallet); owner of the lock.
    /// @param amount The leaf's amount.
    /// @param proof Merkle proof of the leaf `(account, amount)`.
    /// @param unlockTime End of a new lock, rounded down to a week; ignored for an existing lock.
    /// @param deadline The signature is accepted while `block.timestamp <= deadline`.
    /// @param signature `account`'s signature of the digest `claimAndLockDigest(account, amount, unlockTime, deadline)`.
    /// @return bonus The bonus added to the lock.
    function claimAndLockBySig(
        address account,
        uint256 amount,
        bytes32[] calldata proof,
        uint256 unlockTime,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 bonus);

    /// @notice After the claim deadline, send everything the contract holds to the treasury. Anyone may
    /// call; reverts `ZeroAmount` when there is nothing to send.
    /// @return amount What was sent.
    function sweep() external returns (uint256 amount);

    // ---- views ----
    /// @notice Whether `account` has claimed.
    function claimed(address account) external view returns (bool);

    /// @notice `balance - (airdropTotal - claimedTotal)`, 0 if the balance is below the unclaimed total.
    function bonusReserve() external view returns (uint256);

    /// @notice The bonus `claimAndLock` by `account` of `amount` until `unlockTime` would add now, capped
    /// by `bonusReserve()`. 0 where the claim would revert because of the lock: an expired lock, or no
    /// lock and an `unlockTime` the escrow refuses. Does not check the proof or the claim window.
    /// @param account The account whose lock would receive the claim.
    /// @param amount The claimed amount.
    /// @param unlockTime End of a new lock (ignored when `account` has an active or permanent lock).
    function previewBonus(address account, uint256 amount, uint256 unlockTime) external view returns (uint256);

    /// @notice The EIP-712 digest an account signs for `claimAndLockBySig`.
    function claimAndLockDigest(address account, uint256 amount, uint256 unlockTime, uint256 deadline)
        external
        view
        returns (bytes32);

    // ---- wiring and parameters ----
    /// @notice The VotingEscrow that receives claims into locks.
    function votingEscrow() external view returns (address);
    /// @notice The airdropped token (`votingEscrow.token()`).
    function token() external view returns (address);
    /// @notice Root of the tree of `(address account, uint256 amount)` leaves.
    function merkleRoot() external view returns (bytes32);
    /// @notice Sum of the tree's amounts.
    function airdropTotal() external view returns (uint256);
    /// @notice Sum of the amounts claimed so far (bonuses not included).
    function claimedTotal() external view returns (uint256);
    /// @notice Last timestamp at which claims are accepted.
    function claimDeadline() external view returns (uint64);
    /// @notice Bonus of a claim into a lock with MAX_LOCK remaining, in bps of the amount.
    function maxLockBonusBps() external view returns (uint16);
    /// @notice Receives what is left after the claim deadline (the DAO timelock).
    function treasury() external view returns (address);
    /// @notice The escrow's MAX_LOCK (365 days), read at construction.
    function MAX_LOCK() external view returns (uint256);
}
