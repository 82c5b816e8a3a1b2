"""Files: what users send and the bot uploads, served by getFile and /file/bot<token>/<path>.

Telegram's shapes: a photo arrives as two PhotoSizes (a 90 px thumbnail and up to 1280 px),
an upload that is not an image is refused for sendPhoto, getFile refuses files over 20 MB
(unless it plays a local Bot API server, `limit = None`, which serves files of any size). A file
may be served as a long generated body (`body`), streamed in chunks, counting what was sent.
"""

from __future__ import annotations

import itertools
import mimetypes
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.fakebotapi.errors import status_error
from tests.fakebotapi.limits import MAX_DOWNLOAD


@dataclass
class Streamed:
    """A generated body of `size` bytes, sent in chunks; `rec["served"]` counts what left."""

    size: int
    rec: dict
    declared: bool = True  # False: no Content-Length, the body ends when the server hangs up

    CHUNK = 64 * 1024

    def chunks(self) -> Iterator[bytes]:
        block = b"\0" * self.CHUNK
        left = self.size
        while left > 0:
            piece = block[:min(left, self.CHUNK)]
            left -= len(piece)
            yield piece
            self.rec["served"] += len(piece)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    file_name: str
    content: bytes
    mime_type: str


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG image, None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    i = 2 if data[:2] == b"\xff\xd8" else len(data)
    while i + 9 < len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return None


def file_obj(rec: dict) -> dict:
    """The file_id, file_unique_id and file_size of a stored file, as in Message objects."""
    return {k: rec[k] for k in ("file_id", "file_unique_id", "file_size")}


class FileStore:
    """Stored files by file_id and by file_path (records hold the content and `fail`, an HTTP
    status a download answers with instead). Ids come from `ids`, shared with the server."""

    def __init__(self, lock: threading.Condition, ids: itertools.count) -> None:
        self.lock, self.ids = lock, ids
        self.by_id: dict[str, dict] = {}
        self.by_path: dict[str, str] = {}
        self.limit: int | None = MAX_DOWNLOAD  # what getFile serves; None: any size

    def register(self, content: bytes, *, kind: str = "document", file_name: str | None = None,
                 mime_type: str | None = None) -> dict:
        """Stores a file so getFile and the /file/ URL serve it; returns (a copy of) its record."""
        with self.lock:
            n = next(self.ids)
            ext = ("." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name
                   else mimetypes.guess_extension(mime_type or "") or "")
            folder = {"photo": "photos", "voice": "voice", "sticker": "stickers",
                      "audio": "music", "video_note": "video_notes"}.get(kind, kind)
            rec = {"file_id": f"BQACAgQAAxk{kind[:2].upper()}{n:08d}AAF", "content": bytes(content),
                   "file_unique_id": f"AgAD{n:06d}", "file_size": len(content), "fail": None,
                   "body": None, "served": 0, "declared": True,
                   "file_name": file_name, "file_path": f"{folder}/file_{n}{ext}",
                   "mime_type": mime_type or mimetypes.guess_type(file_name or "")[0]
                   or "application/octet-stream"}
            self.by_id[rec["file_id"]] = rec
            self.by_path[rec["file_path"]] = rec["file_id"]
            return dict(rec)

    def fail(self, file_id: str, status: int = 404) -> None:
        """Makes downloading this file fail with the given HTTP status."""
        with self.lock:
            self.by_id[file_id]["fail"] = status

    def get(self, file_id: str) -> dict | None:
        return self.by_id.get(file_id)

    def photo_sizes(self, content: bytes, name: str) -> list[dict]:
        """Stores a photo; its PhotoSizes as Telegram makes them (thumbnail first)."""
        width, height = image_size(content) or (800, 600)
        rec = self.register(content, kind="photo", file_name=name, mime_type="image/jpeg")
        sizes = []
        for limit in (90, 1280):
            scale = min(1.0, limit / max(width, height, 1))
            sizes.append({**file_obj(rec), "width": max(1, round(width * scale)),
                          "height": max(1, round(height * scale))})
        sizes[0]["file_id"] += "thumb"
        self.by_id[sizes[0]["file_id"]] = self.by_id[rec["file_id"]]
        return sizes

    def download(self, token_ok: bool, path: str
                 ) -> tuple[int, bytes | Streamed | dict[str, Any]]:
        """Serves /file/bot<token>/<path>: the bytes (or a long body), or a JSON error."""
        with self.lock:
            rec = self.by_id.get(self.by_path.get(path, ""))
            status = 404 if not token_ok or rec is None else rec["fail"]
            if status:
                return status, status_error(status).body()
            if rec["body"] is not None:
                return 200, Streamed(rec["body"], rec, rec["declared"])
            rec["served"] += len(rec["content"])
            return 200, rec["content"]
