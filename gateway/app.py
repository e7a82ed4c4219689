"""The gateway's HTTP API (SPEC 6), a FastAPI application: its OpenAPI document is served at
`/openapi.json`. Amounts are uint256 base units written as decimal strings (JSON numbers lose precision
above 2^53 in most clients). Every refusal is `{"error": {"code", "message", ...}}` with the status of
gateway/errors.py, and charges nothing.

    GET  /v1/info                              chain id, ServiceAccess (the receipts' domain), staking token
    GET  /v1/services                          the catalog: services and list prices per pay token
    GET  /v1/quote?service=&account=&token=    price for this account, and the cumulative to sign
    POST /v1/call/{service}                    a metered call: the service's input and the Usage receipt
    GET  /v1/receipts/{account}/{token}        the latest accepted receipt (a client recovers from it)

Endpoints are plain `def`s: FastAPI runs them in its thread pool, where the blocking chain reads and the
SQLite transaction belong.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from eth_utils import is_address, to_checksum_address
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gateway.errors import ERROR_CODES, GatewayError
from gateway.meter import Meter, UsageReceipt
from gateway.services import MAX_PRICES, MAX_TEXT_CHARS, sentiment, trend_signal

DEFAULT_MAX_BODY_BYTES = 256 * 1024  # a 10,000-price series is about 120 kB of JSON


def _address(value: str) -> str:
    if not is_address(value):
        raise ValueError("must be a 0x-prefixed 20-byte hex address")
    return to_checksum_address(value)


def _uint256(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 78 or int(value) >= 2**256:
        raise ValueError("must be a uint256 written as a decimal string")
    return int(value)


def _signature(value: str) -> bytes:
    body = value.removeprefix("0x")
    if not value.startswith("0x") or len(body) % 2 or not all(c in "0123456789abcdefABCDEF" for c in body):
        raise ValueError("must be 0x-prefixed hex")
    if not 65 <= len(body) // 2 <= 4096:
        raise ValueError("must be 65 to 4096 bytes")
    return bytes.fromhex(body)


AddressText = Annotated[str, Field(examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]), AfterValidator(_address)]
Uint256Text = Annotated[str, Field(examples=["2000000000000000000"], max_length=78), AfterValidator(_uint256)]
SignatureText = Annotated[str, Field(max_length=8194), AfterValidator(_signature)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReceiptIn(_Strict):
    """A signed EIP-712 `Usage(account, token, cumulative, deadline)` of ServiceAccess (SPEC 5.2)."""

    account: AddressText
    token: AddressText
    cumulative: Uint256Text
    deadline: Uint256Text
    signature: SignatureText

    def usage(self) -> UsageReceipt:
        # the validators have turned the texts into what they denote (a checksummed address, int, bytes)
        return UsageReceipt(self.account, self.token, self.cumulative, self.deadline, self.signature)


class SentimentIn(_Strict):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]


class TrendIn(_Strict):
    prices: Annotated[list[float], Field(min_length=2, max_length=MAX_PRICES)]
    fast: Annotated[int, Field(ge=2, le=500)] = 12
    slow: Annotated[int, Field(ge=3, le=1000)] = 26
    rsi_period: Annotated[int, Field(ge=2, le=500)] = 14


class SentimentCall(_Strict):
    input: SentimentIn
    receipt: ReceiptIn


class TrendCall(_Strict):
    input: TrendIn
    receipt: ReceiptIn


class ChargeOut(BaseModel):
    service: str
    price: str
    list_price: str
    level: int
    discount_bps: int
    cumulative: str


class CallOut(BaseModel):
    result: dict[str, Any]
    charge: ChargeOut


class QuoteOut(BaseModel):
    service: str
    account: str
    token: str
    level: int
    discount_bps: int
    list_price: str
    price: str
    base: str
    next_cumulative: str
    min_deadline: str  # the earliest deadline the receipt may carry (chain time + min_receipt_lifetime)


class InfoOut(BaseModel):
    """What a client signs receipts over: the EIP-712 domain's chain and contract, and the staking token."""

    chain_id: int
    service_access: str
    staking_token: str
    min_receipt_lifetime: int


class PriceOut(BaseModel):
    token: str
    price: str


class ServiceOut(BaseModel):
    name: str
    description: str
    prices: list[PriceOut]


class ReceiptOut(BaseModel):
    account: str
    token: str
    cumulative: str
    settled: str
    deadline: str  # the stored receipt's, with its signature: a client checks it signed this cumulative
    signature: str  # "0x" when none is stored


class ErrorBody(BaseModel):
    code: Literal[tuple(ERROR_CODES)]  # type: ignore[valid-type]
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


ERROR_RESPONSES = {status: {"model": ErrorOut} for status in sorted({s for s, _ in ERROR_CODES.values()})}


class BodyLimit:
    """ASGI middleware refusing a body above `max_bytes` (`payload_too_large`) without reading more of
    it than that: by its Content-Length when declared, else by counting the chunks as they arrive."""

    def __init__(self, app: Any, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = _error(GatewayError("payload_too_large", f"the body is above {self.max_bytes} bytes"))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # no Content-Length (chunked): buffer up to the limit, then replay the body to the app
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await too_large(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _error(error: GatewayError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def create_app(meter: Meter, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> FastAPI:
    """The API of one gateway over `meter`."""
    app = FastAPI(title="AI-service gateway", version="1",
                  description="Metered AI calls paid with signed ServiceAccess Usage receipts (SPEC 6).")
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

    @app.exception_handler(GatewayError)
    def on_gateway_error(_: Request, error: GatewayError) -> JSONResponse:
        return _error(error)

    @app.exception_handler(RequestValidationError)
    def on_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        if first.get("type") == "json_invalid":
            return _error(GatewayError("bad_request", "the body is not valid JSON"))
        field = _field(tuple(first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        return _error(GatewayError("bad_request", f"{field}: {message}", field=field))

    @app.get("/v1/services", response_model=list[ServiceOut])
    def services() -> list[ServiceOut]:
        """The catalog: every service and its list price per pay token (before the level discount)."""
        staking = meter.chain.staking_token
        return [ServiceOut(name=s.name, description=s.description,
                           prices=[PriceOut(token=p.pay_token_address(staking), price=str(p.base_units)) for p in s.prices])
                for s in meter.catalog.services]

    @app.get("/v1/quote", response_model=QuoteOut, responses=ERROR_RESPONSES)
    def quote(service: str, account: AddressText, token: AddressText) -> QuoteOut:
        """What the next call of `service` costs `account` in `token`, and the cumulative its receipt carries."""
        q, _, _ = meter.quote(service, account, token)
        return QuoteOut(service=q.service, account=q.account, token=q.token, level=q.level,
                        discount_bps=q.discount_bps, list_price=str(q.list_price), price=str(q.price),
                        base=str(q.base), next_cumulative=str(q.next_cumulative),
                        min_deadline=str(meter.chain.timestamp() + meter.min_receipt_lifetime))

    @app.get("/v1/info", response_model=InfoOut)
    def info() -> InfoOut:
        """The chain id and ServiceAccess address receipts are signed over, and the staking token."""
        return InfoOut(chain_id=meter.chain.chain_id, service_access=meter.chain.access.address,
                       staking_token=meter.chain.staking_token, min_receipt_lifetime=meter.min_receipt_lifetime)

    @app.get("/v1/receipts/{account}/{token}", response_model=ReceiptOut, responses=ERROR_RESPONSES)
    def latest_receipt(account: AddressText, token: AddressText) -> ReceiptOut:
        """The latest receipt the gateway accepted from `account` in `token` (zeros: none yet)."""
        stored = meter.store.latest(account, token)
        if stored is None:
            return ReceiptOut(account=account, token=token, cumulative="0", settled="0", deadline="0", signature="0x")
        return ReceiptOut(account=account, token=token, cumulative=str(stored.cumulative), settled=str(stored.settled),
                          deadline=str(stored.deadline), signature=stored.signature)

    def answer(service: str, receipt: ReceiptIn, run: Any) -> CallOut:
        result, charge = meter.serve(service, receipt.usage(), run)
        q = charge.quote
        return CallOut(result=result.__dict__, charge=ChargeOut(
            service=service, price=str(q.price), list_price=str(q.list_price), level=q.level,
            discount_bps=q.discount_bps, cumulative=str(charge.cumulative)))

    @app.post("/v1/call/sentiment", response_model=CallOut, responses=ERROR_RESPONSES)
    def call_sentiment(body: SentimentCall) -> CallOut:
        """Sentiment of a crypto text (VADER with market slang)."""
        return answer("sentiment", body.receipt, lambda: sentiment(body.input.text))

    @app.post("/v1/call/trend", response_model=CallOut, responses=ERROR_RESPONSES)
    def call_trend(body: TrendCall) -> CallOut:
        """EMA crossover and RSI over a price series."""
        i = body.input
        return answer("trend", body.receipt, lambda: trend_signal(i.prices, i.fast, i.slow, i.rsi_period))

    @app.post("/v1/call/{service}", responses=ERROR_RESPONSES, include_in_schema=False)
    def call_unknown(service: str) -> None:
        meter.list_price(service, meter.chain.staking_token)  # raises unknown_service

    return app
