"""Plain-Python reference models of the protocol math (no brownie imports)."""
