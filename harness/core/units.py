"""Units, parsing and formatting: the one home of the project's constants and of how a value is read
from text (a config field, a script argument) and written back for people.

Parsers raise ValueError with a message that completes `<field or argument>: <message>`; the caller
(the config schema, harness.core.cli) adds the name. Formatters never raise on a valid value.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from eth_utils import is_address, to_checksum_address

# ---- time: the escrow and the distributor count in these (VotingEscrow.WEEK, VotingEscrow.MAX_LOCK)
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
MAX_LOCK = 365 * DAY  # the longest lock: a Staking Score of 2x its amount at the start
DURATION_UNITS = {"s": 1, "m": MINUTE, "h": HOUR, "d": DAY, "w": WEEK}

# ---- amounts: every token of the protocol has 18 decimals (ServiceToken, OpenZeppelin ERC20)
DECIMALS = 18
UNIT = 10**DECIMALS  # one whole token in base units
BPS = 10_000  # basis points in one whole (penalty rates)
GWEI = 10**9  # transaction fees
MAX_UINT256 = 2**256 - 1
MAX_UINT64 = 2**64 - 1

# ---- addresses
ZERO_ADDRESS = "0x" + "00" * 20
ZERO_BYTES32 = b"\x00" * 32


# ---- parsing ---------------------------------------------------------------------------------


def is_whole_number(text: str) -> bool:
    """True for ASCII digits only: `str.isdigit` also takes "²" (which `int` refuses) and
    `str.isdecimal` other scripts' digits, neither of which a command line should read as a number."""
    return text.isascii() and text.isdecimal()


def parse_address(value: Any) -> str:
    """A 0x-prefixed 20-byte address, not zero; a mixed-case one must carry a correct EIP-55
    checksum. Returns the checksummed form."""
    if not isinstance(value, str) or not is_address(value):
        raise ValueError(f"must be a 0x-prefixed 20-byte hex address, got {value!r}")
    digits = value[2:]
    mixed_case = digits != digits.lower() and digits != digits.upper()
    if mixed_case and to_checksum_address(value) != value:
        raise ValueError(f"has a wrong EIP-55 checksum: {value!r}")
    if int(value, 16) == 0:
        raise ValueError("must not be the zero address")
    return to_checksum_address(value)


def parse_token_amount(value: Any, decimals: int = DECIMALS) -> int:
    """Whole tokens (an int or a decimal string such as "1250.5", `_` allowed) to base units; more
    than 0, exact in base units, within uint256."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise ValueError(f"must be a number of whole tokens (int or decimal string), got {value!r}")
    try:
        tokens = Decimal(str(value).replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"must be a number of whole tokens, got {value!r}") from None
    if not tokens.is_finite() or tokens <= 0:
        raise ValueError(f"must be greater than 0, got {value!r}")
    # Exact integer arithmetic on the digits: Decimal multiplication would round to its context's 28
    # significant digits (30-digit amounts lost their last digits).
    _, digits, exponent = tokens.as_tuple()
    mantissa = int("".join(map(str, digits)))
    while exponent < 0 and mantissa % 10 == 0:  # trailing zeros of the fraction: at most one per digit
        mantissa //= 10
        exponent += 1
    shift = exponent + decimals
    if shift < 0:
        raise ValueError(f"has more than {decimals} decimals: {value!r}")
    # Checked before 10**shift is built, so an exponent such as 1e999999999 costs nothing.
    if len(str(mantissa)) + shift > len(str(MAX_UINT256)) or (base_units := mantissa * 10**shift) > MAX_UINT256:
        raise ValueError(f"does not fit in uint256: {value!r}")
    return base_units


def parse_duration(value: Any) -> int:
    """Seconds (an int) or a number with a unit s/m/h/d/w (`90d`, `12w`), within uint64. A string
    of bare digits is refused (a config's `"90"` is more likely a mistake than 90 seconds); the
    command line reads digits as seconds itself (harness.core.cli.duration_argument)."""
    if isinstance(value, bool):
        raise ValueError(f"must be seconds or a number with a unit s/m/h/d/w, got {value!r}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (match := re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", value)):
        seconds = int(match[1]) * DURATION_UNITS[match[2]]
    else:
        raise ValueError(f"must be seconds or a number with a unit s/m/h/d/w, got {value!r}")
    if seconds < 0:
        raise ValueError(f"must not be negative, got {value!r}")
    if seconds > MAX_UINT64:
        raise ValueError(f"does not fit in uint64: {value!r}")
    return seconds


def parse_timestamp(value: Any) -> int:
    """Unix seconds within uint64, or an ISO-8601 date or date-time (UTC unless it says otherwise;
    YAML turns a bare `2027-01-01` into a date, which is accepted too)."""
    if isinstance(value, bool):
        raise ValueError(f"must be unix seconds or an ISO-8601 date, got {value!r}")
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int):
        if not 0 <= value <= MAX_UINT64:
            raise ValueError(f"must be unix seconds within uint64, got {value!r}")
        return value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"must be unix seconds or an ISO-8601 date, got {value!r}") from None
    elif hasattr(value, "isoformat"):
        moment = datetime.fromisoformat(value.isoformat())
    else:
        raise ValueError(f"must be unix seconds or an ISO-8601 date, got {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


# ---- formatting ------------------------------------------------------------------------------


def format_tokens(base_units: int, decimals: int = DECIMALS, places: int | None = None) -> str:
    """Base units as whole tokens with thousands separators: 1,250.5. `places` cuts the fraction to
    that many digits (a Staking Score shown to a voter needs no 18 decimals); a cut fraction keeps its
    zeros, so `1,990,091.324200` tells the reader that digits were cut (the scripts' output since the
    first governance scripts)."""
    base_units = int(base_units)
    whole, fraction = divmod(abs(base_units), 10**decimals)
    text = ("-" if base_units < 0 else "") + f"{whole:,}"
    digits = f"{fraction:0{decimals}d}".rstrip("0") if fraction else ""
    if places is not None:
        digits = digits[:places]
    return f"{text}.{digits}" if digits else text


def compact(base_units: int) -> str:
    """Whole tokens in a few characters: 1234567.8 tokens -> '1.23M'; small amounts with two
    decimals (the demo's tables)."""
    tokens = int(base_units) / UNIT
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(tokens) >= size:
            return f"{tokens / size:.2f}{suffix}"
    return f"{tokens:,.2f}"


def date(timestamp: int) -> str:
    """A moment to the minute, in UTC: lock ends and revenue weeks fall on a minute boundary."""
    return datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def utc(timestamp: int) -> str:
    """A moment to the second, in UTC: a proposal's snapshot, deadline and ETA are second-exact, and
    a voter or keeper acting at the boundary needs the second."""
    return datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_duration(seconds: int) -> str:
    """A span as `2d 3h 05m` (negative spans keep their sign)."""
    seconds = int(seconds)
    days, rest = divmod(abs(seconds), DAY)
    hours, rest = divmod(rest, HOUR)
    text = (f"{days}d " if days else "") + f"{hours}h {rest // MINUTE:02d}m"
    return ("-" if seconds < 0 else "") + text
