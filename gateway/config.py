"""The gateway's configuration file (docs/gateway.md), and the settler's key by the scripts' `SIGNER` rules.

    rpc_url: http://127.0.0.1:8545
    manifest: ../deployments/development-31337.json   # paths are relative to this file's folder
    database_url: sqlite:///../gateway.db               # the environment's DATABASE_URL wins
    catalog: gateway-catalog.yaml
    host: 127.0.0.1
    port: 8080
    min_receipt_lifetime: 1d
    max_body_bytes: 262144
    settlement: {enabled: true, interval: 5m, watch_interval: 2s}

The settler only pays gas: `redeemUsageBatch` is open to anyone, and charges what the holders signed.
Its key follows harness/chain/accounts.py: `SIGNER_PRIVATE_KEY`; or `SIGNER` naming a keystore file or a
`brownie accounts` id (unlocked with `SIGNER_PASSWORD`); or, on a local Anvil chain (id 31337) only,
`SIGNER=N` for Anvil account N (default 0).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Mapping

import yaml
from eth_account import Account
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from harness.core.errors import ProblemsError, ScriptError
from harness.core.signing import anvil_private_key
from harness.core.units import is_whole_number, parse_duration

DATABASE_URL_VARIABLE = "DATABASE_URL"
ANVIL_CHAIN_ID = 31337  # `SIGNER=N` (a public test key) is refused on any other chain
BROWNIE_KEYSTORES = Path.home() / ".brownie" / "accounts"


class GatewayConfigError(ProblemsError):
    """A gateway config file that cannot be used: one line per broken field."""

    heading = "invalid gateway config"


Seconds = Annotated[int, BeforeValidator(lambda value: parse_duration(value)), Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SettlementConfig(_Strict):
    """When the gateway settles: everything unsettled every `interval`, and an account at once when a
    `WithdrawalRequested` of it appears (polled every `watch_interval`)."""

    enabled: bool = True
    interval: Seconds = 300
    watch_interval: Seconds = 2


class GatewayConfig(_Strict):
    rpc_url: Annotated[str, Field(pattern=r"^(https?|wss?)://")]
    manifest: Path
    database_url: Annotated[str, Field(min_length=1)] = "sqlite:///gateway.db"
    catalog: Path
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    min_receipt_lifetime: Seconds = 86_400
    max_body_bytes: Annotated[int, Field(ge=1024, le=16 * 1024 * 1024)] = 256 * 1024
    settlement: SettlementConfig = SettlementConfig()


def load_yaml_mapping(path: Path, error: type[ProblemsError]) -> dict[str, Any]:
    """A YAML file whose top level is a mapping, or `error` naming what is wrong with the file."""
    if not path.is_file():
        raise error(path, ["(file): no such file"])
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as problem:
        raise error(path, [f"(file): not valid YAML: {problem}"]) from None
    if not isinstance(data, dict):
        raise error(path, [f"(top level): must be a mapping of fields, got {type(data).__name__}"])
    return data


def validated(model: type[BaseModel], data: Mapping[str, Any], source: str | Path, error: type[ProblemsError]) -> Any:
    """`model` validated from `data`, or `error` with one line per broken field (`where: what`)."""
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        lines = []
        for item in problem.errors():
            where = ".".join(str(part) for part in item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            lines.append(f"{where}: {message}" if where else message)
        raise error(source, lines) from None


def load_gateway_config(path: str | Path, environ: Mapping[str, str] | None = None) -> GatewayConfig:
    """The config at `path`, its paths made absolute from its folder, `DATABASE_URL` applied."""
    path = Path(path)
    environ = os.environ if environ is None else environ
    data = dict(load_yaml_mapping(path, GatewayConfigError))
    if environ.get(DATABASE_URL_VARIABLE):
        data["database_url"] = environ[DATABASE_URL_VARIABLE]
    config = validated(GatewayConfig, data, path, GatewayConfigError)
    folder = path.resolve().parent
    updates: dict[str, Any] = {"manifest": _under(folder, config.manifest), "catalog": _under(folder, config.catalog)}
    prefix = "sqlite:///"
    if config.database_url.startswith(prefix) and not config.database_url[len(prefix):].startswith("/"):
        updates["database_url"] = prefix + str(_under(folder, Path(config.database_url[len(prefix):])))
    return config.model_copy(update=updates)


def _under(folder: Path, path: Path) -> Path:
    """`path` from `folder` (an absolute `path` as it is), `..` folded away."""
    return Path(os.path.normpath(folder / path))


def settler_key(chain_id: int, environ: Mapping[str, str] | None = None) -> str:
    """The settler's private key by the scripts' SIGNER rules (module docstring). Never printed."""
    environ = os.environ if environ is None else environ
    private_key = environ.get("SIGNER_PRIVATE_KEY")
    choice = environ.get("SIGNER", "").strip()
    if private_key:
        try:
            return Account.from_key(private_key).key.to_0x_hex()
        except Exception:
            raise ScriptError("SIGNER_PRIVATE_KEY: not a valid private key") from None
    if choice and not is_whole_number(choice):
        keystore = Path(choice) if Path(choice).is_file() else BROWNIE_KEYSTORES / f"{choice}.json"
        if not keystore.is_file():
            raise ScriptError(f"SIGNER: no brownie keystore account or keystore file named {choice!r}")
        if "SIGNER_PASSWORD" not in environ:
            raise ScriptError("SIGNER_PASSWORD: needed to unlock the keystore (the gateway runs unattended)")
        try:
            return Account.decrypt(keystore.read_text(), environ["SIGNER_PASSWORD"]).to_0x_hex()
        except ValueError:
            raise ScriptError("SIGNER_PASSWORD: wrong password for the keystore") from None
    if chain_id != ANVIL_CHAIN_ID:
        raise ScriptError(f"chain {chain_id} is not a local Anvil chain: set SIGNER to a keystore "
                          "(with SIGNER_PASSWORD) or SIGNER_PRIVATE_KEY")
    return anvil_private_key(int(choice or "0"))
