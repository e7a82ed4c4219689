"""The protocol or one account at a glance, read-only (scripts/status.py)."""

from __future__ import annotations

from harness.chain.protocol import Protocol
from harness.chain.time import now
from harness.core.staking import week_start
from harness.core.units import WEEK, date, format_tokens
from harness.ops.locks import lock_of

WEEKS_SHOWN = 4


def print_protocol(protocol: Protocol) -> None:
    """Supply, locks, Staking Score, treasury, governor settings, weekly revenue and what is booked
    and not yet claimed per reward token."""
    token, escrow, distributor, governor = protocol.token, protocol.escrow, protocol.distributor, protocol.governor
    t = now()
    symbol = token.symbol()
    print(f"\n{protocol.manifest.network} (chain id {protocol.manifest.chain_id}) at {date(t)}")
    print(f"  {symbol} supply                {format_tokens(token.totalSupply()):>28}")
    print(f"  locked in the escrow        {format_tokens(escrow.supply()):>28}")
    print(f"  total Staking Score         {format_tokens(escrow.totalSupply()):>28}")
    print(f"  treasury (timelock)         {format_tokens(token.balanceOf(protocol.timelock)):>28}")
    print(f"  governor: threshold {format_tokens(governor.proposalThreshold())}, quorum max({governor.quorumNumerator()}%,"
          f" {format_tokens(governor.minimumQuorum())}), proposals {governor.proposalCount()}")
    this_week = week_start(t)
    print(f"\n  revenue per week (the current week, {date(this_week)}, is still open)")
    for address in distributor.rewardTokens():
        reward = protocol.erc20(address)
        decimals = reward.decimals()
        weeks = [this_week - i * WEEK for i in range(WEEKS_SHOWN)]
        amounts = ", ".join(format_tokens(distributor.tokensPerWeek(address, w), decimals) for w in weeks)
        pending = distributor.accounted(address)
        print(f"    {reward.symbol():<8} last {WEEKS_SHOWN} weeks (newest first): {amounts}")
        print(f"    {'':<8} booked and not yet claimed: {format_tokens(pending, decimals)}")


def print_account(protocol: Protocol, account: str) -> None:
    """One account: wallet, lock, Staking Score, votes, auto-compound, claimable revenue."""
    escrow, distributor, token = protocol.escrow, protocol.distributor, protocol.token
    lock = lock_of(protocol, account)
    print(f"\n{account} at {date(now())}")
    print(f"  wallet                {format_tokens(token.balanceOf(account))} {token.symbol()}")
    if lock.exists:
        ends = "permanent" if lock.permanent else (
            f"ends {date(lock.end)}" if lock.end > now() else f"EXPIRED {date(lock.end)}: withdraw or relock"
        )
        score = escrow.balanceOf(account)
        print(f"  locked                {format_tokens(lock.amount)} ({ends})")
        print(f"  Staking Score         {format_tokens(score)} ({score / lock.amount:.3f}x)")
    else:
        print("  locked                nothing")
    delegate = escrow.delegates(account)
    print(f"  votes                 {format_tokens(escrow.getVotes(account))}"
          + ("" if delegate == account else f" (own score delegated to {delegate})"))
    print(f"  auto-compound         {'on' if distributor.autoCompound(account) else 'off'}")
    for address in distributor.rewardTokens():
        reward = protocol.erc20(address)
        print(f"  claimable {reward.symbol():<11} {format_tokens(distributor.claimable(account, address), reward.decimals())}")
