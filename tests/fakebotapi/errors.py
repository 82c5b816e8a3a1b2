"""Telegram's error shape: `ApiError` and the exact descriptions the bot reacts to."""

from __future__ import annotations

from typing import Any

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway"}


class ApiError(Exception):
    """A Bot API error: HTTP status, Telegram's description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> dict[str, Any]:
        """The JSON Telegram answers with: ok=false, error_code, description (parameters)."""
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        return body | ({"parameters": self.parameters} if self.parameters else {})


def bad_request(description: str) -> ApiError:
    """A 400 "Bad Request: <description>"."""
    return ApiError(400, "Bad Request: " + description)


def status_error(status: int) -> ApiError:
    """An error with only an HTTP status, described the way Telegram describes it."""
    return ApiError(status, STATUS_TEXT.get(status, "Internal Server Error"))
