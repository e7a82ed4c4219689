"""The gateway's one command (docs/gateway.md):

    python -m gateway serve  [config=PATH]   serve the API and settle on the side (make gateway)
    python -m gateway settle [config=PATH]   settle every unsettled receipt now, print what it charged
    python -m gateway status [config=PATH]   the accepted calls and the unsettled receipts

`config=` defaults to config/gateway.yaml. The settler key follows the scripts' SIGNER rules
(gateway/config.py); DATABASE_URL overrides the config's database. Bad input: `error: ...`, exit 1,
nothing sent.
"""

from __future__ import annotations

import logging
import sys

from harness.core.cli import Action, Command, Option, exit_on_error
from harness.core.paths import REPO_ROOT
from harness.core.units import format_tokens

from gateway.config import load_gateway_config
from gateway.server import Gateway

DEFAULT_CONFIG = REPO_ROOT / "config" / "gateway.yaml"
COMMAND = Command("gateway", actions=(Action("serve"), Action("settle"), Action("status")),
                  options=(Option("config", "PATH"),), prefix="python -m ")


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with exit_on_error():
        call = COMMAND.parse(argv)
        config = load_gateway_config(call.option("config") or DEFAULT_CONFIG)
        gateway = Gateway(config)
        if call.action == "serve":
            print(f"gateway: serving {config.host}:{config.port} for {config.manifest.name} "
                  f"(chain {gateway.manifest.chain_id}), database {config.database_url}, "
                  f"settler {gateway.settler.address}", flush=True)
            gateway.serve()
        elif call.action == "settle":
            result = gateway.settler.settle()
            print(f"settled {len(result.redeemed)} receipts in {len(result.transactions)} transactions "
                  f"({result.gas_used:,} gas): {format_tokens(result.charged)} charged")
            for account, token, cumulative, reason in result.skipped:
                print(f"  skipped {account} up to {cumulative}: {reason}")
            for receipt in result.expired:
                print(f"  expired unsettled: {receipt.account} up to {receipt.cumulative}")
        else:
            calls = gateway.store.calls()
            print(f"{len(calls)} accepted calls; {format_tokens(gateway.store.charged_total())} charged by settlements")
            for receipt in gateway.store.unsettled():
                print(f"  unsettled: {receipt.account} in {receipt.token}: {format_tokens(receipt.unsettled)}")


if __name__ == "__main__":
    main(sys.argv[1:])
