"""What the test suites share: the one revert matcher (reverts.py), the hypothesis budgets
(profiles.py), running scripts in subprocesses (scripts.py), a smart-wallet stand-in (wallet.py) and
the fixtures' values (constants.py). Units, signing and the protocol's formulas come from harness."""
