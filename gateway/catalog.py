"""The gateway's price list (SPEC 6): a YAML catalog of services, each priced per call in one or more pay
tokens, and the one formula that turns a list price into what a caller at a level pays.

A call's price is `price * (10_000 - apiDiscountBps(level)) / 10_000`, rounded down (in the caller's
favour, like every discount of the protocol), with `level = levelOf(caller)` read from StakingLevels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from gateway.config import load_yaml_mapping, validated
from harness.core.errors import ProblemsError
from harness.core.units import BPS, DECIMALS, parse_address, parse_token_amount

STAKING_TOKEN = "staking"  # the protocol's own token, as in the deploy config's plans
SERVICE_NAMES = ("sentiment", "trend")  # the services gateway/services.py implements



def parse_pay_token(value: Any) -> str:
    """`staking` or a checksummed address."""
    return STAKING_TOKEN if value == STAKING_TOKEN else parse_address(value)


PayToken = Annotated[str, BeforeValidator(parse_pay_token)]


class CatalogError(ProblemsError):
    """A catalog file that cannot be used: one line per broken field."""

    heading = "invalid gateway catalog"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServicePrice(_Strict):
    """The list price of one call in one pay token, in whole tokens of that token."""

    pay_token: PayToken
    decimals: Annotated[int, Field(strict=True, ge=0, le=36)] = DECIMALS
    price: Union[int, str]

    @field_validator("price", mode="before")
    @classmethod
    def _price_in_the_tokens_decimals(cls, value: Any, info: Any) -> Any:
        if parse_token_amount(value, info.data.get("decimals", DECIMALS)) == 0:
            raise ValueError("must be greater than 0")
        return value

    @model_validator(mode="after")
    def _staking_token_decimals(self) -> "ServicePrice":
        if self.pay_token == STAKING_TOKEN and self.decimals != DECIMALS:
            raise ValueError(f"decimals: the staking token has {DECIMALS}, got {self.decimals}")
        return self

    @property
    def base_units(self) -> int:
        return parse_token_amount(self.price, self.decimals)

    def pay_token_address(self, staking_token: str) -> str:
        return staking_token if self.pay_token == STAKING_TOKEN else self.pay_token


class ServiceEntry(_Strict):
    name: Literal["sentiment", "trend"]
    description: Annotated[str, Field(min_length=1, max_length=200)]
    prices: Annotated[list[ServicePrice], Field(min_length=1, max_length=8)]

    @model_validator(mode="after")
    def _one_price_per_token(self) -> "ServiceEntry":
        tokens = [price.pay_token for price in self.prices]
        for index, token in enumerate(tokens):
            if token in tokens[:index]:
                raise ValueError(f"prices.{index}.pay_token: {token} is priced twice")
        return self


class Catalog(_Strict):
    services: Annotated[list[ServiceEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_names(self) -> "Catalog":
        names = [service.name for service in self.services]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValueError(f"services.{index}.name: {name} is listed twice")
        return self

    def service(self, name: str) -> ServiceEntry | None:
        return next((service for service in self.services if service.name == name), None)


def discounted_price(list_price: int, api_discount_bps: int) -> int:
    """What a caller whose level gives `api_discount_bps` pays for a call listed at `list_price`."""
    if not 0 <= api_discount_bps <= BPS:
        raise ValueError(f"api_discount_bps: {api_discount_bps} is not 0..{BPS}")
    return list_price * (BPS - api_discount_bps) // BPS


def parse_catalog(data: Any, source: str | Path = "<catalog>") -> Catalog:
    """Validate already-loaded YAML data; raise CatalogError naming every broken field."""
    if not isinstance(data, dict):
        raise CatalogError(source, [f"(top level): must be a mapping of fields, got {type(data).__name__}"])
    return validated(Catalog, data, source, CatalogError)


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file."""
    return parse_catalog(load_yaml_mapping(Path(path), CatalogError), path)
