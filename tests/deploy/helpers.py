"""Helpers for the deploy tests."""

import json


def rewrite(path, change):
    """Apply `change` to a manifest's JSON and save it back (a tampered manifest)."""
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))
