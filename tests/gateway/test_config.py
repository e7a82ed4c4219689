"""The gateway's config file and the settler's key (gateway/config.py): every field checked and named,
paths relative to the file, DATABASE_URL over the file, and the scripts' SIGNER rules."""

from __future__ import annotations

import json

import pytest
from eth_account import Account

from gateway.config import GatewayConfigError, load_gateway_config, settler_key
from harness.core.errors import ScriptError
from harness.core.paths import REPO_ROOT
from harness.core.signing import anvil_private_key

VALID = {"rpc_url": "http://127.0.0.1:8545", "manifest": "deployments/x.json", "catalog": "catalog.yaml"}
KEY = "0x" + "11" * 32


def write(tmp_path, data) -> str:
    path = tmp_path / "gateway.yaml"
    path.write_text(json.dumps(data))  # JSON is YAML
    return str(path)


def test_the_repos_config_loads_with_its_documented_values():
    config = load_gateway_config(REPO_ROOT / "config" / "gateway.yaml", environ={})
    assert config.manifest == REPO_ROOT / "deployments" / "development-31337.json"
    assert config.catalog == REPO_ROOT / "config" / "gateway-catalog.yaml"
    assert config.database_url == f"sqlite:///{REPO_ROOT / 'gateway.db'}"
    assert (config.min_receipt_lifetime, config.settlement.interval, config.settlement.watch_interval) == (86_400, 300, 2)


def test_paths_are_relative_to_the_config_files_folder(tmp_path):
    config = load_gateway_config(write(tmp_path, {**VALID, "database_url": "sqlite:///data/g.db"}), environ={})
    assert config.manifest == tmp_path / "deployments" / "x.json"
    assert config.catalog == tmp_path / "catalog.yaml"
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'g.db'}"


def test_database_url_in_the_environment_wins(tmp_path):
    config = load_gateway_config(write(tmp_path, VALID), environ={"DATABASE_URL": "sqlite:////srv/gateway.db"})
    assert config.database_url == "sqlite:////srv/gateway.db"


@pytest.mark.parametrize("field, value, named", [
    ("rpc_url", "ftp://node", "rpc_url: String should match pattern"),
    ("port", 70000, "port: Input should be less than or equal to 65535"),
    ("min_receipt_lifetime", "soon", "min_receipt_lifetime: must be seconds or a number with a unit"),
    ("settlement", {"interval": 0}, "settlement.interval: Input should be greater than 0"),
    ("settlement", {"every": "5m"}, "settlement.every: Extra inputs are not permitted"),
    ("max_body_bytes", 10, "max_body_bytes: Input should be greater than or equal to 1024"),
    ("colour", "blue", "colour: Extra inputs are not permitted"),
])
def test_each_bad_field_is_named(tmp_path, field, value, named):
    with pytest.raises(GatewayConfigError) as raised:
        load_gateway_config(write(tmp_path, {**VALID, field: value}), environ={})
    assert named in str(raised.value)


def test_a_missing_field_and_a_missing_file_are_named(tmp_path):
    with pytest.raises(GatewayConfigError, match="rpc_url: Field required"):
        load_gateway_config(write(tmp_path, {"manifest": "m.json", "catalog": "c.yaml"}), environ={})
    with pytest.raises(GatewayConfigError, match=r"\(file\): no such file"):
        load_gateway_config(tmp_path / "absent.yaml", environ={})


def test_settler_key_from_signer_private_key():
    assert settler_key(1, {"SIGNER_PRIVATE_KEY": KEY}) == KEY
    with pytest.raises(ScriptError, match="SIGNER_PRIVATE_KEY: not a valid private key"):
        settler_key(1, {"SIGNER_PRIVATE_KEY": "0x12"})


def test_an_anvil_index_only_on_a_local_anvil_chain():
    assert settler_key(31337, {}) == anvil_private_key(0)
    assert settler_key(31337, {"SIGNER": "4"}) == anvil_private_key(4)
    with pytest.raises(ScriptError, match="chain 8453 is not a local Anvil chain"):
        settler_key(8453, {"SIGNER": "4"})


def test_a_keystore_file_unlocked_by_signer_password(tmp_path):
    keystore = tmp_path / "settler.json"
    keystore.write_text(json.dumps(Account.encrypt(KEY, "pass")))
    assert settler_key(8453, {"SIGNER": str(keystore), "SIGNER_PASSWORD": "pass"}) == KEY
    with pytest.raises(ScriptError, match="SIGNER_PASSWORD: wrong password"):
        settler_key(8453, {"SIGNER": str(keystore), "SIGNER_PASSWORD": "nope"})
    with pytest.raises(ScriptError, match="SIGNER_PASSWORD: needed"):
        settler_key(8453, {"SIGNER": str(keystore)})
    with pytest.raises(ScriptError, match="SIGNER: no brownie keystore account or keystore file named 'ghost'"):
        settler_key(8453, {"SIGNER": "ghost", "SIGNER_PASSWORD": "pass"})
