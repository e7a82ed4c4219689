# Source this to run brownie and the scripts by hand with the repo's toolchain, as the Makefile does:
#   source tools/env.sh && brownie run scripts/status.py main --network development
_repo="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export PATH="$_repo/node_modules/.bin:$_repo/.venv/bin:$PATH"
export SOLCX_BINARY_PATH="$_repo/tools/solc"
export BROWNIE_NOCOMPILE=1
unset _repo
