// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IServiceGovernor} from "../interfaces/IServiceGovernor.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";

/// @title ServiceGovernor
/// @notice The DAO (SPEC 2.4): proposals are voted with Staking Score (the VotingEscrow as the IERC5805
/// token, timestamp clock) and executed by the TimelockController, which owns every admin function and
/// the treasury. Stock OpenZeppelin 5 Governor: the ABI and events Tally indexes, `#proposer=`
/// description suffixes against proposal front-running, votes by EIP-712 signature (ERC-1271 wallets
/// included). One addition (SPEC 7): a minimum quorum, `quorum(t) = max(quorumNumerator(t) *
/// getPastTotalSupply(t) / 100, minimumQuorum(t))`, so that right after launch, while little is
/// locked, a proposer at the threshold cannot pass a proposal (a treasury transfer) on its own votes.
/// @dev Composition of OpenZeppelin modules plus the minimum quorum, checkpointed by the clock like
/// `GovernorVotesQuorumFraction` checkpoints its numerator (`Checkpoints.Trace208`): changing it never
/// changes the quorum of a proposal whose snapshot is already past. Parameters change through
/// governance (`setVotingDelay`, `setVotingPeriod`, `setProposalThreshold`, `updateQuorumNumerator`,
/// `setMinimumQuorum`, `setLateQuorumVoteExtension`, `updateTimelock`), each callable only by the
/// timelock executing a proposal.
contract ServiceGovernor is
    IServiceGovernor,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorStorage,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorum
{
    using Checkpoints for Checkpoints.Trace208;

    /// @dev The minimum quorum by clock (timestamp) of each change.
    Checkpoints.Trace208 private _minimumQuorumHistory;
    /// @dev A copy of `_minimumQuorumHistory`'s latest checkpoint in one storage slot: the quorum of every
    /// proposal created since the last change (nearly all of them) reads one cold slot instead of two
    /// (the history's length, then its last element), about 2,100 gas less on each castVote before
    /// quorum and on queue and execute.
    Checkpoints.Checkpoint208 private _latestMinimumQuorum;

    /// @param votingEscrow The VotingEscrow: voting power is Staking Score, clock is the timestamp.
    /// @param timelock The TimelockController that executes proposals (this governor is its only
    /// proposer and canceller).
    /// @param votingDelay Seconds from proposal to the vote's start (the snapshot time).
    /// @param votingPeriod Seconds the vote lasts.
    /// @param proposalThreshold Staking Score needed to propose.
    /// @param quorumNumerator Quorum, percent of the past total Staking Score at the snapshot.
    /// @param lateQuorumExtension Seconds a vote is extended when quorum is reached late.
    /// @param minimumQuorum_ Floor of the quorum in Staking Score (18 decimals), at most 2 x the staking
    /// token's total supply (`GovernorMinimumQuorumUnreachable`).
    constructor(
        address votingEscrow,
        address timelock,
        uint48 votingDelay,
        uint32 votingPeriod,
        uint256 proposalThreshold,
        uint256 quorumNumerator,
        uint48 lateQuorumExtension,
        uint256 minimumQuorum_
    )
        Governor("ServiceGovernor")
        GovernorSettings(votingDelay, votingPeriod, proposalThreshold)
        GovernorVotes(IVotes(votingEscrow))
        GovernorVotesQuorumFraction(quorumNumerator)
        GovernorTimelockControl(TimelockController(payable(timelock)))
        GovernorPreventLateQuorum(lateQuorumExtension)
    {
        _setMinimumQuorum(minimumQuorum_);
    }

    // ---- minimum quorum (SPEC 7) ----

    /// @inheritdoc IServiceGovernor
    function setMinimumQuorum(uint256 newMinimumQuorum) external onlyGovernance {
        _setMinimumQuorum(newMinimumQuorum);
    }

    /// @inheritdoc IServiceGovernor
    function minimumQuorum() public view returns (uint256) {
        return _latestMinimumQuorum._value;
    }

    /// @inheritdoc IServiceGovernor
    function minimumQuorum(uint256 timepoint) public view returns (uint256) {
        // as OpenZeppelin looks up the quorum numerator: the latest checkpoint when it applies (every
        // proposal created after the last change), a binary search of the history otherwise
        Checkpoints.Checkpoint208 memory latest = _latestMinimumQuorum;
        if (latest._key <= timepoint) return latest._value;
        return _minimumQuorumHistory.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /// @notice Votes (for + abstain) a proposal whose snapshot is `timepoint` needs:
    /// `max(quorumNumerator(timepoint) * getPastTotalSupply(timepoint) / 100, minimumQuorum(timepoint))`,
    /// both rules as they stood at `timepoint`. Reverts for `timepoint >= clock()` (ERC5805FutureLookup).
    /// @param timepoint A past timestamp (a proposal's `proposalSnapshot`).
    /// @return The quorum in Staking Score (18 decimals).
    function quorum(uint256 timepoint)
        public
        view
        override(Governor, GovernorVotesQuorumFraction)
        returns (uint256)
    {
        return Math.max(super.quorum(timepoint), minimumQuorum(timepoint));
    }

    /// @dev Checkpoints `newMinimumQuorum` at `clock()` (a second change in the same block overwrites
    /// the first) after checking that Staking Score could ever reach it.
    function _setMinimumQuorum(uint256 newMinimumQuorum) private {
        // every token in a permanent lock scores 2x: no Staking Score can exceed twice the supply
        address stakingToken = IVotingEscrow(address(token())).token();
        uint256 maxVotingPower = Math.saturatingMul(2, IERC20(stakingToken).totalSupply());
        if (newMinimumQuorum > maxVotingPower) {
            revert GovernorMinimumQuorumUnreachable(newMinimumQuorum, maxVotingPower);
        }
        uint48 now_ = clock();
        // push returns the value it replaces as latest (0 for the constructor's first checkpoint) and
        // the one it stored
        (uint208 oldMinimumQuorum, uint208 stored) =
            _minimumQuorumHistory.push(now_, SafeCast.toUint208(newMinimumQuorum));
        _latestMinimumQuorum = Checkpoints.Checkpoint208({_key: now_, _value: stored});
        emit MinimumQuorumUpdated(oldMinimumQuorum, newMinimumQuorum);
    }

    // ---- overrides the Solidity linearization requires (no behaviour of ours) ----

    /// @inheritdoc IGovernor
    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc IGovernor
    function proposalDeadline(uint256 proposalId)
        public
        view
        override(Governor, GovernorPreventLateQuorum)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
