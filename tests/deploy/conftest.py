import pytest
import yaml

from harness.core.config import load_config
from harness.core.paths import LOCAL_CONFIG as RELATIVE_LOCAL_CONFIG
from harness.core.paths import REPO_ROOT

LOCAL_CONFIG = REPO_ROOT / RELATIVE_LOCAL_CONFIG


@pytest.fixture(scope="module")
def config():
    return load_config(LOCAL_CONFIG)


@pytest.fixture
def config_data():
    """config/local.yaml as written (whole tokens), a fresh copy to edit and parse: a validated
    config's model_dump holds base units, which parsing again would read as whole tokens."""
    return yaml.safe_load(LOCAL_CONFIG.read_text())


@pytest.fixture
def manifest_file(tmp_path):
    return tmp_path / "deployments" / "test-31337.json"


@pytest.fixture
def deploy(config, accounts, manifest_file):
    """Run a deployment of `config/local.yaml` (or another validated config) into a temporary manifest
    through harness.deploy.steps.deploy_from_config, as every caller deploys."""
    from harness.deploy.steps import deploy_from_config  # binds the project's contract types: once it is loaded

    def run(cfg=None, path=manifest_file):
        return deploy_from_config(cfg or config, config_path=LOCAL_CONFIG, deployer=accounts[0], manifest_file=path)

    return run
