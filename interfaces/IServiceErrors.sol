// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IServiceErrors
/// @notice The errors every contract of the protocol shares, declared once: the escrow's and the
/// distributor's interfaces inherit them, so a decoder that knows one ABI knows them all.
interface IServiceErrors {
    /// @notice A zero address was given where an address is required.
    error ZeroAddress();
    /// @notice An amount of zero was given where a positive amount is required.
    error ZeroAmount();
}
