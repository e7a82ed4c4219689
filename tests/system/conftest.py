"""The world every system-fuzz example starts from: the protocol as scripts/deploy.py deploys it
(tests/conftest.py `system`), seven holders funded from the community allocation (Anvil account 2), a
second ERC-20 made a reward token through a real governance proposal, a third ERC-20 that is never
listed, a few locks of very different sizes (one permanent), some revenue in both tokens, and a
CommunityAirdrop (SPEC 5.4) for the holders and two addresses that never claim, funded by plain
transfers (the airdrop total from the community allocation, a bonus reserve from the funder), its
treasury the timelock, made a trusted lock creator of the escrow by the set-up proposal. Built once
per module through the same model-checked actions the rules use; each example starts from a copy of
its model and a revert of the chain to it."""

from copy import deepcopy

import pytest

from eth_utils import keccak, to_checksum_address

from harness.chain import time as hchain
from harness.core.merkle import AIRDROP_LEAF_ENCODING, StandardMerkleTree
from harness.core.signing import anvil_private_key
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK
from tests.models.system_model import FOR, A, SystemModel
from tests.support.batch import reader_container
from tests.system.helpers import Ops, settle_chain

FUND = 20_000_000 * UNIT

# The airdrop: holders[i] is allocated AIRDROP_AMOUNTS[i]. holders[5]'s is below the escrow's
# MIN_LOCK_AMOUNT (even with the largest bonus), and it starts without a lock: claimed into a new lock
# it reverts AmountBelowMinimum, into a lock it made first it goes in; holders[4]'s few tokens go into
# the minimum lock until it expires; holders[1]'s bonus into its 12-month lock exceeds the whole reserve.
# Two keyless addresses are in the tree and never claim.
AIRDROP_AMOUNTS = [40_000 * UNIT, 1_500_000 * UNIT + 3, 777 * UNIT, 25_000 * UNIT + 1, 3 * UNIT + 1, UNIT // 2,
                   120_000 * UNIT]
AIRDROP_OUTSIDERS = [(to_checksum_address(keccak(text=f"system-fuzz:airdrop-outsider-{n}")[-20:]), amount)
                     for n, amount in ((1, 1_000_000 * UNIT), (2, 9 * UNIT + 5))]
AIRDROP_WINDOW = 10 * WEEK  # claims close this long after the world's start (the set-up takes ~8 days)
AIRDROP_BONUS_BPS = 5_000
AIRDROP_RESERVE = 200_000 * UNIT


class World:
    def __init__(self, system, accounts, ServiceToken, CommunityAirdrop):
        self.system = system
        s = system
        self.deployer = accounts[0]
        self.keeper = accounts[0]
        self.community = accounts[2]
        self.funder = accounts[3]  # liquidity allocation: pays revenue in both tokens
        self.holders = [accounts[i] for i in (1, 4, 5, 6, 7, 8, 9)]
        self.keys = {A(accounts[i]): anvil_private_key(i) for i in (1, 4, 5, 6, 7, 8, 9)}  # permits
        self.token = s.token
        self.token2 = ServiceToken.deploy(
            "Test USD", "TUSD", [self.funder, s.timelock], [10**27, 10**26], {"from": self.deployer}
        )
        self.unlisted = ServiceToken.deploy("Never Listed", "NL", [self.deployer], [UNIT], {"from": self.deployer})
        self.contracts = {A(self.token): self.token, A(self.token2): self.token2}
        self.reader = reader_container().deploy({"from": self.deployer})
        for h in self.holders:
            s.token.transfer(h, FUND, {"from": self.community})
            self.token2.transfer(h, 1_000_000 * UNIT, {"from": self.funder})
        for a in self.holders + [self.funder]:
            s.token.approve(s.escrow, MAX_UINT256, {"from": a})
            for spender in (s.distributor, s.access):  # the access pulls payments and credits
                s.token.approve(spender, MAX_UINT256, {"from": a})
                self.token2.approve(spender, MAX_UINT256, {"from": a})
        # the airdrop: a tree over the holders and the outsiders, funded by plain transfers
        self.airdrop_leaves = [(A(h), v) for h, v in zip(self.holders, AIRDROP_AMOUNTS)] + AIRDROP_OUTSIDERS
        self.airdrop_index = {a: n for n, (a, _) in enumerate(self.airdrop_leaves)}
        self.airdrop_tree = StandardMerkleTree.of([(a, str(v)) for a, v in self.airdrop_leaves], AIRDROP_LEAF_ENCODING)
        airdrop_total = sum(v for _, v in self.airdrop_leaves)
        self.airdrop = CommunityAirdrop.deploy(s.escrow, self.airdrop_tree.root, airdrop_total,
                                               hchain.now() + AIRDROP_WINDOW, AIRDROP_BONUS_BPS, s.timelock,
                                               {"from": self.deployer})
        s.token.transfer(self.airdrop, airdrop_total, {"from": self.community})
        s.token.transfer(self.airdrop, AIRDROP_RESERVE, {"from": self.funder})
        self.vesting = list(s.manifest.vesting_wallets().values())
        self.tracked = [A(a) for a in accounts] + [A(x) for x in (s.escrow, s.distributor, s.timelock, s.governor, s.access)] + [
            A(v) for v in self.vesting
        ] + [A(self.airdrop), A(s.airdrop)] + [a for a, _ in AIRDROP_OUTSIDERS]  # s.airdrop: the deployment's
        g = s.governor
        self.model = SystemModel(
            token=s.token, token2=self.token2, escrow=s.escrow, distributor=s.distributor, governor=g,
            timelock=s.timelock, start_week=s.distributor.startWeek(), bps=s.escrow.maxEarlyPenaltyBps(),
            balances={t: {a: t.balanceOf(a) for a in self.tracked} for t in (s.token, self.token2)},
            supplies={t: t.totalSupply() for t in (s.token, self.token2)},
            governor_settings={
                "votingDelay": g.votingDelay(), "votingPeriod": g.votingPeriod(),
                "proposalThreshold": g.proposalThreshold(), "lateQuorumVoteExtension": g.lateQuorumVoteExtension(),
            },
            quorum_numerator=g.quorumNumerator(), minimum_quorum=g.minimumQuorum(),
            timelock_delay=s.timelock.getMinDelay(),
            escrow_allowances={a: s.token.allowance(a, s.escrow) for a in self.tracked},
        )
        access = s.access
        self.model.attach_services(
            access, s.levels.thresholds(), s.levels.benefits(),
            (access.stakersBps(), access.treasuryBps(), access.burnBps()), access.withdrawalDelay(),
            {i: tuple(access.plans(i)) for i in range(1, access.planCount() + 1)},
        )
        self.model.attach_airdrop(self.airdrop, dict(self.airdrop_leaves), airdrop_total, self.airdrop.claimDeadline(),
                                  self.airdrop.maxLockBonusBps())
        assert self.model.airdrop.bonus_reserve() == self.airdrop.bonusReserve() == AIRDROP_RESERVE
        assert self.model.supply[A(s.token)] == sum(self.model.balances[A(s.token)].values())
        assert self.model.supply[A(self.token2)] == sum(self.model.balances[A(self.token2)].values())

        ops = Ops(self, self.model)
        h = self.holders
        ops.lock(h[0], h[0], 5_000_000 * UNIT, 52)
        ops.lock_permanent(h[0])
        ops.lock(h[1], h[1], 3_000_000 * UNIT + 7, 52)
        ops.lock(h[2], h[2], 1_000_000 * UNIT, 20)
        ops.set_lock_creator(h[3], self.funder, True)
        ops.lock(self.funder, h[3], 100_000 * UNIT, 4)  # createLockFor by an approved lock creator
        ops.lock(h[4], h[4], UNIT + 10**6, 2)  # the minimum lock and a few wei
        ops.deposit(self.funder, s.token, 1_000_000 * UNIT)
        # the DAO accepts token2, sells a plan in it (plan 3, after config/local.yaml's two) and trusts
        # the airdrop to create locks (SPEC 7)
        p = ops.cycle(h[0], [("add_reward", A(self.token2)), ("create_plan", A(self.token2), 30 * UNIT + 1, 30 * DAY),
                             ("trust_creator", A(self.airdrop), True)],
                      [h[0], h[1]], [FOR, FOR], self.keeper)
        assert p is not None and p.executed, "the set-up proposal must pass"
        assert s.access.planCount() == 3
        assert A(self.token2) in [A(t) for t in s.distributor.rewardTokens()]
        assert s.escrow.isTrustedLockCreator(self.airdrop)
        assert hchain.now() < self.airdrop.claimDeadline() - 4 * WEEK
        ops.deposit(self.funder, self.token2, 50_000 * UNIT)
        settle_chain()

    def fresh_model(self):
        return deepcopy(self.model)


@pytest.fixture(scope="module")
def world(system, accounts, ServiceToken, CommunityAirdrop):
    return World(system, accounts, ServiceToken, CommunityAirdrop)
