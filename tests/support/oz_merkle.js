// The reference for harness/core/merkle.py: OpenZeppelin's @openzeppelin/merkle-tree on the values
// read from stdin ({"leafEncoding": [...], "values": [[...], ...]}), printing the root, every proof
// (in the values' order) and dump() exactly as JSON.stringify writes it.
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { leafEncoding, values } = JSON.parse(input);
  const tree = StandardMerkleTree.of(values, leafEncoding);
  const proofs = values.map((_, i) => tree.getProof(i));
  process.stdout.write(JSON.stringify({ root: tree.root, proofs, dump: JSON.stringify(tree.dump()) }));
});
