// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRevenueDistributor
/// @notice Weekly multi-token revenue sharing by Staking Score (SPEC 2.3).
/// Revenue credited to week `w` is shared by `balanceOfAt(a, w) / totalSupplyAt(w)` of the
/// VotingEscrow and becomes claimable once `w + WEEK <= block.timestamp`.
interface IRevenueDistributor {
    // ---- revenue in ----
    function depositRevenue(address token, uint256 amount) external;
    function checkpointToken(address token) external;
    /// @notice Called by the VotingEscrow only: pulls an early-exit penalty in the staking token and
    /// credits it to the week after the current one, so the account that paid it shares none of it.
    function depositPenalty(uint256 amount) external;

    // ---- revenue out ----
    function claim(address[] calldata tokens) external returns (uint256[] memory amounts);
    function claimAndLock() external returns (uint256 amount);
    function setAutoCompound(bool enabled) external;
    function claimFor(address account, address[] calldata tokens) external returns (uint256[] memory amounts);

    // ---- admin ----
    function addRewardToken(address token) external;
    function removeRewardToken(address token) external;

    // ---- views ----
    function votingEscrow() external view returns (address);
    function stakingToken() external view returns (address);
    function rewardTokens() external view returns (address[] memory);
    function tokensPerWeek(address token, uint256 week) external view returns (uint256);
    function autoCompound(address account) external view returns (bool);
    function claimable(address account, address token) external view returns (uint256);
}
