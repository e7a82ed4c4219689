"""OpenZeppelin's `StandardMerkleTree` in plain Python, for the community airdrop (SPEC 5.4).

Byte for byte what the npm package `@openzeppelin/merkle-tree` (1.0.x) builds from the same values:
the same root, the same proofs and the same `dump()` JSON, so a tree built here can be loaded by any
front end that uses the library, and the contract's `MerkleProof.verify` accepts its proofs
(tests/core/test_merkle_matches_openzeppelin.py runs the library through node and compares).

The construction, as the library does it:
  - leaf of values `v` with ABI types `t`: `keccak256(keccak256(abi.encode(t, v)))` (hashed twice, so
    a leaf can never be read as an inner node);
  - leaves sorted by hash (bytes order), then laid out as a complete binary tree in an array of
    `2n - 1` nodes, the sorted leaves from the end backwards; node `i`'s children are `2i+1`, `2i+2`;
  - inner node: `keccak256` of its two children, the smaller first (the "commutative" pair hash that
    `MerkleProof` uses);
  - a value's proof: the sibling of each node on the way from its leaf up to the root.

`read_airdrop_csv` reads the airdrop list (`address,amount` per line, amounts in whole tokens) and
names each bad line; the rest is plain data: no chain, no brownie.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from harness.core.units import DECIMALS, parse_address, parse_token_amount

AIRDROP_LEAF_ENCODING = ("address", "uint256")
DUMP_FORMAT = "standard-v1"


def leaf_hash(leaf_encoding: Sequence[str], value: Sequence[Any]) -> bytes:
    """`keccak256(bytes.concat(keccak256(abi.encode(value))))`, the library's `standardLeafHash`."""
    return keccak(keccak(encode(list(leaf_encoding), [_abi_value(t, v) for t, v in zip(leaf_encoding, value)])))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """The commutative pair hash of OpenZeppelin's `MerkleProof` (smaller child first)."""
    return keccak(a + b if a <= b else b + a)


def _abi_value(abi_type: str, value: Any) -> Any:
    """A dumped value (decimal strings for integers, as the library's JSON keeps them) as eth_abi takes it."""
    if abi_type.startswith(("uint", "int")):
        return int(value)
    if abi_type == "address":
        return to_checksum_address(value)
    return value


def _hex(node: bytes) -> str:
    return "0x" + node.hex()


@dataclass(frozen=True)
class StandardMerkleTree:
    """A built tree: `tree` is the node array (root first), `values` each value with its node index."""

    leaf_encoding: tuple[str, ...]
    tree: tuple[bytes, ...]
    values: tuple[tuple[tuple[Any, ...], int], ...]

    @classmethod
    def of(cls, values: Sequence[Sequence[Any]], leaf_encoding: Sequence[str]) -> "StandardMerkleTree":
        """The tree of `values` (each a sequence matching `leaf_encoding`), leaves sorted as the
        library sorts them by default."""
        if not values:
            raise ValueError("a merkle tree needs at least one value")
        encoding = tuple(leaf_encoding)
        hashed = sorted(
            ((leaf_hash(encoding, value), index) for index, value in enumerate(values)), key=lambda pair: pair[0]
        )
        size = 2 * len(hashed) - 1
        nodes: list[bytes] = [b""] * size
        for position, (node, _) in enumerate(hashed):
            nodes[size - 1 - position] = node
        for i in range(size - 1 - len(hashed), -1, -1):
            nodes[i] = hash_pair(nodes[2 * i + 1], nodes[2 * i + 2])
        tree_index = [0] * len(values)
        for position, (_, value_index) in enumerate(hashed):
            tree_index[value_index] = size - 1 - position
        indexed = tuple((tuple(value), tree_index[i]) for i, value in enumerate(values))
        return cls(leaf_encoding=encoding, tree=tuple(nodes), values=indexed)

    @property
    def root(self) -> str:
        return _hex(self.tree[0])

    def proof(self, value_index: int) -> list[str]:
        """The proof of the `value_index`-th value (in the order given to `of`)."""
        node = self.values[value_index][1]
        proof = []
        while node > 0:
            sibling = node + 1 if node % 2 == 1 else node - 1
            proof.append(_hex(self.tree[sibling]))
            node = (node - 1) // 2
        return proof

    def verify(self, value_index: int) -> bool:
        """Whether the value's proof leads to the root, as `MerkleProof.verify` computes it."""
        value, _ = self.values[value_index]
        node = leaf_hash(self.leaf_encoding, value)
        for sibling in self.proof(value_index):
            node = hash_pair(node, bytes.fromhex(sibling[2:]))
        return node == self.tree[0]

    def dump(self) -> dict[str, Any]:
        """The library's `dump()`: what `StandardMerkleTree.load` reads back."""
        return {
            "format": DUMP_FORMAT,
            "leafEncoding": list(self.leaf_encoding),
            "tree": [_hex(node) for node in self.tree],
            "values": [{"value": list(value), "treeIndex": index} for value, index in self.values],
        }

    def dump_json(self) -> str:
        """`dump()` as `JSON.stringify` writes it (no whitespace, keys in the library's order)."""
        return json.dumps(self.dump(), separators=(",", ":"))


# ---- the airdrop list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AirdropEntry:
    line: int
    account: str
    amount: int  # base units


def read_airdrop_csv(path: str | Path, decimals: int = DECIMALS) -> list[AirdropEntry]:
    """The airdrop list: one `address,amount` per line (amount in whole tokens, decimals allowed), an
    optional `address,amount` header. A ValueError names every bad line (address, duplicate, zero or
    negative amount, too many decimals, wrong number of fields)."""
    entries: list[AirdropEntry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            fields = [field.strip() for field in row]
            if not fields or fields == [""]:
                continue
            if number == 1 and [f.lower() for f in fields] == ["address", "amount"]:
                continue
            where = f"line {number}"
            if len(fields) != 2:
                problems.append(f"{where}: expected `address,amount`, got {len(fields)} field(s)")
                continue
            try:
                account = parse_address(fields[0])
            except ValueError as error:
                problems.append(f"{where}: address {error}")
                continue
            try:
                amount = parse_token_amount(fields[1], decimals)
            except ValueError as error:
                problems.append(f"{where}: amount {error}")
                continue
            if account in seen:
                problems.append(f"{where}: duplicate address {account} (first on line {seen[account]})")
                continue
            seen[account] = number
            entries.append(AirdropEntry(line=number, account=account, amount=amount))
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    if not entries:
        raise ValueError(f"{path}: no airdrop entries")
    return entries


def airdrop_tree(entries: Sequence[AirdropEntry]) -> StandardMerkleTree:
    """The airdrop's tree: leaves `(address account, uint256 amount)`, amounts as decimal strings in
    the dump (as the library keeps uint256 values in JSON)."""
    return StandardMerkleTree.of([(e.account, str(e.amount)) for e in entries], AIRDROP_LEAF_ENCODING)


# ---- files: what `scripts/airdrop.py build` writes and what claimers read ------------------------


def airdrop_proofs(tree: StandardMerkleTree) -> dict[str, Any]:
    """The root, the total and every claim's amount and proof, by address (a claimer's whole input)."""
    claims = {value[0]: {"amount": value[1], "proof": tree.proof(i)} for i, (value, _) in enumerate(tree.values)}
    total = sum(int(value[1]) for value, _ in tree.values)
    return {"root": tree.root, "total": str(total), "claims": claims}


def write_airdrop_files(tree: StandardMerkleTree, directory: str | Path, stem: str) -> tuple[Path, Path]:
    """`<stem>.tree.json` (the library's `dump()`, as `JSON.stringify` writes it) and `<stem>.proofs.json`
    (`airdrop_proofs`) in `directory`; returns both paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    dump_path, proofs_path = directory / f"{stem}.tree.json", directory / f"{stem}.proofs.json"
    dump_path.write_text(tree.dump_json())
    proofs_path.write_text(json.dumps(airdrop_proofs(tree), indent=2) + "\n")
    return dump_path, proofs_path


def load_airdrop_tree(path: str | Path) -> StandardMerkleTree:
    """An airdrop tree from its `dump()` JSON, rebuilt from the values and checked node for node (a
    file that was edited by hand is refused: ValueError)."""
    data = json.loads(Path(path).read_text())
    if data.get("format") != DUMP_FORMAT or tuple(data.get("leafEncoding", ())) != AIRDROP_LEAF_ENCODING:
        raise ValueError(f"{path}: not an airdrop tree dump ({DUMP_FORMAT}, leaves {list(AIRDROP_LEAF_ENCODING)})")
    tree = StandardMerkleTree.of([tuple(v["value"]) for v in data["values"]], AIRDROP_LEAF_ENCODING)
    if tree.dump() != data:
        raise ValueError(f"{path}: its nodes are not the tree of its values")
    return tree


def find_claim(tree: StandardMerkleTree, account: str) -> tuple[int, list[str]] | None:
    """(amount, proof) of `account` in an airdrop tree, or None."""
    wanted = to_checksum_address(account)
    for index, (value, _) in enumerate(tree.values):
        if to_checksum_address(value[0]) == wanted:
            return int(value[1]), tree.proof(index)
    return None
