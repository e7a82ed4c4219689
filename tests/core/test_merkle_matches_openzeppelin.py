"""harness/core/merkle.py against the npm package it reimplements: `@openzeppelin/merkle-tree`, run
through node on the same values (tests/support/oz_merkle.js). Roots, every proof and the `dump()` JSON
must be byte-identical; the airdrop CSV reader names every bad line."""

from __future__ import annotations

import json
import subprocess

import pytest
from eth_utils import to_checksum_address
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.core.merkle import (
    AIRDROP_LEAF_ENCODING,
    StandardMerkleTree,
    airdrop_tree,
    hash_pair,
    leaf_hash,
    read_airdrop_csv,
)
from harness.core.paths import REPO_ROOT
from harness.core.units import UNIT

NODE_REFERENCE = REPO_ROOT / "tests" / "support" / "oz_merkle.js"


def openzeppelin(values: list, leaf_encoding=AIRDROP_LEAF_ENCODING) -> dict:
    """What the library builds from `values`."""
    done = subprocess.run(
        ["node", str(NODE_REFERENCE)],
        input=json.dumps({"leafEncoding": list(leaf_encoding), "values": values}),
        capture_output=True, text=True, cwd=REPO_ROOT, check=True, timeout=120,
    )
    return json.loads(done.stdout)


def assert_identical(values: list) -> StandardMerkleTree:
    tree = StandardMerkleTree.of(values, AIRDROP_LEAF_ENCODING)
    reference = openzeppelin(values)
    assert tree.root == reference["root"]
    assert [tree.proof(i) for i in range(len(values))] == reference["proofs"]
    assert tree.dump_json() == reference["dump"]
    return tree


def account(i: int) -> str:
    return to_checksum_address(f"0x{i + 1:040x}")


def test_the_libraries_own_readme_example():
    """The two-leaf example of the library's README, whose root it documents."""
    values = [["0x1111111111111111111111111111111111111111", "5000000000000000000"],
              ["0x2222222222222222222222222222222222222222", "2500000000000000000"]]
    tree = assert_identical(values)
    assert tree.root == "0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77"


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 33])
def test_small_and_odd_trees(size):
    tree = assert_identical([[account(i), str((i + 1) * UNIT)] for i in range(size)])
    assert all(tree.verify(i) for i in range(size))


def test_one_leaf_is_its_own_root_with_an_empty_proof():
    tree = assert_identical([[account(0), str(UNIT)]])
    assert tree.root == "0x" + leaf_hash(AIRDROP_LEAF_ENCODING, [account(0), UNIT]).hex()
    assert tree.proof(0) == []


def test_ten_thousand_leaves():
    assert_identical([[account(i), str(i * 7 + 1)] for i in range(10_000)])


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2**160 - 1), st.integers(1, 2**256 - 1)), min_size=1, max_size=40,
                unique_by=lambda pair: pair[0]))
def test_random_trees(pairs):
    assert_identical([[to_checksum_address(f"0x{a:040x}"), str(amount)] for a, amount in pairs])


def test_pair_hash_is_commutative_and_leaves_are_double_hashed():
    a, b = b"\x01" * 32, b"\x02" * 32
    assert hash_pair(a, b) == hash_pair(b, a)
    leaf = leaf_hash(AIRDROP_LEAF_ENCODING, [account(0), 5])
    assert leaf != leaf_hash(AIRDROP_LEAF_ENCODING, [account(0), 6])


def test_no_values_is_refused():
    with pytest.raises(ValueError, match="at least one value"):
        StandardMerkleTree.of([], AIRDROP_LEAF_ENCODING)


# ---- the airdrop CSV ---------------------------------------------------------------------------


def test_csv_in_whole_tokens_builds_the_same_tree_as_the_library(tmp_path):
    path = tmp_path / "airdrop.csv"
    path.write_text(f"address,amount\n{account(0)},1250.5\n{account(1).lower()},3\n\n{account(2)},0.000000000000000001\n")
    entries = read_airdrop_csv(path)
    assert [(e.line, e.account, e.amount) for e in entries] == [
        (2, account(0), 1250 * UNIT + UNIT // 2), (3, account(1), 3 * UNIT), (5, account(2), 1),
    ]
    tree = airdrop_tree(entries)
    assert tree.dump_json() == openzeppelin([[e.account, str(e.amount)] for e in entries])["dump"]


def test_csv_names_every_bad_line(tmp_path):
    path = tmp_path / "airdrop.csv"
    bad_checksum = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"  # Anvil's account 1 with one letter's case flipped
    path.write_text(
        "\n".join([
            f"{account(0)},10",
            "0x1234,10",  # line 2: not an address
            f"{account(0)},5",  # line 3: duplicate
            f"{account(1)},0",  # line 4: zero
            f"{account(2)},1.0000000000000000001",  # line 5: 19 decimals
            f"{account(3)},-4",  # line 6: negative
            f"{account(4)}",  # line 7: one field
            f"{bad_checksum},1",  # line 8: wrong EIP-55 checksum
        ]) + "\n"
    )
    with pytest.raises(ValueError) as refused:
        read_airdrop_csv(path)
    message = str(refused.value)
    for expected in [
        "line 2: address must be a 0x-prefixed 20-byte hex address",
        f"line 3: duplicate address {account(0)} (first on line 1)",
        "line 4: amount must be greater than 0",
        "line 5: amount has more than 18 decimals",
        "line 6: amount must be greater than 0",
        "line 7: expected `address,amount`, got 1 field(s)",
        "line 8: address has a wrong EIP-55 checksum",
    ]:
        assert expected in message, (expected, message)
    assert "line 1" not in message.replace("first on line 1", "")


def test_empty_csv_is_refused(tmp_path):
    path = tmp_path / "airdrop.csv"
    path.write_text("address,amount\n")
    with pytest.raises(ValueError, match="no airdrop entries"):
        read_airdrop_csv(path)
