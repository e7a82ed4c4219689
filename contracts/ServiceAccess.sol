// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRevenueDistributor} from "../interfaces/IRevenueDistributor.sol";
import {IServiceAccess} from "../interfaces/IServiceAccess.sol";
import {IStakingLevels} from "../interfaces/IStakingLevels.sol";
import {IVotingEscrow} from "../interfaces/IVotingEscrow.sol";

/// @title ServiceAccess
/// @notice Subscriptions and prepaid usage credits for the platform's AI services, paid in the staking
/// token or another reward token of the RevenueDistributor, every payment split at once between
/// stakers, a burn, a referrer and the treasury (SPEC 5.2; numbers in docs/services.md).
/// @dev Decisions where SPEC 5.2 is silent (docs/services.md):
///  - every payment is pulled from the payer into this contract, then split in the same call:
///    `forceApprove` + `depositRevenue` for the stakers' part, `ERC20Burnable.burn` from this
///    contract's own balance for the burn, a transfer to the referrer and one to the treasury; zero
///    parts are skipped;
///  - a referral transfer that fails (a token's blocklist) goes to the treasury instead, so a bound
///    referrer can never block an account's payments;
///  - fee-on-transfer tokens are unsupported: a transfer in that delivers less than asked reverts
///    `UnsupportedFeeOnTransfer` (payments and credit deposits alike);
///  - `redeemUsageBatch` charges each good receipt, then splits the total charged per token once
///    (one `RevenueSplit` per token and batch: rounding is per batch, never less for stakers and burn
///    than per receipt);
///  - a pending withdrawal request does not stop redemption, so the service can settle what it served;
///  - credits and spent of one (account, token) share one slot (two uint128): a deposit that would take
///    their sum to 2^128 reverts `CreditsTooLarge`;
///  - the withdrawal delay is at least `MIN_WITHDRAWAL_DELAY` (1 hour), so a settlement can always land
///    between a request and the withdrawal.
/// The escrow (`stakingLevels.votingEscrow()`) and the staking token (`revenueDistributor.stakingToken()`)
/// are read once at construction: both are immutable where they come from.
contract ServiceAccess is IServiceAccess, Ownable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    // ---- constants ----

    /// @inheritdoc IServiceAccess
    /// @dev Bounds the batch loop: an EOA receipt costs about 25k gas to check and charge, so a full
    /// batch stays near 3M gas (a tenth of a block) and a gateway's settlement transaction stays small.
    uint256 public constant MAX_BATCH = 100;
    /// @inheritdoc IServiceAccess
    uint64 public constant MIN_WITHDRAWAL_DELAY = 1 hours;
    /// @inheritdoc IServiceAccess
    uint64 public constant MAX_WITHDRAWAL_DELAY = 7 days;
    /// @inheritdoc IServiceAccess
    uint64 public constant DEFAULT_WITHDRAWAL_DELAY = 1 days;
    /// @inheritdoc IServiceAccess
    bytes32 public constant USAGE_TYPEHASH =
        keccak256("Usage(address account,address token,uint256 cumulative,uint256 deadline)");
    uint256 private constant BPS = 10_000;

    // ---- types ----

    /// @dev Two slots: token, period and flag packed; the price alone.
    struct Plan {
        address payToken;
        uint64 period;
        bool active;
        uint256 pricePerPeriod;
    }

    /// @dev One slot, read once per payment.
    struct Config {
        uint16 stakersBps;
        uint16 treasuryBps;
        uint16 burnBps;
        uint64 withdrawalDelay;
    }

    /// @dev One slot per (account, token): `credits + spent < 2^128` (checked at each deposit).
    struct CreditBalance {
        uint128 credits;
        uint128 spent;
    }

    /// @dev What `redeemUsage` would do with one receipt (`reason` 0: charge `charge`).
    struct Check {
        bytes4 reason;
        uint256 charge;
        uint256 spent;
        uint256 available;
        uint256 tokenIndex;
    }

    // ---- storage ----

    /// @inheritdoc IServiceAccess
    address public immutable stakingLevels;
    /// @inheritdoc IServiceAccess
    address public immutable revenueDistributor;
    /// @inheritdoc IServiceAccess
    address public immutable votingEscrow;
    /// @inheritdoc IServiceAccess
    address public immutable stakingToken;
    /// @inheritdoc IServiceAccess
    address public immutable treasury;

    Config private _config;
    /// @inheritdoc IServiceAccess
    uint256 public planCount;
    mapping(uint256 planId => Plan) private _plans;
    /// @inheritdoc IServiceAccess
    mapping(address account => mapping(uint256 planId => uint64)) public accessUntil;
    /// @inheritdoc IServiceAccess
    mapping(address account => address) public referrerOf;
    mapping(address account => mapping(address token => CreditBalance)) private _balances;
    mapping(address account => mapping(address token => uint64)) private _withdrawalRequestedAt;

    // ---- constructor ----

    /// @param stakingLevels_ The StakingLevels contract (levels, discounts, referral shares).
    /// @param revenueDistributor_ The RevenueDistributor: receives the stakers' part; its reward tokens
    /// are the pay tokens; its `stakingToken()` is the token burnt.
    /// @param treasury_ Receives the treasury part (the DAO timelock).
    /// @param stakersBps_ Stakers' share of each payment, bps.
    /// @param treasuryBps_ Treasury's share (referrals come out of it), bps.
    /// @param burnBps_ Burnt share (staking token; other tokens: to stakers), bps. The three sum to 10_000.
    /// @param initialOwner Owner of plans and parameters (the deployer, then the timelock).
    constructor(
        address stakingLevels_,
        address revenueDistributor_,
        address treasury_,
        uint16 stakersBps_,
        uint16 treasuryBps_,
        uint16 burnBps_,
        address initialOwner
    ) Ownable(initialOwner) EIP712("ServiceAccess", "1") {
        if (stakingLevels_ == address(0) || revenueDistributor_ == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        address levelsEscrow = IStakingLevels(stakingLevels_).votingEscrow();
        address distributorEscrow = IRevenueDistributor(revenueDistributor_).votingEscrow();
        if (levelsEscrow != distributorEscrow) revert EscrowMismatch(levelsEscrow, distributorEscrow);
        stakingLevels = stakingLevels_;
        revenueDistributor = revenueDistributor_;
        votingEscrow = levelsEscrow;
        stakingToken = IRevenueDistributor(revenueDistributor_).stakingToken();
        treasury = treasury_;
        _setRevenueSplit(stakersBps_, treasuryBps_, burnBps_);
        _setWithdrawalDelay(DEFAULT_WITHDRAWAL_DELAY);
    }

    // ---- admin ----

    /// @inheritdoc IServiceAccess
    function createPlan(address payToken, uint256 pricePerPeriod, uint64 period)
        external
       
        onlyOwner
        returns (uint256 planId)
    {
        if (pricePerPeriod == 0 || period == 0) revert InvalidPlan();
        _rewardTokenIndex(_rewardTokens(), payToken);
        planId = ++planCount;
        _plans[planId] = Plan({payToken: payToken, period: period, active: true, pricePerPeriod: pricePerPeriod});
        emit PlanCreated(planId, payToken, pricePerPeriod, period);
    }

    /// @inheritdoc IServiceAccess
    function setPlanPrice(uint256 planId, uint256 pricePerPeriod) external onlyOwner {
        _knownPlan(planId);
        if (pricePerPeriod == 0) revert InvalidPlan();
        _plans[planId].pricePerPeriod = pricePerPeriod;
        emit PlanPriceSet(planId, pricePerPeriod);
    }

    /// @inheritdoc IServiceAccess
    function setPlanActive(uint256 planId, bool active) external onlyOwner {
        _knownPlan(planId);
        _plans[planId].active = active;
        emit PlanActiveSet(planId, active);
    }

    /// @inheritdoc IServiceAccess
    function setRevenueSplit(uint16 stakersBps_, uint16 treasuryBps_, uint16 burnBps_) external onlyOwner {
        _setRevenueSplit(stakersBps_, treasuryBps_, burnBps_);
    }

    /// @inheritdoc IServiceAccess
    function setWithdrawalDelay(uint64 delay) external onlyOwner {
        _setWithdrawalDelay(delay);
    }

    // ---- subscriptions ----

    /// @inheritdoc IServiceAccess
    function subscribe(uint256 planId, uint256 periods, address referrer, uint256 maxCost)
        external
       
        nonReentrant
        returns (uint64)
    {
        return _subscribe(msg.sender, planId, periods, referrer, maxCost);
    }

    /// @inheritdoc IServiceAccess
    function subscribeFor(address account, uint256 planId, uint256 periods, address referrer, uint256 maxCost)
        external
       
        nonReentrant
        returns (uint64)
    {
        return _subscribe(account, planId, periods, referrer, maxCost);
    }

    /// @inheritdoc IServiceAccess
    function subscribeWithPermit(
        uint256 planId,
        uint256 periods,
        address referrer,
        uint256 maxCost,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint64) {
        _permit(_knownPlan(planId).payToken, maxCost, deadline, v, r, s);
        return _subscribe(msg.sender, planId, periods, referrer, maxCost);
    }

    // ---- credits ----

    /// @inheritdoc IServiceAccess
    function depositCredits(address token, uint256 amount) external nonReentrant {
        _checkDeposit(msg.sender, token, amount);
        _depositCredits(msg.sender, token, amount);
    }

    /// @inheritdoc IServiceAccess
    function depositCreditsFor(address account, address token, uint256 amount) external nonReentrant {
        _checkDeposit(account, token, amount);
        _depositCredits(account, token, amount);
    }

    /// @inheritdoc IServiceAccess
    function depositCreditsWithPermit(address token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
       
        nonReentrant
    {
        // Checked before the permit: a bad token reverts with its named error, not inside `permit`.
        _checkDeposit(msg.sender, token, amount);
        _permit(token, amount, deadline, v, r, s);
        _depositCredits(msg.sender, token, amount);
    }

    /// @inheritdoc IServiceAccess
    function redeemUsage(address account, address token, uint256 cumulative, uint256 deadline, bytes calldata signature)
        external
       
        nonReentrant
        returns (uint256)
    {
        Check memory c = _check(_rewardTokens(), account, token, cumulative, deadline, signature);
        if (c.reason != bytes4(0)) _revertCheck(c, token, cumulative, deadline);
        _charge(account, token, cumulative, c.charge);
        _split(token, c.charge, address(0), address(0));
        return c.charge;
    }

    /// @inheritdoc IServiceAccess
    function redeemUsageBatch(UsageReceipt[] calldata receipts)
        external
       
        nonReentrant
        returns (uint256[] memory charged)
    {
        uint256 n = receipts.length;
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
        address[] memory rewards = _rewardTokens();
        uint256[] memory totals = new uint256[](rewards.length);
        charged = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            UsageReceipt calldata receipt = receipts[i];
            Check memory c =
                _check(rewards, receipt.account, receipt.token, receipt.cumulative, receipt.deadline, receipt.signature);
            if (c.reason != bytes4(0)) {
                emit UsageReceiptSkipped(receipt.account, receipt.token, receipt.cumulative, c.reason);
                continue;
            }
            _charge(receipt.account, receipt.token, receipt.cumulative, c.charge);
            totals[c.tokenIndex] += c.charge;
            charged[i] = c.charge;
        }
        // One split per token charged. `rewards` is the distributor's active list, at most its
        // MAX_REWARD_TOKENS (8, SPEC 2.3) entries: this loop is bounded by that constant.
        for (uint256 j; j < rewards.length; ++j) {
            if (totals[j] != 0) _split(rewards[j], totals[j], address(0), address(0));
        }
    }

    /// @inheritdoc IServiceAccess
    function requestWithdrawal(address token) external returns (uint64 readyAt) {
        uint64 nowTime = uint64(block.timestamp);
        _withdrawalRequestedAt[msg.sender][token] = nowTime;
        readyAt = nowTime + _config.withdrawalDelay;
        emit WithdrawalRequested(msg.sender, token, readyAt);
    }

    /// @inheritdoc IServiceAccess
    function withdrawCredits(address token) external nonReentrant returns (uint256 amount) {
        uint64 requestedAt = _withdrawalRequestedAt[msg.sender][token];
        if (requestedAt == 0) revert NoWithdrawalRequest();
        uint256 readyAt = uint256(requestedAt) + _config.withdrawalDelay;
        if (block.timestamp < readyAt) revert WithdrawalNotReady(readyAt);
        delete _withdrawalRequestedAt[msg.sender][token];
        amount = _balances[msg.sender][token].credits;
        _balances[msg.sender][token].credits = 0;
        emit CreditsWithdrawn(msg.sender, token, amount);
        if (amount != 0) IERC20(token).safeTransfer(msg.sender, amount);
    }

    // ---- views: subscriptions ----

    /// @inheritdoc IServiceAccess
    function quote(address account, uint256 planId, uint256 periods)
        external
        view
       
        returns (uint256 cost, uint16 discountBps)
    {
        Plan memory plan = _activePlan(planId);
        _rewardTokenIndex(_rewardTokens(), plan.payToken);
        (cost, discountBps,) = _price(account, planId, plan, periods);
    }

    /// @inheritdoc IServiceAccess
    function plans(uint256 planId)
        external
        view
       
        returns (address payToken, uint256 pricePerPeriod, uint64 period, bool active)
    {
        Plan memory plan = _plans[planId];
        return (plan.payToken, plan.pricePerPeriod, plan.period, plan.active);
    }

    /// @inheritdoc IServiceAccess
    function hasAccess(address account, uint256 planId) external view returns (bool) {
        return accessUntil[account][planId] > block.timestamp;
    }

    // ---- views: credits ----

    /// @inheritdoc IServiceAccess
    function previewRedeem(address account, address token, uint256 cumulative, uint256 deadline, bytes calldata signature)
        external
        view
       
        returns (uint256 charge, bytes4 reason)
    {
        Check memory c = _check(_rewardTokens(), account, token, cumulative, deadline, signature);
        return (c.reason == bytes4(0) ? c.charge : 0, c.reason);
    }

    /// @inheritdoc IServiceAccess
    function usageDigest(address account, address token, uint256 cumulative, uint256 deadline)
        public
        view
       
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(USAGE_TYPEHASH, account, token, cumulative, deadline)));
    }

    /// @inheritdoc IServiceAccess
    function withdrawalRequest(address account, address token)
        external
        view
       
        returns (uint64 requestedAt, uint64 readyAt)
    {
        requestedAt = _withdrawalRequestedAt[account][token];
        if (requestedAt != 0) readyAt = requestedAt + _config.withdrawalDelay;
    }

    /// @inheritdoc IServiceAccess
    function credits(address account, address token) external view returns (uint256) {
        return _balances[account][token].credits;
    }

    /// @inheritdoc IServiceAccess
    function spent(address account, address token) external view returns (uint256) {
        return _balances[account][token].spent;
    }

    // ---- views: parameters ----

    /// @inheritdoc IServiceAccess
    function stakersBps() external view returns (uint16) {
        return _config.stakersBps;
    }

    /// @inheritdoc IServiceAccess
    function treasuryBps() external view returns (uint16) {
        return _config.treasuryBps;
    }

    /// @inheritdoc IServiceAccess
    function burnBps() external view returns (uint16) {
        return _config.burnBps;
    }

    /// @inheritdoc IServiceAccess
    function withdrawalDelay() external view returns (uint64) {
        return _config.withdrawalDelay;
    }

    // ---- internals: subscriptions ----

    function _subscribe(address account, uint256 planId, uint256 periods, address referrer, uint256 maxCost)
        private
        returns (uint64 until)
    {
        if (account == address(0)) revert ZeroAddress();
        Plan memory plan = _activePlan(planId);
        address token = plan.payToken;
        _rewardTokenIndex(_rewardTokens(), token);
        uint256 cost;
        (cost,, until) = _price(account, planId, plan, periods);
        if (cost > maxCost) revert CostAboveMax(cost, maxCost);
        address boundReferrer = _bindReferrer(account, referrer);
        accessUntil[account][planId] = until;
        emit Subscribed(account, msg.sender, planId, periods, cost, until);
        _pull(token, cost);
        _split(token, cost, account, boundReferrer);
    }

    /// @dev Cost, discount and new access end of `periods` periods of `plan` for `account`, now.
    function _price(address account, uint256 planId, Plan memory plan, uint256 periods)
        private
        view
        returns (uint256 cost, uint16 discountBps, uint64 until)
    {
        if (periods == 0) revert ZeroPeriods();
        uint256 current = accessUntil[account][planId];
        uint256 base = current > block.timestamp ? current : block.timestamp;
        uint256 maxPeriods = (type(uint64).max - base) / plan.period;
        if (periods > maxPeriods) revert TooManyPeriods(periods, maxPeriods);
        until = uint64(base + periods * plan.period);
        discountBps = _discount(account, until);
        // periods <= 2^64, so periods * (BPS - d) fits; mulDiv is exact: floor(price * periods * (BPS - d) / BPS).
        cost = Math.mulDiv(plan.pricePerPeriod, periods * (BPS - discountBps), BPS);
    }

    /// @dev `platformDiscountBps(levelOf(account))` if `account`'s lock is permanent or ends at or after
    /// `until`, else 0: a lock shorter than the access bought gets no discount (SPEC 5.2).
    function _discount(address account, uint64 until) private view returns (uint16) {
        (uint256 amount, uint256 end, bool permanent) = IVotingEscrow(votingEscrow).locked(account);
        if (amount == 0 || (!permanent && end < until)) return 0;
        IStakingLevels levels = IStakingLevels(stakingLevels);
        uint8 level = levels.levelOf(account);
        return level == 0 ? 0 : levels.platformDiscountBps(level);
    }

    /// @dev The account's referrer after this payment: bound once, at the first payment naming one.
    function _bindReferrer(address account, address referrer) private returns (address bound) {
        bound = referrerOf[account];
        if (bound == address(0) && referrer != address(0)) {
            if (referrer == account) revert SelfReferral(account);
            referrerOf[account] = referrer;
            bound = referrer;
            emit ReferrerBound(account, referrer);
        }
    }

    function _knownPlan(uint256 planId) private view returns (Plan storage plan) {
        plan = _plans[planId];
        if (plan.period == 0) revert UnknownPlan(planId);
    }

    function _activePlan(uint256 planId) private view returns (Plan memory plan) {
        plan = _knownPlan(planId);
        if (!plan.active) revert PlanInactive(planId);
    }

    // ---- internals: credits ----

    function _checkDeposit(address account, address token, uint256 amount) private view {
        if (account == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        _rewardTokenIndex(_rewardTokens(), token);
    }

    /// @dev After `_checkDeposit`: credit `account` (within the packed range) and pull the tokens.
    function _depositCredits(address account, address token, uint256 amount) private {
        CreditBalance memory balance = _balances[account][token];
        uint256 room = type(uint128).max - uint256(balance.credits) - balance.spent;
        if (amount > room) revert CreditsTooLarge(amount, room);
        _balances[account][token].credits = balance.credits + uint128(amount);
        emit CreditsDeposited(account, msg.sender, token, amount);
        _pull(token, amount);
    }

    /// @dev Every check of `redeemUsage`, in its order, without reverting. `rewards` is the
    /// distributor's reward token list, read once per call.
    function _check(
        address[] memory rewards,
        address account,
        address token,
        uint256 cumulative,
        uint256 deadline,
        bytes calldata signature
    ) private view returns (Check memory c) {
        (bool listed, uint256 index) = _findRewardToken(rewards, token);
        if (!listed) {
            c.reason = NotRewardToken.selector;
            return c;
        }
        c.tokenIndex = index;
        if (block.timestamp > deadline) {
            c.reason = ReceiptExpired.selector;
            return c;
        }
        CreditBalance memory balance = _balances[account][token];
        c.spent = balance.spent;
        c.available = balance.credits;
        if (cumulative <= c.spent) {
            c.reason = ReceiptNotNewer.selector;
            return c;
        }
        c.charge = cumulative - c.spent;
        if (c.charge > c.available) {
            c.reason = InsufficientCredits.selector;
            return c;
        }
        if (!SignatureChecker.isValidSignatureNow(account, usageDigest(account, token, cumulative, deadline), signature))
        {
            c.reason = InvalidSignature.selector;
        }
    }

    /// @dev Raise the error `_check` found, with its arguments.
    function _revertCheck(Check memory c, address token, uint256 cumulative, uint256 deadline) private pure {
        bytes4 reason = c.reason;
        if (reason == NotRewardToken.selector) revert NotRewardToken(token);
        if (reason == ReceiptExpired.selector) revert ReceiptExpired(deadline);
        if (reason == ReceiptNotNewer.selector) revert ReceiptNotNewer(cumulative, c.spent);
        if (reason == InsufficientCredits.selector) revert InsufficientCredits(c.charge, c.available);
        revert InvalidSignature();
    }

    /// @dev Effects of a good receipt: `charge <= credits` and `spent + charge = cumulative` fit uint128
    /// because `credits + spent < 2^128`.
    function _charge(address account, address token, uint256 cumulative, uint256 charge) private {
        uint128 left = _balances[account][token].credits - uint128(charge);
        _balances[account][token] = CreditBalance({credits: left, spent: uint128(cumulative)});
        emit UsageRedeemed(account, token, cumulative, charge);
    }

    // ---- internals: tokens ----

    /// @dev Pull `amount` of `token` from the caller; revert unless all of it arrived.
    function _pull(address token, uint256 amount) private {
        if (amount == 0) return;
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        if (received < amount) revert UnsupportedFeeOnTransfer(token, amount, received);
    }

    /// @dev Split `amount` of `token` (already held) as SPEC 5.2 says; `referrer` (zero: none) earns
    /// `treasuryPart * referralBps(levelOf(referrer)) / 10_000` of a payment by `account`.
    function _split(address token, uint256 amount, address account, address referrer) private {
        if (amount == 0) return;
        Config memory config = _config;
        uint256 toStakers = amount * config.stakersBps / BPS;
        uint256 toBurn = amount * config.burnBps / BPS;
        uint256 treasuryPart = amount - toStakers - toBurn;
        if (token != stakingToken) {
            toStakers += toBurn;
            toBurn = 0;
        }
        uint256 referral = 0;
        if (referrer != address(0) && treasuryPart != 0) {
            IStakingLevels levels = IStakingLevels(stakingLevels);
            uint8 level = levels.levelOf(referrer);
            if (level != 0) referral = treasuryPart * levels.referralBps(level) / BPS;
        }
        IERC20 t = IERC20(token);
        if (toStakers != 0) {
            address distributor = revenueDistributor;
            t.forceApprove(distributor, toStakers);
            IRevenueDistributor(distributor).depositRevenue(token, toStakers);
        }
        if (toBurn != 0) ERC20Burnable(token).burn(toBurn);
        if (referral != 0) {
            // A referrer the token refuses to pay (blocklist) must not block the account's payments.
            if (t.trySafeTransfer(referrer, referral)) {
                emit ReferralPaid(referrer, account, token, referral);
            } else {
                referral = 0;
            }
        }
        uint256 toTreasury = treasuryPart - referral;
        if (toTreasury != 0) t.safeTransfer(treasury, toTreasury);
        emit RevenueSplit(token, toStakers, toTreasury, toBurn, referral);
    }

    /// @dev EIP-2612 permit from the caller to this contract; a failure (already used or front-run
    /// permit, token without permit) is ignored: the transfer then needs the allowance to be there.
    function _permit(address token, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        try IERC20Permit(token).permit(msg.sender, address(this), value, deadline, v, r, s) {} catch {}
    }

    function _rewardTokens() private view returns (address[] memory) {
        return IRevenueDistributor(revenueDistributor).rewardTokens();
    }

    /// @dev Position of `token` in `rewards`, or `NotRewardToken`.
    function _rewardTokenIndex(address[] memory rewards, address token) private pure returns (uint256) {
        (bool listed, uint256 index) = _findRewardToken(rewards, token);
        if (!listed) revert NotRewardToken(token);
        return index;
    }

    /// @dev Linear search of the distributor's active list, at most its MAX_REWARD_TOKENS (8, SPEC 2.3)
    /// entries: bounded by that constant.
    function _findRewardToken(address[] memory rewards, address token) private pure returns (bool, uint256) {
        for (uint256 i; i < rewards.length; ++i) {
            if (rewards[i] == token) return (true, i);
        }
        return (false, 0);
    }

    // ---- internals: parameters ----

    function _setRevenueSplit(uint16 stakersBps_, uint16 treasuryBps_, uint16 burnBps_) private {
        if (uint256(stakersBps_) + treasuryBps_ + burnBps_ != BPS) revert InvalidSplit();
        _config = Config({
            stakersBps: stakersBps_,
            treasuryBps: treasuryBps_,
            burnBps: burnBps_,
            withdrawalDelay: _config.withdrawalDelay
        });
        emit RevenueSplitSet(stakersBps_, treasuryBps_, burnBps_);
    }

    function _setWithdrawalDelay(uint64 delay) private {
        if (delay < MIN_WITHDRAWAL_DELAY || delay > MAX_WITHDRAWAL_DELAY) revert InvalidWithdrawalDelay(delay);
        _config.withdrawalDelay = delay;
        emit WithdrawalDelaySet(delay);
    }
}
