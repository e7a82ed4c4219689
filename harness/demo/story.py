"""`make demo`: the whole system at work on the local Anvil chain brownie starts, in a few minutes.

1. Deploy everything from config/local.yaml (the timelock holds the treasury and owns every admin
   function) and a stand-in stablecoin, tUSD: a plain ERC-20 with no value, recorded in the local
   manifest as LocalTestUSD.
2. Seven holders lock AIS for 1, 3, 6 and 12 months; one goes permanent and delegates its votes.
   They claim the community airdrop (config/airdrop-local.csv): three to their wallets, four straight
   into their locks with the bonus for the time left (the permanent lock gets the full 50%).
3. For 20 weeks the platform pays revenue every week in AIS, and in tUSD once the DAO accepts it.
4. In week 1 the DAO runs proposals/demo-add-tusd-and-grant.yaml through propose, vote, queue and
   execute: tUSD becomes a reward token and the treasury pays a grant. The proposer, at level 4, has
   used its two proposals of the period (this one and the deal of 6b): a third is refused, by the
   script and by the governor (SPEC 5.5).
5. Holders pay for AI services (harness/demo/services.py): plans bought at each level's discount (none
   when the lock ends before the access bought), a referral paid from the treasury part, prepaid
   credits spent on metered calls through signed usage receipts that the platform settles in batches;
   once the DAO accepts tUSD, a plan paid in tUSD. Every payment is split on the spot: stakers,
   treasury, burn, referrer.
6. Holders claim: one is paid out, one reinvests into its lock, one is claimed for by the keeper it
   approved, with auto-compound; one exits early and its penalty goes to the holders staked at the
   start of its exit week (the exiter excluded), claimable once that week is over.
6b. Beside the week-1 proposal, the DAO creates an early-access deal (harness/demo/deals.py): a project
   team sells PRJ for tUSD to holders by level; it is oversubscribed, level 5 is filled first, level 4
   pro rata, level 3 refunded; holders claim their refund and the TGE tokens, then the vested rest.
7. A summary per holder, of the services' revenue and of the deal (checked against SPEC 5.3's fill in
   plain Python), and charts in reports/ (revenue by source, deal allocations).
"""

from __future__ import annotations

from dataclasses import dataclass

from brownie import ServiceToken, accounts, network, web3

from harness.chain.accounts import signer
from harness.chain.calls import try_call
from harness.chain.protocol import Protocol
from harness.chain.time import mine_at, now
from harness.core.errors import ScriptError
from harness.core.paths import LOCAL_CONFIG, REPORTS, manifest_path
from harness.core.proposals.build import build_proposal
from harness.core.proposals.spec import load_proposal
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_UINT256, UNIT, WEEK, compact, date, format_tokens
from harness.demo import deals
from harness.demo.deals import DemoDeal
from harness.demo.report import Timeline, print_table, write_charts, write_deal_allocations, write_revenue_by_source
from harness.demo.services import DEAL_FEES, PENALTIES, SOURCES, SPLIT_PARTS, RevenueLedger, Services
from harness.demo.services import PLATFORM as PLATFORM_DEPOSITS
from harness.deploy.report import print_deployment
from harness.deploy.steps import Deployment, deploy_from_config
from harness.governance import lifecycle
from harness.governance.lifecycle import SUPPORT
from harness.ops import airdrop as airdrop_ops
from harness.ops.claims import claimed

WEEKS = 20
PROPOSAL = "proposals/demo-add-tusd-and-grant.yaml"
AIS_PER_WEEK = 50_000 * UNIT
TUSD_PER_WEEK = 20_000 * UNIT
EARLY_EXIT_WEEK = 8
RESEARCH, PRO, TUSD_PRO = 1, 2, 3  # plan ids: config/local.yaml's two, then the proposal's tUSD plan
SPENDING_MONEY = 20_000 * UNIT  # AIS each holder keeps liquid to pay for services
CREDITS = 2_000 * UNIT  # Gus's prepaid credits
CALLS_PER_WEEK = 40  # Gus's metered AI calls
CREDITS_UNTIL_WEEK = 16  # Gus stops calling, the platform settles and Gus withdraws the rest


@dataclass
class Holder:
    name: str
    index: int  # Anvil account
    tokens: int
    weeks: int  # lock length
    plan: str  # how it claims

    @property
    def account(self):
        return accounts[self.index]


HOLDERS = [
    Holder("Ava", 1, 200_000, 4, "1-month lock, claims to wallet"),
    Holder("Ben", 4, 200_000, 13, "3-month lock, claims at the end"),
    Holder("Cleo", 5, 300_000, 26, "6-month lock, reinvests (claimAndLock)"),
    Holder("Dev", 6, 400_000, 52, "12-month lock, paid out every 4 weeks"),
    Holder("Eli", 7, 600_000, 52, "permanent lock, delegates votes to Dev"),
    Holder("Fay", 8, 300_000, 52, f"12-month lock, exits early in week {EARLY_EXIT_WEEK}"),
    Holder("Gus", 9, 250_000, 26, "6-month lock, its keeper's claimFor reinvests (auto-compound)"),
]
COMMUNITY, PLATFORM, KEEPER = 2, 3, 0  # Anvil accounts: community pool, platform revenue wallet, keeper


def run() -> None:
    """The whole story (scripts/demo.py runs it, under the one exit path)."""
    deployment = deploy_from_config(
        LOCAL_CONFIG, deployer=signer(), manifest_file=manifest_path(network.show_active(), web3.eth.chain_id)
    )
    print_deployment(deployment.config, deployment.manifest, deployment.manifest_file, sent=deployment.sent)
    platform, keeper = accounts[PLATFORM], accounts[KEEPER]
    quiet = {"silent": True}

    tusd = add_stand_in_stablecoin(deployment, platform)
    seller = deals.seller_account(keeper)
    sale_token = deals.deploy_sale_token(deployment, seller)
    protocol = Protocol.of(deployment.manifest, deployment.manifest_file, project=True)  # tUSD and PRJ included
    token, escrow, distributor, timelock = protocol.token, protocol.escrow, protocol.distributor, protocol.timelock
    received: dict[str, dict[str, int]] = {h.name: {"AIS": 0, "tUSD": 0} for h in HOLDERS}
    votes_cast: dict[str, str] = {h.name: "-" for h in HOLDERS}
    paid_in = {"AIS": 0, "tUSD": 0}
    timeline = Timeline()
    ledger = RevenueLedger()
    services = Services(protocol, ledger, {token.address: "AIS", tusd.address: "tUSD"})
    deal = DemoDeal(protocol, tusd, sale_token, seller)

    def record_claim(holder: Holder, tx) -> None:
        for address, amount in claimed(tx).items():
            received[holder.name]["AIS" if address == token.address else "tUSD"] += amount

    def sample() -> None:
        earned = {
            h.name: {
                "AIS": received[h.name]["AIS"] + distributor.claimable(h.account, token),
                "tUSD": received[h.name]["tUSD"] + distributor.claimable(h.account, tusd),
            }
            for h in HOLDERS
        }
        timeline.sample(
            now(),
            {h.name: escrow.balanceOf(h.account) for h in HOLDERS},
            earned,
            {
                "treasury AIS": token.balanceOf(timelock),
                "treasury tUSD": tusd.balanceOf(timelock),
                "distributor AIS": token.balanceOf(distributor),
                "distributor tUSD": tusd.balanceOf(distributor),
            },
        )

    section("Holders lock AIS")
    start = mine_at(week_start(now()) + WEEK + 3600)  # one hour into a fresh week
    community = accounts[COMMUNITY]
    for holder in HOLDERS:
        amount = holder.tokens * UNIT
        token.transfer(holder.account, amount, {"from": community, **quiet})
        token.approve(escrow, amount, {"from": holder.account, **quiet})
        escrow.createLock(amount, start + holder.weeks * WEEK, {"from": holder.account, **quiet})
        print(f"  {holder.name:<5} locks {holder.tokens:>9,} AIS for {holder.weeks:>2} weeks: {holder.plan}")
    eli, dev, gus = HOLDERS[4], HOLDERS[3], HOLDERS[6]
    escrow.lockPermanent({"from": eli.account, **quiet})
    escrow.delegate(dev.account, {"from": eli.account, **quiet})
    distributor.setAutoCompound(True, {"from": gus.account, **quiet})
    distributor.setKeeper(keeper, True, {"from": gus.account, **quiet})
    print("  Eli makes the lock permanent (score 2x, constant) and delegates its votes to Dev")
    print("  Gus opts in to auto-compound and approves a keeper: its claimFor reinvests Gus's AIS revenue")
    for spender_token in (token, tusd):
        spender_token.approve(distributor, MAX_UINT256, {"from": platform, **quiet})

    section("Community airdrop (config/airdrop-local.csv)")
    claim_airdrop(protocol)

    section("Holders pay for AI services at their level")
    ava, ben, cleo, fay = HOLDERS[0], HOLDERS[1], HOLDERS[2], HOLDERS[5]
    for holder in HOLDERS:
        token.transfer(holder.account, SPENDING_MONEY, {"from": community, **quiet})
        print(services.level_line(holder.name, holder.account))
    services.subscribe(0, ava.name, ava.account, PRO, 3)  # lock ends in 4 weeks: no discount on 3 months
    services.subscribe(0, gus.name, gus.account, RESEARCH, 3)
    services.subscribe(0, dev.name, dev.account, PRO, 12)
    services.subscribe(0, eli.name, eli.account, RESEARCH, 12)
    services.subscribe(0, ben.name, ben.account, PRO, 1, referrer=dev.account)  # Dev's referral
    services.open_credits(0, gus.name, gus.account, gus.index, CREDITS)
    sample()

    section(f"{WEEKS} weeks of platform revenue")
    for week in range(WEEKS):
        distributor.depositRevenue(token, AIS_PER_WEEK, {"from": platform, **quiet})
        paid_in["AIS"] += AIS_PER_WEEK
        ledger.add(week, PLATFORM_DEPOSITS, "AIS", AIS_PER_WEEK)
        if tusd.address in distributor.rewardTokens():
            distributor.depositRevenue(tusd, TUSD_PER_WEEK, {"from": platform, **quiet})
            paid_in["tUSD"] += TUSD_PER_WEEK
            ledger.add(week, PLATFORM_DEPOSITS, "tUSD", TUSD_PER_WEEK)
        if week <= CREDITS_UNTIL_WEEK:
            services.use(gus.name, gus.account, CALLS_PER_WEEK)
        if week % 4 == 3 and week < CREDITS_UNTIL_WEEK:
            services.settle(week, gus.name, platform)
        if week == CREDITS_UNTIL_WEEK:
            services.settle(week, gus.name, platform)  # everything served, before the credits go
            services.withdraw_rest(week, gus.name, gus.account)
        if week == 1:
            run_proposal(protocol, votes_cast, deal)
            tusd.transfer(cleo.account, 1_000 * UNIT, {"from": platform, **quiet})
            services.subscribe(week, cleo.name, cleo.account, TUSD_PRO, 5, referrer=ben.account)
            print("\n  -- early-access deal: PRJ for tUSD by level --")
            fee = deal.run(
                [(eli, 60_000 * UNIT), (dev, 40_000 * UNIT), (fay, 20_000 * UNIT), (ben, 15_000 * UNIT), (gus, 20_000 * UNIT)],
                refused=ava, early=dev, funder=platform, keeper=keeper,
            )
            ledger.add(week, DEAL_FEES, "tUSD", fee)
            print()
        if deal.vesting_over():
            deal.claim_vested(week)
        if week == 4:
            # renewals: Ava's lock has expired (level 0, full price); Ben's month is up
            services.subscribe(week, ava.name, ava.account, RESEARCH, 1)
            services.subscribe(week, ben.name, ben.account, PRO, 2)
            services.subscribe(week, fay.name, fay.account, RESEARCH, 6, referrer=ben.account)
        if week == EARLY_EXIT_WEEK:
            fay = HOLDERS[5]
            mine_at(now() + 2 * DAY)
            amount, end, _ = escrow.locked(fay.account)
            tx = escrow.withdrawEarly({"from": fay.account, **quiet})
            penalty = tx.events["WithdrawEarly"]["penalty"]
            ledger.add(week, PENALTIES, "AIS", penalty)
            print(f"  week {week:>2}: Fay exits early: {format_tokens(penalty)} AIS penalty "
                  f"({format_tokens(amount - penalty)} returned), shared by the holders staked at this "
                  "week's start, Fay excluded, once the week is over")
        if week % 4 == 3:
            for holder in (HOLDERS[0], dev):
                record_claim(holder, distributor.claim(distributor.rewardTokens(), {"from": holder.account, **quiet}))
            cleo = HOLDERS[2]
            if escrow.locked(cleo.account)[1] > now():
                record_claim(cleo, distributor.claimAndLock({"from": cleo.account, **quiet}))
        if week % 2 == 1:
            record_claim(gus, distributor.claimFor(gus.account, distributor.rewardTokens(), {"from": keeper, **quiet}))
        mine_at(week_start(now()) + WEEK + 3600)  # the vote spans 8 days: that week has no deposit
        sample()
        print(f"  week {week + 1:>2}/{WEEKS} done ({date(now())[:10]}): total Staking Score "
              f"{compact(escrow.totalSupply())}, distributor holds {compact(token.balanceOf(distributor))} AIS"
              f" and {compact(tusd.balanceOf(distributor))} tUSD")

    section("Everyone claims what is left")
    for holder in HOLDERS:
        tokens = distributor.rewardTokens()
        while any(distributor.claimable(holder.account, t) for t in tokens):
            record_claim(holder, distributor.claim(tokens, {"from": holder.account, **quiet}))
    sample()

    section("Summary")
    rows = []
    for holder in HOLDERS:
        amount, end, permanent = escrow.locked(holder.account)
        score = escrow.balanceOf(holder.account)
        lock = "permanent" if permanent else ("none" if amount == 0 else ("expired" if end <= now() else f"to {date(end)[:10]}"))
        rows.append([
            holder.name, lock, compact(amount), compact(score), f"{score / amount:.3f}x" if amount else "-",
            compact(received[holder.name]["AIS"]), compact(received[holder.name]["tUSD"]), votes_cast[holder.name],
        ])
    print_table(["holder", "lock", "locked", "score now", "mult", "AIS received", "tUSD received", "vote cast"], rows)
    print(f"\n  revenue paid in: {compact(paid_in['AIS'])} AIS (+ early-exit penalty), {compact(paid_in['tUSD'])} tUSD")
    print(f"  treasury (timelock): {compact(token.balanceOf(timelock))} AIS after the 250k grant")
    print(f"  left in the distributor: {format_tokens(token.balanceOf(distributor))} AIS, "
          f"{format_tokens(tusd.balanceOf(distributor))} tUSD (the current week's deposits and rounding dust)")

    print("\n  AI services (subscriptions and metered calls), split on the spot:")
    service_rows = [
        [symbol, format_tokens(ledger.paid[symbol]), *(format_tokens(ledger.split[symbol][part]) for part in SPLIT_PARTS)]
        for symbol in sorted(ledger.paid)
    ]
    print_table(["token", "paid", "to stakers", "to treasury", "burnt", "to referrers"], service_rows)
    to_stakers = {symbol: sum(sum(ledger.series(source, symbol, WEEKS)) for source in SOURCES) for symbol in ledger.symbols()}
    from_services = {symbol: ledger.split[symbol]["stakers"] for symbol in ledger.paid}
    for symbol, total in to_stakers.items():
        print(f"  stakers' revenue in {symbol}: {format_tokens(total, places=2)}, of which {format_tokens(from_services.get(symbol, 0), places=2)} "
              f"from AI services ({100 * from_services.get(symbol, 0) / total:.1f}%)")

    deal_rows = deal.rows()  # checked against SPEC 5.3's fill computed in plain Python (deals.expected_fill)
    print(f"\n  early-access deal {deal.deal_id}: {format_tokens(deals.SALE_AMOUNT)} PRJ at 0.10 tUSD, "
          f"{format_tokens(deal.finalized['proceeds'])} tUSD raised, {format_tokens(deal.finalized['fee'])} tUSD to the stakers "
          "(numbers equal SPEC 5.3's fill computed in plain Python):")
    print_table(
        ["holder", "level", "committed tUSD", "allocation tUSD", "refund tUSD", "PRJ bought", "PRJ claimed"],
        [[r["name"], str(r["level"]), format_tokens(r["commitment"]), format_tokens(r["allocation"]), format_tokens(r["refund"]),
          format_tokens(r["bought"]), format_tokens(r["claimed"])] for r in deal_rows],
    )

    section("Report")
    charts = [*write_charts(timeline, REPORTS), write_revenue_by_source(ledger, WEEKS, REPORTS),
              write_deal_allocations(deal_rows, REPORTS)]
    for path in charts:
        print(f"  wrote {path}")


def add_stand_in_stablecoin(deployment: Deployment, platform):
    """tUSD: a plain OpenZeppelin ERC-20 (the ServiceToken contract, 10M minted to the platform),
    recorded in the local manifest so proposals can name it `@LocalTestUSD`."""
    tusd = deployment.contract(
        "LocalTestUSD", ServiceToken, "Local Test USD (demo asset, no value)", "tUSD",
        [platform.address], [10_000_000 * UNIT],
    )
    print(f"\nstand-in stablecoin tUSD (local demo asset, no value) at {tusd.address}")
    return tusd


def run_proposal(protocol: Protocol, votes_cast: dict[str, str], deal: DemoDeal) -> None:
    """The DAO accepts tUSD and pays a grant: the YAML file through propose, vote, queue and execute
    (harness/governance/lifecycle.py, as the governance scripts run them). Beside it, Dev proposes the
    early-access deal (its second proposal this month: level 4 allows two); it is voted the same way
    and executed after the first, once tUSD is a reward token."""
    dev, ben, cleo, ava = HOLDERS[3], HOLDERS[1], HOLDERS[2], HOLDERS[0]
    governor = protocol.governor
    print(f"\n  -- governance: {PROPOSAL} --")
    proposal_id = lifecycle.propose(protocol, dev.account, load_proposal(PROPOSAL), PROPOSAL)
    # the deal opens an hour after both proposals can have run: voting delay + period + timelock delay
    opens = now() + governor.votingDelay() + governor.votingPeriod() + protocol.timelock.getMinDelay() + 3600
    print("\n  -- governance: the early-access deal (harness/demo/deals.py) --")
    deal_proposal = lifecycle.propose(protocol, dev.account, deal.proposal(opens), "harness/demo/deals.py")
    show_quota_refusal(protocol, dev)
    mine_at(max(governor.proposalSnapshot(p) for p in (proposal_id, deal_proposal)) + 1)
    for holder, support in ((dev, "for"), (ben, "for"), (cleo, "for"), (ava, "against")):
        weight = lifecycle.vote(protocol, holder.account, proposal_id, SUPPORT[support])
        votes_cast[holder.name] = f"{support} ({compact(weight)})"
        lifecycle.vote(protocol, holder.account, deal_proposal, SUPPORT[support])
    mine_at(max(governor.proposalDeadline(p) for p in (proposal_id, deal_proposal)) + 1)
    for p in (proposal_id, deal_proposal):
        lifecycle.queue(protocol, accounts[KEEPER], p)
    mine_at(max(governor.proposalEta(p) for p in (proposal_id, deal_proposal)) + 1)
    lifecycle.execute(protocol, accounts[KEEPER], proposal_id)
    print("  -- tUSD is a reward token from now on; the grantee received 250,000 AIS --")
    lifecycle.execute(protocol, accounts[KEEPER], deal_proposal)
    deal.created()


# how each demo holder takes its airdrop: liquid, or into its lock (the bonus grows with the time left)
# (Dev takes it liquid: its level stays 4, whose deal window the demo shows opening after level 5's)
AIRDROP_CLAIMS = {"Ava": "liquid", "Ben": "lock", "Cleo": "lock", "Dev": "liquid", "Eli": "lock", "Fay": "liquid", "Gus": "lock"}


def claim_airdrop(protocol: Protocol) -> None:
    """SPEC 5.4: every demo holder claims, some to the wallet, some into its lock (Eli's is permanent:
    the full 50% bonus); two listed addresses never claim, and their share is swept to the treasury
    once the window closes."""
    for holder in HOLDERS:
        before = protocol.escrow.locked(holder.account)[0]
        if AIRDROP_CLAIMS[holder.name] == "liquid":
            airdrop_ops.claim(protocol, holder.account)
        else:
            airdrop_ops.claim_into_lock(protocol, holder.account, airdrop_ops.EXISTING)
            added = protocol.escrow.locked(holder.account)[0] - before
            print(f"    {holder.name}: lock {format_tokens(before)} -> {format_tokens(before + added)} AIS")
    airdrop_ops.status(protocol, None)


def show_quota_refusal(protocol: Protocol, proposer: "Holder") -> None:
    """SPEC 5.5: a third proposal this period is refused before anything is sent (the script's check),
    and the governor itself would revert it (an eth_call of `propose`, decoded)."""
    governor = protocol.governor
    print(f"\n  -- governance: {proposer.name} tries a third proposal this period --")
    try:
        lifecycle.check_quota(protocol, proposer.account.address)
    except ScriptError as refused:
        print(f"  refused: {refused}")
    else:
        raise AssertionError(f"{proposer.name} should be out of proposals this period")
    spec = load_proposal(PROPOSAL)
    proposal = build_proposal(spec, protocol.catalog, proposer.account.address, source=PROPOSAL)
    calldata = governor.propose.encode_input(proposal.targets, proposal.values, proposal.calldatas, proposal.description)
    ok, result = try_call(proposer.account.address, governor.address, bytes.fromhex(calldata.removeprefix("0x")))
    assert not ok, "the governor accepted a proposal past the quota"
    print(f"  the governor would revert: {result}")
    print(f"  proposals left this period: {governor.proposalsLeft(proposer.account.address)}")


def section(title: str) -> None:
    print(f"\n== {title} ==")
