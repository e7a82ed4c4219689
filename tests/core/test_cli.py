"""The one command-line convention (harness/core/cli.py): positional action and arguments, `key=value`
options anywhere, and every mistake named as `<argument>: <what>` with the usage line where the shape
of the command line is wrong. Plain Python: no chain."""

from __future__ import annotations

import pytest

from harness.core.cli import (
    ACCOUNT,
    MANIFEST,
    ON_OFF,
    Action,
    Argument,
    Command,
    Option,
    amount_argument,
    count_option,
    duration_argument,
    exit_on_error,
    flag_option,
)
from harness.core.errors import ConfigError, ScriptError
from harness.core.units import UNIT, WEEK, is_whole_number

LOCK = Command(
    "lock.py",
    actions=(
        Action("create", (Argument("amount", "AMOUNT"), Argument("duration", "DURATION"))),
        Action("withdraw"),
        Action("lock-creator", (Argument("address", "ADDRESS"), Argument("lock-creator", choices=ON_OFF))),
    ),
    options=(MANIFEST, ACCOUNT),
)
CLAIM_PAY = Command("claim.py", actions=(Action("pay", (Argument("token", "TOKEN", repeats=True),)),), options=(MANIFEST,))
STATUS = Command("status.py", arguments=(Argument("account", "ACCOUNT", optional=True),), options=(MANIFEST,))


def refused(command: Command, *words: str) -> str:
    with pytest.raises(ScriptError) as raised:
        command.parse(words)
    return str(raised.value)


def test_action_then_arguments_then_options_in_any_order():
    call = LOCK.parse(["account=3", "create", "1000", "manifest=deployments/x.json", "52w"])
    assert (call.action, call.arguments) == ("create", {"amount": "1000", "duration": "52w"})
    assert call.options == {"account": "3", "manifest": "deployments/x.json"}
    assert call.option("account") == "3" and call.option("missing", "default") == "default"


def test_a_single_action_script_takes_its_arguments_directly():
    assert STATUS.parse([]).arguments == {"account": None}
    assert STATUS.parse(["0xabc"])["account"] == "0xabc"


def test_a_repeated_argument_takes_any_number_of_words():
    assert CLAIM_PAY.parse(["pay"])["token"] == []
    assert CLAIM_PAY.parse(["pay", "AIS", "tUSD", "manifest=m.json"])["token"] == ["AIS", "tUSD"]


def test_an_unknown_action_names_the_action_and_lists_the_known_ones():
    assert refused(LOCK) == "action: expected one of create, withdraw, lock-creator, got None"
    assert refused(LOCK, "stake", "1") == "action: expected one of create, withdraw, lock-creator, got 'stake'"


def test_a_missing_argument_is_named_with_the_usage_line():
    assert refused(LOCK, "create", "10") == (
        "duration: missing (usage: scripts/lock.py create AMOUNT DURATION [manifest=PATH] [account=N])"
    )


def test_one_word_too_many_is_named_with_the_usage_line():
    assert refused(LOCK, "withdraw", "now") == "'now': one argument too many (usage: scripts/lock.py withdraw [manifest=PATH] [account=N])"
    assert refused(STATUS, "0xa", "0xb") == "'0xb': one argument too many (usage: scripts/status.py [ACCOUNT] [manifest=PATH])"


def test_an_unknown_option_is_named_with_the_usage_line():
    assert refused(STATUS, "colour=blue") == "colour: unknown option (usage: scripts/status.py [ACCOUNT] [manifest=PATH])"


def test_an_option_given_twice_is_refused():
    assert refused(STATUS, "manifest=a.json", "manifest=b.json") == "manifest=: given twice"


def test_a_word_with_an_equals_sign_after_a_non_name_is_an_argument_not_an_option():
    # an amount, an address or a path is never an option, even with `=` inside
    assert STATUS.parse(["./x=y"])["account"] == "./x=y"


def test_a_fixed_choice_names_the_argument_and_the_choices():
    assert refused(LOCK, "lock-creator", "0x" + "11" * 20, "maybe") == "lock-creator: expected on or off, got 'maybe'"
    assert LOCK.parse(["lock-creator", "0x" + "11" * 20, "off"])["lock-creator"] == "off"


def test_usage_lines():
    assert LOCK.usage() == "scripts/lock.py create|withdraw|lock-creator ... [manifest=PATH] [account=N]"
    assert LOCK.usage(LOCK.actions[2]) == "scripts/lock.py lock-creator ADDRESS on|off [manifest=PATH] [account=N]"
    assert CLAIM_PAY.usage(CLAIM_PAY.actions[0]) == "scripts/claim.py pay [TOKEN ...] [manifest=PATH]"
    assert Command("vote.py", options=(Option("reason", "TEXT"),)).usage() == "scripts/vote.py [reason=TEXT]"


@pytest.mark.parametrize(
    "text, expected",
    [("1000", 1000 * UNIT), ("1250.5", 1250 * UNIT + UNIT // 2), ("1_000", 1000 * UNIT)],
)
def test_amount_argument_reads_whole_tokens(text, expected):
    assert amount_argument("amount", text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "amount: missing"),
        ("  ", "amount: missing"),
        ("-1", "amount: must be greater than 0, got '-1'"),
        ("ten", "amount: must be a number of whole tokens, got 'ten'"),
        ("0.0000000000000000001", "amount: has more than 18 decimals: '0.0000000000000000001'"),
        (str(2**256), f"amount: does not fit in uint256: '{2**256}'"),
    ],
)
def test_amount_argument_names_the_argument(text, message):
    with pytest.raises(ScriptError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        amount_argument("amount", text)


def test_duration_argument_reads_seconds_and_units():
    assert duration_argument("duration", "52w") == 52 * WEEK
    assert duration_argument("duration", "3600") == 3600
    with pytest.raises(ScriptError, match="^duration: must be seconds or a number with a unit s/m/h/d/w, got '2y'$"):
        duration_argument("duration", "2y")


def test_flag_and_count_options():
    assert flag_option("suffix", "yes") is True and flag_option("suffix", "No") is False
    with pytest.raises(ScriptError, match="^suffix=: must be yes or no, got 'maybe'$"):
        flag_option("suffix", "maybe")
    assert count_option("voters", "10", 1, 10) == 10
    with pytest.raises(ScriptError, match=r"^voters=: must be 1\.\.10, got '0'$"):
        count_option("voters", "0", 1, 10)


@pytest.mark.parametrize("text", ["\u00b2", "\u0661", "+3", " 3", "3.0"])
def test_a_number_is_ascii_digits_only(text):
    """"²" passes str.isdigit and "١" str.isdecimal; either would reach int() (a traceback, or a
    number the user did not type): both are refused like any other word."""
    assert not is_whole_number(text)
    with pytest.raises(ScriptError, match=r"^voters=: must be 1\.\.10, got "):
        count_option("voters", text, 1, 10)


def test_the_exit_path_prints_error_and_exits_1(capsys):
    with pytest.raises(SystemExit) as stop:
        with exit_on_error():
            raise ScriptError("amount: must be greater than 0")
    assert stop.value.code == 1
    captured = capsys.readouterr()
    assert captured.err == "error: amount: must be greater than 0\n" and captured.out == ""


def test_a_config_error_takes_the_same_exit_path_with_every_problem(capsys):
    with pytest.raises(SystemExit) as stop:
        with exit_on_error():
            raise ConfigError("bad.yaml", ["token.supply: must be greater than 0", "allocations: must sum exactly"])
    assert stop.value.code == 1
    assert capsys.readouterr().err == (
        "error: invalid deploy config bad.yaml:\n  - token.supply: must be greater than 0\n  - allocations: must sum exactly\n"
    )


def test_anything_else_is_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        with exit_on_error():
            1 / 0
