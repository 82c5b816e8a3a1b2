"""An in-process transport for python-telegram-bot onto `FakeBotAPI`: the real Application
and handlers run, every Bot API call is answered (and checked) by the fake server's logic,
and nothing goes over the network. Used by the fuzz test; handy for any in-process test."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram import Update
from telegram.request import BaseRequest, RequestData

from tests.fakebotapi import FakeBotAPI, Upload
from tests.fakebotapi.files import Streamed

_API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z_]+)/?$")
_FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)$")


class FakeRequest(BaseRequest):
    """Hands each request to `FakeBotAPI.handle` (or `download` for files)."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        if found := _FILE_PATH.search(path):
            status, body = self.api.download(found.group(1), found.group(2))
            if isinstance(body, Streamed):
                return status, b"".join(body.chunks())
            return status, body if isinstance(body, bytes) else json.dumps(body).encode()
        found = _API_PATH.search(path)
        if found is None:
            return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            for name, field in request_data.multipart_data.items():
                file_name, content, mime = field[0], field[1], field[2] if len(field) > 2 else ""
                data = content if isinstance(content, bytes) else content.read()
                params[name] = Upload(file_name or name, data, mime or "application/octet-stream")
        status, payload = self.api.handle(found.group(1), found.group(2), params)
        if isinstance(payload, bytes):  # a raw body a test injected
            return status, payload
        return status, json.dumps(payload, ensure_ascii=False).encode()


def factory(api: FakeBotAPI) -> Callable[[], FakeRequest]:
    """For `build_application(..., request=factory(api))`."""
    return lambda: FakeRequest(api)


class Inbox:
    """Takes the updates the fake server queued, like the bot's getUpdates would."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self.offset = 0

    def take(self) -> list[dict[str, Any]]:
        status, payload = self.api.handle(self.api.token, "getUpdates", {
            "offset": self.offset, "timeout": 0, "allowed_updates": list(Update.ALL_TYPES)})
        assert status == 200 and isinstance(payload, dict), payload
        updates: list[dict[str, Any]] = payload["result"]
        if updates:
            self.offset = updates[-1]["update_id"] + 1
        return updates
