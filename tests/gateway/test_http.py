"""The gateway's HTTP API (gateway/app.py) served by uvicorn on a free localhost port, against the
deployed contracts: a paid call end to end, then every malformed request answered with its stable
error code, the right status, and nothing charged."""

from __future__ import annotations

import json

import pytest
import requests

from harness.core.units import UNIT
from tests.gateway.test_meter import SENTIMENT_PRICE, TREND_PRICE, price_at


def body(receipt, service_input):
    return {"input": service_input, "receipt": {
        "account": receipt.account, "token": receipt.token, "cumulative": str(receipt.cumulative),
        "deadline": str(receipt.deadline), "signature": "0x" + receipt.signature.hex()}}


def error_of(response, status, code):
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    return response.json()["error"]


def test_quote_then_call_then_recover_the_cumulative(server, gw, meter):
    caller = gw.callers["level3"]
    quote = requests.get(f"{server.url}/v1/quote", params={"service": "trend", "account": caller.address,
                                                          "token": gw.token}).json()
    assert quote["price"] == str(price_at(TREND_PRICE, 3)) and quote["next_cumulative"] == quote["price"]
    receipt = gw.receipt(caller, int(quote["next_cumulative"]))
    answer = requests.post(f"{server.url}/v1/call/trend", json=body(receipt, {"prices": [10 + i for i in range(30)]}))
    assert answer.status_code == 200, answer.text
    assert answer.json()["charge"] == {"service": "trend", "price": quote["price"], "list_price": str(TREND_PRICE),
                                       "level": 3, "discount_bps": 1500, "cumulative": quote["price"]}
    assert answer.json()["result"]["action"] == "hold" and answer.json()["result"]["rsi"] == 100.0
    latest = requests.get(f"{server.url}/v1/receipts/{caller.address.lower()}/{gw.token}").json()
    assert latest == {"account": caller.address, "token": gw.token, "cumulative": quote["price"], "settled": "0",
                      "deadline": str(receipt.deadline), "signature": "0x" + receipt.signature.hex()}


def test_the_catalog_lists_prices_in_base_units(server, gw):
    services = requests.get(f"{server.url}/v1/services").json()
    assert [(s["name"], s["prices"]) for s in services] == [
        ("sentiment", [{"token": gw.token, "price": str(SENTIMENT_PRICE)}]),
        ("trend", [{"token": gw.token, "price": str(TREND_PRICE)}])]


def test_the_openapi_document_is_served(server):
    document = requests.get(f"{server.url}/openapi.json").json()
    assert {"/v1/services", "/v1/quote", "/v1/call/sentiment", "/v1/call/trend", "/v1/receipts/{account}/{token}"} \
        <= set(document["paths"])


def test_a_refused_call_over_http_is_its_code_and_charges_nothing(server, gw, meter):
    receipt = gw.receipt(gw.callers["level0"], SENTIMENT_PRICE + 1)
    error = error_of(requests.post(f"{server.url}/v1/call/sentiment", json=body(receipt, {"text": "gm"})), 409, "wrong_price")
    assert error["expected_cumulative"] == str(SENTIMENT_PRICE)
    assert meter.store.calls() == []


@pytest.mark.parametrize("payload, field", [
    ({"input": {"text": "gm"}}, "receipt"),
    ({"input": {"text": 5}, "receipt": None}, "input.text"),
    ({"input": {"text": ""}, "receipt": None}, "input.text"),
    ({"input": {"text": "gm", "extra": 1}, "receipt": None}, "input.extra"),
    ({"input": {"text": "gm"}, "receipt": {"cumulative": 5}}, "receipt.account"),
])
def test_wrong_types_and_missing_fields_are_bad_requests_naming_the_field(server, gw, meter, payload, field):
    if payload.get("receipt", 0) is None:
        payload["receipt"] = body(gw.receipt(gw.callers["level0"], SENTIMENT_PRICE), {})["receipt"]
    error = error_of(requests.post(f"{server.url}/v1/call/sentiment", json=payload), 400, "bad_request")
    assert error["field"] == field
    assert meter.store.calls() == []


@pytest.mark.parametrize("key, value", [
    ("cumulative", "2e18"), ("cumulative", "-1"), ("cumulative", str(2**256)), ("deadline", "0x10"),
    ("account", "0x1234"), ("signature", "zz"), ("signature", "0x" + "00" * 10),
])
def test_malformed_receipt_fields_are_bad_requests(server, gw, key, value):
    payload = body(gw.receipt(gw.callers["level0"], SENTIMENT_PRICE), {"text": "gm"})
    payload["receipt"][key] = value
    error = error_of(requests.post(f"{server.url}/v1/call/sentiment", json=payload), 400, "bad_request")
    assert error["field"] == f"receipt.{key}"


def test_malformed_json_is_a_bad_request(server):
    response = requests.post(f"{server.url}/v1/call/sentiment", data=b'{"input": ', headers={"content-type": "application/json"})
    error_of(response, 400, "bad_request")


def test_an_oversized_body_is_refused_before_it_is_read(server, gw):
    payload = body(gw.receipt(gw.callers["level0"], SENTIMENT_PRICE), {"text": "x" * (70 * 1024)})
    error_of(requests.post(f"{server.url}/v1/call/sentiment", json=payload), 413, "payload_too_large")


def test_an_oversized_chunked_body_is_refused(server):
    def chunks():
        for _ in range(80):
            yield b"x" * 1024

    error_of(requests.post(f"{server.url}/v1/call/sentiment", data=chunks(),
                           headers={"content-type": "application/json"}), 413, "payload_too_large")


def test_a_chunked_body_within_the_limit_is_served(server, gw):
    payload = json.dumps(body(gw.receipt(gw.callers["level0"], SENTIMENT_PRICE), {"text": "gm, bullish"})).encode()
    response = requests.post(f"{server.url}/v1/call/sentiment", data=iter([payload[:100], payload[100:]]),
                             headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text


def test_an_unknown_service_is_404(server, gw):
    error_of(requests.post(f"{server.url}/v1/call/horoscope", json={}), 404, "unknown_service")


def test_a_quote_for_a_bad_address_is_a_bad_request(server, gw):
    response = requests.get(f"{server.url}/v1/quote", params={"service": "trend", "account": "bob", "token": gw.token})
    assert error_of(response, 400, "bad_request")["field"] == "account"
