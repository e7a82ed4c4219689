"""`make demo`: deploy the protocol to the local Anvil chain brownie starts, then show staking at work:
holders lock for 1, 3, 6 and 12 months, the platform pays weekly revenue, weeks pass, and each
holder's Staking Score and claimable revenue are printed; one holder claims, one reinvests."""

from __future__ import annotations

from datetime import datetime, timezone

from brownie import RevenueDistributor, ServiceToken, VotingEscrow, accounts

from harness.chain import WEEK, mine_at, now, settle, week_start
from harness.config import UNIT, format_tokens
from harness.ops import claimed
from scripts import deploy

# (label, Anvil account, tokens locked, lock length in weeks)
HOLDERS = [
    ("1-month", 6, 100_000, 4),
    ("3-month", 7, 100_000, 13),
    ("6-month", 8, 100_000, 26),
    ("12-month", 9, 100_000, 52),
]
WEEKLY_REVENUE = 10_000 * UNIT
DEMO_WEEKS = 3


def main() -> None:
    manifest = deploy.main()
    token = ServiceToken.at(manifest.address_of("ServiceToken"))
    escrow = VotingEscrow.at(manifest.address_of("VotingEscrow"))
    distributor = RevenueDistributor.at(manifest.address_of("RevenueDistributor"))
    community = accounts[2]  # the community pool hands out tokens
    platform = accounts[3]  # the platform's revenue wallet (Anvil account 3, the liquidity allocation)

    print("\n== Staking: four holders lock 100,000 AIS each ==")
    start = mine_at(week_start(now()) + WEEK + 3600)  # one hour into a fresh week
    for label, index, tokens, weeks in HOLDERS:
        holder = accounts[index]
        token.transfer(holder, tokens * UNIT, {"from": community, "silent": True})
        token.approve(escrow, tokens * UNIT, {"from": holder, "silent": True})
        escrow.createLock(tokens * UNIT, start + weeks * WEEK, {"from": holder, "silent": True})
    print_scores(escrow, distributor, token, "right after locking")

    print(f"\n== The platform pays {format_tokens(WEEKLY_REVENUE)} AIS of revenue every week for {DEMO_WEEKS} weeks ==")
    token.approve(distributor, DEMO_WEEKS * WEEKLY_REVENUE, {"from": platform, "silent": True})
    for week in range(DEMO_WEEKS):
        distributor.depositRevenue(token, WEEKLY_REVENUE, {"from": platform, "silent": True})
        mine_at(week_start(now()) + WEEK + 3600)
    print_scores(escrow, distributor, token, f"{DEMO_WEEKS} weeks later")

    paid_out, reinvested = accounts[HOLDERS[3][1]], accounts[HOLDERS[2][1]]
    claim = distributor.claim([token], {"from": paid_out, "silent": True})
    print(f"\n12-month holder claims: {format_tokens(claimed(claim)[token.address])} AIS paid to its wallet")
    relock = distributor.claimAndLock({"from": reinvested, "silent": True})
    print(f"6-month holder reinvests: {format_tokens(claimed(relock)[token.address])} AIS added to its lock")
    print_scores(escrow, distributor, token, "after the claims")
    settle()


def print_scores(escrow, distributor, token, moment: str) -> None:
    t = now()
    print(f"\n  Staking Scores {moment} ({datetime.fromtimestamp(t, timezone.utc):%Y-%m-%d %H:%M} UTC)")
    print(f"  {'holder':<10} {'locked':>12} {'unlocks':>11} {'score':>14} {'mult':>6} {'claimable':>12}")
    for label, index, _, _ in HOLDERS:
        holder = accounts[index]
        amount, end, _ = escrow.locked(holder)
        score = escrow.balanceOf(holder)
        multiplier = score / amount if amount else 0
        claimable = distributor.claimable(holder, token)
        unlocks = datetime.fromtimestamp(end, timezone.utc).strftime("%Y-%m-%d")
        print(
            f"  {label:<10} {_round(amount):>12} {unlocks:>11} {_round(score):>14}"
            f" {multiplier:>5.3f}x {_round(claimable):>12}"
        )
    print(f"  total Staking Score {_round(escrow.totalSupply())}")


def _round(base_units: int) -> str:
    return f"{base_units / UNIT:,.2f}"
