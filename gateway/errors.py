"""Every refusal the gateway answers (SPEC 6): a stable machine-readable code, the HTTP status that fits
it, and a message in words. A refused call is never charged: nothing is stored before every check has
passed and the service has run.

Clients switch on `code`; the message may change between versions, the codes do not.
"""

from __future__ import annotations

from typing import Any

# code -> (HTTP status, what it means)
ERROR_CODES: dict[str, tuple[int, str]] = {
    "bad_request": (400, "the request body or a field of it is malformed (the message names the field)"),
    "payload_too_large": (413, "the request body is larger than the gateway accepts"),
    "unknown_service": (404, "no such service in the catalog"),
    "unpriced_token": (400, "the service is not sold in this pay token"),
    "receipt_required": (402, "the call is not free for this account: send a Usage receipt"),
    "bad_signature": (401, "the receipt is not signed by the account over this gateway's domain (chain, ServiceAccess)"),
    "receipt_expired": (400, "the receipt's deadline is past, or too close to leave time to settle it"),
    "stale_receipt": (409, "the receipt does not extend the latest accepted one (a replay, or another call got there first)"),
    "wrong_price": (409, "the receipt's increment is not this call's price"),
    "insufficient_credits": (402, "the account's prepaid credits do not cover everything unsettled plus this call"),
    "withdrawal_pending": (403, "the account asked to withdraw its credits in this token: metered calls stop until it is done"),
    "chain_unavailable": (503, "the gateway cannot read the chain right now; nothing was charged"),
}


class GatewayError(Exception):
    """A refusal: `code` from ERROR_CODES, a message, and optional details (e.g. the expected cumulative)."""

    def __init__(self, code: str, message: str, **details: Any):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown gateway error code {code!r}")
        super().__init__(message)
        self.code, self.message, self.details = code, message, details

    @property
    def status(self) -> int:
        return ERROR_CODES[self.code][0]

    def body(self) -> dict[str, Any]:
        """The JSON answer: `{"error": {"code": ..., "message": ..., **details}}` (amounts as decimal strings)."""
        details = {key: str(value) if isinstance(value, int) and not isinstance(value, bool) else value
                   for key, value in self.details.items()}
        return {"error": {"code": self.code, "message": self.message, **details}}
