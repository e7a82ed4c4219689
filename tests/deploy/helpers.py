"""Helpers for the deploy tests."""

import json

import pytest

from harness.core.config import parse_config
from harness.core.errors import ConfigError


def rewrite(path, change):
    """Apply `change` to a manifest's JSON and save it back (a tampered manifest)."""
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def problems(data):
    """Every problem parse_config names in `data` (it must refuse it)."""
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "test.yaml")
    return raised.value.problems


def only_problem(data):
    found = problems(data)
    assert len(found) == 1, found
    return found[0]
