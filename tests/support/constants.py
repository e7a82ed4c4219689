"""Values the test fixtures are built with (the protocol's own constants are harness.core.units and
the contracts' views; nothing here repeats them)."""

from harness.core.units import UNIT

SUPPLY = 1_000_000_000 * UNIT  # the root `token` fixture's supply, split over accounts 1..9
PENALTY_BPS = 5_000  # the early-exit rate of the escrows the fixtures deploy (config/local.yaml's)
BIG = 10**30  # the supply of a stand-in reward token: more than any test deposits

# Anvil's default accounts (mnemonic "test test ... junk"), the only unlocked ones it starts with.
ANVIL_ACCOUNTS = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
]
