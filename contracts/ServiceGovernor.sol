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
import {IStakingLevels} from "../interfaces/IStakingLevels.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";

/// @title ServiceGovernor
/// @notice The DAO (SPEC 2.4): proposals are voted with Staking Score (the VotingEscrow as the IERC5805
/// token, timestamp clock) and executed by the TimelockController, which owns every admin function and
/// the treasury. Stock OpenZeppelin 5 Governor: the ABI and events Tally indexes, `#proposer=`
/// description suffixes against proposal front-running, votes by EIP-712 signature (ERC-1271 wallets
/// included). One addition (SPEC 7): a minimum quorum, `quorum(t) = max(quorumNumerator(t) *
/// getPastTotalSupply(t) / 100, minimumQuorum(t))`, so that right after launch, while little is
/// locked, a proposer at the threshold cannot pass a proposal (a treasury transfer) on its own votes.
/// And proposal quotas by Staking Level (SPEC 5.5): `proposalsPerMonth(level)` proposals per proposer
/// per 30-day period.
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

    /// @notice Length of a quota period: periods are `clock() / QUOTA_PERIOD` (SPEC 5.5).
    uint256 public constant QUOTA_PERIOD = 30 days;

    /// @dev A proposer's count in the last period it proposed in, one slot: a `period` other than the
    /// current one means nothing used yet this period.
    struct QuotaUsage {
        uint32 period;
        uint32 used;
    }

    IStakingLevels private _stakingLevels;
    mapping(address proposer => QuotaUsage) private _quotaUsage;
    /// @dev `period + 1` of a proposal whose vote starts in a later period than it was made in. Every
    /// other proposal was made in the period of its `proposalSnapshot`, so only these few (made within
    /// `votingDelay` of a period's end) pay for a record; the give-back on cancel needs the period.
    mapping(uint256 proposalId => uint256) private _madeInPeriodPlusOne;

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
    /// @param stakingLevels_ The StakingLevels contract setting proposal quotas, or zero for none.
    constructor(
        address votingEscrow,
        address timelock,
        uint48 votingDelay,
        uint32 votingPeriod,
        uint256 proposalThreshold,
        uint256 quorumNumerator,
        uint48 lateQuorumExtension,
        uint256 minimumQuorum_,
        address stakingLevels_
    )
        Governor("ServiceGovernor")
        GovernorSettings(votingDelay, votingPeriod, proposalThreshold)
        GovernorVotes(IVotes(votingEscrow))
        GovernorVotesQuorumFraction(quorumNumerator)
        GovernorTimelockControl(TimelockController(payable(timelock)))
        GovernorPreventLateQuorum(lateQuorumExtension)
    {
        _setMinimumQuorum(minimumQuorum_);
        _setStakingLevels(stakingLevels_);
    }

    // ---- proposal quotas (SPEC 5.5) ----

    /// @inheritdoc IServiceGovernor
    function setStakingLevels(address newStakingLevels) external onlyGovernance {
        _setStakingLevels(newStakingLevels);
    }

    /// @inheritdoc IServiceGovernor
    function stakingLevels() external view returns (address) {
        return address(_stakingLevels);
    }

    /// @inheritdoc IServiceGovernor
    function proposalsUsed(address proposer) public view returns (uint256) {
        return _usedIn(_quotaUsage[proposer], clock() / QUOTA_PERIOD);
    }

    /// @inheritdoc IServiceGovernor
    function proposalsLeft(address proposer) external view returns (uint256) {
        IStakingLevels levels = _stakingLevels;
        if (address(levels) == address(0)) return type(uint256).max;
        (, uint256 quota) = levels.proposalQuotaAt(proposer, clock() - 1);
        return Math.saturatingSub(quota, proposalsUsed(proposer));
    }

    /// @dev Counts one proposal of `proposer` in the current period, reverting past its quota. Counted
    /// even when quotas are off, so that a cancel always gives back a slot that was taken.
    function _useQuota(address proposer) private returns (uint256 period) {
        // one clock() (an external call to the escrow) serves the period and the level's timestamp
        uint256 now_ = clock();
        period = now_ / QUOTA_PERIOD;
        uint256 used = _usedIn(_quotaUsage[proposer], period);
        IStakingLevels levels = _stakingLevels;
        // the cheap yes/no first (one threshold read); the level and quota only to explain a refusal
        if (address(levels) != address(0) && !levels.allowsProposalAt(proposer, now_ - 1, used)) {
            (uint8 level, uint256 quota) = levels.proposalQuotaAt(proposer, now_ - 1);
            revert ProposalQuotaExceeded(proposer, level, quota);
        }
        // a period (30 days) fits 32 bits until year 10^7; a quota is at most 255 (uint8)
        _quotaUsage[proposer] = QuotaUsage({period: uint32(period), used: uint32(used + 1)});
    }

    /// @dev Proposals `usage` records in `period`: none if it last counted an earlier period.
    function _usedIn(QuotaUsage memory usage, uint256 period) private pure returns (uint256) {
        return usage.period == period ? usage.used : 0;
    }

    /// @dev Gives the slot of `proposalId` back if it is still Pending (its vote not started) and was
    /// counted in the current period.
    function _returnQuota(uint256 proposalId) private {
        uint256 snapshot = proposalSnapshot(proposalId);
        uint256 now_ = clock();
        if (snapshot < now_) return; // the vote started: the slot stays used
        uint256 recorded = _madeInPeriodPlusOne[proposalId];
        uint256 madeIn = recorded == 0 ? snapshot / QUOTA_PERIOD : recorded - 1;
        QuotaUsage storage usage = _quotaUsage[proposalProposer(proposalId)];
        // made in the current period means counted in it, so `used` is at least 1
        if (madeIn == now_ / QUOTA_PERIOD && usage.period == madeIn) --usage.used;
    }

    function _setStakingLevels(address newStakingLevels) private {
        if (newStakingLevels != address(0) && newStakingLevels.code.length == 0) {
            revert GovernorInvalidStakingLevels(newStakingLevels);
        }
        emit StakingLevelsUpdated(address(_stakingLevels), newStakingLevels);
        _stakingLevels = IStakingLevels(newStakingLevels);
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

    // ---- overrides the Solidity linearization requires; `_propose` and `_cancel` also keep the quotas ----

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
    ) internal override(Governor, GovernorStorage) returns (uint256 proposalId) {
        uint256 period = _useQuota(proposer);
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        if (proposalSnapshot(proposalId) / QUOTA_PERIOD != period) _madeInPeriodPlusOne[proposalId] = period + 1;
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
        _returnQuota(getProposalId(targets, values, calldatas, descriptionHash));
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
