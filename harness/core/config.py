"""The deploy config: a YAML file validated by pydantic before anything is sent.

Token amounts are written in whole tokens (a decimal string such as "1250.5" is fine) and turned
into base units (18 decimals) here, so everything after validation works with exact integers.
Durations are seconds or a number with a unit (`90d`, `12w`, `6h`); times are unix seconds or an
ISO-8601 date.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from harness.core.errors import ConfigError
from harness.core.levels import (
    DEFAULT_API_DISCOUNT_BPS,
    DEFAULT_PLATFORM_DISCOUNT_BPS,
    DEFAULT_PROPOSALS_PER_MONTH,
    DEFAULT_REFERRAL_BPS,
    DEFAULT_THRESHOLDS,
    MAX_BENEFIT_BPS,
    MAX_LEVEL,
    MAX_PROPOSALS_PER_MONTH,
    MAX_THRESHOLD,
)
from harness.core.units import (
    BPS,
    DAY,
    DECIMALS,
    HOUR,
    format_tokens,
    parse_address,
    parse_duration,
    parse_timestamp,
    parse_token_amount,
)

Address = Annotated[str, BeforeValidator(parse_address)]
TokenAmount = Annotated[int, BeforeValidator(parse_token_amount)]
Duration = Annotated[int, BeforeValidator(parse_duration)]
Timestamp = Annotated[int, BeforeValidator(parse_timestamp)]
Bps = Annotated[int, Field(strict=True, ge=0, le=BPS)]
# StakingLevels' caps (SPEC 5.1): an entry above one is named with its index
Threshold = Annotated[TokenAmount, Field(le=MAX_THRESHOLD)]
BenefitBps = Annotated[int, Field(strict=True, ge=0, le=MAX_BENEFIT_BPS)]
MAX_AIRDROP_BONUS_BPS = 10_000  # CommunityAirdrop.MAX_BONUS_BPS: a 12-month lock at most doubles a claim
ProposalsPerMonth = Annotated[int, Field(strict=True, ge=0, le=MAX_PROPOSALS_PER_MONTH)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenConfig(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    symbol: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,11}$")]
    supply: TokenAmount


class TreasuryAllocation(_Strict):
    """Minted to the DAO treasury: the timelock, which only executes passed proposals."""

    kind: Literal["treasury"]
    name: Name
    amount: TokenAmount


class DirectAllocation(_Strict):
    """Minted straight to `recipient` (community pool, liquidity, market maker...)."""

    kind: Literal["direct"]
    name: Name
    recipient: Address
    amount: TokenAmount


class VestingAllocation(_Strict):
    """Minted to an OpenZeppelin VestingWallet(+Cliff) for `beneficiary`: nothing before
    `start + cliff`, then linear until `start + duration`."""

    kind: Literal["vesting"]
    name: Name
    beneficiary: Address
    start: Timestamp
    cliff: Duration
    duration: Duration
    amount: TokenAmount

    @field_validator("duration")
    @classmethod
    def _positive_duration(cls, duration: int) -> int:
        if duration == 0:
            raise ValueError("must be greater than 0")
        return duration

    @model_validator(mode="after")
    def _cliff_within_duration(self) -> "VestingAllocation":
        if self.cliff > self.duration:
            raise ValueError(f"cliff ({self.cliff}s) must not exceed duration ({self.duration}s)")
        return self


class AirdropAllocation(_Strict):
    """Minted to the deployer, which moves all of it into the CommunityAirdrop in the same deployment
    (SPEC 5.4): exactly the tree's total plus `airdrop.bonus_reserve`. The deployer holds nothing after."""

    kind: Literal["airdrop"]
    name: Name
    amount: TokenAmount


Allocation = Annotated[
    Union[TreasuryAllocation, DirectAllocation, VestingAllocation, AirdropAllocation], Field(discriminator="kind")
]


class EscrowConfig(_Strict):
    """VotingEscrow parameters (SPEC 2.2)."""

    max_early_penalty_bps: Bps = 5_000


class DistributorConfig(_Strict):
    """RevenueDistributor parameters (SPEC 2.3). The staking token is always a reward token; these
    are added at deployment besides it (at most 7 more: 8 in all)."""

    reward_tokens: Annotated[list[Address], Field(max_length=7)] = []

    @field_validator("reward_tokens")
    @classmethod
    def _unique(cls, tokens: list[str]) -> list[str]:
        repeated = sorted({token for token in tokens if tokens.count(token) > 1})
        if repeated:
            raise ValueError(f"must not repeat a token: {', '.join(repeated)}")
        return tokens


class GovernanceConfig(_Strict):
    """ServiceGovernor and timelock parameters (SPEC 2.4). Durations in seconds or with a unit."""

    voting_delay: Annotated[Duration, Field(lt=2**48)] = 86400
    voting_period: Annotated[Duration, Field(gt=0, lt=2**32)] = 5 * 86400
    proposal_threshold: TokenAmount | None = Field(
        default=None, description="Staking Score needed to propose; default 0.1% of token.supply"
    )
    quorum_percent: Annotated[int, Field(strict=True, ge=1, le=100)] = 4
    minimum_quorum: TokenAmount | None = Field(
        default=None,
        description="Floor of the quorum in Staking Score (SPEC 7); default 1% of token.supply",
    )
    late_quorum_extension: Annotated[Duration, Field(lt=2**48)] = 2 * 86400
    timelock_delay: Duration = 2 * 86400


    @field_validator("minimum_quorum", mode="before")
    @classmethod
    def _explicit_minimum_quorum(cls, value: Any) -> Any:
        # `None` stands for "the default" only when the field is left out: a written `null` is a mistake
        if value is None:
            raise ValueError("must be a number of whole tokens (leave the field out for the default, 1% of token.supply)")
        return value


class LevelsConfig(_Strict):
    """StakingLevels parameters (SPEC 5.1): Staking Score thresholds of levels 1..10 in whole tokens
    and the benefits table (index 0 is level 1). Defaults: Token Metrics' published veTMAI table.
    The rules are the contract's own, so a config it would refuse never reaches the chain."""

    thresholds: Annotated[list[Threshold], Field(min_length=MAX_LEVEL, max_length=MAX_LEVEL)] = list(DEFAULT_THRESHOLDS)
    platform_discount_bps: Annotated[list[BenefitBps], Field(min_length=MAX_LEVEL, max_length=MAX_LEVEL)] = list(DEFAULT_PLATFORM_DISCOUNT_BPS)
    api_discount_bps: Annotated[list[BenefitBps], Field(min_length=MAX_LEVEL, max_length=MAX_LEVEL)] = list(DEFAULT_API_DISCOUNT_BPS)
    referral_bps: Annotated[list[BenefitBps], Field(min_length=MAX_LEVEL, max_length=MAX_LEVEL)] = list(DEFAULT_REFERRAL_BPS)
    proposals_per_month: Annotated[
        list[ProposalsPerMonth], Field(min_length=MAX_LEVEL, max_length=MAX_LEVEL)
    ] = list(DEFAULT_PROPOSALS_PER_MONTH)

    @field_validator("thresholds")
    @classmethod
    def _ascending(cls, thresholds: list[int]) -> list[int]:
        for index, threshold in enumerate(thresholds):
            if index and threshold <= thresholds[index - 1]:
                raise ValueError(
                    f"must be strictly ascending: entry {index} ({format_tokens(threshold)} tokens) is not above "
                    f"entry {index - 1} ({format_tokens(thresholds[index - 1])} tokens)"
                )
        return thresholds

    @field_validator("platform_discount_bps", "api_discount_bps", "referral_bps", "proposals_per_month")
    @classmethod
    def _non_decreasing(cls, table: list[int]) -> list[int]:
        for index, value in enumerate(table):
            if index and value < table[index - 1]:
                raise ValueError(
                    f"must not decrease with the level: entry {index} ({value}) is below entry {index - 1} ({table[index - 1]})"
                )
        return table

    def benefits_tuple(self) -> tuple[tuple[int, ...], ...]:
        """The `Benefits` struct as the constructor and `benefits()` take and return it."""
        return (
            tuple(self.platform_discount_bps), tuple(self.api_discount_bps),
            tuple(self.referral_bps), tuple(self.proposals_per_month),
        )


STAKING_TOKEN = "staking"  # a plan's pay_token meaning the protocol's own token


class PlanConfig(_Strict):
    """A ServiceAccess plan created at deployment (ids from 1, in config order). `price` is whole
    tokens of the pay token per `period`; `decimals` are the pay token's (18 for the staking token;
    for another token they are read from the chain before the first transaction and must match)."""

    name: Name
    pay_token: Union[Literal["staking"], Address]
    decimals: Annotated[int, Field(strict=True, ge=0, le=36)] = DECIMALS
    price: Union[int, str]
    period: Annotated[Duration, Field(gt=0)]

    @field_validator("price", mode="before")
    @classmethod
    def _price_in_the_tokens_decimals(cls, value: Any, info: ValidationInfo) -> Any:
        parse_token_amount(value, info.data.get("decimals", DECIMALS))  # raises naming the problem
        return value

    @model_validator(mode="after")
    def _staking_token_decimals(self) -> "PlanConfig":
        if self.pay_token == STAKING_TOKEN and self.decimals != DECIMALS:
            raise ValueError(f"decimals: the staking token has {DECIMALS}, got {self.decimals}")
        return self

    @property
    def price_per_period(self) -> int:
        """The price in the pay token's base units."""
        return parse_token_amount(self.price, self.decimals)

    def pay_token_address(self, staking_token: str) -> str:
        return staking_token if self.pay_token == STAKING_TOKEN else self.pay_token


class SplitConfig(_Strict):
    """How every payment is split (SPEC 5.2), in bps of the payment; the three sum to 10,000."""

    stakers_bps: Bps = 5_000
    treasury_bps: Bps = 4_000
    burn_bps: Bps = 1_000

    @model_validator(mode="after")
    def _whole(self) -> "SplitConfig":
        total = self.stakers_bps + self.treasury_bps + self.burn_bps
        if total != BPS:
            raise ValueError(f"stakers_bps + treasury_bps + burn_bps must be {BPS}, got {total}")
        return self

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.stakers_bps, self.treasury_bps, self.burn_bps)


# ServiceAccess.MIN_WITHDRAWAL_DELAY / MAX_WITHDRAWAL_DELAY / DEFAULT_WITHDRAWAL_DELAY (a test compares)
MIN_WITHDRAWAL_DELAY = HOUR
MAX_WITHDRAWAL_DELAY = 7 * DAY
DEFAULT_WITHDRAWAL_DELAY = DAY


class AccessConfig(_Strict):
    """ServiceAccess parameters (SPEC 5.2). The treasury is always the timelock."""

    split: SplitConfig = SplitConfig()
    withdrawal_delay: Annotated[Duration, Field(ge=MIN_WITHDRAWAL_DELAY, le=MAX_WITHDRAWAL_DELAY)] = DEFAULT_WITHDRAWAL_DELAY
    plans: list[PlanConfig] = []

    @field_validator("plans")
    @classmethod
    def _unique_names(cls, plans: list[PlanConfig]) -> list[PlanConfig]:
        names = [plan.name for plan in plans]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"plan names must be unique, repeated: {', '.join(repeated)}")
        return plans


class AirdropConfig(_Strict):
    """CommunityAirdrop (SPEC 5.4). `csv` is a file of `address,amount` lines (whole tokens; see
    harness/core/merkle.py), relative to the config file's folder. The claim deadline is either a fixed
    `deadline` or a `claim_window` after the deployment (then recorded in the manifest, so a resumed
    deployment keeps it)."""

    csv: Annotated[str, Field(min_length=1)]
    deadline: Optional[Timestamp] = None
    # validated even when left out: one of the two must be given
    claim_window: Optional[Annotated[Duration, Field(gt=0)]] = Field(default=None, validate_default=True)
    max_lock_bonus_bps: Annotated[int, Field(strict=True, ge=0, le=MAX_AIRDROP_BONUS_BPS)] = 0
    bonus_reserve: TokenAmount = 0

    @field_validator("claim_window")
    @classmethod
    def _one_deadline(cls, claim_window: Optional[int], info: ValidationInfo) -> Optional[int]:
        deadline = info.data.get("deadline")
        if claim_window is None and deadline is None and "deadline" in info.data:
            raise ValueError("give claim_window (a duration after the deployment) or deadline (a time)")
        if claim_window is not None and deadline is not None:
            raise ValueError("give claim_window or deadline, not both")
        return claim_window


class DeployConfig(_Strict):
    token: TokenConfig
    allocations: Annotated[list[Allocation], Field(min_length=1)]
    escrow: EscrowConfig = EscrowConfig()
    distributor: DistributorConfig = DistributorConfig()
    governance: GovernanceConfig = GovernanceConfig()
    levels: LevelsConfig = LevelsConfig()
    access: AccessConfig = AccessConfig()
    airdrop: Optional[AirdropConfig] = None

    @field_validator("allocations")
    @classmethod
    def _allocations_sum_to_supply(cls, allocations: list[Any], info: ValidationInfo) -> list[Any]:
        names = [allocation.name for allocation in allocations]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"allocation names must be unique, repeated: {', '.join(duplicates)}")
        for kind in ("treasury", "airdrop"):
            if sum(1 for allocation in allocations if allocation.kind == kind) > 1:
                raise ValueError(f"at most one allocation may have kind '{kind}'")
        token = info.data.get("token")
        if token is not None:
            total = sum(allocation.amount for allocation in allocations)
            if total != token.supply:
                raise ValueError(
                    f"must sum exactly to token.supply: allocations total {format_tokens(total)} tokens, "
                    f"supply is {format_tokens(token.supply)} tokens (difference {format_tokens(token.supply - total)})"
                )
        return allocations

    @model_validator(mode="after")
    def _airdrop_allocation_and_section_together(self) -> "DeployConfig":
        has_allocation = self.airdrop_allocation is not None
        if has_allocation and self.airdrop is None:
            raise ValueError("airdrop: missing, an allocation has kind 'airdrop' (give its csv, deadline and bonus)")
        if self.airdrop is not None and not has_allocation:
            raise ValueError("airdrop: no allocation has kind 'airdrop' to fund it (its amount: the tree total + bonus_reserve)")
        return self

    @property
    def airdrop_allocation(self) -> Optional[AirdropAllocation]:
        return next((a for a in self.allocations if isinstance(a, AirdropAllocation)), None)

    @model_validator(mode="after")
    def _threshold_reachable(self) -> "DeployConfig":
        threshold = self.governance.proposal_threshold
        if threshold is not None and threshold > 2 * self.token.supply:
            raise ValueError(
                "governance.proposal_threshold: above the largest possible Staking Score "
                f"(2 x token.supply = {format_tokens(2 * self.token.supply)} tokens): nobody could propose"
            )
        return self

    @model_validator(mode="after")
    def _minimum_quorum_useful_and_reachable(self) -> "DeployConfig":
        minimum = self.minimum_quorum
        if minimum > 2 * self.token.supply:
            raise ValueError(
                f"governance.minimum_quorum: above the largest possible Staking Score (2 x token.supply = "
                f"{format_tokens(2 * self.token.supply)} tokens): no proposal could ever pass"
            )
        if minimum <= self.proposal_threshold:
            raise ValueError(
                f"governance.minimum_quorum: {format_tokens(minimum)} tokens must be above the proposal threshold "
                f"({format_tokens(self.proposal_threshold)} tokens): else a proposer at the threshold passes "
                "proposals on its own votes while little is locked"
            )
        return self

    @model_validator(mode="after")
    def _plans_pay_in_reward_tokens(self) -> "DeployConfig":
        rewards = set(self.distributor.reward_tokens)
        for index, plan in enumerate(self.access.plans):
            if plan.pay_token != STAKING_TOKEN and plan.pay_token not in rewards:
                raise ValueError(
                    f"access.plans.{index}.pay_token: {plan.pay_token} is not in distributor.reward_tokens "
                    f"(a plan is paid in '{STAKING_TOKEN}' or a reward token)"
                )
        return self

    @property
    def proposal_threshold(self) -> int:
        """In base units of Staking Score: the configured one or 0.1% of the supply."""
        threshold = self.governance.proposal_threshold
        return threshold if threshold is not None else self.token.supply // 1000

    @property
    def minimum_quorum(self) -> int:
        """In base units of Staking Score: the configured one or 1% of the supply (SPEC 7)."""
        minimum = self.governance.minimum_quorum
        return minimum if minimum is not None else self.token.supply // 100

    def allocation_rows(
        self, treasury: str, vesting_wallets: dict[str, str], deployer: str = ""
    ) -> list[tuple[str, str, int]]:
        """(allocation name, recipient address, amount) in config order: the treasury allocation goes
        to `treasury` (the timelock), a vesting allocation to its wallet in `vesting_wallets`
        (allocation name -> address, as Manifest.vesting_wallets gives it), the airdrop allocation to
        `deployer`, which funds the airdrop with it."""
        rows = []
        for allocation in self.allocations:
            if allocation.kind == "treasury":
                recipient = treasury
            elif allocation.kind == "airdrop":
                recipient = deployer
            elif allocation.kind == "direct":
                recipient = allocation.recipient
            else:
                recipient = vesting_wallets[allocation.name]
            rows.append((allocation.name, recipient, allocation.amount))
        return rows

    def digest(self) -> str:
        """sha256 of the validated config in canonical JSON: what a manifest was deployed from."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return "0x" + hashlib.sha256(canonical.encode()).hexdigest()


def _location(loc: tuple[Any, ...]) -> str:
    # pydantic puts the union member's tag into the path (allocations.2.vesting.cliff): drop it
    parts = [str(part) for part in loc if part not in ("treasury", "direct", "vesting", "airdrop") or part == loc[0]]
    return ".".join(parts) or "(top level)"


def parse_config(data: Any, path: str | Path = "<config>") -> DeployConfig:
    """Validate already-loaded YAML data; raise ConfigError naming every broken field."""
    if not isinstance(data, dict):
        raise ConfigError(path, [f"(top level): must be a mapping of fields, got {type(data).__name__}"])
    try:
        return DeployConfig.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = item["msg"].removeprefix("Value error, ")
            # a whole-config rule names its own fields in the message
            problems.append(f"{_location(tuple(item['loc']))}: {message}" if item["loc"] else message)
        raise ConfigError(path, problems) from None


def load_config(path: str | Path) -> DeployConfig:
    """Read and validate a deploy config file; raise ConfigError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, ["(file): no such file"])
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ConfigError(path, [f"(file): not valid YAML: {error}"]) from None
    return parse_config(data, path)
