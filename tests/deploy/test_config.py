"""Every rule of the deploy config schema: a bad value names its field and the rule it broke."""

import copy

import pytest
import yaml

from harness.core.config import load_config, parse_config
from harness.core.errors import ConfigError
from harness.core.paths import LOCAL_CONFIG, REPO_ROOT
from tests.deploy.helpers import only_problem, problems
from harness.core.units import UNIT, parse_token_amount

LOCAL = REPO_ROOT / LOCAL_CONFIG


@pytest.fixture
def data():
    return yaml.safe_load(LOCAL.read_text())


def test_local_config_is_valid():
    config = load_config(LOCAL)
    assert config.token.supply == 1_000_000_000 * UNIT
    assert sum(a.amount for a in config.allocations) == config.token.supply
    founders = config.allocations[3]
    assert (founders.start, founders.cliff, founders.duration) == (1798761600, 52 * 7 * 86400, 156 * 7 * 86400)
    assert config.escrow.max_early_penalty_bps == 5000
    governance = config.governance
    assert (governance.voting_delay, governance.voting_period) == (86400, 5 * 86400)
    assert (governance.late_quorum_extension, governance.timelock_delay) == (2 * 86400, 2 * 86400)
    assert governance.quorum_percent == 4
    assert config.proposal_threshold == 1_000_000 * UNIT
    assert config.minimum_quorum == governance.minimum_quorum == 2_000_000 * UNIT


def test_allocations_must_sum_to_supply(data):
    data["allocations"][0]["amount"] = 399_999_999
    assert only_problem(data) == (
        "allocations: must sum exactly to token.supply: allocations total 999,999,999 tokens, "
        "supply is 1,000,000,000 tokens (difference 1)"
    )


def test_allocations_over_supply(data):
    data["allocations"][1]["amount"] = "299000000.000000000000000001"
    assert only_problem(data).endswith("(difference -0.000000000000000001)")


def test_amounts_accept_decimals_down_to_one_wei(data):
    data["token"]["supply"] = "1000000000.5"
    data["allocations"][0]["amount"] = "400000000.5"
    assert parse_config(data).token.supply == 1_000_000_000 * UNIT + UNIT // 2


@pytest.mark.parametrize(
    "value, rule",
    [
        (0, "must be greater than 0"),
        (-5, "must be greater than 0"),
        ("1.0000000000000000001", "has more than 18 decimals"),
        ("ten", "must be a number of whole tokens"),
        (True, "must be a number of whole tokens"),
        (1.5, "must be a number of whole tokens"),
        (2**200, "does not fit in uint256"),
    ],
)
def test_bad_amount(data, value, rule):
    data["allocations"][2]["amount"] = value
    found = problems(data)
    assert any(p.startswith("allocations.2.amount: ") and rule in p for p in found), found


@pytest.mark.parametrize(
    "value, rule",
    [
        ("0x123", "must be a 0x-prefixed 20-byte hex address"),
        ("0x" + "00" * 20, "must not be the zero address"),
        ("0x70997970c51812dc3a010c7d01b50e0d17dc79C8", "wrong EIP-55 checksum"),
        (12345, "must be a 0x-prefixed 20-byte hex address"),
    ],
)
def test_bad_address(data, value, rule):
    data["allocations"][1]["recipient"] = value
    problem = only_problem(data)
    assert problem.startswith("allocations.1.recipient: ") and rule in problem


def test_lowercase_address_is_accepted_and_checksummed(data):
    data["allocations"][1]["recipient"] = data["allocations"][1]["recipient"].lower()
    assert parse_config(data).allocations[1].recipient == "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


def test_bad_beneficiary_is_named(data):
    data["allocations"][3]["beneficiary"] = "0xnope"
    assert only_problem(data).startswith("allocations.3.beneficiary: must be a 0x-prefixed")


@pytest.mark.parametrize("field", ["beneficiary", "start", "cliff", "duration"])
def test_vesting_fields_are_required(data, field):
    del data["allocations"][3][field]
    assert only_problem(data) == f"allocations.3.{field}: Field required"


def test_vesting_cliff_longer_than_duration(data):
    data["allocations"][4]["cliff"] = "105w"
    assert only_problem(data) == "allocations.4: cliff (63504000s) must not exceed duration (62899200s)"


def test_vesting_zero_duration(data):
    data["allocations"][4]["duration"] = 0
    data["allocations"][4]["cliff"] = 0
    assert only_problem(data) == "allocations.4.duration: must be greater than 0"


@pytest.mark.parametrize("value", ["3 months", "-1d", -1, 1.5, "d"])
def test_bad_duration(data, value):
    data["allocations"][4]["cliff"] = value
    problem = only_problem(data)
    assert problem.startswith("allocations.4.cliff: must ")


@pytest.mark.parametrize("value", ["next year", -1, 2**64, "2027-13-01"])
def test_bad_start(data, value):
    data["allocations"][3]["start"] = value
    assert only_problem(data).startswith("allocations.3.start: must be unix seconds")


def test_start_forms_agree(data):
    iso = copy.deepcopy(data)
    iso["allocations"][3]["start"] = "2027-01-01T00:00:00+00:00"
    unix = copy.deepcopy(data)
    unix["allocations"][3]["start"] = 1798761600
    assert parse_config(iso).allocations[3].start == parse_config(unix).allocations[3].start == 1798761600


@pytest.mark.parametrize("value", [-1, 10_001, "5000", 2.5])
def test_bps_out_of_range_or_wrong_type(data, value):
    data["escrow"]["max_early_penalty_bps"] = value
    assert only_problem(data).startswith("escrow.max_early_penalty_bps: ")


@pytest.mark.parametrize("value", [0, 10_000])
def test_bps_bounds_are_inclusive(data, value):
    data["escrow"]["max_early_penalty_bps"] = value
    assert parse_config(data).escrow.max_early_penalty_bps == value


def test_unknown_kind(data):
    data["allocations"][0]["kind"] = "grant"
    assert only_problem(data).startswith("allocations.0: Input tag 'grant' found using 'kind' does not match")


def test_at_most_one_airdrop_allocation(data):
    airdrop = next(a for a in data["allocations"] if a["kind"] == "airdrop")
    data["allocations"][1]["amount"] -= 1_000_000
    data["allocations"].append(dict(airdrop, name="second-airdrop"))
    assert only_problem(data) == "allocations: at most one allocation may have kind 'airdrop'"


def test_an_airdrop_allocation_needs_the_airdrop_section(data):
    del data["airdrop"]
    assert only_problem(data).startswith("airdrop: missing, an allocation has kind 'airdrop'")


def test_the_airdrop_section_needs_an_airdrop_allocation(data):
    data["allocations"] = [a for a in data["allocations"] if a["kind"] != "airdrop"]
    data["allocations"][1]["amount"] += 1_000_000
    assert only_problem(data).startswith("airdrop: no allocation has kind 'airdrop' to fund it")


def test_the_airdrop_takes_a_deadline_or_a_window_not_both(data):
    data["airdrop"]["deadline"] = "2030-01-01T00:00:00Z"
    assert only_problem(data) == "airdrop.claim_window: give claim_window or deadline, not both"
    del data["airdrop"]["claim_window"]
    assert parse_config(data).airdrop.deadline == 1893456000
    del data["airdrop"]["deadline"]
    assert only_problem(data) == (
        "airdrop.claim_window: give claim_window (a duration after the deployment) or deadline (a time)"
    )


def test_the_airdrop_bonus_is_at_most_the_contracts_cap(data):
    data["airdrop"]["max_lock_bonus_bps"] = 10_001
    assert only_problem(data).startswith("airdrop.max_lock_bonus_bps: Input should be less than or equal to 10000")


def test_unknown_field_is_rejected(data):
    data["token"]["decimals"] = 6
    assert only_problem(data) == "token.decimals: Extra inputs are not permitted"


def test_duplicate_allocation_names(data):
    data["allocations"][2]["name"] = "community"
    assert only_problem(data) == "allocations: allocation names must be unique, repeated: community"


def test_two_treasury_allocations(data):
    data["allocations"][1] = {"name": "treasury-2", "kind": "treasury", "amount": 300_000_000}
    assert only_problem(data) == "allocations: at most one allocation may have kind 'treasury'"


def test_empty_allocations(data):
    data["allocations"] = []
    assert only_problem(data).startswith("allocations: List should have at least 1 item")


@pytest.mark.parametrize("symbol", ["", "AI S", "TOOLONGSYMBOL"])
def test_bad_symbol(data, symbol):
    data["token"]["symbol"] = symbol
    assert only_problem(data).startswith("token.symbol: String should match pattern")


def test_every_problem_is_listed_at_once(data):
    data["governance"]["quorum_percent"] = 0
    data["escrow"]["max_early_penalty_bps"] = 20_000
    data["token"]["name"] = ""
    found = problems(data)
    assert [p.split(":")[0] for p in found] == ["token.name", "escrow.max_early_penalty_bps", "governance.quorum_percent"]


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "absent.yaml")
    assert raised.value.problems == ["(file): no such file"]


def test_invalid_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("token: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.problems[0].startswith("(file): not valid YAML")


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.problems == ["(top level): must be a mapping of fields, got list"]


def test_digest_changes_with_any_value(data):
    first = parse_config(data).digest()
    assert parse_config(copy.deepcopy(data)).digest() == first
    data["allocations"][4]["cliff"] = "27w"
    assert parse_config(data).digest() != first


def test_public_example_is_valid():
    config = load_config(LOCAL.parent / "example-public.yaml")
    assert config.distributor.reward_tokens == ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"]
    assert sum(a.amount for a in config.allocations) == config.token.supply
    assert config.minimum_quorum == config.token.supply // 100  # the default, written out


@pytest.mark.parametrize(
    "field, value, rule",
    [
        ("voting_period", 0, "Input should be greater than 0"),
        ("voting_period", 2**32, "Input should be less than 4294967296"),
        ("voting_delay", 2**48, "Input should be less than 281474976710656"),
        ("late_quorum_extension", "-1d", "must be seconds or a number with a unit"),
        ("quorum_percent", 0, "Input should be greater than or equal to 1"),
        ("quorum_percent", 101, "Input should be less than or equal to 100"),
        ("quorum_percent", "4", "Input should be a valid integer"),
        ("timelock_delay", "soon", "must be seconds or a number with a unit"),
        ("proposal_threshold", 0, "must be greater than 0"),
        ("minimum_quorum", 0, "must be greater than 0"),
        ("minimum_quorum", "ten", "must be a number of whole tokens"),
        ("minimum_quorum", None, "must be a number of whole tokens (leave the field out for the default"),
        ("unknown", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_governance_values(data, field, value, rule):
    data["governance"][field] = value
    problem = only_problem(data)
    assert problem.startswith(f"governance.{field}: ") and rule in problem, problem


def test_unreachable_proposal_threshold(data):
    data["governance"]["proposal_threshold"] = 2_000_000_001
    assert only_problem(data).startswith(
        "governance.proposal_threshold: above the largest possible Staking Score (2 x token.supply"
    )


def test_minimum_quorum_defaults_to_one_percent_of_supply(data):
    del data["governance"]["minimum_quorum"]
    config = parse_config(data)
    assert config.governance.minimum_quorum is None
    assert config.minimum_quorum == 10_000_000 * UNIT


def test_unreachable_minimum_quorum(data):
    data["governance"]["minimum_quorum"] = "2000000000.000000000000000001"
    assert only_problem(data) == (
        "governance.minimum_quorum: above the largest possible Staking Score (2 x token.supply = "
        "2,000,000,000 tokens): no proposal could ever pass"
    )


def test_minimum_quorum_may_be_the_largest_possible_score(data):
    data["governance"]["minimum_quorum"] = 2_000_000_000
    assert parse_config(data).minimum_quorum == 2 * parse_config(data).token.supply


@pytest.mark.parametrize("minimum, threshold", [(1_000_000, None), (500_000, None), (2_000_000, 2_000_000)])
def test_minimum_quorum_must_be_above_the_proposal_threshold(data, minimum, threshold):
    """Finding 5: a minimum at or below the threshold lets a proposer at the threshold pass alone."""
    data["governance"]["minimum_quorum"] = minimum
    if threshold is not None:
        data["governance"]["proposal_threshold"] = threshold
    threshold_tokens = f"{threshold or 1_000_000:,}"
    assert only_problem(data) == (
        f"governance.minimum_quorum: {minimum:,} tokens must be above the proposal threshold "
        f"({threshold_tokens} tokens): else a proposer at the threshold passes proposals on its own votes "
        "while little is locked"
    )


def test_minimum_quorum_one_wei_above_the_threshold(data):
    data["governance"]["minimum_quorum"] = "1000000.000000000000000001"
    assert parse_config(data).minimum_quorum == 1_000_000 * UNIT + 1


def test_explicit_proposal_threshold(data):
    data["governance"]["proposal_threshold"] = "2500.5"
    assert parse_config(data).proposal_threshold == 2500 * UNIT + UNIT // 2


@pytest.mark.parametrize(
    "tokens, rule",
    [
        (["0x" + "11" * 20] * 2, "must not repeat a token"),
        (["0x" + f"{i:040x}" for i in range(1, 9)], "List should have at most 7 items"),
        (["0x" + "00" * 20], "must not be the zero address"),
    ],
)
def test_bad_reward_tokens(data, tokens, rule):
    data["distributor"]["reward_tokens"] = tokens
    problem = only_problem(data)
    assert problem.startswith("distributor.reward_tokens") and rule in problem, problem


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


BAD_VALUES = {
    "a list": [1, 2],
    "a mapping": {"x": 1},
    "negative": -1,
    "overflowing": 2**256,
    "not an address": "0xnotanaddress",
    "null": None,
}
# fields where a bad value of this kind is still a legitimate value
LEGITIMATE = {
    (("token", "name"), "not an address"),  # any text is a name
    (("allocations", "*", "name"), "not an address"),  # matches the name pattern
    (("access", "plans", "*", "name"), "not an address"),  # matches the name pattern
    (("allocations", "*", "kind"), "not an address"),  # reported on the allocation (unknown tag)
    (("airdrop", "csv"), "not an address"),  # any file name
}


def _legit(path, kind):
    generic = tuple("*" if isinstance(part, int) else part for part in path)
    return (generic, kind) in LEGITIMATE


@pytest.mark.parametrize("kind", list(BAD_VALUES))
def test_every_field_rejects_wrong_values_by_name(data, kind):
    """Every leaf of config/local.yaml, replaced by a wrong type, a negative or overflowing number,
    a malformed address or null: the error names that field (or the allocation it belongs to)."""
    checked = 0
    for path, _ in list(_leaves(data)):
        if _legit(path, kind):
            continue
        broken = copy.deepcopy(data)
        _set(broken, path, copy.deepcopy(BAD_VALUES[kind]))
        dotted = ".".join(map(str, path))
        owner = ".".join(map(str, path[:2])) if path[0] == "allocations" else dotted
        found = problems(broken)
        assert any(p.startswith((f"{dotted}:", f"{dotted}.", f"{owner}:")) for p in found), (dotted, kind, found)
        checked += 1
    assert checked >= 20


def test_token_amount_keeps_every_digit_beyond_decimal_precision():
    """Amounts are converted with exact integer arithmetic: 30 significant digits survive (the decimal
    module's default 28-digit context used to round `...345678` to `...345700`)."""
    assert parse_token_amount("123456789012.123456789012345678") == 123456789012123456789012345678
    assert parse_token_amount("1e3") == 1000 * 10**18
