from pathlib import Path

import pytest

from harness.config import load_config

REPO = Path(__file__).resolve().parents[2]
LOCAL_CONFIG = REPO / "config" / "local.yaml"


@pytest.fixture(scope="module")
def config():
    return load_config(LOCAL_CONFIG)


@pytest.fixture
def manifest_file(tmp_path):
    return tmp_path / "deployments" / "test-31337.json"


@pytest.fixture
def deploy(config, accounts, manifest_file):
    """Run a deployment of `config/local.yaml` (or another config) into a temporary manifest."""
    from harness.deploy import Deployment

    def run(cfg=None, path=manifest_file):
        deployment = Deployment(
            config=cfg or config, config_path=str(LOCAL_CONFIG), deployer=accounts[0], manifest_file=path
        )
        deployment.run()
        return deployment

    return run
