"""What `make demo` shows: a weekly timeline of the scenario, a terminal summary and PNG charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.units import UNIT

if TYPE_CHECKING:
    from harness.demo.services import RevenueLedger


@dataclass
class Timeline:
    """One sample per simulated week."""

    times: list[int] = field(default_factory=list)
    scores: dict[str, list[int]] = field(default_factory=dict)  # holder -> Staking Score
    earned: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # holder -> token -> cumulative
    balances: dict[str, list[int]] = field(default_factory=dict)  # "treasury AIS", "distributor tUSD", ...

    def sample(self, t: int, scores: dict[str, int], earned: dict[str, dict[str, int]], balances: dict[str, int]) -> None:
        """`earned`: per holder and token, revenue received so far plus what it could claim now."""
        self.times.append(t)
        for holder, score in scores.items():
            self.scores.setdefault(holder, []).append(score)
        for holder, per_token in earned.items():
            for symbol, amount in per_token.items():
                self.earned.setdefault(holder, {}).setdefault(symbol, []).append(amount)
        for name, amount in balances.items():
            self.balances.setdefault(name, []).append(amount)


def _dates(times: list[int]) -> list[datetime]:
    return [datetime.fromtimestamp(t, timezone.utc) for t in times]


def write_charts(timeline: Timeline, directory: Path) -> list[Path]:
    """Three PNGs: Staking Score per holder, cumulative revenue per holder, treasury and distributor
    balances. Returns their paths."""
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    dates = _dates(timeline.times)
    paths = []

    fig, ax = plt.subplots(figsize=(10, 5.5))
    for holder, scores in timeline.scores.items():
        ax.plot(dates, [s / UNIT for s in scores], marker="o", markersize=3, label=holder)
    ax.set_title("Staking Score per holder (tokens x 1 to 2 by remaining lock time)")
    ax.set_ylabel("Staking Score")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    fig.autofmt_xdate()
    paths.append(_save(fig, directory / "staking-scores.png"))

    symbols = sorted({symbol for per_token in timeline.earned.values() for symbol in per_token})
    fig, axes = plt.subplots(1, len(symbols), figsize=(6 * len(symbols), 5.5), squeeze=False)
    for ax, symbol in zip(axes[0], symbols):
        for holder, per_token in timeline.earned.items():
            ax.plot(dates, [a / UNIT for a in per_token.get(symbol, [0] * len(dates))], marker="o", markersize=3, label=holder)
        ax.set_title(f"Revenue earned in {symbol}: received + claimable, cumulative")
        ax.set_ylabel(symbol)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    paths.append(_save(fig, directory / "cumulative-revenue.png"))

    fig, ax = plt.subplots(figsize=(10, 5.5))
    for name, amounts in timeline.balances.items():
        ax.plot(dates, [a / UNIT for a in amounts], marker="o", markersize=3, label=name)
    ax.set_yscale("symlog", linthresh=1_000)
    ax.set_title("Treasury (timelock) and RevenueDistributor balances")
    ax.set_ylabel("tokens (symmetric log scale)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.autofmt_xdate()
    paths.append(_save(fig, directory / "balances.png"))
    return paths


def write_revenue_by_source(ledger: "RevenueLedger", weeks: int, directory: Path) -> Path:
    """Per token, what reached the stakers from each source (platform deposits, subscriptions,
    metered AI calls, early-exit penalties), cumulative by demo week: one line per source on a log
    scale, so a source a hundred times smaller than another is still readable."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from harness.demo.services import SOURCES

    directory.mkdir(parents=True, exist_ok=True)
    symbols = ledger.symbols()
    fig, axes = plt.subplots(1, len(symbols), figsize=(6.5 * len(symbols), 5.5), squeeze=False)
    for ax, symbol in zip(axes[0], symbols):
        for source in SOURCES:
            per_week = ledger.series(source, symbol, weeks)
            if not any(per_week):
                continue
            running, cumulative = 0, []
            for amount in per_week:
                running += amount
                cumulative.append(running / UNIT)
            ax.plot(range(weeks), cumulative, marker="o", markersize=3, drawstyle="steps-post",
                    color=f"C{SOURCES.index(source)}", label=f"{source}: {cumulative[-1]:,.0f}")  # one colour per source
        ax.set_title(f"Stakers' revenue in {symbol} by source (cumulative)")
        ax.set_xlabel("demo week")
        ax.set_ylabel(symbol)
        ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    return _save(fig, directory / "revenue-by-source.png")


def write_deal_allocations(rows: list[dict], directory: Path) -> Path:
    """The early-access deal per holder (harness/demo/deals.py rows), grouped by level from the highest:
    the commitment split into its allocation (pay tokens filled) and its refund, side by side, each bar
    labelled with its amount; a shaded band and a caption per level."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows, key=lambda r: -r["level"])  # the fill's priority order, stable within a level
    fig, ax = plt.subplots(figsize=(10, 5.5))
    width, positions = 0.38, list(range(len(ordered)))
    allocation = [r["allocation"] / UNIT for r in ordered]
    refund = [r["refund"] / UNIT for r in ordered]
    bars = [
        ax.bar([x - width / 2 for x in positions], allocation, width, label="allocation (tUSD filled)", color="tab:green"),
        ax.bar([x + width / 2 for x in positions], refund, width, label="refund (tUSD)", color="tab:gray"),
    ]
    for group in bars:
        ax.bar_label(group, labels=[f"{v:,.0f}" for v in group.datavalues], fontsize=7, padding=2)
    top = max(allocation + refund + [1.0])
    for level in sorted({r["level"] for r in ordered}, reverse=True):
        members = [x for x, r in zip(positions, ordered) if r["level"] == level]
        if level % 2:
            ax.axvspan(members[0] - 0.5, members[-1] + 0.5, color="tab:blue", alpha=0.06)
        ax.text((members[0] + members[-1]) / 2, top * 1.12, f"level {level}", ha="center", fontsize=9)
    ax.set_xticks(positions, [f"{r['name']}\nL{r['level']}" for r in ordered])
    ax.set_ylim(0, top * 1.22)
    ax.set_title("Early-access deal: allocation and refund per holder, filled by level from the highest")
    ax.set_ylabel("tUSD")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="center right")
    return _save(fig, directory / "deal-allocations.png")


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    line = "  ".join(f"{header:<{width}}" for header, width in zip(headers, widths))
    print(line)
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print("  ".join(f"{str(cell):<{width}}" for cell, width in zip(row, widths)))
