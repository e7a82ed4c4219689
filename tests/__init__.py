"""The test suite, importable as a package: `from tests.support import ...`, `from tests.models import ...`."""
