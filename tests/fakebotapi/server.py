"""HTTP, the way api.telegram.org speaks it: `Server` and `RequestHandler` route
/bot<token>/<method> (query string, JSON, form or multipart parameters, decoded like the Bot API
decodes them) to `FakeBotAPI.handle` and /file/bot<token>/<path> to `FakeBotAPI.download`."""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakebotapi.errors import ApiError, bad_request
from tests.fakebotapi.files import Streamed, Upload

if TYPE_CHECKING:
    from tests.fakebotapi.api import FakeBotAPI

_INT_KEYS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time",
             "message_thread_id", "reply_to_message_id", "from_chat_id", "duration"}
_BOOL_KEYS = {"show_alert", "disable_notification", "protect_content", "drop_pending_updates",
              "is_big", "allow_sending_without_reply", "disable_content_type_detection",
              "has_spoiler", "show_caption_above_media", "disable_web_page_preview"}
_JSON_KEYS = {"reply_markup", "commands", "scope", "reaction", "entities", "caption_entities",
              "allowed_updates", "link_preview_options", "reply_parameters", "media"}


def coerce(key: str, value: str) -> Any:
    """Decodes one form field the way the Bot API interprets it."""
    if key in _JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    if key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    if key in _INT_KEYS and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Minimal multipart/form-data parser: text fields are strings, file parts `Upload`s."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise bad_request("multipart boundary is missing")
    result: dict[str, Any] = {}
    for part in body.split(b"--" + match.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'\bname="([^"]*)"', headers)
        filename = re.search(r'\bfilename="([^"]*)"', headers)
        ctype = re.search(r"(?im)^content-type:\s*([^\r\n;]+)", headers)
        if not name:
            continue
        if filename:
            fname = filename.group(1).replace("%22", '"').replace("\\\\", "\\")
            mime = ctype.group(1).strip() if ctype else "application/octet-stream"
            result[name.group(1)] = Upload(fname, data, mime)
        else:
            result[name.group(1)] = data.decode("utf-8", "replace")
    return result


def _encode(payload: dict) -> bytes:
    """JSON as Telegram sends it: UTF-8, and a text that is not valid Unicode (a lone
    surrogate) as a \\u escape, which is still valid JSON."""
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(payload).encode()


class Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeBotAPI and can cut keep-alive connections."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, api: FakeBotAPI,
                 backlog: int = 5) -> None:
        self.api = api
        self.request_queue_size = backlog  # listen backlog; socketserver's default is 5
        self.connections: set[socket.socket] = set()
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.connections.discard(request)

    def cut_connections(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (killed, or gave up on a slow request) is not our error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    """HTTP front end: routes /bot<token>/<method> and /file/bot<token>/<path>."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024  # headers and body leave in one write; flushed after each request
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        api = self.server.api
        file_match = re.fullmatch(r"/file/bot([^/]+)/(.+)", path)
        bot_match = re.fullmatch(r"/bot([^/]+)/([A-Za-z_]+)/?", path)
        if file_match:
            status, payload = api.download(*file_match.groups())
        elif bot_match:
            try:
                params = self._params(url.query, body)
            except ApiError as e:
                status, payload = e.code, {"ok": False, "error_code": e.code,
                                           "description": e.description}
            else:
                status, payload = api.handle(bot_match.group(1), bot_match.group(2), params,
                                             self._client_alive)
        else:
            status, payload = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        self._reply(status, payload)

    def _params(self, query: str, body: bytes) -> dict[str, Any]:
        params: dict[str, Any] = {k: coerce(k, v) for k, v in parse_qsl(query)}
        ctype = self.headers.get("Content-Type") or ""
        if ctype.startswith("application/json") and body:
            try:
                data = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(data, dict):
                raise bad_request("can't parse JSON object")
            params.update({k: coerce(k, v) if k in _JSON_KEYS and isinstance(v, str) else v
                           for k, v in data.items()})
        elif ctype.startswith("multipart/form-data"):
            params.update({k: coerce(k, v) if isinstance(v, str) else v
                           for k, v in parse_multipart(body, ctype).items()})
        elif body:
            params.update({k: coerce(k, v) for k, v in parse_qsl(body.decode())})
        return params

    def _client_alive(self) -> bool:
        """False once the client has closed its end of the connection."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            return False

    def _reply(self, status: int, payload: bytes | dict | Streamed) -> None:
        if isinstance(payload, Streamed):
            self._stream(payload)
            return
        is_json = isinstance(payload, dict)
        data = _encode(payload) if is_json else payload
        try:
            self.send_response(status)
            self.send_header("Content-Type",
                             "application/json" if is_json else "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _stream(self, body: Streamed) -> None:
        """A long body in chunks, as Telegram's file servers send one; stops when the client
        hangs up."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if body.declared:
                self.send_header("Content-Length", str(body.size))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            for chunk in body.chunks():
                self.wfile.write(chunk)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
