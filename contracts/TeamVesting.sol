// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/// @title TeamVesting
/// @notice A team allocation: OpenZeppelin's VestingWallet with a cliff. Nothing is releasable before
/// `start + cliff`; from then on the vested amount is linear in time from `start` to `start + duration`.
/// @dev Only the constructor is ours; all behaviour is OpenZeppelin's. The beneficiary is the owner
/// (it may transfer the right to receive).
contract TeamVesting is VestingWalletCliff {
    /// @param beneficiary Receives released tokens (and owns the wallet).
    /// @param startTimestamp Vesting start (unix seconds).
    /// @param durationSeconds Time from start to fully vested.
    /// @param cliffSeconds Time from start before anything vests; at most `durationSeconds`.
    constructor(address beneficiary, uint64 startTimestamp, uint64 durationSeconds, uint64 cliffSeconds)
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
        VestingWalletCliff(cliffSeconds)
    {}
}
