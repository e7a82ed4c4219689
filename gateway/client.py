"""The gateway's Python client (SPEC 6): keeps the account's cumulative, signs each call's `Usage` receipt
with eth-account over the domain the gateway names (`/v1/info`), calls a service and returns the
answer with its cost. Plain Python: HTTP with `requests`, and web3 only to deposit credits.

    python -m gateway.client sentiment "TEXT" [url=URL] [deposit=AMOUNT] [rpc=URL]
    python -m gateway.client trend P1 P2 ... [url=URL] [deposit=AMOUNT] [rpc=URL]
    python -m gateway.client receipt [url=URL]

The key is `CLIENT_PRIVATE_KEY` (or `SIGNER=N`, Anvil account N, for a local chain). `deposit=` adds
credits in the staking token first (approve + depositCredits, sent to `rpc=`, default
http://127.0.0.1:8545) with the scripts' fee rules.

Trust: the client signs only its own cumulative plus the quoted price (a quote from another base is
refused), and refuses a price above `max_price` (if set). At start it takes the gateway's stored
cumulative (`/v1/receipts`) only with that receipt's signature by its own key.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import requests
from eth_account import Account

from harness.core.cli import Action, Argument, Command, Option, amount_argument, exit_on_error
from harness.core.errors import ScriptError
from harness.core.signing import anvil_private_key, sign_usage, usage_message
from harness.core.signing import recover as recover_signer
from harness.core.units import format_tokens, is_whole_number

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_RPC = "http://127.0.0.1:8545"
EXTRA_LIFETIME = 6 * 86_400  # seconds a receipt stays valid beyond the gateway's minimum


class GatewayRefusal(Exception):
    """The gateway refused a call: its stable `code`, HTTP status and message; nothing was charged."""

    def __init__(self, status: int, body: Mapping[str, Any]):
        error = body.get("error", {}) if isinstance(body, Mapping) else {}
        self.status, self.code = status, error.get("code", "unknown")
        self.message, self.details = error.get("message", str(body)), error
        super().__init__(f"{self.code} ({status}): {self.message}")


@dataclass(frozen=True)
class CallResult:
    """A served call: the service's answer and what it cost (base units of the pay token)."""

    service: str
    result: dict[str, Any]
    price: int
    list_price: int
    level: int
    cumulative: int


class GatewayClient:
    """One account's calls to one gateway, paid in one token (default the staking token)."""

    def __init__(self, url: str, private_key: str, *, account: str | None = None, token: str | None = None,
                 max_price: int | None = None, rpc_url: str | None = None, session: requests.Session | None = None,
                 timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.rpc_url = rpc_url  # optional: lets the client confirm a base the chain's `spent` moved
        self.key = private_key
        self.account = account or Account.from_key(private_key).address  # a smart wallet signs by its owner
        self.session = session or requests.Session()
        self.timeout, self.max_price = timeout, max_price
        info = self._get("/v1/info")
        self.chain_id, self.service_access = int(info["chain_id"]), info["service_access"]
        self.token = token or info["staking_token"]
        self.cumulative = self.recover()

    def recover(self) -> int:
        """The latest cumulative the gateway accepted from this account (0 for none), taken only with
        its receipt's signature by this client's key: a gateway cannot make the client sign on top of
        a cumulative it never signed."""
        stored = self._get(f"/v1/receipts/{self.account}/{self.token}")
        cumulative = int(stored["cumulative"])
        if cumulative == 0:
            return 0
        signable = usage_message(self.service_access, self.chain_id, self.account, self.token, cumulative,
                                 int(stored["deadline"]))
        signature = bytes.fromhex(stored["signature"].removeprefix("0x"))
        if recover_signer(signable, signature) != Account.from_key(self.key).address:
            raise ScriptError(f"the gateway's stored receipt up to {cumulative} is not signed by this client's key")
        return cumulative

    def call(self, service: str, payload: Mapping[str, Any]) -> CallResult:
        """Quote, sign the receipt for exactly that price, call; raise GatewayRefusal if refused."""
        quote = self._get("/v1/quote", params={"service": service, "account": self.account, "token": self.token})
        price, base = int(quote["price"]), int(quote["base"])
        if base > self.cumulative and self.rpc_url and base == self._spent_on_chain():
            self.cumulative = base  # the account redeemed a receipt of its own: the chain's spent moved on
        if base != self.cumulative:
            # below: the gateway lost an accepted receipt; above (unconfirmed by the chain): it inflates
            # the base. Signing on either would pay twice or pay for nothing
            raise ScriptError(f"the gateway quotes from cumulative {base}, this client signed up to {self.cumulative}"
                              + ("" if self.rpc_url else " (give rpc= to check the chain's spent)"))
        if self.max_price is not None and price > self.max_price:
            raise ScriptError(f"max_price: {service} costs {price}, above the {self.max_price} this client pays")
        cumulative = self.cumulative + price
        deadline = int(quote["min_deadline"]) + EXTRA_LIFETIME
        signature = sign_usage(self.key, self.service_access, self.chain_id, self.account, self.token, cumulative, deadline)
        receipt = {"account": self.account, "token": self.token, "cumulative": str(cumulative),
                   "deadline": str(deadline), "signature": "0x" + signature.hex()}
        answer = self._post(f"/v1/call/{service}", {"input": dict(payload), "receipt": receipt})
        self.cumulative = cumulative
        charge = answer["charge"]
        return CallResult(service, answer["result"], int(charge["price"]), int(charge["list_price"]),
                          int(charge["level"]), int(charge["cumulative"]))

    def _spent_on_chain(self) -> int:
        from web3 import HTTPProvider, Web3

        from harness.core.abi import abi_of

        node = Web3(HTTPProvider(self.rpc_url))
        access = node.eth.contract(address=self.service_access, abi=abi_of("ServiceAccess"))
        return int(access.functions.spent(self.account, self.token).call())

    def sentiment(self, text: str) -> CallResult:
        return self.call("sentiment", {"text": text})

    def trend(self, prices: Sequence[float], **options: int) -> CallResult:
        return self.call("trend", {"prices": list(prices), **options})

    def _get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        return self._answer(self.session.get(self.url + path, params=params, timeout=self.timeout))

    def _post(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._answer(self.session.post(self.url + path, json=body, timeout=self.timeout))

    @staticmethod
    def _answer(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = {"error": {"code": "unknown", "message": response.text[:200]}}
        if response.status_code != 200:
            raise GatewayRefusal(response.status_code, body)
        return body


def deposit_credits(rpc_url: str, private_key: str, service_access: str, token: str, amount: int,
                    environ: Mapping[str, str] | None = None) -> None:
    """approve + depositCredits of `amount` of `token`, from the key's address, with the scripts' fees."""
    from web3 import HTTPProvider, Web3

    from harness.chain import fees
    from harness.core.abi import abi_of

    node = Web3(HTTPProvider(rpc_url))
    if not node.is_connected():
        raise ScriptError(f"rpc=: no node answers at {rpc_url}")
    sender = Account.from_key(private_key)
    policy = fees.resolve(os.environ if environ is None else environ, {}, "client", fees.node_fees(node))
    erc20 = node.eth.contract(address=token, abi=abi_of("ServiceToken"))
    access = node.eth.contract(address=service_access, abi=abi_of("ServiceAccess"))
    if erc20.functions.balanceOf(sender.address).call() < amount:
        raise ScriptError(f"deposit=: {sender.address} holds less than {format_tokens(amount)} of {token}")
    for function in (erc20.functions.approve(service_access, amount), access.functions.depositCredits(token, amount)):
        transaction = function.build_transaction({
            "from": sender.address, "chainId": node.eth.chain_id,
            "nonce": node.eth.get_transaction_count(sender.address, "pending"),
            **fees.transaction_fields(policy, node)})
        tx_hash = node.eth.send_raw_transaction(sender.sign_transaction(transaction).raw_transaction)
        if node.eth.wait_for_transaction_receipt(tx_hash, timeout=120)["status"] != 1:
            raise ScriptError(f"deposit=: transaction {tx_hash.to_0x_hex()} reverted")


def client_key(environ: Mapping[str, str]) -> str:
    """`CLIENT_PRIVATE_KEY`, else `SIGNER=N` for Anvil account N (local chains)."""
    if environ.get("CLIENT_PRIVATE_KEY"):
        try:
            return Account.from_key(environ["CLIENT_PRIVATE_KEY"]).key.to_0x_hex()
        except Exception:
            raise ScriptError("CLIENT_PRIVATE_KEY: not a valid private key") from None
    choice = environ.get("SIGNER", "").strip()
    if is_whole_number(choice):
        return anvil_private_key(int(choice))
    raise ScriptError("CLIENT_PRIVATE_KEY: set it to the account's key (or SIGNER=N for Anvil account N)")


COMMAND = Command(
    "gateway.client",
    actions=(Action("sentiment", (Argument("text", "TEXT"),)),
             Action("trend", (Argument("prices", "PRICE", repeats=True),)),
             Action("receipt")),
    options=(Option("url", "URL"), Option("deposit", "AMOUNT"), Option("rpc", "URL")),
    prefix="python -m ",
)


def main(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> None:
    environ = os.environ if environ is None else environ
    with exit_on_error():
        call = COMMAND.parse(argv)
        key = client_key(environ)
        deposit = amount_argument("deposit", call.option("deposit")) if call.option("deposit") else 0
        prices: list[float] = []
        if call.action == "trend":
            try:
                prices = [float(word) for word in call["prices"]]
            except ValueError:
                raise ScriptError("prices: each must be a number") from None
        try:
            client = GatewayClient(call.option("url") or DEFAULT_URL, key, rpc_url=call.option("rpc"))
            if deposit:
                deposit_credits(call.option("rpc") or DEFAULT_RPC, key, client.service_access, client.token, deposit)
                print(f"deposited {format_tokens(deposit)} credits")
            if call.action == "receipt":
                print(f"{client.account}: cumulative {format_tokens(client.cumulative)} accepted by the gateway")
                return
            result = client.sentiment(call["text"]) if call.action == "sentiment" else client.trend(prices)
        except GatewayRefusal as refusal:
            raise ScriptError(f"the gateway refused the call: {refusal}") from None
        except requests.RequestException as error:
            raise ScriptError(f"url=: the gateway does not answer: {error}") from None
        print(f"{result.service}: {result.result}")
        print(f"cost {format_tokens(result.price)} (list {format_tokens(result.list_price)}, level {result.level}); "
              f"cumulative {format_tokens(result.cumulative)}")


if __name__ == "__main__":
    main(sys.argv[1:])
